package dev.unitguard.probe;

import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.ExecInterpreter;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the probe adds to {@code ExecPaths=} for itself so that its own shell can run under a unit that forbids exec
 * ({@code NoExecPaths=/} with {@code ExecPaths=} naming only the service's binary, as Debian's redis unit does):
 * the programs of {@link ProbeScript#PROGRAMS} as their real paths, the dynamic loader they name
 * ({@code PT_INTERP}) and the directory that holds it, where the C library they load sits beside it on every
 * glibc system. Added only when the unit has {@code NoExecPaths=}; without it nothing stops the shell.
 *
 * <p>systemd makes each {@code ExecPaths=} entry a bind mount of the path on itself. The probe's script therefore
 * judges an {@code x} of a file by the mount that would hold it without the probe's own binds ({@link #own}, read
 * from {@code /proc/self/mountinfo}), so that the service's loader on a noexec mount is seen even when the probe
 * allowed the same loader for itself.
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

    /**
     * Of the {@code added} paths, those that are mounts of the probe's own: not also in the unit's
     * {@code ExecPaths=} (systemd makes one mount of a path listed twice, which then is the unit's too).
     */
    static List<String> own(EffectiveUnit unit, HostView host, List<String> added) {
        Set<String> units = new LinkedHashSet<>();
        for (String word : ProbeProperties.words(unit, "ExecPaths")) {
            units.add(host.resolve(word.replaceFirst("^[-+]+", "")));
        }
        return added.stream().filter(p -> !units.contains(p)).toList();
    }

    /** The probe result's note about what the allowance hides. */
    static String notSeen(List<String> paths) {
        return "exec of " + String.join(", ", paths) + ": allowed for the probe's own shell (ExecPaths=) under the "
                + "unit's NoExecPaths=, each a mount of its own; an x test of a file there is judged by the noexec flag "
                + "of the mount beneath (from /proc/self/mountinfo), but a w test meets the probe's mount";
    }
}
