package dev.unitguard.packaging;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.HostCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The .deb this module's package phase built (target/unitguard_VERSION_all.deb), and rebuilds of it. */
record BuiltDeb(Path path, String version) {

    private static final Pattern NAME = Pattern.compile("unitguard_(.+)_all\\.deb");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** The one package in {@code target}; fails naming the directory when there is none or several. */
    static BuiltDeb in(Path target) {
        List<Path> debs;
        try (Stream<Path> files = Files.list(target)) {
            debs = files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target + " (run mvn package first)", e);
        }
        if (debs.size() != 1) {
            throw new IllegalStateException(target + ": expected one unitguard_VERSION_all.deb, found " + debs);
        }
        Matcher m = NAME.matcher(debs.get(0).getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("unreachable: " + debs.get(0));
        }
        return new BuiltDeb(debs.get(0), m.group(1));
    }

    /** The path under which a lab that binds {@code target} at {@code mount} sees this package. */
    String in(Path target, String mount) {
        return mount + "/" + target.relativize(path);
    }

    /**
     * A second build of the same package with {@code newVersion} in its control file (and nothing else changed),
     * written to {@code dir}: unpacked and packed again with dpkg-deb, as a rebuild with a bumped version would be.
     */
    BuiltDeb withVersion(String newVersion, Path dir) {
        Path tree = dir.resolve("tree");
        Path out = dir.resolve("unitguard_" + newVersion + "_all.deb");
        try {
            Files.createDirectories(dir);
            run("rm", "-rf", tree.toString());
            run("dpkg-deb", "-R", path.toString(), tree.toString());
            Path control = tree.resolve("DEBIAN/control");
            String text = Files.readString(control);
            String bumped = text.replaceFirst("(?m)^Version: .*$", "Version: " + newVersion);
            if (bumped.equals(text)) {
                throw new IllegalStateException(control + ": no Version: line");
            }
            Files.writeString(control, bumped);
            run("dpkg-deb", "--root-owner-group", "-Zxz", "-b", tree.toString(), out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild " + path + " as " + newVersion, e);
        }
        return new BuiltDeb(out, newVersion);
    }

    /** A field of the package's control file, as {@code dpkg-deb -f} prints it. */
    String field(String name) {
        return run("dpkg-deb", "-f", path.toString(), name).stdout().strip();
    }

    private static ExecResult run(String... command) {
        return HostCommand.run(List.of(command), new byte[0], TIMEOUT).requireSuccess();
    }
}
