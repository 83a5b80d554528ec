package dev.unitguard.sandbox;

import dev.unitguard.json.JsonPath;
import dev.unitguard.sandbox.RequirementsManifest.NetworkEntry;
import dev.unitguard.sandbox.RequirementsManifest.SocketEntry;
import dev.unitguard.unit.NetworkRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The manifest's {@code network}, {@code syscalls} and {@code capabilities} fields and the {@code learned} notes:
 * read into {@link NetworkNeeds} and name sets with errors naming the field, and written back.
 */
final class ManifestNetwork {

    /** A system call name as systemd and libseccomp spell it. */
    static final Pattern SYSCALL = Pattern.compile("[a-z0-9_]{1,64}");
    /** A capability name as {@code capability_from_name()} reads it in unit files, upper case. */
    static final Pattern CAPABILITY = Pattern.compile("CAP_[A-Z0-9_]{1,60}");
    /** An address family name as {@code RestrictAddressFamilies=} takes it. */
    static final Pattern FAMILY = Pattern.compile("AF_[A-Z0-9_]{1,30}");
    /** The longest {@code learned} note, in characters. */
    static final int MAX_NOTE = 1024;

    private ManifestNetwork() {
    }

    static Optional<NetworkNeeds> network(NetworkEntry raw, String name) throws ManifestException {
        if (raw == null) {
            return Optional.empty();
        }
        JsonPath at = JsonPath.of("network");
        Set<String> families = names(raw.families(), name, at.member("families"), FAMILY).orElse(Set.of());
        return Optional.of(new NetworkNeeds(sockets(raw.listen(), name, at.member("listen")),
                sockets(raw.connect(), name, at.member("connect")), families));
    }

    static NetworkEntry entry(NetworkNeeds needs) {
        return new NetworkEntry(needs.listen().stream().map(ManifestNetwork::entry).toList(),
                needs.connect().stream().map(ManifestNetwork::entry).toList(),
                List.copyOf(new TreeSet<>(needs.families())));
    }

    private static SocketEntry entry(SocketNeed s) {
        String learned = s.learned().orElse(null);
        return s.protocol() == SocketNeed.Protocol.UNIX
                ? new SocketEntry("unix", null, null, s.address(), learned)
                : new SocketEntry(s.protocol().label(), s.address(), s.port(), null, learned);
    }

    /** Names matching {@code form}, at most {@link RequirementsManifest#MAX_ENTRIES}; empty when not stated. */
    static Optional<Set<String>> names(List<String> raw, String name, JsonPath at, Pattern form)
            throws ManifestException {
        return entries(raw, name, at, (value, where) -> {
            if (value == null || !form.matcher(value).matches()) {
                throw new ManifestException(name, where, "not a valid name: "
                        + RequirementsManifest.quote(value == null ? null : printable(value)));
            }
            return value;
        }).<Set<String>>map(TreeSet::new);
    }

    /** A {@code learned} note: at most {@link #MAX_NOTE} characters without control characters. */
    static Optional<String> note(String note, String name, JsonPath at) throws ManifestException {
        if (note == null) {
            return Optional.empty();
        }
        if (note.length() > MAX_NOTE) {
            throw new ManifestException(name, at, "note longer than " + MAX_NOTE + " characters");
        }
        if (RequirementsManifest.firstControl(note) >= 0) {
            throw new ManifestException(name, at, "control character in note");
        }
        return Optional.of(note);
    }

    private static List<SocketNeed> sockets(List<SocketEntry> raw, String name, JsonPath at)
            throws ManifestException {
        return entries(raw, name, at, (s, where) -> socket(s, name, where)).orElse(List.of());
    }

    /** Reads one entry of a list member, {@code at} its place in the manifest. */
    @FunctionalInterface
    private interface Entry<T, R> {
        R read(T raw, JsonPath at) throws ManifestException;
    }

    /**
     * A list member: at most {@link RequirementsManifest#MAX_ENTRIES} entries, each read at its index; empty when not
     * stated.
     */
    private static <T, R> Optional<List<R>> entries(List<T> raw, String name, JsonPath at, Entry<T, R> entry)
            throws ManifestException {
        if (raw == null) {
            return Optional.empty();
        }
        RequirementsManifest.atMost(raw, name, at);
        List<R> read = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            read.add(entry.read(raw.get(i), at.index(i)));
        }
        return Optional.of(read);
    }

    private static SocketNeed socket(SocketEntry s, String name, JsonPath at) throws ManifestException {
        if (s == null) {
            throw new ManifestException(name, at, "expected an object");
        }
        if (s.protocol() == null) {
            throw new ManifestException(name, at, "missing field \"protocol\"");
        }
        Optional<String> learned = note(s.learned(), name, at.member("learned"));
        switch (s.protocol()) {
            case "unix" -> {
                if (s.address() != null || s.port() != null) {
                    throw new ManifestException(name, at.member(s.address() != null ? "address" : "port"),
                            "a unix socket has a \"path\", not an address or port");
                }
                if (s.path() == null) {
                    throw new ManifestException(name, at, "missing field \"path\"");
                }
                RequirementsManifest.plainPath(s.path(), name, at.member("path"));
                if (!s.path().startsWith("/") && !(s.path().startsWith("@") && s.path().length() > 1)) {
                    throw new ManifestException(name, at.member("path"),
                            "socket path must be absolute or @abstract: " + RequirementsManifest.quote(s.path()));
                }
                return new SocketNeed(SocketNeed.Protocol.UNIX, s.path(), 0, learned);
            }
            case "tcp", "udp" -> {
                if (s.path() != null) {
                    throw new ManifestException(name, at.member("path"), "a " + s.protocol()
                            + " socket has an \"address\" and \"port\", not a path");
                }
                if (s.address() == null) {
                    throw new ManifestException(name, at, "missing field \"address\"");
                }
                if (!NetworkRules.isIpv4(s.address()) && !NetworkRules.isIpv6(s.address())) {
                    throw new ManifestException(name, at.member("address"), "not an IP address literal: "
                            + RequirementsManifest.quote(printable(s.address())));
                }
                if (s.port() == null) {
                    throw new ManifestException(name, at, "missing field \"port\"");
                }
                if (s.port() < 1 || s.port() > 65_535) {
                    throw new ManifestException(name, at.member("port"), "port out of range 1-65535: " + s.port());
                }
                return new SocketNeed(SocketNeed.Protocol.valueOf(s.protocol().toUpperCase(Locale.ROOT)),
                        s.address().toLowerCase(Locale.ROOT), s.port(), learned);
            }
            default -> throw new ManifestException(name, at.member("protocol"), "unknown protocol "
                    + RequirementsManifest.quote(printable(s.protocol())) + " (use tcp, udp or unix)");
        }
    }

    /** At most 64 characters of a refused value, control characters shown as {@code ?}. */
    private static String printable(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
