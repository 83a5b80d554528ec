package dev.unitguard.probe;

import dev.unitguard.host.Accounts;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.systemd.TransientProperty;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The unit's {@code RuntimeDirectory=}, {@code StateDirectory=}, {@code CacheDirectory=}, {@code LogsDirectory=}
 * and {@code ConfigurationDirectory=} as the probe reproduces them without letting systemd act on the host. Given to
 * a transient unit, systemd would create and chown (recursively) and chmod these directories and remove the
 * runtime directory when the probe stops: the live service's {@code /run/NAME} and its pid file with it. So the
 * probe gets namespace-only equivalents instead:
 * <ul>
 * <li>a directory that exists: {@code BindPaths=} of itself (writable, visible under {@code ProtectSystem=strict}
 * and {@code TemporaryFileSystem=} as systemd's own bind makes it), with its content, owner and mode as they are;
 * with {@code DynamicUser=yes} the state, cache and logs directories are {@code PREFIX/private/NAME} under an
 * empty read-only tmpfs on {@code PREFIX/private}, as systemd lays them out;</li>
 * <li>a directory that does not exist yet: an empty tmpfs there ({@code TemporaryFileSystem=}), of the mode and
 * owner systemd would create it with; for {@code DynamicUser=yes}, whose uid is only known at start, of mode
 * 1777. systemd makes the mount point on the host's file system; {@link #removeMountPoints} removes it again.</li>
 * </ul>
 */
final class ProbeDirectories {

    private static final String S = "Service";

    /** One of systemd's exec directory types: setting, prefix, whether DynamicUser= moves it below PREFIX/private. */
    private record Type(String key, String prefix, boolean privateForDynamicUser) {
    }

    /** The types, in systemd's order. */
    private static final List<Type> TYPES = List.of(new Type("RuntimeDirectory", "/run", false),
            new Type("StateDirectory", "/var/lib", true), new Type("CacheDirectory", "/var/cache", true),
            new Type("LogsDirectory", "/var/log", true), new Type("ConfigurationDirectory", "/etc", false));

    /**
     * What the probe mounts instead, the mount points it makes that did not exist before (to be removed after the
     * probe), and what the probe therefore does not see.
     */
    record Plan(List<TransientProperty.Bind> binds, List<TransientProperty.Pair> tmpfs, List<String> mountPoints,
                List<String> notSeen) {
        Plan {
            binds = List.copyOf(binds);
            tmpfs = List.copyOf(tmpfs);
            mountPoints = List.copyOf(mountPoints);
            notSeen = List.copyOf(notSeen);
        }
    }

    private ProbeDirectories() {
    }

    /**
     * @param user the user the probe runs as ({@code User=} or the manifest's), empty for root
     * @param group the group it runs as ({@code Group=} or the manifest's), empty for the user's own
     */
    static Plan of(EffectiveUnit unit, HostView host, Optional<String> user, Optional<String> group)
            throws ProbeException {
        boolean dynamic = unit.value(S, "DynamicUser").map(v -> ProbeProperties.parseBoolean(v.trim()
                .toLowerCase(java.util.Locale.ROOT))).map(Boolean.TRUE::equals).orElse(false);
        List<TransientProperty.Bind> binds = new ArrayList<>();
        List<TransientProperty.Pair> tmpfs = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> notSeen = new ArrayList<>();
        Set<String> privateRoots = new LinkedHashSet<>();
        for (Type type : TYPES) {
            List<String> names = names(unit, type.key());
            long mode = mode(unit, type.key() + "Mode");
            for (String name : names) {
                String shown = located(host, type.prefix() + "/" + name);
                boolean isPrivate = dynamic && type.privateForDynamicUser();
                String real = isPrivate ? located(host, type.prefix() + "/private/" + name) : shown;
                Optional<FileInfo> info = host.lstat(real);
                if (info.isPresent() && info.get().type() != FileInfo.Type.DIRECTORY) {
                    throw new ProbeException(unit.name() + ": " + type.key() + "=" + name + ": " + real
                            + " is not a directory (" + info.get().type().name().toLowerCase(java.util.Locale.ROOT)
                            + "); the probe binds only real directories");
                }
                if (info.isPresent()) {
                    if (isPrivate && privateRoots.add(type.prefix() + "/private")) {
                        tmpfs.add(new TransientProperty.Pair(type.prefix() + "/private", "ro,mode=0755"));
                    }
                    binds.add(new TransientProperty.Bind(real, real, false, true));
                    notSeen.add(type.key() + "=" + name + ": " + real + " as it is now (the probe does not create, "
                            + "chown, chmod or remove it as systemd does for the service)");
                } else {
                    String options = dynamic ? "mode=1777" : "mode=" + String.format("%04o", mode)
                            + owner(host, user, group);
                    tmpfs.add(new TransientProperty.Pair(shown, options));
                    if (host.lstat(shown).isEmpty()) {
                        created.add(shown);
                    }
                    notSeen.add(type.key() + "=" + name + ": " + shown + " does not exist yet; the probe sees an "
                            + "empty tmpfs (" + options + ") where systemd would create it");
                }
            }
        }
        return new Plan(binds, tmpfs, created, notSeen);
    }

    /** {@code path} with the symlinks above its last component resolved within the root; the last is not followed. */
    private static String located(HostView host, String path) {
        return HostView.child(host.resolve(HostView.parent(path)), path.substring(path.lastIndexOf('/') + 1));
    }

    /** The names of one setting; {@code NAME:LINK} is refused with the directive's file and line. */
    private static List<String> names(EffectiveUnit unit, String key) throws ProbeException {
        for (Assignment a : unit.listAssignments(S, key)) {
            if (a.value().contains(":")) {
                throw ProbeProperties.refuse(unit, a,
                        "the probe cannot pass directory symlinks (NAME:LINK) to a transient unit");
            }
        }
        List<String> names = new ArrayList<>();
        for (String word : ProbeProperties.words(unit, key)) {
            String name = word.replaceAll("/+$", "");
            if (name.isEmpty() || name.startsWith("/") || List.of(name.split("/")).contains("..")) {
                continue; // systemd refuses such a name and ignores the assignment
            }
            names.add(name);
        }
        return names;
    }

    private static long mode(EffectiveUnit unit, String key) {
        long mode = 0755;
        for (Assignment a : unit.assignments(S, key)) {
            String v = a.value().trim();
            if (a.isReset()) {
                mode = 0755;
            } else if (v.matches("[0-7]{1,4}")) {
                mode = Long.parseLong(v, 8);
            }
        }
        return mode;
    }

    /** {@code ,uid=U,gid=G} of the user and group the service runs as, as systemd would chown the directory. */
    private static String owner(HostView host, Optional<String> user, Optional<String> group) {
        Optional<Accounts.User> u = user.flatMap(host::user);
        int uid = u.map(Accounts.User::uid).orElse(0);
        int gid = group.flatMap(host::group).map(Accounts.Group::gid).orElse(u.map(Accounts.User::gid).orElse(0));
        return ",uid=" + uid + ",gid=" + gid;
    }

    /**
     * Removes the mount points systemd made on the host for the probe's tmpfs, deepest first: each only while it is
     * still an empty directory owned by root, so a directory the live service got meanwhile (systemd chowns it to the
     * service's user, the service fills it) is left alone.
     */
    static void removeMountPoints(Path root, List<String> mountPoints) {
        List<String> deepestFirst = new ArrayList<>(mountPoints);
        deepestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (String mountPoint : deepestFirst) {
            Path p = root.resolve(mountPoint.substring(1));
            try {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0) {
                    Files.delete(p);
                }
            } catch (DirectoryNotEmptyException e) {
                // someone uses it now
            } catch (IOException | RuntimeException e) {
                // gone already, or not ours to remove
            }
        }
    }
}
