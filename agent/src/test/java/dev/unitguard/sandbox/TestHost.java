package dev.unitguard.sandbox;

import dev.unitguard.host.HostView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A root directory with real files, real modes and its own passwd and group files. */
public final class TestHost {

    public static final int KANAKKU = 1000;
    static final int NOHOME = 1001;

    final Path root;
    private final Map<String, HostView.MountFlags> mounts = new HashMap<>();

    TestHost(Path root) {
        this.root = root;
        mode(root, 0755);
        file("/etc/passwd", 0644, """
                root:x:0:0:root:/root:/bin/sh
                kanakku:x:1000:1000::/home/kanakku:/bin/sh
                nohome:x:1001:1001::/home/nohome:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        file("/etc/group", 0644, """
                root:x:0:
                kanakku:x:1000:
                nohome:x:1001:
                ssl-cert:x:110:kanakku
                nogroup:x:65534:
                """);
    }

    /** The usual tree: /usr/bin/true, /etc/app.conf, /srv/app, /srv/secret (0700), /var/lib, /tmp, /root, /home. */
    public static TestHost standard(Path root) {
        return new TestHost(root)
                .dir("/bin", 0755).file("/bin/sh", 0755, "")
                .dir("/usr/bin", 0755).file("/usr/bin/true", 0755, "#!/bin/sh\n")
                .file("/etc/app.conf", 0644, "x=1\n")
                .dir("/srv/app", 0755).file("/srv/app/run.sh", 0755, "#!/bin/sh\n")
                .file("/srv/app/data.txt", 0644, "data\n")
                .dir("/srv/secret", 0700).file("/srv/secret/run.sh", 0755, "#!/bin/sh\n")
                .dir("/var/lib", 0755).dir("/var/tmp", 01777).dir("/tmp", 01777).dir("/root", 0700)
                .dir("/home", 0755).dir("/dev", 0755).dir("/proc", 0555).dir("/sys", 0555).dir("/run", 0755);
    }

    /** kanakku's files from the field reports: /var/lib/kanakku (0750) and the SSH key (0600), owned by kanakku. */
    public TestHost kanakku() {
        return dir("/var/lib/kanakku", 0750).chown("/var/lib/kanakku", KANAKKU, KANAKKU)
                .dir("/home/kanakku/.ssh", 0700).chown("/home/kanakku", KANAKKU, KANAKKU)
                .chown("/home/kanakku/.ssh", KANAKKU, KANAKKU)
                .file("/home/kanakku/.ssh/id_rsa", 0600, "-----BEGIN KEY-----\n")
                .chown("/home/kanakku/.ssh/id_rsa", KANAKKU, KANAKKU);
    }

    public static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/"), "unix:uid") == 0
                    && "root".equals(System.getProperty("user.name"));
        } catch (IOException e) {
            return false;
        }
    }

    public TestHost dir(String path, int mode) {
        Path p = host(path);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mode(p, mode);
    }

    public TestHost file(String path, int mode, String content) {
        Path p = host(path);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mode(p, mode);
    }

    TestHost symlink(String path, String target) {
        try {
            Files.createDirectories(host(path).getParent());
            Files.createSymbolicLink(host(path), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Changes the owner; only root may do that, so callers assume {@link #isRoot()}. */
    public TestHost chown(String path, int uid, int gid) {
        try {
            Files.setAttribute(host(path), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(host(path), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    TestHost mount(String path, boolean readOnly, boolean noexec) {
        mounts.put(path, new HostView.MountFlags(readOnly, noexec));
        return this;
    }

    public HostView view() {
        return HostView.of(root, mounts);
    }

    private Path host(String path) {
        return root.resolve(path.substring(1));
    }

    private TestHost mode(Path p, int mode) {
        try {
            Files.setPosixFilePermissions(p, permissions(mode));
            if ((mode & 07000) != 0) {
                Files.setAttribute(p, "unix:mode", mode);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }
}
