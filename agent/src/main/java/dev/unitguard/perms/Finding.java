package dev.unitguard.perms;

import java.util.List;

/**
 * One problem with the files a service uses.
 *
 * @param id           stable identifier of the kind of finding (documented in docs/permissions.md)
 * @param path         the file or directory concerned, as seen inside the checked root
 * @param message      what is wrong and why it matters, one sentence
 * @param fix          the exact commands that fix it, empty when unitguard does not fix it automatically
 * @param alternatives systemd-native or manual alternatives, often better than the commands
 * @param changes      what {@link FixExecutor} would do, one entry per file (the same as {@code fix})
 */
public record Finding(String id, Severity severity, String path, String message, List<String> fix,
                      List<String> alternatives, List<Change> changes) {

    public Finding {
        fix = List.copyOf(fix);
        alternatives = List.copyOf(alternatives);
        changes = List.copyOf(changes);
    }

    static Finding of(String id, Severity severity, String path, String message, List<Change> changes,
                      List<String> alternatives) {
        List<String> commands = changes.stream().flatMap(c -> c.commands().stream()).toList();
        return new Finding(id, severity, path, message, commands, alternatives, changes);
    }
}
