package dev.unitguard.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the pure core pure (STYLE.md): the model packages import only the JDK and the packages beneath them, never
 * Vert.x, dbus-java, jnr or Micrometer; {@code host} (no-follow file operations) sits beneath every package that
 * touches files. Read from the real import lines of the sources.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/unitguard");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // no-follow file operations: the JDK's openat-based SecureDirectoryStream, nothing else
        "host          | java.",
        "unit          | java.",
        "sandbox       | java. dev.unitguard.unit. dev.unitguard.sandbox. com.fasterxml.jackson.",
        // the probe runs its transient service through the systemd client (never dbus-java directly)
        "sandbox/probe | java. dev.unitguard.unit. dev.unitguard.sandbox. dev.unitguard.systemd.",
        "perms         | java. dev.unitguard.host. dev.unitguard.unit. dev.unitguard.sandbox.",
        "check         | java. dev.unitguard.unit. dev.unitguard.sandbox. dev.unitguard.perms. com.fasterxml.jackson.",
    })
    void imports_corePackage_onlyFromAllowedLayers(String pkg, String allowed) throws IOException {
        List<String> prefixes = List.of(allowed.trim().split("\\s+"));
        Path dir = SOURCES.resolve(pkg.trim());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".java")).toList();
        }
        assertFalse(files.isEmpty(), "no sources in " + dir.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("import ")) {
                    continue;
                }
                String imported = line.replaceFirst("^import (static )?", "").replace(";", "").trim();
                if (prefixes.stream().noneMatch(imported::startsWith)
                        || (pkg.trim().equals("perms") && imported.startsWith("dev.unitguard.sandbox.probe."))) {
                    violations.add(file.getFileName() + ": " + imported);
                }
            }
        }
        assertEquals(List.of(), violations, pkg.trim() + " imports outside its layer");
    }
}
