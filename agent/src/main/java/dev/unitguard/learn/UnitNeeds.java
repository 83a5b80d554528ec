package dev.unitguard.learn;

import dev.unitguard.host.Access;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.ExecInterpreter;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.ExecCommand;
import dev.unitguard.unit.Specifiers;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a unit's own file says the service needs, whether or not a sample catches it in use: the programs of its
 * {@code Exec*=} lines (with {@code x}; a script also {@code r}) and their interpreters ({@code #!} or the ELF
 * dynamic loader, {@code x}), {@code EnvironmentFile=}s that exist ({@code r}), absolute paths named as arguments on
 * those command lines that exist ({@code r}, a directory {@code rx}), the {@code *Directory=} settings
 * ({@code RuntimeDirectory=}, {@code StateDirectory=}, {@code CacheDirectory=}, {@code LogsDirectory=} {@code rwx};
 * {@code ConfigurationDirectory=} {@code rx}), the existing paths of {@code ReadWritePaths=} ({@code rwx}: the unit's
 * author says the service writes there, which a sample rarely catches, as files are created and renamed between
 * samples), {@code WorkingDirectory=} ({@code x}) and an existing {@code PIDFile=} ({@code rw}).
 * Specifiers are resolved as for a system unit; paths are read under the host view's root.
 */
final class UnitNeeds {

    private static final Set<Access> RWX = EnumSet.allOf(Access.class);
    private static final List<String> COMMANDS = List.of("ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload",
            "ExecStop", "ExecStopPost");
    private static final List<Directory> DIRECTORIES = List.of(new Directory("RuntimeDirectory", "/run", RWX),
            new Directory("StateDirectory", "/var/lib", RWX), new Directory("CacheDirectory", "/var/cache", RWX),
            new Directory("LogsDirectory", "/var/log", RWX),
            new Directory("ConfigurationDirectory", "/etc", EnumSet.of(Access.R, Access.X)));
    private static final String S = "Service";
    /** Programs that change the files named as their arguments (owner, mode, entries): those need writing. */
    private static final Set<String> CHANGES_ARGUMENTS = Set.of("chown", "chgrp", "chmod", "mkdir", "touch", "rm",
            "rmdir", "install", "ln");
    private static final Set<String> CHOWNS = Set.of("chown", "chgrp");

    private record Directory(String key, String prefix, Set<Access> access) {
    }

    private UnitNeeds() {
    }

    static void add(EffectiveUnit raw, HostView host, Needs needs) {
        EffectiveUnit unit = Specifiers.forSystemUnit(raw, host.root()).resolveAll(raw);
        for (String key : COMMANDS) {
            for (String value : unit.values(S, key)) {
                List<ExecCommand> commands;
                try {
                    commands = ExecCommand.parseAll(value);
                } catch (IllegalArgumentException e) {
                    continue; // systemd ignores a command line it cannot parse
                }
                commands.forEach(c -> command(key, c, host, needs));
            }
        }
        for (String value : unit.values(S, "EnvironmentFile")) {
            String path = value.startsWith("-") ? value.substring(1) : value;
            if (path.startsWith("/") && host.stat(path).isPresent()) {
                needs.path(path, EnumSet.of(Access.R), "EnvironmentFile= (read by systemd as the service starts)");
            }
        }
        for (Directory d : DIRECTORIES) {
            for (String word : unit.words(S, d.key())) {
                String name = word.split(":", 2)[0];
                needs.path(d.prefix() + "/" + name, d.access(), d.key() + "=" + name);
            }
        }
        for (String word : unit.words(S, "ReadWritePaths")) {
            String path = word.replaceFirst("^[-+]+", "");
            if (path.startsWith("/") && host.stat(path).isPresent()) {
                needs.path(path, RWX, "ReadWritePaths= (the unit's author says the service writes here)");
            }
        }
        unit.value(S, "WorkingDirectory").map(String::strip).map(w -> w.startsWith("-") ? w.substring(1) : w)
                .filter(w -> w.startsWith("/") && !w.equals("/"))
                .ifPresent(w -> needs.path(w, EnumSet.of(Access.X), "WorkingDirectory="));
        // only a pid file the running service wrote: Debian's memcached names /run/memcached/memcached.pid, which
        // nothing creates (its directory is missing), and a need for it would refuse every set
        unit.value(S, "PIDFile").map(String::strip).filter(p -> p.startsWith("/") && host.stat(p).isPresent())
                .ifPresent(p -> needs.path(p, EnumSet.of(Access.R, Access.W), "PIDFile= (written by the service)"));
    }

    /**
     * Whether the service switched users itself: systemd starts it as root (no {@code User=}, or root, and no
     * {@code DynamicUser=}) and it was {@code seen} running as another user. Such a service needs {@code CAP_SETUID}
     * and {@code CAP_SETGID}, which its processes no longer hold once they switched, so a sample never sees them;
     * they are added when {@code seen} states capabilities, with {@code CAP_CHOWN} when an {@code Exec*=} line runs
     * {@code chown} or {@code chgrp} (as root, on files it does not own). Its start-up (pid file, files opened
     * before the switch) runs as root, so the caller states no user for it: the unit's own, root, is judged.
     */
    static boolean switchedUser(EffectiveUnit unit, Requirements seen, Needs needs) {
        boolean startsAsRoot = unit.value(S, "User").map(String::strip).filter(u -> !u.isEmpty())
                .map(u -> u.equals("root") || u.equals("0")).orElse(true)
                && !unit.value(S, "DynamicUser").map(String::strip).map(v -> v.equals("yes") || v.equals("true"))
                .orElse(false);
        if (!startsAsRoot || seen.user().filter(u -> !u.equals("root")).isEmpty()) {
            return false;
        }
        if (seen.capabilities().isPresent()) {
            needs.capabilities(Set.of("CAP_SETGID", "CAP_SETUID"));
            if (programs(unit).stream().anyMatch(p -> CHOWNS.contains(baseName(p)))) {
                needs.capabilities(Set.of("CAP_CHOWN"));
            }
        }
        return true;
    }

    private static List<String> programs(EffectiveUnit unit) {
        List<String> out = new java.util.ArrayList<>();
        for (String key : COMMANDS) {
            for (String value : unit.values(S, key)) {
                try {
                    ExecCommand.parseAll(value).forEach(c -> out.add(c.path()));
                } catch (IllegalArgumentException e) {
                    // systemd ignores a command line it cannot parse
                }
            }
        }
        return out;
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static void command(String key, ExecCommand command, HostView host, Needs needs) {
        if (!command.path().startsWith("/")) {
            return; // a bare name is looked up in systemd's fixed search path; the sample sees the program
        }
        String program = command.path();
        Optional<String> interpreter = ExecInterpreter.of(host.hostPath(host.resolve(program)));
        boolean script = interpreter.isPresent() && !isElf(host, program);
        needs.path(program, script ? EnumSet.of(Access.R, Access.X) : EnumSet.of(Access.X), key + "= program");
        interpreter.ifPresent(i -> needs.path(i, EnumSet.of(Access.X), "interpreter of " + program + " (" + key
                + "=)"));
        for (String arg : command.argv().subList(1, command.argv().size())) {
            String path = arg.startsWith("/") ? arg : arg.startsWith("--") && arg.contains("=/")
                    ? arg.substring(arg.indexOf('=') + 1) : null;
            if (path == null || path.contains("$")) {
                continue;
            }
            Optional<FileInfo> info = host.stat(path);
            if (info.isPresent()) {
                boolean dir = info.get().type() == FileInfo.Type.DIRECTORY;
                if (CHANGES_ARGUMENTS.contains(baseName(program))) {
                    needs.path(path, dir ? RWX : EnumSet.of(Access.R, Access.W), "changed by " + baseName(program)
                            + " on the " + key + "= command line");
                } else {
                    needs.path(path, dir ? EnumSet.of(Access.R, Access.X) : EnumSet.of(Access.R),
                            "named on the " + key + "= command line");
                }
            }
        }
    }

    /** True for an ELF file: its interpreter is the dynamic loader and the file itself need not be readable. */
    private static boolean isElf(HostView host, String program) {
        try (var in = java.nio.file.Files.newInputStream(host.hostPath(host.resolve(program)))) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
