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
            "{\"pathz\": []}|requires.json: unknown field \"pathz\" at $.pathz",
            "{\"paths\": [{\"path\": \"/x\", \"acess\": \"r\"}]}|requires.json: unknown field \"acess\" at $.paths[0].acess",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"rwz\"}]}|requires.json: bad access letter 'z' in \"rwz\" (use r, w, x) at $.paths[0].access",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"rr\"}]}|requires.json: access letter 'r' repeated in \"rr\" at $.paths[0].access",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"\"}]}|requires.json: access must be one or more of r, w, x at $.paths[0].access",
            "{\"paths\": [{\"path\": \"var/lib\", \"access\": \"r\"}]}|requires.json: path must be absolute: \"var/lib\" at $.paths[0].path",
            "{\"paths\": [{\"access\": \"r\"}]}|requires.json: missing field \"path\" at $.paths[0]",
            "{\"paths\": [{\"path\": \"/x\"}]}|requires.json: missing field \"access\" at $.paths[0]",
            "{\"paths\": [{\"path\": \"/x\", \"access\": \"r\", \"secret\": \"yes\"}]}|requires.json: expected a boolean at $.paths[0].secret",
            "{\"paths\": [{\"path\": 42, \"access\": \"r\"}]}|requires.json: expected a string at $.paths[0].path",
            "{\"paths\": \"/x\"}|requires.json: expected an array at $.paths",
            "{\"user\": 1000}|requires.json: expected a string at $.user",
            "{\"user\": \"\"}|requires.json: empty value at $.user",
            "{\"devices\": [\"ttyUSB0\"]}|requires.json: device must be an absolute path: \"ttyUSB0\" at $.devices[0]",
            "[1]|requires.json: expected an object at $",
            "{\"user\": |requires.json: invalid JSON at line 1, column 9: Unexpected end-of-input within/between Object entries",
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
        assertEquals("requires.json: unknown field \"pathz\" at $.pathz", e.getMessage());
    }
}
