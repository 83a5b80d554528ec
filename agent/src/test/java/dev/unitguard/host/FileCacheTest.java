package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCacheTest {

    @TempDir
    Path root;

    private FileCache cache;

    @BeforeEach
    void open() {
        assumeTrue(FileWatch.system().isPresent() && MountTableWatch.system().isPresent(),
                "jnr-ffi cannot bind inotify or poll here: nothing is kept across requests");
        cache = FileCache.system().orElseThrow();
    }

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
        HostViews.forget(root);
    }

    /** A lookup that counts its calls; what it finds: whether the file exists, and its device. */
    private static Supplier<Optional<FileMemo.Looked>> counted(String path, AtomicInteger calls) {
        return () -> {
            calls.incrementAndGet();
            return lookedOf(path);
        };
    }

    private static Optional<FileMemo.Looked> lookedOf(String path) {
        return Files.exists(Path.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? Optional.of(new FileMemo.Looked(FileInfo.directory(0, 0, 0755),
                        new FileVersion(1, 0, java.nio.file.attribute.FileTime.fromMillis(0),
                                java.nio.file.attribute.FileTime.fromMillis(0)), devOf(path)))
                : Optional.empty();
    }

    private static long devOf(String path) {
        try {
            return ((Number) Files.getAttribute(Path.of(path), "unix:dev",
                    java.nio.file.LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void lstat_aWatchedFile_isLookedUpOnce_untilAnEventNamesIt() throws Exception {
        Path file = Files.writeString(root.resolve("f"), "x");
        AtomicInteger calls = new AtomicInteger();
        cache.validate();
        cache.lstat(file, counted(file.toString(), calls));
        cache.validate();
        cache.lstat(file, counted(file.toString(), calls));
        assertEquals(1, calls.get(), "kept while nothing changed");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        cache.lstat(file, counted(file.toString(), calls));
        assertEquals(1, calls.get(), "within one request the entry stands until the next validate()");
        cache.validate();
        cache.lstat(file, counted(file.toString(), calls));
        assertEquals(2, calls.get(), "the chmod's event dropped it");
    }

    @Test
    void lstat_procMountPointsAndPathsThroughSymlinks_areNeverKept() throws Exception {
        Files.createDirectories(root.resolve("real"));
        Files.writeString(root.resolve("real/f"), "x");
        Files.createSymbolicLink(root.resolve("link"), root.resolve("real"));
        AtomicInteger calls = new AtomicInteger();
        for (String path : new String[] {"/proc/self/status", "/proc", "/sys/kernel", root + "/link/f"}) {
            cache.lstat(Path.of(path), counted(path, calls));
        }
        assertEquals(0, cache.size(), "proc and sysfs are not watched, /proc is a mount point, link/f a symlink's");
        cache.lstat(root.resolve("real/f"), counted(root + "/real/f", calls));
        assertEquals(1, cache.size());
    }

    /**
     * The claim the cache rests on: inotify queues the event inside the system call that makes the change, so a
     * change made (by any thread) before a request starts is seen by that request, with no wait.
     */
    @Test
    void current_aChangeThatReturnedBeforeTheRequest_isSeenByIt_everyTime() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "");
        Files.writeString(root.resolve("etc/group"), "");
        Path file = Files.writeString(root.resolve("f"), "x");
        Thread.sleep(1100); // the account files settled: the view is kept
        HostViews.current(root).lstat("/f");
        assertTrue(HostViews.kept(root).files().orElseThrow().size() > 0, "the cache is in use");
        for (int i = 0; i < 300; i++) {
            int mode = i % 2 == 0 ? 0600 : 0644;
            Thread changer = new Thread(() -> {
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(
                            mode == 0600 ? "rw-------" : "rw-r--r--"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            changer.start();
            changer.join();
            assertEquals(mode, HostViews.current(root).lstat("/f").orElseThrow().mode(), "iteration " + i);
        }
    }
}
