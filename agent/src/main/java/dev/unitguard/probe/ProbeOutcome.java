package dev.unitguard.probe;

import dev.unitguard.systemd.ServiceProperties;
import dev.unitguard.systemd.TransientRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a finished probe: its exit state from systemd, the script's lines and systemd's messages from the journal. */
final class ProbeOutcome {

    private static final Map<Integer, String> CODES = Map.of(1, "exited", 2, "killed", 3, "dumped");

    private ProbeOutcome() {
    }

    static ProbeResult of(String name, TransientRun run, ProbeScript script, List<String> messages,
                          List<String> notSeen) {
        ServiceProperties service = run.unit().service().orElseThrow();
        Map<Integer, ProbeScript.Line> lines = new HashMap<>();
        boolean ended = false;
        for (String message : messages) {
            ProbeScript.parse(message).ifPresent(l -> lines.putIfAbsent(l.index(), l));
            ended |= message.strip().equals(ProbeScript.END);
        }
        String code = CODES.getOrDefault(service.execMainCode(), Integer.toString(service.execMainCode()));
        int status = service.execMainStatus();
        boolean ok = ended && status == 0 && code.equals("exited");
        String statusName = code.equals("exited") ? ExitStatuses.name(status) : "signal " + status;
        ProbeResult.Startup startup = new ProbeResult.Startup(ok, service.result(), code, status, statusName,
                ok ? null : explanation(messages).orElse(null));
        List<ProbeResult.Observation> observations = new ArrayList<>();
        if (ok) {
            List<ProbeScript.Item> items = script.items();
            for (int i = 0; i < items.size(); i++) {
                ProbeScript.Line line = lines.get(i);
                ProbeScript.Item item = items.get(i);
                observations.add(line == null
                        ? new ProbeResult.Observation(item.path(), item.access(), false, "no result printed")
                        : new ProbeResult.Observation(item.path(), item.access(), line.ok(), line.error()));
            }
        }
        return new ProbeResult(name, startup, observations, notSeen);
    }

    /** {@code result} with its start-up explained by {@code sigsys} ({@link Sigsys#message}) when there is one. */
    static ProbeResult withSigsys(ProbeResult result, Optional<String> sigsys) {
        if (sigsys.isEmpty()) {
            return result;
        }
        ProbeResult.Startup s = result.startup();
        return new ProbeResult(result.unit(), new ProbeResult.Startup(s.ok(), s.result(), s.code(), s.exitStatus(),
                s.exitStatusName(), sigsys.get()), result.requirements(), result.needs(), result.notSeen());
    }

    /** The journal line that explains a failed start: systemd's first message after "Started", if any. */
    static Optional<String> explanation(List<String> messages) {
        return messages.stream()
                .filter(m -> !m.startsWith("Started ") && !m.startsWith(ProbeScript.MARK) && !m.isBlank())
                .findFirst();
    }
}
