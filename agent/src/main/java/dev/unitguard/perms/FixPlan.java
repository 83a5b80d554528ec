package dev.unitguard.perms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes that fix a report's findings, one per file (changes to the same file merged in order), and the
 * findings unitguard does not fix by itself.
 */
public record FixPlan(String unit, List<Change> changes, List<Finding> manual) {

    public FixPlan {
        changes = List.copyOf(changes);
        manual = List.copyOf(manual);
    }

    public static FixPlan of(PermissionReport report) {
        Map<String, Change> byPath = new LinkedHashMap<>();
        List<Finding> manual = new ArrayList<>();
        for (Finding f : report.findings()) {
            if (f.changes().isEmpty()) {
                manual.add(f);
            }
            for (Change c : f.changes()) {
                byPath.merge(c.path(), c, FixPlan::merge);
            }
        }
        return new FixPlan(report.unit(), List.copyOf(byPath.values()), manual);
    }

    /** {@code later} applied on top of {@code earlier}: its owner if it changes it, its added and removed bits. */
    private static Change merge(Change earlier, Change later) {
        FileState a = earlier.after();
        FileState l = later.after();
        boolean owner = later.changesOwner();
        int added = l.bits() & ~later.before().bits();
        int removed = later.before().bits() & ~l.bits();
        int mode = (a.bits() | added) & ~removed;
        FileState after = new FileState(owner ? l.owner() : a.owner(), owner ? l.uid() : a.uid(),
                owner ? l.group() : a.group(), owner ? l.gid() : a.gid(), String.format("%04o", mode));
        return Change.of(earlier.path(), earlier.before(), after);
    }
}
