package dev.unitguard.apply;

import dev.unitguard.sandbox.Requirements;
import dev.unitguard.systemd.Journal;
import dev.unitguard.systemd.JournalEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A machine for engine tests: a root with app.service, a state directory, a fake systemd, a fixed clock. */
final class ApplyFixture {

    static final String UNIT = "app.service";
    static final Requirements NOTHING = new Requirements(Optional.empty(), Optional.empty(), List.of(), List.of());
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);
    static final Caller ALICE = Caller.of("uid:1000");

    final Path root;
    final Path state;
    final FakeSystemd systemd;
    final List<String> journalAsked = new ArrayList<>();
    Journal journal = (unit, invocation, since, newest) -> {
        journalAsked.add(unit + " since " + since);
        return List.of(JournalEntry.service("secret printed by ExecStartPre"),
                JournalEntry.systemd("app.service: Failed to set up mount namespacing: /missing: No such file or directory"),
                JournalEntry.systemd("app.service: Main process exited, code=exited, status=226/NAMESPACE"));
    };
    HealthChecker health = (unit, h, timeout) -> Optional.empty();
    /** The engine's dynamic check; none when null. */
    DynamicCheck dynamic;
    StepHook hook = StepHook.NONE;
    int retention = ApplySettings.DEFAULT_RETENTION;

    ApplyFixture(Path dir) {
        this.root = dir.resolve("root");
        this.state = dir.resolve("state");
        file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", "rw-r--r--");
        file("etc/group", "root:x:0:\n", "rw-r--r--");
        file("usr/bin/true", "#!/bin/sh\n", "rwxr-xr-x");
        for (String d : List.of("var/lib", "tmp", "root", "home", "dev", "proc", "sys", "run")) {
            dir(d);
        }
        file("etc/systemd/system/" + UNIT, "[Service]\nExecStart=/usr/bin/true\n", "rw-r--r--");
        this.systemd = new FakeSystemd(root).running(UNIT);
    }

    ApplyService service() {
        ApplyService.Builder builder = ApplyService.builder(systemd);
        if (dynamic != null) {
            builder.dynamicCheck(dynamic);
        }
        return builder
                .settings(ApplySettings.defaults().withRoot(root).withStateDirectory(state).withRetention(retention)
                        .withTiming(Duration.ofMillis(10), Duration.ofMillis(5)))
                .journal(new Journal() {
                    @Override
                    public List<JournalEntry> entries(String unit, String invocation, Instant since, int newest)
                            throws IOException {
                        return journal.entries(unit, invocation, since, newest);
                    }

                    @Override
                    public List<String> seccompRecords(Instant since) throws IOException {
                        return journal.seccompRecords(since);
                    }
                })
                .health((unit, h, t) -> health.check(unit, h, t))
                .clock(CLOCK)
                .unitVerifier(UnitVerifier.NONE)
                .stepHook(step -> hook.reached(step))
                .build();
    }

    static HardeningRequest hardening(Map<String, String> set, boolean force) {
        return new HardeningRequest(UNIT, HardeningRequest.single(set), NOTHING,
                Activation.restart(Health.NONE, Duration.ofSeconds(5)), force);
    }

    Path dropIn() {
        return root.resolve("etc/systemd/system/" + UNIT + ".d/50-unitguard.conf");
    }

    Optional<String> dropInText() {
        try {
            return new AtomicFiles(root.resolve("etc/systemd/system"), ChangeRunner.DIRECTORY_MODE, StepHook.NONE)
                    .read(dropIn());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under the root and the state directory whose name marks it as a temporary file. */
    List<Path> temporaries() {
        try (Stream<Path> a = Files.walk(root); Stream<Path> b = Files.exists(state) ? Files.walk(state)
                : Stream.empty()) {
            return Stream.concat(a, b).filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> journalFiles() {
        Path dir = state.resolve("journal");
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String dropInFor(Map<String, String> set) {
        StringBuilder text = new StringBuilder(DropInText.HEADER).append("[Service]\n");
        new java.util.TreeMap<>(set).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.toString();
    }

    void file(String path, String content, String mode) {
        try {
            Path p = root.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void dir(String path) {
        try {
            Files.createDirectories(root.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
