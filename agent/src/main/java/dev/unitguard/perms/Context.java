package dev.unitguard.perms;

import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.Identity;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.ExecCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Everything the rules look at for one unit: the unit, the host, who the service runs as, and the checked tree. */
record Context(EffectiveUnit unit, HostView host, Identity identity, Requirements requirements, CheckedTree tree,
               Names names) {

    static final String S = "Service";

    /** One command of an {@code Exec*=} setting. */
    record Exec(String key, ExecCommand command) {
        String setting() {
            return key + "=" + command.path();
        }
    }

    private static final List<String> EXEC_KEYS = List.of("ExecStartPre", "ExecStart", "ExecStartPost",
            "ExecReload", "ExecStop", "ExecStopPost");
    private static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    Dac.Credentials credentials() {
        return identity.credentials();
    }

    String user() {
        return identity.name();
    }

    boolean runsAsRoot() {
        return credentials().isRoot();
    }

    FileState state(FileInfo info) {
        return FileState.of(names, info.uid(), info.gid(), info.mode());
    }

    /** The change of a file to new owner, group and mode; empty when nothing changes or the path is off limits. */
    Optional<Change> change(String path, FileInfo info, int uid, int gid, int mode) {
        if (!tree.fixable(path) || identity.dynamicUser() && (uid == Identity.DYNAMIC_UID
                || gid == Identity.DYNAMIC_UID)) {
            return Optional.empty();
        }
        FileState before = state(info);
        FileState after = FileState.of(names, uid, gid, mode);
        return before.equals(after) ? Optional.empty() : Optional.of(Change.of(path, before, after));
    }

    /** Every command of the unit's {@code Exec*=} settings whose executable is found. */
    List<Exec> commands() {
        List<Exec> out = new ArrayList<>();
        for (String key : EXEC_KEYS) {
            for (String value : unit.values(S, key)) {
                try {
                    ExecCommand.parseAll(value).forEach(c -> out.add(new Exec(key, c)));
                } catch (IllegalArgumentException e) {
                    // systemd ignores a command line it cannot parse
                }
            }
        }
        return out;
    }

    /** The absolute executable of a command: as written, or found in systemd's default search path. */
    Optional<String> executable(ExecCommand command) {
        if (command.path().startsWith("/")) {
            return Optional.of(command.path());
        }
        if (command.path().contains("/")) {
            return Optional.empty();
        }
        return SEARCH_PATH.stream().map(d -> d + "/" + command.path())
                .filter(p -> host.stat(p).isPresent()).findFirst();
    }

    /** The words of every assignment of a list setting still in force. */
    List<String> words(String key) {
        return unit.words(S, key);
    }

    /** The unit's name without its type suffix and instance, a natural StateDirectory= name. */
    String baseName() {
        String name = unit.name();
        int dot = name.lastIndexOf('.');
        name = dot < 0 ? name : name.substring(0, dot);
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }
}
