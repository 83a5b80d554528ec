package dev.unitguard.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookups a kept view answers from its {@link FileCache} against a new view's, which stats every path: random
 * trees, mutated between checks (chmod, chown, an ACL, a write, utimes, a rename, a file or directory replaced by a
 * symlink, rm -r, a hard link changed through its other name, and in a mount namespace of its own a tmpfs mounted over
 * a directory and unmounted). After every mutation, with no wait, every path (present, gone, through symlinks) must
 * read the same through both. A view that skips the start-of-request check must not, or the test proves nothing.
 */
class FileCacheDifferentialTest {

    private static final int ROUNDS = 150;

    @TempDir
    Path root;

    @AfterEach
    void forget() {
        HostViews.forget(root);
    }

    @Test
    void keptLookups_equalFreshLookups_afterEveryMutation() throws Exception {
        assumeTrue(FileWatch.system().isPresent() && MountTableWatch.system().isPresent(),
                "jnr-ffi cannot bind inotify or poll here: nothing is kept across requests");
        for (long seed = 1; seed <= 3; seed++) {
            Run run = new Run(root.resolve("seed" + seed), new Random(seed), false);
            List<String> problems = run.rounds(ROUNDS);
            assertEquals(List.of(), problems, "seed " + seed);
            assertTrue(run.keptMost > 20, "the cache was used: at most " + run.keptMost + " lookups kept");
            HostViews.forget(run.root);
        }
    }

    @Test
    void keptLookups_withoutTheCheckAtRequestStart_goStale() throws Exception {
        assumeTrue(FileWatch.system().isPresent() && MountTableWatch.system().isPresent(),
                "jnr-ffi cannot bind inotify or poll here: nothing is kept across requests");
        Run run = new Run(root.resolve("stale"), new Random(7), false);
        run.stale = true;
        List<String> problems = run.rounds(60);
        assertTrue(problems.size() > 10, "a cache never brought up to date must disagree: " + problems.size());
        HostViews.forget(run.root);
    }

    /** The same in a mount namespace of its own, where a tmpfs is mounted over a directory and unmounted. */
    @Test
    void keptLookups_equalFreshLookups_acrossMountsInAPrivateNamespace() throws Exception {
        assumeTrue(FileWatch.system().isPresent() && MountTableWatch.system().isPresent(),
                "jnr-ffi cannot bind inotify or poll here: nothing is kept across requests");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare(1) is missing (util-linux)");
        assumeTrue("root".equals(System.getProperty("user.name")), "a mount namespace of its own needs root");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder("/usr/bin/unshare", "--mount", "--propagation", "private",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
                Main.class.getName(), root.resolve("ns").toString(), "11", String.valueOf(ROUNDS))
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finished");
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains(" mounts ") && !out.contains(" mounts 0 "), "tmpfs were mounted: " + out);
    }

    /** The differential run in this process's mount namespace, mounts included: {@code ROOT SEED ROUNDS}. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            Run run = new Run(Path.of(args[0]), new Random(Long.parseLong(args[1])), true);
            List<String> problems = run.rounds(Integer.parseInt(args[2]));
            System.out.println("problems " + problems.size() + " mounts " + run.mounts + " kept " + run.keptMost
                    + " " + problems);
            System.exit(problems.isEmpty() && run.keptMost > 20 ? 0 : 1);
        }
    }

    /** One random tree under {@code root/t} and its mutations. */
    static final class Run {
        private static final List<String> NAMES = List.of("a", "b", "c", "d");
        final Path root;
        private final Random random;
        private final boolean mountsToo;
        /** Every logical path that ever existed (so that gone ones are asked about too). */
        private final Set<String> asked = new TreeSet<>();
        private final List<Path> mounted = new ArrayList<>();
        boolean stale;
        int mounts;
        int keptMost;

        Run(Path root, Random random, boolean mountsToo) {
            this.root = root;
            this.random = random;
            this.mountsToo = mountsToo;
        }

        List<String> rounds(int count) throws Exception {
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
            Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
            grow(root.resolve("t"), 3);
            Thread.sleep(1100); // the account files settled: HostViews keeps the view
            List<String> problems = new ArrayList<>();
            try {
                for (int round = 0; round < count; round++) {
                    String mutation = round == 0 ? "none" : mutate();
                    if (mountsToo) {
                        System.out.println(mutation);
                    }
                    // stale: the kept view as it is, never brought up to date at the start of a request
                    HostView kept = stale && round > 0 ? HostViews.kept(root).snapshot() : HostViews.current(root);
                    HostView fresh = HostView.of(root).snapshot();
                    for (String path : paths()) {
                        String want = describe(fresh, path);
                        String got = describe(kept, path);
                        if (!want.equals(got)) {
                            problems.add("round " + round + " after " + mutation + ": " + path + ": kept " + got
                                    + ", fresh " + want);
                        }
                    }
                    keptMost = Math.max(keptMost, HostViews.kept(root).files().map(FileCache::size).orElse(0));
                }
            } finally {
                for (Path m : mounted) {
                    run("umount", "-l", m.toString());
                }
            }
            return problems;
        }

        private static String describe(HostView view, String path) {
            return view.resolve(path) + " stat=" + view.stat(path) + " lstat=" + view.lstat(path) + " version="
                    + view.version(path) + " link=" + view.readLink(path);
        }

        private Set<String> paths() throws IOException {
            try (Stream<Path> walk = Files.walk(root.resolve("t"))) {
                walk.forEach(p -> asked.add("/" + root.relativize(p)));
            }
            Set<String> all = new TreeSet<>(asked);
            for (String p : asked) {
                all.add(p + "/a"); // through a symlink, or under a file: as a check asks
            }
            return all;
        }

        private void grow(Path dir, int depth) throws IOException {
            Files.createDirectories(dir);
            for (String name : NAMES) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                Path p = dir.resolve(name);
                if (depth > 0 && random.nextBoolean()) {
                    grow(p, depth - 1);
                } else {
                    Files.writeString(p, "#!/bin/sh\n");
                }
            }
        }

        /** A random path under {@code t} (never {@code t}: the tree grows anew when it is empty). */
        private Path pick() throws IOException {
            for (int i = 0; ; i++) {
                List<Path> all;
                try (Stream<Path> walk = Files.walk(root.resolve("t"))) {
                    all = walk.skip(1).toList();
                }
                if (!all.isEmpty()) {
                    return all.get(random.nextInt(all.size()));
                }
                grow(root.resolve("t"), 2);
            }
        }

        private Path pickDirectory() throws IOException {
            for (int i = 0; i < 20; i++) {
                Path p = pick();
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return p;
                }
            }
            return root.resolve("t"); // a mount over the whole tree, at worst
        }

        private String mutate() throws Exception {
            Path p = pick();
            String rel = "/" + root.relativize(p);
            int kinds = mountsToo ? 13 : 11;
            int kind = random.nextInt(kinds);
            try {
                switch (kind) {
                    case 0 -> Files.setPosixFilePermissions(p, random.nextBoolean()
                            ? Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                            : Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE,
                                    PosixFilePermission.OTHERS_READ));
                    case 1 -> Files.setAttribute(p, "unix:uid", random.nextInt(3) * 1000,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    case 2 -> run("setfacl", "-m", "u:" + (1000 + random.nextInt(3)) + ":rx", p.toString());
                    case 3 -> Files.writeString(p, "more\n", java.nio.file.StandardOpenOption.APPEND);
                    case 4 -> Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(
                            random.nextInt(1_000_000) * 1000L));
                    case 5 -> Files.move(p, pick().resolveSibling(NAMES.get(random.nextInt(NAMES.size()))),
                            StandardCopyOption.REPLACE_EXISTING);
                    case 6 -> {
                        delete(p);
                        Files.createSymbolicLink(p, random.nextBoolean() ? Path.of("/t") : Path.of(".."));
                    }
                    case 7 -> delete(p);
                    case 8 -> grow(pickDirectory().resolve(NAMES.get(random.nextInt(NAMES.size()))), 1);
                    case 9 -> {
                        Path other = root.resolve("t/link" + random.nextInt(2));
                        Files.deleteIfExists(other);
                        Files.createLink(other, p);
                        Files.setPosixFilePermissions(other, Set.of(PosixFilePermission.OWNER_READ));
                        return "hard link " + other + " to " + rel + ", chmod through it";
                    }
                    case 10 -> {
                        Path target = pickDirectory().resolve(NAMES.get(random.nextInt(NAMES.size())));
                        Path next = target.resolveSibling("next");
                        Files.writeString(next, "x");
                        Files.move(next, target, StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.ATOMIC_MOVE);
                        return "rename over " + target;
                    }
                    case 11 -> {
                        Path dir = pickDirectory();
                        if (run("mount", "-t", "tmpfs", "-o", "mode=0710", "ugcache", dir.toString())) {
                            mounted.add(dir);
                            mounts++;
                            Files.writeString(dir.resolve("a"), "on tmpfs\n");
                        }
                        return "mount tmpfs on " + dir;
                    }
                    default -> {
                        if (!mounted.isEmpty()) {
                            Path dir = mounted.remove(mounted.size() - 1);
                            run("umount", dir.toString());
                            return "umount " + dir;
                        }
                    }
                }
            } catch (IOException e) {
                return "mutation " + kind + " failed on " + rel + ": " + e;
            }
            return "mutation " + kind + " on " + rel;
        }

        private static void delete(Path p) throws IOException {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(q);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
        }

        private static boolean run(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        }
    }
}
