package dev.unitguard.learn;

import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.ExecCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime drop-in that runs a unit under strace for a trace window
 * ({@code /run/systemd/system/UNIT.d/99-unitguard-trace.conf}): every {@code ExecStartPre=}, {@code ExecStart=} and
 * {@code ExecStartPost=} command reset and written again behind {@code strace -D -f -qq -s 0 -e signal=none -o
 * DIR/KEY-N --}, with its prefixes kept in front. {@code -D} makes the tracer a detached grandchild, so the process
 * systemd started stays the service's own (its main PID for {@code Type=simple} and {@code notify}, whose
 * {@code NotifyAccess=main} notifications are accepted; {@code Type=forking}'s PID file names the daemon); {@code -f}
 * follows forks; {@code -qq} and {@code -e signal=none} leave only calls in the output; {@code -s 0} leaves out the
 * data of reads and writes (paths are printed whole). {@code ReadWritePaths=DIR} lets the tracer write its output
 * under a unit's {@code ProtectSystem=strict}; {@code SystemCallFilter=} is reset, as a filter without
 * {@code ptrace} would kill the tracer.
 */
final class TraceDropIn {

    static final String NAME = "99-unitguard-trace.conf";
    /** How the drop-in's text starts: the mark {@link TraceRecovery} knows it by. */
    static final String MARKER = "# unitguard learn --mode trace: ";
    static final List<String> KEYS = List.of("ExecStartPre", "ExecStart", "ExecStartPost");
    static final String STRACE = "/usr/bin/strace";

    /** One traced command: its output file name and whether it runs with full privileges ({@code +}). */
    record Command(String output, boolean privileged) {
    }

    private TraceDropIn() {
    }

    /** The commands the drop-in traces, in order; refused for a command with {@code @} (a separate argv[0]). */
    static List<Command> commands(EffectiveUnit unit) {
        List<Command> out = new ArrayList<>();
        for (String key : KEYS) {
            int n = 0;
            for (String value : unit.values("Service", key)) {
                for (ExecCommand c : ExecCommand.parseAll(value)) {
                    if (c.has(ExecCommand.Prefix.SEPARATE_ARGV0)) {
                        throw new IllegalArgumentException(key + "=" + value + ": a command with a separate argv[0] "
                                + "(@) cannot run under strace");
                    }
                    out.add(new Command(key + "-" + n++, c.has(ExecCommand.Prefix.FULL_PRIVILEGES)));
                }
            }
        }
        return out;
    }

    /**
     * The drop-in's text for {@code unit}, the tracer writing into {@code dir}; {@code grantPtrace} adds
     * {@code CAP_SYS_PTRACE} to the unit's bounding set (a line without {@code ~} is OR-ed into the set the unit's own
     * lines made), which the tracer needs when the unit's set lacks it ({@link Tracing#grantsPtrace}).
     */
    static String text(EffectiveUnit unit, Path dir, boolean grantPtrace) {
        commands(unit); // refuses what cannot be traced
        StringBuilder out = new StringBuilder(MARKER + unit.name() + " runs under strace "
                + "for the window; the agent removes this file and restarts the unit when the window ends.\n"
                + "[Service]\nReadWritePaths=" + dir + "\nSystemCallFilter=\n"
                + (grantPtrace ? "CapabilityBoundingSet=CAP_SYS_PTRACE\n" : ""));
        for (String key : KEYS) {
            out.append(key).append("=\n");
            int n = 0;
            for (String value : unit.values("Service", key)) {
                for (ExecCommand c : ExecCommand.parseAll(value)) {
                    out.append(key).append('=').append(prefixes(c)).append(STRACE)
                            .append(" -D -f -qq -s 0 -e signal=none -o ").append(dir.resolve(key + "-" + n++))
                            .append(" --");
                    for (String word : c.argv()) {
                        out.append(' ').append(quoted(word));
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The command's prefixes as written ({@code -+!:}). */
    private static String prefixes(ExecCommand c) {
        StringBuilder out = new StringBuilder();
        for (ExecCommand.Prefix p : c.prefixes()) {
            out.append(switch (p) {
                case IGNORE_FAILURE -> "-";
                case NO_ENV_EXPANSION -> ":";
                case FULL_PRIVILEGES -> "+";
                case NO_SETUID -> "!";
                case AMBIENT_MAGIC -> "!!";
                case SEPARATE_ARGV0 -> "@";
            });
        }
        return out.toString();
    }

    /** A word in double quotes for systemd, backslash and quote escaped; {@code $} and {@code %} left as written. */
    static String quoted(String word) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
