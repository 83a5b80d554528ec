package dev.unitguard.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.apply.SystemdPort;
import dev.unitguard.apply.UnitState;
import dev.unitguard.systemd.JobResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which drop-ins the recovery takes as the agent's own (exact name, marker, root's and writable by root alone, no
 * link) and what it asks of systemd: one reload, a restart of those that run. Ownership is the test user's: the
 * cases that need root-owned files run only as root (as the build here does).
 */
class TraceRecoveryTest {

    @TempDir
    Path tmp;

    /** Records the calls; units not in {@code states} are inactive. */
    private static final class Recording implements SystemdPort {
        final List<String> calls = new ArrayList<>();
        final Map<String, String> states;

        Recording(Map<String, String> states) {
            this.states = states;
        }

        @Override
        public void reload() {
            calls.add("reload");
        }

        @Override
        public UnitState state(String unit) {
            return new UnitState("loaded", states.getOrDefault(unit, "inactive"), "", "", 0, 0, "", 0, "");
        }

        @Override
        public JobResult restart(String unit, Duration timeout) {
            calls.add("restart " + unit);
            return JobResult.DONE;
        }

        @Override
        public JobResult stop(String unit, Duration timeout) {
            throw new AssertionError("stop " + unit);
        }

        @Override
        public void resetFailed(String unit) {
            throw new AssertionError();
        }

        @Override
        public void enable(String unit) {
            throw new AssertionError();
        }

        @Override
        public void disable(String unit) {
            throw new AssertionError();
        }
    }

    private Path dropIn(String unit, String text, String mode) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run/" + unit + ".d"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve(TraceDropIn.NAME);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String ours(String unit) {
        return TraceDropIn.MARKER + unit + " runs under strace\n[Service]\nExecStart=\n";
    }

    @Test
    void recover_ownDropInsRemovedReloadedOnceRunningOnesRestarted_othersLeftAlone() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root-owned files (the build runs as root)");
        Path nginx = dropIn("nginx.service", ours("nginx.service"), "rw-r--r--");
        Path redis = dropIn("redis.service", ours("redis.service"), "rw-r--r--");
        Path foreign = dropIn("ssh.service", "[Service]\nExecStart=\n", "rw-r--r--");
        Path writable = dropIn("cron.service", ours("cron.service"), "rw-rw-rw-");
        Path other = tmp.resolve("run/nginx.service.d/50-mine.conf");
        Files.writeString(other, ours("nginx.service"));
        Path trace = Files.createDirectories(tmp.resolve("learn/trace-nginx-0123"));
        Files.writeString(trace.resolve("ExecStart-0"), "1 read(3, \"\", 0) = 0\n");
        Recording systemd = new Recording(Map.of("nginx.service", "active", "cron.service", "active"));

        List<TraceRecovery.Recovered> recovered = TraceRecovery.recover(systemd, tmp.resolve("run"),
                tmp.resolve("learn"), Duration.ofSeconds(1));

        assertEquals(List.of("nginx.service: trace drop-in removed, restarted without the tracer",
                "redis.service: trace drop-in removed, not running (inactive): its next start is as configured"),
                recovered.stream().map(TraceRecovery.Recovered::toString).toList());
        assertEquals(List.of("reload", "restart nginx.service"), systemd.calls);
        assertFalse(Files.exists(nginx, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(redis, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(foreign) && Files.exists(writable) && Files.exists(other), "others left alone");
        assertFalse(Files.exists(trace, LinkOption.NOFOLLOW_LINKS), "the leftover trace removed");
    }

    @Test
    void recover_linksAreNeverFollowed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root-owned files (the build runs as root)");
        Path real = dropIn("real.service", ours("real.service"), "rw-r--r--");
        Files.createDirectories(tmp.resolve("run/linked.service.d"));
        Files.createSymbolicLink(tmp.resolve("run/linked.service.d/" + TraceDropIn.NAME), real);
        Files.createSymbolicLink(tmp.resolve("run/dirlink.service.d"), real.getParent());
        Files.delete(real);
        Path target = Files.writeString(tmp.resolve("elsewhere.conf"), ours("x.service"));
        Files.delete(tmp.resolve("run/linked.service.d/" + TraceDropIn.NAME));
        Files.createSymbolicLink(tmp.resolve("run/linked.service.d/" + TraceDropIn.NAME), target);
        Recording systemd = new Recording(Map.of());

        assertEquals(List.of(), TraceRecovery.recover(systemd, tmp.resolve("run"), tmp.resolve("learn"),
                Duration.ofSeconds(1)));
        assertEquals(List.of(), systemd.calls, "nothing removed, no reload");
        assertTrue(Files.exists(target));
    }

    @Test
    void recover_nothingThere_noCallToSystemd() {
        Recording systemd = new Recording(Map.of());
        assertEquals(List.of(), TraceRecovery.recover(systemd, tmp.resolve("absent"), tmp.resolve("absent-too"),
                Duration.ofSeconds(1)));
        assertEquals(List.of(), systemd.calls);
    }
}
