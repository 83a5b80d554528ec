package dev.unitguard.cli;

import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.EffectiveUnit;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The unit file a command checks (under {@code --root}) and the requirements manifest it is checked against (check,
 * recommend, perms).
 */
final class CheckedUnit {

    @Mixin
    UnitSource source;

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

    /** The unit file with the drop-ins that apply to it under the root. */
    EffectiveUnit unit() {
        return source.load(unitFile);
    }

    /** The machine under the root, its account files checked. */
    HostView host() {
        return source.host();
    }

    /** A user or group of the manifest the machine does not know: an input error naming the manifest. */
    InputException unknown(UnknownIdentity e) {
        return new InputException(requiresFile + ": " + e.getMessage());
    }
}
