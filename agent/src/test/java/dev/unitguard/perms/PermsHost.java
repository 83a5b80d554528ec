package dev.unitguard.perms;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.host.HostBinds;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.UnitLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A root directory with real files, real owners and modes, and its own passwd and group files. */
final class PermsHost {

    static final int WWW_DATA = 33;
    static final int ALICE = 1001;

    final Path root;
    private HostBinds binds = HostBinds.NONE;

    PermsHost(Path root) {
        assumeTrue(isRoot(), "files owned by other users need chown: run the tests as root (CI does)");
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mode("/", 0755);
        file("/etc/passwd", 0, 0, 0644, """
                root:x:0:0:root:/root:/bin/sh
                www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
                alice:x:1001:1001::/home/alice:/bin/sh
                """);
        file("/etc/group", 0, 0, 0644, """
                root:x:0:
                www-data:x:33:
                alice:x:1001:
                ssl-cert:x:110:www-data
                """);
        dir("/usr/bin", 0, 0, 0755).file("/usr/bin/app", 0, 0, 0755, "#!/bin/sh\n");
        dir("/opt", 0, 0, 0755).dir("/var/lib", 0, 0, 0755).dir("/srv", 0, 0, 0755);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    PermsHost dir(String path, int uid, int gid, int mode) {
        try {
            Files.createDirectories(host(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chown(path, uid, gid).mode(path, mode);
    }

    PermsHost file(String path, int uid, int gid, int mode, String content) {
        try {
            Files.createDirectories(host(path).getParent());
            Files.writeString(host(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chown(path, uid, gid).mode(path, mode);
    }

    PermsHost symlink(String path, String target) {
        try {
            Files.createDirectories(host(path).getParent());
            Files.createSymbolicLink(host(path), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    PermsHost chown(String path, int uid, int gid) {
        try {
            Files.setAttribute(host(path), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(host(path), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    PermsHost mode(String path, int mode) {
        try {
            Files.setAttribute(host(path), "unix:mode", mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Runs setfacl on a file of the root; skips the test when the acl package is missing. */
    PermsHost setfacl(String path, String spec) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setfacl")), "setfacl is missing: install the acl package");
        run("setfacl", "-m", spec, host(path).toString());
        return this;
    }

    /** Owner, group and mode of a file of the root, not following a symlink: {@code 0:0:0644}. */
    String stat(String path) {
        try {
            Map<String, Object> a = Files.readAttributes(host(path), "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
            return a.get("uid") + ":" + a.get("gid") + ":" + String.format("%04o", (Integer) a.get("mode") & 07777);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HostView view() {
        return HostView.of(root).withBinds(binds);
    }

    /** Host paths under each source read from the same place under the destination (a path in this root). */
    PermsHost binds(String source, String destination) {
        binds = HostBinds.parse(source + ":" + host(destination));
        return this;
    }

    EffectiveUnit unit(String name, String text) {
        try {
            Path file = root.resolveSibling(name);
            Files.writeString(file, text);
            return UnitLoader.forRoot(root).loadFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Requirements manifest(String json) {
        try {
            return RequirementsManifest.parse(json, "requires.json");
        } catch (ManifestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The report; for requirements whose user and group the host knows (else the test is wrong). */
    PermissionReport check(EffectiveUnit unit, Requirements requirements) {
        try {
            return new PermissionChecker(view()).check(unit, requirements);
        } catch (dev.unitguard.sandbox.UnknownIdentity e) {
            throw new AssertionError("the test's host does not know it: " + e.getMessage(), e);
        }
    }

    static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> ids(PermissionReport report) {
        List<String> ids = new ArrayList<>();
        report.findings().forEach(f -> ids.add(f.id() + " " + f.severity() + " " + f.path()));
        return ids;
    }

    private Path host(String path) {
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }
}
