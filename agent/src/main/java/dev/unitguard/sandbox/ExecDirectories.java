package dev.unitguard.sandbox;

import dev.unitguard.host.FileInfo;
import java.util.List;

/**
 * {@code RuntimeDirectory=}, {@code StateDirectory=}, {@code CacheDirectory=}, {@code LogsDirectory=} and
 * {@code ConfigurationDirectory=}: systemd creates them, owned by the service's user (systemd 252 chowns
 * configuration directories too, seen in the lab), and bind-mounts each onto itself so that it stays writable
 * under {@code ProtectSystem=strict}.
 * With {@code DynamicUser=yes}, state, cache and logs directories live under {@code PREFIX/private/}, which is
 * covered by an empty read-only tmpfs that only shows the service's own directories.
 */
final class ExecDirectories {

    private ExecDirectories() {
    }

    static void add(ServiceSettings s, int uid, int gid, List<MountEntry> out) {
        for (MountRules.ExecDirectory d : MountRules.EXEC_DIRECTORIES) {
            List<String> names = ServiceSettings.words(s.unit(), d.key());
            if (names.isEmpty()) {
                continue;
            }
            int mode = Integer.parseInt(ServiceSettings.setting(s.unit(), d.modeKey(), "0755",
                    v -> v.matches("[0-7]{1,4}") ? v : null), 8);
            boolean isPrivate = s.dynamicUser() && d.privateForDynamicUser();
            String base = isPrivate ? d.prefix() + "/private" : d.prefix();
            if (isPrivate) {
                out.add(new MountEntry(base, MountMode.EMPTY_DIR, false, true, true, false, null,
                        "DynamicUser=yes", null, null, FileInfo.directory(0, 0, 0755)));
            }
            for (String word : names) {
                String name = word.split(":", 2)[0];
                String path = MountTable.clean(base + "/" + name);
                FileInfo dir = d.owned() ? FileInfo.directory(uid, gid, mode) : FileInfo.directory(0, 0, mode);
                out.add(new MountEntry(path, MountMode.BIND_MOUNT_RECURSIVE, false, false, false, false, path,
                        d.key() + "=" + name, null, null, dir));
            }
        }
    }

    /** For DynamicUser=yes, {@code /var/lib/NAME} is a symlink to {@code private/NAME}: the real path. */
    static String privatePath(ServiceSettings s, String path) {
        if (!s.dynamicUser()) {
            return path;
        }
        for (MountRules.ExecDirectory d : MountRules.EXEC_DIRECTORIES) {
            if (!d.privateForDynamicUser()) {
                continue;
            }
            for (String word : ServiceSettings.words(s.unit(), d.key())) {
                String link = MountTable.clean(d.prefix() + "/" + word.split(":", 2)[0]);
                if (MountTable.under(path, link)) {
                    return d.prefix() + "/private" + path.substring(d.prefix().length());
                }
            }
        }
        return path;
    }
}
