package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.testing.RandomText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostViewsTest {

    @TempDir
    Path root;

    private void passwd(String text) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), text);
    }

    @Test
    void current_keepsTheViewWhileAccountFilesStay_readsThemAgainWhenOneChanges() throws Exception {
        passwd("alice:x:1000:1000::/home/alice:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "alice:x:1000:\n");
        assertEquals(1000, HostViews.current(root).user("alice").orElseThrow().uid());
        assertNull(HostViews.kept(root), "changed in the last second: not kept");
        Thread.sleep(1100);
        HostViews.current(root);
        HostView kept = HostViews.kept(root);
        assertNotNull(kept);
        HostViews.current(root);
        assertSame(kept, HostViews.kept(root));
        // as useradd does: a new file renamed over the old one
        Path next = Files.writeString(root.resolve("etc/passwd+"), "alice:x:1001:1000::/home/alice:/bin/sh\n");
        Files.move(next, root.resolve("etc/passwd"), StandardCopyOption.ATOMIC_MOVE);
        assertEquals(1001, HostViews.current(root).user("alice").orElseThrow().uid());
    }

    /** The root's file cache outlives its views: a passwd change builds a new view, not a new inotify instance. */
    @Test
    void current_passwdChanged_newViewThroughTheSameInotifyInstance() throws Exception {
        assumeTrue(FileWatch.system().isPresent() && MountTableWatch.system().isPresent(),
                "jnr-ffi cannot bind inotify or poll here: nothing is kept across requests");
        passwd("alice:x:1000:1000::/home/alice:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "alice:x:1000:\n");
        Files.createDirectories(root.resolve("srv"));
        Thread.sleep(1100);
        HostViews.forget(root);
        assertEquals(1000, HostViews.current(root).user("alice").orElseThrow().uid());
        HostView first = HostViews.kept(root);
        assertNotNull(first);
        FileCache files = first.files().orElseThrow();
        long inotify = inotifyInstances();
        for (int uid = 1001; uid <= 1002; uid++) {
            Path next = Files.writeString(root.resolve("etc/passwd+"), "alice:x:" + uid + ":1000::/home/alice:/bin/sh\n");
            Files.move(next, root.resolve("etc/passwd"), StandardCopyOption.ATOMIC_MOVE);
            if (uid == 1002) {
                Thread.sleep(1100); // settled: the new view is kept (the first time it was not)
            }
            HostView view = HostViews.current(root);
            assertEquals(uid, view.user("alice").orElseThrow().uid());
            assertTrue(view.stat("/srv").orElseThrow().isDirectory());
            assertEquals(inotify, inotifyInstances(), "no inotify instance opened for the new view");
        }
        HostView kept = HostViews.kept(root);
        assertNotNull(kept);
        assertNotSame(first, kept);
        assertSame(files, kept.files().orElseThrow(), "the root's cache, not a view's");
        HostViews.forget(root);
        assertEquals(inotify - 1, inotifyInstances(), "forgetting the root closes its instance");
    }

    /** The inotify instances this process holds: its descriptors that link to {@code anon_inode:inotify}. */
    private static long inotifyInstances() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify");
                } catch (IOException e) {
                    return false; // the descriptor of the listing itself, closed by now
                }
            }).count();
        }
    }

    @Test
    void current_handsOutAFreshSnapshotEachCall_aSnapshotLooksUpEachPathOnce() throws IOException {
        passwd("");
        HostView first = HostViews.current(root);
        assertEquals(Optional.empty(), first.stat("/srv/data"));
        Files.createDirectories(root.resolve("srv/data"));
        assertEquals(Optional.empty(), first.stat("/srv/data"), "one snapshot, one answer per path");
        HostView second = HostViews.current(root);
        assertNotSame(first, second);
        assertTrue(second.stat("/srv/data").orElseThrow().isDirectory());
        assertSame(second, second.snapshot());
    }

    @Test
    void lstat_keptAcl_isReadAgainWhenTheFileChanges_andEachTimeWhileItIsFresh() throws Exception {
        Path file = Files.writeString(root.resolve("f"), "x");
        AtomicInteger reads = new AtomicInteger();
        HostView view = HostView.of(root, Map.of()).withAcls(p -> {
            reads.incrementAndGet();
            return List.of();
        });
        view.lstat("/f");
        view.lstat("/f");
        assertEquals(2, reads.get(), "changed in the last second: read each time");
        Thread.sleep(1100);
        view.lstat("/f");
        view.snapshot().lstat("/f");
        view.lstat("/f");
        assertEquals(3, reads.get(), "unchanged file: its ACL is read once for the view and its snapshots");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------")); // a new ctime
        view.lstat("/f");
        assertEquals(4, reads.get(), "chmod changes the ctime: the ACL is read again");
    }

    @Test
    void components_sameAsSplittingOnRunsOfSlashes() {
        Random random = new Random(11);
        String alphabet = "/ab.";
        for (int i = 0; i < 20_000; i++) {
            String path = RandomText.of(random, alphabet, random.nextInt(12));
            String trimmed = path.replaceAll("^/+", "");
            String[] expected = trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
            assertArrayEquals(expected, Dac.components(path), path);
        }
    }

    /** The host's view takes its mount flags from the mountinfo bytes it is given: the bytes HostViews stamps. */
    @Test
    void of_hostRootWithMountInfoBytes_flagsOfTheTopMountEscapesUndone() {
        String mountInfo = """
                22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
                30 22 0:5 / /proc rw,nosuid - proc proc rw
                40 22 0:40 / /srv/a\\040b ro,noexec - tmpfs tmpfs rw
                41 40 0:41 / /srv/a\\040b rw - tmpfs tmpfs rw
                """;
        HostView view = HostView.of(Path.of("/"), mountInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertEquals("/srv/a b", view.mountPointOf("/srv/a b/x"));
        assertEquals(new HostView.MountFlags(false, false, "tmpfs"), view.mountFlags("/srv/a b/x"));
        assertTrue(view.mountFlags("/proc/1").kernelFileSystem());
        assertEquals(new HostView.MountFlags(false, false, "ext4"), view.mountFlags("/etc"));
    }

    @Test
    void current_host_readsTheMountTableAgainOnlyWhenItsWatchIsMarked() {
        Path host = Path.of("/");
        AtomicInteger opens = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        boolean[] marked = {false};
        MountTableWatch watches = file -> {
            opens.incrementAndGet();
            return new MountTableWatch.Watch() {
                @Override
                public boolean changed() {
                    return marked[0];
                }

                @Override
                public void close() {
                    closes.incrementAndGet();
                }
            };
        };
        HostViews.forget(host);
        HostViews.current(host, Optional.of(watches));
        HostView kept = HostViews.kept(host);
        assumeTrue(kept != null, "the host's account files changed in the last second: nothing kept");
        assertEquals(1, opens.get());
        HostViews.current(host, Optional.of(watches));
        assertEquals(1, opens.get(), "not marked: the table is provably the same, not read");
        assertSame(kept, HostViews.kept(host));
        marked[0] = true;
        HostViews.current(host, Optional.of(watches));
        assertEquals(2, opens.get(), "marked: read again, through a new watch opened first");
        assertEquals(1, closes.get(), "the old watch is closed");
        assertSame(kept, HostViews.kept(host), "the same table: the same view");
        HostViews.forget(host);
        assertEquals(2, closes.get());
    }
}
