package dev.unitguard.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * lintian (on this machine, Debian's package checker) on the built .deb: no error and no warning. Its output is
 * printed (the overrides, with their reasons, are in deb/lintian-overrides). Skipped when lintian is not installed
 * (packaging/dev-setup.sh installs it).
 */
class LintianIT {

    @Test
    void builtPackage_hasNoLintianErrorOrWarning() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/lintian")),
                "lintian is not installed (packaging/dev-setup.sh installs it)");
        BuiltDeb deb = BuiltDeb.in(Path.of(System.getProperty("unitguard.lab.target", "target")).toAbsolutePath());
        ExecResult lintian = HostCommand.run(List.of("lintian", "--fail-on", "error,warning",
                "--display-info", deb.path().toString()), new byte[0], Duration.ofMinutes(5));
        System.err.println("LintianIT: lintian " + deb.path().getFileName() + " exited " + lintian.exitCode()
                + (lintian.stdout().isBlank() ? ", no tags" : ":\n" + lintian.stdout().strip()));
        assertEquals(0, lintian.exitCode(), lintian.stdout() + lintian.stderr());
    }
}
