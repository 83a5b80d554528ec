package dev.unitguard.cli;

import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The unit file a command checks and the requirements manifest it is checked against (check, perms). */
final class CheckedUnit {

    @Option(names = "--requires", paramLabel = "FILE", required = true,
            description = "The requirements manifest (JSON): the paths, accesses and devices the service needs.")
    Path requiresFile;

    @Parameters(paramLabel = "UNIT_FILE", description = "The unit file to check.")
    Path unitFile;

    /** The manifest read and validated; a bad one is an InputException naming the file and the member. */
    Requirements requirements() {
        try {
            return RequirementsManifest.read(requiresFile);
        } catch (ManifestException e) {
            throw new InputException(e.getMessage());
        }
    }
}
