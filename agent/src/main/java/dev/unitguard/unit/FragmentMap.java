package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * systemd's unit name map ({@code unit_file_build_name_map()}): every valid unit name found directly in a search
 * path directory, the first directory in search order winning, with symlinks followed to the fragment (aliases,
 * linked unit files, masks). Built once per snapshot of the search path (see {@link UnitLoader#forRoot}): each
 * entry's link is followed at most once, and the names of each fragment are indexed on first use. A directory that
 * did not change since the previous snapshot keeps its listing and its entries that are not links (where each leads
 * is fixed while the directory is the same); links are followed again. Thread-safe.
 */
final class FragmentMap {

    /** Where a name leads: the fragment's in-root path ({@link RootFs#DEV_NULL} if masked) and the unit's name. */
    record Resolution(String fragment, String name) {
        boolean masked() {
            return fragment.equals(RootFs.DEV_NULL);
        }
    }

    /** Where an entry leads: its in-root target (null when it dangles) and whether the entry itself is a link. */
    private record Chased(String target, boolean link) {
    }

    private final RootFs fs;
    private final Map<String, String> entries = new HashMap<>();
    /** Each search path directory's valid unit names, sorted. */
    private final Map<String, List<String>> listings = new HashMap<>();
    private final Map<String, Chased> chased = new ConcurrentHashMap<>();
    /** Each search path directory followed once (empty when it does not resolve): its entries are chased from it. */
    private final Map<String, Optional<String>> dirs = new ConcurrentHashMap<>();
    private volatile Map<String, List<String>> namesByFragment;

    FragmentMap(RootFs fs, List<String> searchPath) {
        this(fs, searchPath, null, Set.of());
    }

    /**
     * @param previous  the previous snapshot's map, or null
     * @param unchanged the directories that did not change since {@code previous} was built
     */
    FragmentMap(RootFs fs, List<String> searchPath, FragmentMap previous, Set<String> unchanged) {
        this.fs = fs;
        for (String dir : searchPath) {
            List<String> names = previous != null && unchanged.contains(dir) ? previous.listings.get(dir) : null;
            if (names == null) {
                names = list(fs.host(dir)).stream().filter(UnitName::isValid).toList();
            } else {
                for (String name : names) {
                    Chased c = previous.chased.get(dir + "/" + name);
                    if (c != null && c.target() != null && !c.link()) {
                        chased.put(dir + "/" + name, c);
                    }
                }
            }
            listings.put(dir, names);
            for (String name : names) {
                entries.putIfAbsent(name, dir + "/" + name);
            }
        }
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The fragment of {@code name}, or null when no search path directory has it (or a link dangles). */
    Resolution resolve(String name) {
        String entry = entries.get(name);
        if (entry == null) {
            return null;
        }
        String target = chase(entry).target();
        if (target == null) {
            return null;
        }
        if (target.equals(RootFs.DEV_NULL) || isEmptyFile(fs.host(target))) {
            return new Resolution(RootFs.DEV_NULL, name);
        }
        String targetName = target.substring(target.lastIndexOf('/') + 1);
        boolean alias = UnitName.isValid(targetName) && !targetName.equals(name)
                && UnitName.parse(targetName).type().equals(UnitName.parse(name).type());
        return new Resolution(target, alias ? targetName : name);
    }

    /** Every name whose entry leads to {@code fragment} (a link to it, or the file itself), in name order. */
    List<String> namesOf(String fragment) {
        Map<String, List<String>> index = namesByFragment;
        if (index == null) {
            index = indexNames();
            namesByFragment = index;
        }
        return index.getOrDefault(fragment, List.of());
    }

    private Map<String, List<String>> indexNames() {
        Map<String, List<String>> index = new HashMap<>();
        entries.keySet().stream().sorted().forEach(name -> {
            String entry = entries.get(name);
            Chased c = chase(entry);
            if (c.target() != null && (c.link() || entry.equals(c.target()))) {
                index.computeIfAbsent(c.target(), k -> new ArrayList<>()).add(name);
            }
        });
        index.replaceAll((fragment, names) -> List.copyOf(names));
        return Map.copyOf(index);
    }

    private Chased chase(String entry) {
        return chased.computeIfAbsent(entry, e -> {
            int slash = e.lastIndexOf('/');
            String dir = e.substring(0, slash);
            String chasedDir = dirs.computeIfAbsent(dir, d -> Optional.ofNullable(fs.chase(d))).orElse(null);
            String target = chasedDir == null ? fs.chase(e) : fs.chaseIn(dir, chasedDir, e.substring(slash + 1));
            return new Chased(target, Files.isSymbolicLink(fs.host(e)));
        });
    }

    static boolean isEmptyFile(Path path) {
        try {
            return Files.isRegularFile(path) && Files.size(path) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
