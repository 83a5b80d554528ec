package dev.unitguard.exposure;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Test-only stand-in for the unit loader: loads a unit file the way {@code systemd-analyze --offline} does (an
 * alias symlink takes its target's name, a template gets the instance "i", a link to /dev/null is masked), with the
 * drop-ins of the system search path, parsed by {@link UnitFile}. Machine units go through the real UnitLoader.
 */
final class TestUnitFiles {

    static final List<Path> SYSTEM_PATH = List.of(Path.of("/etc/systemd/system"), Path.of("/run/systemd/system"),
            Path.of("/usr/local/lib/systemd/system"), Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"));

    /** The unit file is a link to /dev/null. */
    static final class MaskedException extends Exception {
        MaskedException(String unit) {
            super("Unit " + unit + " is masked.");
        }
    }

    private TestUnitFiles() {
    }

    /**
     * Loads a unit file as {@code systemd-analyze --offline} does: a unit of the machine's search path through the
     * real {@link UnitLoader} under its offline name, a fixture file directly (with the drop-ins beside it).
     */
    static EffectiveUnit load(Path file) throws MaskedException {
        return load(file, Path.of("/"), "i");
    }

    /**
     * Loads a unit file as {@code systemd-analyze --offline} of a release with its root at {@code root} does: a unit
     * of the root's /usr/lib/systemd/system through the real {@link UnitLoader} of that root, a template under
     * {@code instance} (the release's offline instance).
     */
    static EffectiveUnit load(Path file, Path root, String instance) throws MaskedException {
        Path dir = file.getParent();
        if (dir.equals(root.resolve("usr/lib/systemd/system")) || dir.equals(root.resolve("lib/systemd/system"))) {
            String name = offlineName(file, instance);
            try {
                return UnitLoader.forRoot(root).load(name);
            } catch (UnitFileException e) {
                if (e.getMessage().contains("unit is masked")) {
                    throw new MaskedException(file.getFileName().toString());
                }
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return loadFixture(file, instance);
    }

    /** The name systemd-analyze --offline gives a unit file: an alias takes its target's name, a template gets "i". */
    static String offlineName(Path file) {
        return offlineName(file, "i");
    }

    /** The name systemd-analyze --offline gives a unit file, a template taking {@code instance}. */
    static String offlineName(Path file, String instance) {
        Path fragment = file;
        try {
            while (Files.isSymbolicLink(fragment)) {
                fragment = fragment.resolveSibling(Files.readSymbolicLink(fragment));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = fragment.equals(Path.of("/dev/null")) ? file.getFileName().toString()
                : fragment.getFileName().toString();
        return name.replace("@.", "@" + instance + ".");
    }

    static EffectiveUnit loadFixture(Path file) throws MaskedException {
        return loadFixture(file, "i");
    }

    static EffectiveUnit loadFixture(Path file, String instance) throws MaskedException {
        Path fragment = file;
        String name = file.getFileName().toString();
        try {
            while (Files.isSymbolicLink(fragment)) {
                Path target = Files.readSymbolicLink(fragment);
                fragment = fragment.resolveSibling(target);
                if (fragment.equals(Path.of("/dev/null"))) {
                    throw new MaskedException(name);
                }
                name = fragment.getFileName().toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (name.contains("@.")) {
            name = name.replace("@.", "@" + instance + ".");
        }
        EffectiveUnit.Builder builder = EffectiveUnit.builder(name).fragmentPath(fragment);
        parse(fragment, builder);
        for (Path dropIn : dropIns(file.getParent(), name)) {
            builder.dropInPath(dropIn);
            parse(dropIn, builder);
        }
        return builder.build();
    }

    private static List<Path> dropIns(Path unitDir, String name) {
        List<String> dirNames = new ArrayList<>();
        dirNames.add("service.d");
        String base = name.substring(0, name.lastIndexOf('.'));
        for (int dash = base.indexOf('-'); dash >= 0; dash = base.indexOf('-', dash + 1)) {
            dirNames.add(base.substring(0, dash + 1) + ".service.d");
        }
        if (name.contains("@")) {
            dirNames.add(name.substring(0, name.indexOf('@') + 1) + ".service.d");
        }
        dirNames.add(name + ".d");
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path dir : Stream.concat(Stream.of(unitDir), SYSTEM_PATH.stream()).toList()) {
            try {
                if (Files.isDirectory(dir)) {
                    dirs.add(dir.toRealPath());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Path> byName = new TreeMap<>();
        for (Path dir : dirs) {
            for (String dirName : dirNames) {
                Path dropInDir = dir.resolve(dirName);
                if (!Files.isDirectory(dropInDir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dropInDir)) {
                    files.filter(p -> p.getFileName().toString().endsWith(".conf"))
                            .forEach(p -> byName.putIfAbsent(p.getFileName().toString(), p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return List.copyOf(byName.values());
    }

    private static void parse(Path file, EffectiveUnit.Builder builder) {
        try {
            UnitFile.read(file).assignments().forEach(builder::add);
        } catch (UnitFileException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** Every *.service file directly in {@code dir}, sorted. */
    static List<Path> services(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".service")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
