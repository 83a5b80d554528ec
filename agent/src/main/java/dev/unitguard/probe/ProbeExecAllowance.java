package dev.unitguard.probe;

import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.ExecInterpreter;
import dev.unitguard.unit.EffectiveUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the probe adds to {@code ExecPaths=} for itself so that its own shell can run under a unit that forbids exec
 * ({@code NoExecPaths=/} with {@code ExecPaths=} naming only the service's binary, as Debian's redis unit does):
 * the programs of {@link ProbeScript#PROGRAMS} as their real paths, the dynamic loader they name
 * ({@code PT_INTERP}) and the directory that holds it, where the C library they load sits beside it on every
 * glibc system. Added only when the unit has {@code NoExecPaths=}; without it nothing stops the shell. The price:
 * an {@code x} test of one of these paths says what the probe was allowed, not what the service would be.
 */
final class ProbeExecAllowance {

    private ProbeExecAllowance() {
    }

    /** The paths to add to {@code ExecPaths=}, empty when the unit sets no {@code NoExecPaths=}. */
    static List<String> of(EffectiveUnit unit, HostView host) {
        if (ProbeProperties.words(unit, "NoExecPaths").isEmpty()) {
            return List.of();
        }
        Set<String> paths = new LinkedHashSet<>();
        for (String program : ProbeScript.PROGRAMS) {
            String real = host.resolve(program);
            if (host.lstat(real).isEmpty()) {
                continue;
            }
            paths.add(real);
            Optional<String> interpreter = ExecInterpreter.of(host.hostPath(real)).map(host::resolve)
                    .filter(p -> host.lstat(p).isPresent());
            interpreter.ifPresent(loader -> {
                paths.add(loader);
                paths.add(HostView.parent(loader));
            });
        }
        return List.copyOf(paths);
    }

    /** The probe result's note about what the allowance hides. */
    static String notSeen(List<String> paths) {
        return "exec of " + String.join(", ", paths) + ": allowed for the probe's own shell (ExecPaths=) under the "
                + "unit's NoExecPaths=; an x test there does not show the unit's noexec";
    }
}
