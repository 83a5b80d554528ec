package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * systemd's unit name map ({@code unit_file_build_name_map()}): every valid unit name found directly in a search
 * path directory, the first directory in search order winning, with symlinks followed to the fragment (aliases,
 * linked unit files, masks).
 */
final class FragmentMap {

    /** Where a name leads: the fragment's in-root path ({@link RootFs#DEV_NULL} if masked) and the unit's name. */
    record Resolution(String fragment, String name) {
        boolean masked() {
            return fragment.equals(RootFs.DEV_NULL);
        }
    }

    private final RootFs fs;
    private final Map<String, String> entries = new HashMap<>();

    FragmentMap(RootFs fs, List<String> searchPath) {
        this.fs = fs;
        for (String dir : searchPath) {
            for (String name : list(fs.host(dir))) {
                if (UnitName.isValid(name)) {
                    entries.putIfAbsent(name, dir + "/" + name);
                }
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
        String target = fs.chase(entry);
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

    /** Every name whose entry leads to {@code fragment}, in name order. */
    List<String> namesOf(String fragment) {
        List<String> names = new ArrayList<>();
        entries.keySet().stream().sorted().forEach(name -> {
            String entry = entries.get(name);
            if (Files.isSymbolicLink(fs.host(entry)) || entry.equals(fragment)) {
                if (fragment.equals(fs.chase(entry))) {
                    names.add(name);
                }
            }
        });
        return names;
    }

    static boolean isEmptyFile(Path path) {
        try {
            return Files.isRegularFile(path) && Files.size(path) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
