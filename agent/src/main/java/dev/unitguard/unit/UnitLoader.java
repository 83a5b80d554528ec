package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and loads a unit the way systemd 252's system manager does, everything under a root directory
 * ({@code --root}; "/" for the live system): the fragment along the search path (templates, aliases, masks), then
 * its drop-ins (see {@link DropIns}). Files are reported by their host paths, as {@code systemd-analyze --root}
 * does.
 */
public final class UnitLoader {

    /** The system manager's unit search path of systemd 252, highest priority first. */
    public static final List<String> SYSTEM_SEARCH_PATH = List.of(
            "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
            "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached",
            "/run/systemd/system", "/run/systemd/system.attached", "/run/systemd/generator",
            "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
            "/run/systemd/generator.late");

    /**
     * A search path directory changed less than this long before its snapshot is not trusted to show the next change
     * in its modification time (file systems stamp times at clock-tick granularity): such a snapshot is not kept.
     */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final int MAX_SNAPSHOTS = 8;
    private static final Map<Path, UnitLoader> SNAPSHOTS = new ConcurrentHashMap<>();
    /**
     * The last snapshot built per root, kept or not: a new one takes over the listings of the directories that did
     * not change since (a probe's transient unit, a daemon-reload's generators change one or two of thirteen).
     */
    private static final Map<Path, UnitLoader> LAST = new ConcurrentHashMap<>();

    private final RootFs fs;
    private final SystemdVersion.Modelled systemd;
    private final List<String> stamp;
    /** The search path directories that had settled when this snapshot was stamped. */
    private final Set<String> settledDirs;
    private final FragmentMap fragments;
    private final DropIns dropIns;
    private volatile Set<Object> searchDirKeys;

    private UnitLoader(RootFs fs, List<String> stamp, Set<String> settledDirs, UnitLoader last) {
        this.fs = fs;
        this.stamp = stamp;
        this.settledDirs = settledDirs;
        this.fragments = new FragmentMap(fs, SYSTEM_SEARCH_PATH, last == null ? null : last.fragments,
                last == null ? Set.of() : last.unchanged(stamp));
        this.dropIns = new DropIns(fs, SYSTEM_SEARCH_PATH);
        this.systemd = installed(fs.root());
    }

    /**
     * A loader for the tree under {@code root}. The search path is indexed once per snapshot (unit names, aliases,
     * which drop-in directories exist) and the index is reused as long as no search path directory changed (its
     * identity and modification time); the files themselves are read on every load. Thread-safe.
     */
    public static UnitLoader forRoot(Path root) {
        return forRoot(root, Clock.systemUTC());
    }

    static UnitLoader forRoot(Path root, Clock clock) {
        RootFs fs = new RootFs(root);
        Instant now = clock.instant();
        List<String> stamp = new ArrayList<>();
        Set<String> settledDirs = new HashSet<>();
        for (String dir : SYSTEM_SEARCH_PATH) {
            String chased = fs.chase(dir);
            try {
                BasicFileAttributes a = Files.readAttributes(fs.host(chased == null ? dir : chased),
                        BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                stamp.add(chased + " " + a.fileKey() + " " + a.lastModifiedTime());
                if (a.lastModifiedTime().toInstant().isBefore(now.minus(SETTLE))) {
                    settledDirs.add(dir);
                }
            } catch (IOException e) {
                stamp.add(dir + " absent");
                settledDirs.add(dir);
            }
        }
        boolean settled = settledDirs.size() == SYSTEM_SEARCH_PATH.size();
        UnitLoader cached = SNAPSHOTS.get(fs.root());
        if (cached != null && cached.stamp.equals(stamp)) {
            return cached;
        }
        UnitLoader fresh = new UnitLoader(fs, List.copyOf(stamp), Set.copyOf(settledDirs), LAST.get(fs.root()));
        if (LAST.size() >= MAX_SNAPSHOTS) {
            LAST.clear();
        }
        LAST.put(fs.root(), fresh);
        if (settled) {
            if (SNAPSHOTS.size() >= MAX_SNAPSHOTS) {
                SNAPSHOTS.clear();
            }
            SNAPSHOTS.put(fs.root(), fresh);
        } else {
            SNAPSHOTS.remove(fs.root());
        }
        return fresh;
    }

    /**
     * The search path directories whose listing this snapshot may lend to one stamped {@code now}: the same in both
     * stamps, and settled already when this one was taken (a later change in the same clock tick would not show).
     */
    private Set<String> unchanged(List<String> now) {
        Set<String> same = new HashSet<>();
        for (int i = 0; i < SYSTEM_SEARCH_PATH.size(); i++) {
            String dir = SYSTEM_SEARCH_PATH.get(i);
            if (stamp.get(i).equals(now.get(i)) && settledDirs.contains(dir)) {
                same.add(dir);
            }
        }
        return same;
    }

    /**
     * Loads a unit by name. An unknown name, a masked unit (linked to /dev/null or empty) or an unusable file is a
     * {@link UnitFileException} naming the unit or file.
     */
    public EffectiveUnit load(String name) throws UnitFileException {
        UnitName unit = parseName(name);
        FragmentMap.Resolution found = fragments.resolve(name);
        String unitName = found == null ? null : found.name();
        if (found == null && unit.isInstance()) {
            found = fragments.resolve(unit.template().name());
            if (found != null) {
                unitName = UnitName.parse(found.name()).withInstance(unit.instance()).name();
            }
        }
        if (found == null) {
            throw UnitFileException.notFound(name, "unit not found in the unit search path under " + fs.root());
        }
        if (found.masked()) {
            throw new UnitFileException(Path.of(name), "unit is masked");
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(unitName);
        names.add(name);
        if (!unit.isInstance()) {
            names.addAll(fragments.namesOf(found.fragment()));
        }
        Path fragmentHost = fs.host(found.fragment());
        UnitFile fragment = UnitFile.read(fragmentHost, fragmentHost, unit.type());
        return assemble(unitName, fragmentHost, fragment, new ArrayList<>(names));
    }

    /**
     * Loads a unit file given directly (as on a command line), the way {@code systemd-analyze --offline} does: a
     * template file is loaded as its instance {@code i} ({@code getty@.service} as {@code getty@i.service}); a file
     * in one of the root's unit directories is loaded by name from the search path (so an alias link takes its
     * target's name and drop-ins apply); a file elsewhere is the fragment itself, an alias link to it taking its
     * target's name, with the drop-ins found under the root.
     */
    public EffectiveUnit loadFile(Path file) throws UnitFileException {
        Path fileName = file.getFileName();
        UnitName unit = parseFileName(file, fileName == null ? "" : fileName.toString());
        String name = unit.isTemplate() ? unit.withInstance(OFFLINE_INSTANCE).name() : unit.name();
        if (inSearchPath(file)) {
            return load(name);
        }
        Path fragment = file;
        try {
            for (int links = 0; Files.isSymbolicLink(fragment) && links < 40; links++) {
                fragment = fragment.resolveSibling(Files.readSymbolicLink(fragment));
                if (!isDevNull(fragment)) {
                    UnitName target = parseFileName(fragment, String.valueOf(fragment.getFileName()));
                    name = target.isTemplate() ? target.withInstance(OFFLINE_INSTANCE).name() : target.name();
                }
            }
        } catch (java.io.IOException e) {
            throw new UnitFileException(file, "cannot read link: " + e.getMessage());
        }
        if (FragmentMap.isEmptyFile(fragment) || isDevNull(fragment)) {
            throw new UnitFileException(file, "unit is masked");
        }
        UnitFile parsed = UnitFile.read(fragment, fragment, unit.type());
        return assemble(name, fragment, parsed, List.of(name));
    }

    /** The instance systemd-analyze gives a template unit file named on its command line. */
    static final String OFFLINE_INSTANCE = "i";

    private boolean inSearchPath(Path file) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        if (dir == null) {
            return false;
        }
        try {
            return searchDirs().contains(Files.readAttributes(dir, BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** The identities (device and inode) of the search path directories under the root, taken once per snapshot. */
    private Set<Object> searchDirs() {
        Set<Object> keys = searchDirKeys;
        if (keys == null) {
            keys = new HashSet<>();
            for (String searchDir : SYSTEM_SEARCH_PATH) {
                try {
                    BasicFileAttributes a = Files.readAttributes(fs.host(searchDir), BasicFileAttributes.class);
                    if (a.isDirectory() && a.fileKey() != null) {
                        keys.add(a.fileKey());
                    }
                } catch (IOException e) {
                    // a search directory that cannot be read is not the file's directory
                }
            }
            searchDirKeys = keys = Set.copyOf(keys);
        }
        return keys;
    }

    private static UnitName parseFileName(Path file, String name) throws UnitFileException {
        try {
            return UnitName.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UnitFileException(file, e.getMessage());
        }
    }

    /** {@link SystemdVersion#installedUnder}; 252 when the root's library directories cannot be read. */
    private static SystemdVersion.Modelled installed(Path root) {
        try {
            return SystemdVersion.installedUnder(root);
        } catch (IOException e) {
            return new SystemdVersion.Modelled(SystemdVersion.V252, SystemdVersion.V252, Optional.of(
                    "cannot read the systemd version under " + root + ": " + e.getMessage() + "; modelled as 252"));
        }
    }

    /**
     * The systemd whose semantics the loaded units get ({@link EffectiveUnit#systemd()}): the one installed under
     * the root, read once per snapshot from its {@code libsystemd-shared-NNN.so}, with the supported release that
     * models it.
     */
    public SystemdVersion.Modelled systemd() {
        return systemd;
    }

    private EffectiveUnit assemble(String unitName, Path fragmentPath, UnitFile fragment, List<String> names)
            throws UnitFileException {
        EffectiveUnit.Builder builder = EffectiveUnit.builder(unitName).fragmentPath(fragmentPath)
                .systemd(systemd.model());
        fragment.assignments().forEach(builder::add);
        fragment.warnings().forEach(builder::warning);
        String type = UnitName.parse(unitName).type();
        for (String dropIn : dropIns.files(names)) {
            String target = fs.chase(dropIn);
            if (target == null || target.equals(RootFs.DEV_NULL)) {
                continue;
            }
            Path display = fs.host(dropIn);
            UnitFile file = UnitFile.read(fs.host(target), display, type);
            builder.dropInPath(display);
            file.assignments().forEach(builder::add);
            file.warnings().forEach(builder::warning);
        }
        return builder.build();
    }

    private static UnitName parseName(String name) throws UnitFileException {
        try {
            return UnitName.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UnitFileException(Location.synthetic(name), e.getMessage());
        }
    }

    private static boolean isDevNull(Path file) {
        try {
            return Files.isSameFile(file, Path.of(RootFs.DEV_NULL));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
