package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A systemd release by its number (252, 257, ...), as {@code systemctl --version}, D-Bus {@code Manager.Version} and
 * the name of {@code libsystemd-shared-NNN.so} spell it. unitguard models the {@link #SUPPORTED} releases exactly;
 * {@link #modelled()} maps any other to the profile that stands in for it.
 */
public record SystemdVersion(int number) implements Comparable<SystemdVersion> {

    public static final SystemdVersion V252 = new SystemdVersion(252);
    public static final SystemdVersion V257 = new SystemdVersion(257);
    public static final SystemdVersion V262 = new SystemdVersion(262);
    /** The releases whose behaviour is proven in their own lab, oldest first. */
    public static final List<SystemdVersion> SUPPORTED = List.of(V252, V257, V262);

    private static final Pattern LEADING = Pattern.compile("^\\s*(?:systemd\\s+)?v?(\\d{2,4})(?:[.~\\-+ (].*)?$",
            Pattern.DOTALL);
    private static final Pattern SHARED = Pattern.compile("libsystemd-shared-(\\d{2,4})(?:\\.[^/]*)?\\.so");
    private static final List<String> LIBRARY_DIRS = List.of("usr/lib/x86_64-linux-gnu/systemd",
            "usr/lib/aarch64-linux-gnu/systemd", "usr/lib64/systemd", "usr/lib/systemd", "lib/systemd");

    public SystemdVersion {
        if (number < 1 || number > 9999) {
            throw new IllegalArgumentException("not a systemd version: " + number);
        }
    }

    /**
     * Reads a version as systemd prints it: {@code 257}, {@code 257.9-1~deb13u1} ({@code Manager.Version}),
     * {@code systemd 252 (252.39-1~deb12u1)} (the first line of {@code --version}).
     *
     * @throws IllegalArgumentException naming the text when it holds no version
     */
    public static SystemdVersion parse(String text) {
        Matcher m = LEADING.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a systemd version: '" + text.strip() + "'");
        }
        return new SystemdVersion(Integer.parseInt(m.group(1)));
    }

    /**
     * The systemd installed under {@code root}, from the name of its {@code libsystemd-shared-NNN.so} (every systemd
     * binary links it, so the number is the binaries' own); empty when there is none. Links are not followed out of
     * the usual library directories.
     */
    public static Optional<SystemdVersion> ofRoot(Path root) throws IOException {
        for (String dir : LIBRARY_DIRS) {
            Path candidate = root.resolve(dir);
            if (!Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(candidate, "libsystemd-shared-*.so")) {
                for (Path file : files) {
                    Matcher m = SHARED.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        return Optional.of(new SystemdVersion(Integer.parseInt(m.group(1))));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The systemd installed under {@code root} as unitguard models it ({@link #ofRoot}, {@link #modelled}); 252 for a
     * root without one (a tree of unit files), with a warning saying so when {@code root} is a directory.
     */
    public static Modelled installedUnder(Path root) throws IOException {
        Optional<SystemdVersion> installed = ofRoot(root);
        if (installed.isPresent()) {
            return installed.get().modelled();
        }
        return new Modelled(V252, V252, Files.isDirectory(root)
                ? Optional.of("no libsystemd-shared-NNN.so under " + root + "; modelled as systemd 252")
                : Optional.empty());
    }

    /** Whether unitguard models this exact release. */
    public boolean supported() {
        return SUPPORTED.contains(this);
    }

    /**
     * The supported release that models this one: itself when supported, else the nearest lower supported release
     * (the oldest supported one for a release older than all), with a warning naming both.
     */
    public Modelled modelled() {
        if (supported()) {
            return new Modelled(this, this, Optional.empty());
        }
        SystemdVersion stand = SUPPORTED.get(0);
        for (SystemdVersion s : SUPPORTED) {
            if (s.number <= number) {
                stand = s;
            }
        }
        return new Modelled(this, stand, Optional.of("systemd " + number + " is not supported; modelled as systemd "
                + stand.number + (stand.number < number ? " (the nearest lower supported version)"
                : " (the oldest supported version)")));
    }

    /** The systemd a host runs and the supported release unitguard models it with; a warning when they differ. */
    public record Modelled(SystemdVersion actual, SystemdVersion model, Optional<String> warning) {
    }


    @Override
    public int compareTo(SystemdVersion other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return Integer.toString(number);
    }
}
