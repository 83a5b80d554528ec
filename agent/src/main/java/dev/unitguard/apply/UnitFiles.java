package dev.unitguard.apply;

import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.UnitName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/**
 * Unit files under /etc/systemd/system: install, replace and remove through the same atomic, journaled change as
 * drop-ins, after the core parser (load errors refuse; warnings do not) and {@code systemd-analyze verify}; enable
 * and disable through systemd.
 */
final class UnitFiles {

    private final ApplySettings settings;
    private final SystemdPort systemd;
    private final History history;
    private final ChangeRunner runner;
    private final UnitVerifier verifier;
    private final Clock clock;

    UnitFiles(ApplySettings settings, SystemdPort systemd, History history, ChangeRunner runner,
              UnitVerifier verifier, Clock clock) {
        this.settings = settings;
        this.systemd = systemd;
        this.history = history;
        this.runner = runner;
        this.verifier = verifier;
        this.clock = clock;
    }

    ApplyResult change(String unit, UnitFileRequest request, Caller caller)
            throws IOException, SystemdPort.SystemdFailure {
        Path target = settings.unitDirectory().resolve(unit);
        Operation operation = request.content().isPresent() ? Operation.INSTALL_UNIT_FILE
                : Operation.REMOVE_UNIT_FILE;
        if (runner.read(target).equals(request.content())) {
            return new ApplyResult.Unchanged(unit, target.toString());
        }
        if (request.content().isPresent()) {
            List<String> problems = problems(unit, request.content().get());
            if (!problems.isEmpty()) {
                return new ApplyResult.Refused(unit, problems, null, null, null);
            }
        }
        return runner.run(new Change(unit, operation, target, request.content(), request.activation().restart(),
                request.activation().health(), request.activation().timeout()), caller);
    }

    private List<String> problems(String unit, String content) throws IOException {
        try {
            UnitFile.parse(Path.of(unit), content, UnitName.parse(unit).type());
        } catch (UnitFileException e) {
            return List.of(e.getMessage());
        }
        Path dir = Files.createTempDirectory("unitguard-verify-");
        try {
            Path file = dir.resolve(unit);
            Files.writeString(file, content);
            return verifier.verify(file).stream().map(l -> l.replace(file.toString(), unit)).toList();
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    ApplyResult enablement(String unit, boolean enable, String principal)
            throws IOException, SystemdPort.SystemdFailure {
        String before = systemd.state(unit).unitFileState();
        boolean already = enable ? before.equals("enabled") : before.equals("disabled");
        String what = "unit file state " + before;
        if (already) {
            return new ApplyResult.Unchanged(unit, what);
        }
        if (enable) {
            systemd.enable(unit);
        } else {
            systemd.disable(unit);
        }
        systemd.reload();
        UnitState after = systemd.state(unit);
        HistoryEntry entry = history.append(unit, clock.instant(), principal,
                enable ? Operation.ENABLE : Operation.DISABLE, "unit file state", before, after.unitFileState(),
                Outcome.APPLIED, null, null);
        return new ApplyResult.Applied(unit, "unit file state", entry.id(), false, after.invocationId());
    }
}
