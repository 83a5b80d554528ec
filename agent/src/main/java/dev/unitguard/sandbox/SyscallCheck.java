package dev.unitguard.sandbox;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.SyscallFilter;
import dev.unitguard.unit.SystemdTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the manifest's system calls against SystemCallFilter= (the release's groups, merged as systemd does) and
 * SystemCallArchitectures=. A call the filter does not let through kills the service with SIGSYS (status=31/SYS),
 * unless SystemCallErrorNumber= makes it fail with an error instead; each denial names the smallest group that holds
 * the call, the one to allow.
 */
final class SyscallCheck {

    /** systemd's name for this machine's architecture in SystemCallArchitectures=. */
    private static final String NATIVE = SystemdTables.nativeArchitecture().equals("aarch64") ? "arm64" : "x86-64";

    private final EffectiveUnit unit;
    private final SystemdTables tables;
    private final Optional<SyscallFilter> filter;

    SyscallCheck(EffectiveUnit unit) {
        this.unit = unit;
        this.tables = SystemdTables.of(unit.systemd().modelled().model());
        this.filter = SyscallFilter.of(unit);
    }

    List<NeedVerdict> check(Set<String> syscalls) {
        List<NeedVerdict> verdicts = new ArrayList<>();
        architectures().ifPresent(verdicts::add);
        if (filter.isEmpty()) {
            verdicts.add(NeedVerdict.granted("syscalls", "makes " + syscalls.size()
                    + " system calls; no SystemCallFilter= restricts them"));
            return verdicts;
        }
        String shown = Directives.shown(unit, "SystemCallFilter");
        String outcome = ServiceSettings.setting(unit, "SystemCallErrorNumber", "kill", v -> v)
                .equals("kill") ? "kills the service with SIGSYS (status=31/SYS)"
                : "makes it fail with " + ServiceSettings.setting(unit, "SystemCallErrorNumber", "kill", v -> v)
                .toUpperCase(java.util.Locale.ROOT) + " (SystemCallErrorNumber=)";
        int denied = 0;
        for (String call : syscalls.stream().sorted().toList()) {
            if (tables.syscallNumber(call).isEmpty() || filter.get().allows(call)) {
                continue; // libseccomp knows no such call here: systemd cannot filter it
            }
            denied++;
            verdicts.add(NeedVerdict.denied("syscall " + call, shown, "makes the system call " + call + ", which "
                    + shown + " " + outcome + allowedBy(call)));
        }
        if (denied == 0) {
            verdicts.add(NeedVerdict.granted("syscalls", "makes " + syscalls.size() + " system calls; " + shown
                    + " lets every one through"));
        }
        return verdicts;
    }

    /** {@code ; @network-io allows it}: the smallest group holding the call, when one does. */
    String allowedBy(String call) {
        return groupFor(tables, call).map(g -> "; " + g + " allows it").orElse("");
    }

    /** The smallest group holding {@code call} other than {@code @known}; empty when none does. */
    static Optional<String> groupFor(SystemdTables tables, String call) {
        return tables.groupsWith(call).stream().filter(g -> !g.equals("@known")).findFirst();
    }

    /** A denial when SystemCallArchitectures= leaves out this machine's own architecture. */
    private Optional<NeedVerdict> architectures() {
        List<String> words = ServiceSettings.words(unit, "SystemCallArchitectures");
        if (words.isEmpty() || words.contains("native") || words.contains(NATIVE)) {
            return Optional.empty();
        }
        String shown = Directives.shown(unit, "SystemCallArchitectures");
        return Optional.of(NeedVerdict.denied("syscalls", shown, shown + " leaves out " + NATIVE + ", the "
                + "architecture of this machine's binaries: their every system call is killed with SIGSYS"));
    }
}
