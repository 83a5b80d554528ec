package dev.unitguard.recommend;

import dev.unitguard.host.Access;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.ExecCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The programs a service runs, as far as the unit and the manifest say (the {@code Exec*=} commands and the paths it
 * needs with {@code x}, regular files only), and the facts the recommendation reads from them: set-user-ID bits, the
 * ELF machine, a just-in-time compiler.
 */
final class Executables {

    private static final List<String> COMMANDS = List.of("ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload",
            "ExecStop", "ExecStopPost", "ExecCondition");
    private static final List<String> SEARCH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");
    /** Runtimes that write machine code at run time: MemoryDenyWriteExecute=yes kills them. */
    private static final Set<String> JIT = Set.of("java", "node", "nodejs", "pypy", "pypy3", "dotnet", "mono",
            "luajit", "qemu-system-x86_64", "qemu-system-aarch64", "beam.smp", "erl");
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    private final HostView host;
    private final Set<String> paths;

    Executables(HostView host, EffectiveUnit unit, Requirements requirements) {
        this.host = host;
        Set<String> found = new TreeSet<>();
        for (String key : COMMANDS) {
            for (String value : unit.values("Service", key)) {
                try {
                    ExecCommand.parseAll(value).forEach(c -> resolve(c.path()).ifPresent(found::add));
                } catch (IllegalArgumentException e) {
                    // systemd ignores a command line it cannot parse; so does the recommendation
                }
            }
        }
        for (PathRequirement p : requirements.paths()) {
            if (p.access().contains(Access.X) && host.stat(p.path()).filter(i -> !i.isDirectory()).isPresent()) {
                found.add(p.path());
            }
        }
        this.paths = found;
    }

    /** The first program with a set-user-ID or set-group-ID bit: NoNewPrivileges=yes would stop it gaining them. */
    Optional<String> setuid() {
        return paths.stream().filter(p -> host.stat(p).map(i -> (i.mode() & 06000) != 0).orElse(false)).findFirst();
    }

    /** The first program that is a known just-in-time runtime. */
    Optional<String> jit() {
        return paths.stream().filter(p -> JIT.contains(baseName(host.resolve(p)).toLowerCase(Locale.ROOT))
                || JIT.contains(baseName(p))).findFirst();
    }

    /** The first ELF program for another machine than this one: SystemCallArchitectures=native would kill it. */
    Optional<String> foreign() {
        int native_ = System.getProperty("os.arch", "").matches("aarch64|arm64") ? EM_AARCH64 : EM_X86_64;
        return paths.stream().filter(p -> machine(p).filter(m -> m != native_).isPresent()).findFirst();
    }

    Set<String> paths() {
        return paths;
    }

    private Optional<String> resolve(String path) {
        if (path.startsWith("/")) {
            return Optional.of(path);
        }
        return SEARCH.stream().map(d -> d + "/" + path).filter(p -> host.stat(p).isPresent()).findFirst();
    }

    /** The ELF header's e_machine of a regular file (little-endian), empty when not ELF or unreadable. */
    private Optional<Integer> machine(String path) {
        String real = host.resolve(path);
        Optional<FileInfo> info = host.lstat(real);
        if (info.isEmpty() || info.get().type() != FileInfo.Type.REGULAR) {
            return Optional.empty();
        }
        byte[] head = new byte[20];
        try (InputStream in = Files.newInputStream(host.hostPath(real), LinkOption.NOFOLLOW_LINKS)) {
            if (in.readNBytes(head, 0, head.length) < head.length || head[0] != 0x7f || head[1] != 'E'
                    || head[2] != 'L' || head[3] != 'F') {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of((head[18] & 0xff) | (head[19] & 0xff) << 8);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
