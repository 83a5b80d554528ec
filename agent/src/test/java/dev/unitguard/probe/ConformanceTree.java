package dev.unitguard.probe;

import dev.unitguard.lab.Lab;
import java.util.List;

/**
 * The files the conformance cases look at, made inside the lab once: owners and modes that make file permissions
 * matter for a non-root User=, a group shared through SupplementaryGroups=, nested directories for overlapping
 * path lists, home directories, files in /tmp and /var/tmp (hidden by PrivateTmp=), and paths that do not exist.
 */
final class ConformanceTree {

    static final String USER = "ugapp";
    static final String OTHER = "ugother";
    static final String SHARED = "ugshared";

    private static final String SCRIPT = """
            set -e
            useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ugapp
            useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ugother
            groupadd --system ugshared
            usermod -a -G ugshared ugother
            mk() { mkdir -p "$1"; chown "$2" "$1"; chmod "$3" "$1"; }
            f() { mkdir -p "$(dirname "$1")"; printf 'data\\n' > "$1"; chown "$2" "$1"; chmod "$3" "$1"; }
            mk /srv/ug root:root 0755
            f /srv/ug/pub.txt root:root 0644
            f /srv/ug/secret.txt root:root 0600
            f /srv/ug/app.txt ugapp:ugapp 0600
            f /srv/ug/grp.txt root:ugshared 0660
            f /srv/ug/world.txt root:root 0666
            f /srv/ug/run.sh root:root 0755
            f /srv/ug/plain.sh root:root 0644
            f /srv/ug/app.sh ugapp:ugapp 0700
            mk /srv/ug/appdir ugapp:ugapp 0700
            f /srv/ug/appdir/data ugapp:ugapp 0644
            mk /srv/ug/opendir root:root 1777
            mk /srv/ug/grpdir root:ugshared 0770
            mk /srv/ug/sub root:root 0755
            f /srv/ug/sub/s.txt root:root 0666
            mk /srv/ug/sub/inner root:root 0777
            f /srv/ug/sub/inner/i.txt ugapp:ugapp 0644
            mk /home/ugapp ugapp:ugapp 0755
            mk /home/ugapp/.ssh ugapp:ugapp 0700
            f /home/ugapp/.ssh/id_rsa ugapp:ugapp 0600
            f /home/ugapp/notes.txt ugapp:ugapp 0666
            f /root/r.txt root:root 0644
            mk /var/lib/ugdata ugapp:ugapp 0755
            f /var/lib/ugdata/db ugapp:ugapp 0644
            f /etc/ug.conf root:root 0644
            f /etc/ug-secret.conf root:ugshared 0640
            f /tmp/ug-tmp.txt root:root 0666
            f /var/tmp/ug-vartmp.txt root:root 0666
            f /run/ug-run.txt root:root 0666
            mk /opt/ugbin root:root 0755
            f /opt/ugbin/tool root:root 0755
            """;

    /** Directories used in path lists, binds and TemporaryFileSystem=; the last ones do not exist. */
    static final List<String> LIST_PATHS = List.of("/srv/ug", "/srv/ug/sub", "/srv/ug/sub/inner", "/srv/ug/appdir",
            "/srv/ug/opendir", "/etc", "/var/lib/ugdata", "/home", "/home/ugapp", "/home/ugapp/.ssh", "/tmp",
            "/var/tmp", "/run", "/opt/ugbin", "/root", "/srv/ug/pub.txt", "/srv/ug/missing-dir",
            "/var/lib/ug-missing");
    static final int MISSING_LIST_PATHS = 2;

    /** Paths the requirements name. */
    static final List<String> REQUIRED_PATHS = List.of("/srv/ug/pub.txt", "/srv/ug/secret.txt", "/srv/ug/app.txt",
            "/srv/ug/grp.txt", "/srv/ug/world.txt", "/srv/ug/run.sh", "/srv/ug/plain.sh", "/srv/ug/app.sh",
            "/srv/ug/appdir", "/srv/ug/appdir/data", "/srv/ug/opendir", "/srv/ug/grpdir", "/srv/ug/sub",
            "/srv/ug/sub/s.txt", "/srv/ug/sub/inner", "/srv/ug/sub/inner/i.txt", "/srv/ug/sub/inner/new.txt",
            "/srv/ug/new.txt", "/srv/ug/missing-dir/x", "/home/ugapp/.ssh/id_rsa", "/home/ugapp/notes.txt",
            "/home/ugapp", "/root/r.txt", "/var/lib/ugdata", "/var/lib/ugdata/db", "/var/lib/ugdata/new.db",
            "/etc/ug.conf", "/etc/ug-secret.conf", "/etc/new.conf", "/tmp/ug-tmp.txt", "/tmp", "/var/tmp/ug-vartmp.txt",
            "/run/ug-run.txt", "/run", "/opt/ugbin/tool", "/usr/bin/true", "/usr/lib/os-release",
            "/proc/sys/kernel/hostname", "/sys/fs/cgroup", "/sys/kernel");

    static final List<String> DEVICES = List.of("/dev/null", "/dev/zero", "/dev/net/tun");

    private ConformanceTree() {
    }

    static void create(Lab lab) {
        lab.exec("sh", "-c", SCRIPT).requireSuccess();
    }
}
