package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * systemd's drop-in lookup ({@code unit_file_find_dropin_paths()}): for every name of the unit and every search
 * path directory, {@code NAME.d/}, the template's directory, and the "-" prefix directories
 * ({@code foo-bar-baz.service} also reads {@code foo-bar-.service.d/} and {@code foo-.service.d/}); then the type
 * directory ({@code service.d/}) of every search path. A {@code .conf} file name seen in an earlier directory hides
 * the same name in later ones; the survivors apply in lexical order of file name. Which directories exist is
 * looked up once per snapshot of the search path (see {@link UnitLoader#forRoot}), from one listing of each search
 * path directory; their files on every lookup.
 */
final class DropIns {

    private final RootFs fs;
    private final List<String> searchPath;
    /** Each candidate {@code .d} directory of a search path directory, followed once: its in-root target if any. */
    private final Map<String, Optional<String>> dirs = new ConcurrentHashMap<>();
    /**
     * Each search path directory, followed and listed once: most candidates are not among its entries, and need no
     * system call then. Empty when it cannot be listed (each candidate is followed on its own).
     */
    private final Map<String, Optional<Listing>> listings = new ConcurrentHashMap<>();

    /** A search path directory's in-root target (null when it does not resolve) and its entries' names. */
    private record Listing(String target, Set<String> names) {
    }

    DropIns(RootFs fs, List<String> searchPath) {
        this.fs = fs;
        this.searchPath = searchPath;
    }

    /** The drop-in files of a unit known by {@code names}, as in-root paths in application order. */
    List<String> files(List<String> names) {
        Set<String> dirs = new LinkedHashSet<>();
        for (String name : names) {
            for (String path : searchPath) {
                findDirs(path, name, dirs);
            }
        }
        String type = UnitName.parse(names.get(0)).type();
        for (String path : searchPath) {
            addDir(path, type + ".d", dirs);
        }
        Map<String, String> byName = new TreeMap<>();
        for (String dir : dirs) {
            for (String file : confFiles(fs.host(dir))) {
                byName.putIfAbsent(file, dir + "/" + file);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private void findDirs(String path, String name, Set<String> dirs) {
        addDir(path, name + ".d", dirs);
        UnitName unit = UnitName.parse(name);
        if (unit.isInstance()) {
            findDirs(path, unit.template().name(), dirs);
        }
        String prefix = dashPrefix(unit.prefix());
        if (prefix != null) {
            findDirs(path, new UnitName(prefix, unit.isInstance() ? unit.instance() : null, unit.type()).name(), dirs);
        }
    }

    /** {@code foo-bar-baz} gives {@code foo-bar-}, {@code foo-bar-} gives {@code foo-}, {@code foo} null. */
    static String dashPrefix(String prefix) {
        String p = prefix;
        boolean chopped = false;
        while (true) {
            int dash = p.lastIndexOf('-');
            if (dash <= 0) {
                return null;
            }
            if (dash + 1 < p.length() || chopped) {
                return p.substring(0, dash + 1);
            }
            p = p.substring(0, dash);
            chopped = true;
        }
    }

    /** Adds {@code path/entry} to {@code found} when it is (or links to) a directory. */
    private void addDir(String path, String entry, Set<String> found) {
        dirs.computeIfAbsent(path + "/" + entry, d -> {
            Listing listing = listings.computeIfAbsent(path, this::list).orElse(null);
            String chased;
            if (listing == null) {
                chased = fs.chase(d);
            } else if (listing.target() == null || !listing.names().contains(entry)) {
                chased = null;
            } else {
                chased = fs.chaseIn(path, listing.target(), entry);
            }
            return chased != null && Files.isDirectory(fs.host(chased)) ? Optional.of(chased) : Optional.empty();
        }).ifPresent(found::add);
    }

    /** A search path directory's listing; empty when it resolves but cannot be listed. */
    private Optional<Listing> list(String path) {
        String target = fs.chase(path);
        if (target == null) {
            return Optional.of(new Listing(null, Set.of()));
        }
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fs.host(target))) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        } catch (IOException | DirectoryIteratorException e) {
            return Optional.empty();
        }
        return Optional.of(new Listing(target, names));
    }

    private static List<String> confFiles(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf") && !n.startsWith("."))
                    .filter(n -> !Files.isDirectory(dir.resolve(n)))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
