package dev.unitguard.cli;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --root} option and loading of unit files given on the command line, shared by the commands. */
final class UnitSource {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Root directory of the system to inspect (default: ${DEFAULT-VALUE}).")
    Path root;

    /** Loads a unit file with the drop-ins that apply to it under the root; unreadable input is an InputException. */
    EffectiveUnit load(Path file) {
        if (!Files.isDirectory(root)) {
            throw new InputException("--root " + root + ": no such directory");
        }
        try {
            return UnitLoader.forRoot(root).loadFile(file);
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        }
    }
}
