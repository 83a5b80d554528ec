package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.host.Access;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequirementsManifestTest {

    @Test
    void parse_fullManifest_givesRequirements() throws ManifestException {
        Requirements r = RequirementsManifest.parse("""
                { "user": "kanakku", "group": "kanakku",
                  "paths": [ {"path": "/var/lib/kanakku", "access": "rw"},
                             {"path": "/home/kanakku/.ssh/id_rsa", "access": "r", "secret": true} ],
                  "devices": ["/dev/ttyUSB0"] }
                """, "requires.json");
        assertEquals(new Requirements(Optional.of("kanakku"), Optional.of("kanakku"), List.of(
                new PathRequirement("/var/lib/kanakku", EnumSet.of(Access.R, Access.W), false),
                new PathRequirement("/home/kanakku/.ssh/id_rsa", EnumSet.of(Access.R), true)),
                List.of("/dev/ttyUSB0")), r);
    }

    @Test
    void parse_emptyObject_meansNoRequirementsAndTheUnitsUser() throws ManifestException {
        assertEquals(Requirements.none(), RequirementsManifest.parse("{}", "requires.json"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"pathz\": []}|requires.json: $.pathz: unknown field (known: devices, group, paths, user)",
            "{\"paths\": [{\"path\": \"/x\", \"acess\": \"r\"}]}|requires.json: $.paths[0].acess: unknown field (known: access, path, secret)",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"rwz\"}]}|requires.json: $.paths[0].access: bad access letter 'z' in \"rwz\" (use r, w, x)",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"rr\"}]}|requires.json: $.paths[0].access: access letter 'r' repeated in \"rr\"",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"\"}]}|requires.json: $.paths[0].access: access must be one or more of r, w, x",
            "{\"paths\": [{\"path\": \"var/lib\", \"access\": \"r\"}]}|requires.json: $.paths[0].path: path must be absolute: \"var/lib\"",
            "{\"paths\": [{\"access\": \"r\"}]}|requires.json: $.paths[0]: missing field \"path\"",
            "{\"paths\": [{\"path\": \"/x\"}]}|requires.json: $.paths[0]: missing field \"access\"",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"r\", \"secret\": \"yes\"}]}|requires.json: $.paths[0].secret: expected true or false",
            "{\"paths\": [{\"path\": 42, \"access\": \"r\"}]}|requires.json: $.paths[0].path: expected a string",
            "{\"paths\": \"/x\"}|requires.json: $.paths: expected an array",
            "{\"user\": 1000}|requires.json: $.user: expected a string",
            "{\"user\": \"\"}|requires.json: $.user: empty value",
            "{\"devices\": [\"ttyUSB0\"]}|requires.json: $.devices[0]: device must be an absolute path: \"ttyUSB0\"",
            "[1]|requires.json: $: expected an object",
            "{\"user\": |requires.json: $: not valid JSON: Unexpected end-of-input within/between Object entries at line 1, column 9",
    })
    void parse_badInput_namesTheField(String json, String message) {
        ManifestException e = assertThrows(ManifestException.class, () -> RequirementsManifest.parse(json,
                "requires.json"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void read_file_usesTheFileNameInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("requires.json");
        Files.writeString(file, "{\"pathz\": []}");
        ManifestException e = assertThrows(ManifestException.class, () -> RequirementsManifest.read(file));
        assertEquals("requires.json: $.pathz: unknown field (known: devices, group, paths, user)", e.getMessage());
    }
}
