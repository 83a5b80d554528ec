package dev.unitguard.perms;

import java.util.ArrayList;
import java.util.List;

/** The systemd-native ways to give a service a file it writes, instead of a chown done by hand. */
final class Alternatives {

    /** Directories systemd creates and owns for a service, by prefix. */
    private static final List<String[]> EXEC_DIRECTORIES = List.of(new String[] {"/var/lib", "StateDirectory"},
            new String[] {"/var/cache", "CacheDirectory"}, new String[] {"/var/log", "LogsDirectory"},
            new String[] {"/run", "RuntimeDirectory"});

    private Alternatives() {
    }

    /** For a path the service writes: the exec directory setting, and a tmpfiles.d line keeping {@code after}. */
    static List<String> forWrite(Context c, String path, boolean directory, FileState after) {
        List<String> out = new ArrayList<>();
        out.add(execDirectory(c, path));
        if (after != null && !c.identity().dynamicUser()) {
            out.add("tmpfiles.d line: " + (directory ? "d " : "z ") + Change.quote(path) + " " + after.mode() + " "
                    + after.owner() + " " + after.group() + " -");
        }
        return out;
    }

    private static String execDirectory(Context c, String path) {
        for (String[] d : EXEC_DIRECTORIES) {
            if (path.startsWith(d[0] + "/")) {
                String name = path.substring(d[0].length() + 1).split("/")[0];
                return d[1] + "=" + name + " in [Service]: systemd creates " + d[0] + "/" + name
                        + " owned by the service's user at every start";
            }
        }
        String base = c.baseName();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return "StateDirectory=" + base + " in [Service], with " + name + " kept in /var/lib/" + base
                + "/: systemd creates that directory owned by the service's user at every start";
    }
}
