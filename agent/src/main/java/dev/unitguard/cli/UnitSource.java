package dev.unitguard.cli;

import dev.unitguard.host.HostView;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --root} option and loading of unit files given on the command line, shared by the commands. */
final class UnitSource {

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Root directory of the system to inspect (default: ${DEFAULT-VALUE}).")
    Path root;

    /** The root's loader, taken once per command: its index of the search path serves every file of the command. */
    private UnitLoader loader;

    /** Loads a unit file with the drop-ins that apply to it under the root; unreadable input is an InputException. */
    EffectiveUnit load(Path file) {
        checkRoot();
        try {
            if (loader == null) {
                loader = UnitLoader.forRoot(root);
            }
            return loader.loadFile(file);
        } catch (IOException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** The machine under the root, its account files checked: one that cannot be read or parsed is an error. */
    HostView host() {
        checkRoot();
        try {
            return HostView.of(root).requireAccounts();
        } catch (HostView.AccountFileException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** {@code --root} must name an existing directory: an empty string is not the current directory. */
    private void checkRoot() {
        if (root.toString().isEmpty()) {
            throw new InputException("--root: expected a directory, got an empty string");
        }
        if (!Files.isDirectory(root)) {
            throw new InputException("--root " + root + ": " + (Files.exists(root) ? "not a directory"
                    : "no such directory"));
        }
    }
}
