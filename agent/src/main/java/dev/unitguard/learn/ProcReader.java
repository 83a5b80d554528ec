package dev.unitguard.learn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads processes from a {@code /proc} ({@code /proc} itself, or a copy of its files in tests). Every read is bounded
 * ({@link #MAX_FDS} descriptors and {@link #MAX_MAPS} mappings per process, {@link #MAX_PROCESSES} processes per unit)
 * and tolerant: a process that ends while it is read, or a file the reader may not read, leaves its field empty.
 */
final class ProcReader {

    static final int MAX_PROCESSES = 512;
    static final int MAX_FDS = 4096;
    static final int MAX_MAPS = 65_536;
    private static final long MAX_FILE = 1 << 20;

    private final Path proc;

    ProcReader(Path proc) {
        this.proc = proc;
    }

    Path proc() {
        return proc;
    }

    /**
     * The processes in {@code unit}'s control group, lowest pid first: those whose {@code /proc/PID/cgroup} names a
     * cgroup path with {@code unit} as a component (systemd's own hierarchy, {@code 0::} or {@code name=systemd},
     * {@code /system.slice/redis-server.service} or below), at most {@link #MAX_PROCESSES}.
     */
    List<Long> pidsOf(String unit) throws IOException {
        TreeSet<Long> pids = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.matches("[0-9]{1,10}") && inUnit(text(entry.resolve("cgroup")).orElse(""), unit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        }
        return pids.stream().limit(MAX_PROCESSES).toList();
    }

    /** True when the systemd hierarchy's line of a {@code cgroup} file has {@code unit} as a path component. */
    static boolean inUnit(String cgroupFile, String unit) {
        for (String line : cgroupFile.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && (f[0].equals("0") && f[1].isEmpty() || f[1].equals("name=systemd"))) {
                for (String component : f[2].split("/")) {
                    if (component.equals(unit)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The process, or empty when it is gone (its {@code status} cannot be read). */
    Optional<ProcessSample> read(long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        Optional<String> status = text(dir.resolve("status"));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        String name = field(status.get(), "Name").orElse("?");
        int uid = effective(field(status.get(), "Uid"));
        int gid = effective(field(status.get(), "Gid"));
        long capEff = field(status.get(), "CapEff").map(v -> Long.parseUnsignedLong(v.strip(), 16)).orElse(0L);
        return Optional.of(new ProcessSample(pid, name, uid, gid, capEff, link(dir.resolve("exe")),
                link(dir.resolve("cwd")), link(dir.resolve("root")), maps(dir), files(dir)));
    }

    /** The network namespace tables of the process ({@code /proc/PID/net}). */
    Path net(long pid) {
        return proc.resolve(Long.toString(pid)).resolve("net");
    }

    /** The file mappings, read line by line: at most {@link #MAX_MAPS} lines. */
    private static List<ProcessSample.Mapping> maps(Path dir) {
        List<ProcessSample.Mapping> maps = new ArrayList<>();
        try (var lines = Files.newBufferedReader(dir.resolve("maps"), StandardCharsets.UTF_8)) {
            String line;
            int read = 0;
            while ((line = lines.readLine()) != null && read++ < MAX_MAPS) {
                parseMapping(line).ifPresent(maps::add);
            }
        } catch (IOException | RuntimeException e) {
            return maps;
        }
        return maps;
    }

    /** One line of {@code maps}: {@code start-end perms offset dev inode pathname}; anonymous mappings are empty. */
    static Optional<ProcessSample.Mapping> parseMapping(String line) {
        String[] f = line.strip().split("\\s+", 6);
        if (f.length < 6 || f[1].length() != 4 || f[4].equals("0")) {
            return Optional.empty();
        }
        String perms = f[1];
        return Optional.of(new ProcessSample.Mapping(f[5], perms.charAt(2) == 'x',
                perms.charAt(1) == 'w' && perms.charAt(3) == 's'));
    }

    private static List<ProcessSample.OpenFile> files(Path dir) {
        List<ProcessSample.OpenFile> files = new ArrayList<>();
        Path fd = dir.resolve("fd");
        try (Stream<Path> entries = Files.list(fd)) {
            for (Path entry : (Iterable<Path>) entries.limit(MAX_FDS)::iterator) {
                String n = entry.getFileName().toString();
                if (!n.matches("[0-9]{1,10}")) {
                    continue;
                }
                Optional<String> target = link(entry);
                Optional<String> flags = text(dir.resolve("fdinfo").resolve(n)).flatMap(t -> field(t, "flags"));
                if (target.isPresent() && flags.isPresent()) {
                    files.add(new ProcessSample.OpenFile(Integer.parseInt(n), target.get(),
                            Integer.parseInt(flags.get().strip(), 8)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return files;
        }
        files.sort(java.util.Comparator.comparingInt(ProcessSample.OpenFile::fd));
        return files;
    }

    /** {@code Name:\tredis-server}: the value after the tab of the first line with that key. */
    static Optional<String> field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                return Optional.of(line.substring(key.length() + 1).strip());
            }
        }
        return Optional.empty();
    }

    /** The second of {@code real effective saved fs}, or -1. */
    private static int effective(Optional<String> ids) {
        String[] f = ids.orElse("").split("\\s+");
        return f.length >= 2 && f[1].matches("[0-9]{1,10}") ? (int) Long.parseLong(f[1]) : -1;
    }

    private static Optional<String> link(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** A small file's text ({@code /proc} files report size 0: read up to {@link #MAX_FILE} bytes). */
    private static Optional<String> text(Path file) {
        try (var in = Files.newInputStream(file)) {
            return Optional.of(new String(in.readNBytes((int) MAX_FILE), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }
}
