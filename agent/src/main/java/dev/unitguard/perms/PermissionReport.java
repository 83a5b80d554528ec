package dev.unitguard.perms;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The permission check of one unit: who it runs as, each required path, and the findings, worst first.
 *
 * @param groups      the primary group and every supplementary group, by name
 * @param dynamicUser {@code DynamicUser=yes}: the UID is allocated at start, no file can be owned by it beforehand
 * @param aclsRead    whether POSIX ACLs were read ({@code getfacl} installed)
 * @param notes       remarks that are not findings
 */
public record PermissionReport(String unit, String user, int uid, List<String> groups, boolean dynamicUser,
                               boolean aclsRead, List<String> notes, List<PathReport> paths,
                               List<Finding> findings) {

    public PermissionReport {
        Objects.requireNonNull(unit, "unit");
        groups = List.copyOf(groups);
        notes = List.copyOf(notes);
        paths = List.copyOf(paths);
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).reversed()).toList();
    }

    /** The most severe finding's severity, empty when there is none. */
    public Optional<Severity> worst() {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder());
    }

    /** Whether any finding is at least {@code threshold}. */
    public boolean failsAt(Severity threshold) {
        return worst().map(w -> w.compareTo(threshold) >= 0).orElse(false);
    }
}
