package dev.unitguard.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration systemd would use for a unit: its fragment followed by its drop-ins, every assignment in the
 * order systemd applies them. Immutable; {@link #withDropIn} layers further assignments on top, as a drop-in would.
 *
 * <p>Values are kept as written. Callers that need specifiers resolved use {@code Specifiers} with this unit's name.
 */
public final class EffectiveUnit {

    /** The name under which candidate directives appear as a drop-in in locations and reasons. */
    public static final Path CANDIDATE_DROP_IN = Path.of("candidate.conf");

    private final String name;
    private final Path fragmentPath;
    private final List<Path> dropInPaths;
    private final List<Assignment> assignments;
    private final List<Diagnostic> warnings;
    private final SystemdVersion systemd;
    private final boolean live;
    /** The assignments by section and key, built on first use (the sandbox model asks for a few dozen keys). */
    private volatile Map<String, List<Assignment>> byKey;

    private EffectiveUnit(String name, Path fragmentPath, List<Path> dropInPaths, List<Assignment> assignments,
                          List<Diagnostic> warnings, SystemdVersion systemd, boolean live) {
        this.name = Objects.requireNonNull(name, "name");
        this.live = live;
        this.systemd = Objects.requireNonNull(systemd, "systemd");
        this.fragmentPath = fragmentPath;
        this.dropInPaths = List.copyOf(dropInPaths);
        this.assignments = List.copyOf(assignments);
        this.warnings = List.copyOf(warnings);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder for a unit of {@code like}'s name, release and liveness, empty otherwise. */
    public static Builder builder(EffectiveUnit like) {
        Builder builder = new Builder(like.name).systemd(like.systemd);
        builder.live = like.live;
        return builder;
    }

    /**
     * The supported systemd release whose semantics and scores apply to this unit: the loader's, found once per root
     * from the systemd installed there ({@link SystemdVersion#ofRoot}); 252 for a unit built without a root.
     */
    public SystemdVersion systemd() {
        return systemd;
    }

    /**
     * True for a unit as the running system manager holds it (the agent on its host), false for a unit file read on
     * its own ({@code systemd-analyze --offline=true}, the command line): {@code systemd-analyze security UNIT} reads
     * a loaded unit's properties over D-Bus and scores some settings differently from {@code --offline=true}.
     */
    public boolean isLive() {
        return live;
    }

    /** This unit as the running system manager holds it ({@link #isLive()}). */
    public EffectiveUnit live() {
        return new EffectiveUnit(name, fragmentPath, dropInPaths, assignments, warnings, systemd, true);
    }

    /** The full unit name, for example {@code getty@tty1.service}. */
    public String name() {
        return name;
    }

    /** The unit type suffix without the dot, for example {@code service}. */
    public String type() {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    /** The fragment file, or empty for a unit made only of assignments (tests, transient units). */
    public Optional<Path> fragmentPath() {
        return Optional.ofNullable(fragmentPath);
    }

    public List<Path> dropInPaths() {
        return dropInPaths;
    }

    /** Every assignment in application order. */
    public List<Assignment> assignments() {
        return assignments;
    }

    /** Warnings systemd would log while loading (unknown keys, unknown sections): the unit still loads. */
    public List<Diagnostic> warnings() {
        return warnings;
    }

    /** Every assignment of {@code section}/{@code key} in application order, resets included. */
    public List<Assignment> assignments(String section, String key) {
        Map<String, List<Assignment>> index = byKey;
        if (index == null) {
            index = new HashMap<>();
            for (Assignment a : assignments) {
                index.computeIfAbsent(a.section() + "\n" + a.key(), k -> new ArrayList<>()).add(a);
            }
            index.replaceAll((k, v) -> List.copyOf(v));
            byKey = index; // racy but safe: every thread builds the same immutable lists
        }
        return index.getOrDefault(section + "\n" + key, List.of());
    }

    /** The last assignment of a single-valued setting, or empty when unset or reset by an empty assignment. */
    public Optional<Assignment> last(String section, String key) {
        List<Assignment> all = assignments(section, key);
        if (all.isEmpty() || all.get(all.size() - 1).isReset()) {
            return Optional.empty();
        }
        return Optional.of(all.get(all.size() - 1));
    }

    /** The value of a single-valued setting: the last assignment wins, an empty assignment means the default. */
    public Optional<String> value(String section, String key) {
        return last(section, key).map(Assignment::value);
    }

    /** The assignments of a list setting that are still in force: those after the last empty assignment. */
    public List<Assignment> listAssignments(String section, String key) {
        List<Assignment> all = assignments(section, key);
        int start = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).isReset()) {
                start = i + 1;
            }
        }
        return all.subList(start, all.size());
    }

    /** The values of a list setting still in force, one string per assignment (not split into words). */
    public List<String> values(String section, String key) {
        return listAssignments(section, key).stream().map(Assignment::value).toList();
    }

    /**
     * The words of a list setting still in force, every assignment split as systemd splits it (quotes and escapes,
     * {@link Words#split}); an assignment that cannot be split is skipped, as systemd ignores it.
     */
    public List<String> words(String section, String key) {
        List<String> out = new ArrayList<>();
        for (String value : values(section, key)) {
            try {
                out.addAll(Words.split(value));
            } catch (IllegalArgumentException e) {
                // systemd ignores an assignment it cannot split
            }
        }
        return out;
    }

    /** This unit with candidate directives layered on top as one more drop-in; itself when there are none. */
    public EffectiveUnit withCandidate(List<Assignment> candidate) {
        return candidate.isEmpty() ? this : withDropIn(CANDIDATE_DROP_IN, candidate);
    }

    /** This unit with {@code extra} applied after everything else, as a drop-in sorting last would be. */
    public EffectiveUnit withDropIn(Path dropIn, List<Assignment> extra) {
        List<Path> paths = new ArrayList<>(dropInPaths);
        paths.add(dropIn);
        List<Assignment> all = new ArrayList<>(assignments);
        all.addAll(extra);
        return new EffectiveUnit(name, fragmentPath, paths, all, warnings, systemd, live);
    }

    @Override
    public String toString() {
        return "EffectiveUnit[" + name + ", " + assignments.size() + " assignments]";
    }

    /** Builds an effective unit; the loader uses it, and so do tests that need a unit without files. */
    public static final class Builder {
        private final String name;
        private Path fragmentPath;
        private final List<Path> dropInPaths = new ArrayList<>();
        private final List<Assignment> assignments = new ArrayList<>();
        private final List<Diagnostic> warnings = new ArrayList<>();
        private SystemdVersion systemd = SystemdVersion.V252;
        private boolean live;

        private Builder(String name) {
            this.name = name;
        }

        public Builder fragmentPath(Path path) {
            this.fragmentPath = path;
            return this;
        }

        public Builder dropInPath(Path path) {
            dropInPaths.add(path);
            return this;
        }

        public Builder add(Assignment assignment) {
            assignments.add(assignment);
            return this;
        }

        /** Adds an assignment with a synthetic location; for tests and programmatic units. */
        public Builder set(String section, String key, String value) {
            return add(new Assignment(section, key, value, new Location(Path.of(name), assignments.size() + 1)));
        }

        /** The supported release that models the unit (as {@link SystemdVersion#modelled()} gives it). */
        public Builder systemd(SystemdVersion version) {
            this.systemd = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder warning(Diagnostic warning) {
            warnings.add(warning);
            return this;
        }

        public EffectiveUnit build() {
            return new EffectiveUnit(name, fragmentPath, dropInPaths, assignments, warnings, systemd, live);
        }
    }
}
