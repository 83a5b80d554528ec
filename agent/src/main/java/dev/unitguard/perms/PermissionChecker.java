package dev.unitguard.perms;

import dev.unitguard.host.Dac;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.Identities;
import dev.unitguard.sandbox.Identity;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the ownership and permissions of the files a unit uses, for the user and groups it runs as, on the real
 * files under the host's root. Access decisions are {@link Dac}'s, the same the static evaluator makes. A
 * {@link HostView} caches ACLs: use a fresh one for each check.
 */
public final class PermissionChecker {

    private final HostView host;

    public PermissionChecker(HostView host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * Resolves who the service runs as (the manifest's user and group in place of {@code User=}, {@code Group=}),
     * then checks.
     *
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public PermissionReport check(EffectiveUnit unit, Requirements requirements) throws UnknownIdentity {
        return check(unit, requirements, Identities.resolve(unit, host, requirements).subject());
    }

    /**
     * Checks for {@code identity}, already resolved for this unit and these requirements
     * ({@link Identities#subject()}). An identity the service would not start with is one critical finding.
     */
    public PermissionReport check(EffectiveUnit unit, Requirements requirements, Identity identity) {
        if (identity.failure().isPresent()) {
            Finding f = Finding.of("unknown-identity", Severity.CRITICAL, "/etc/passwd", unit.name()
                    + " would not start: " + identity.failure().get().reason(), List.of(), List.of());
            return new PermissionReport(unit.name(), null, -1, List.of(), false, host.readsAcls(), List.of(),
                    List.of(), List.of(f));
        }
        Names names = new Names(host);
        Context context = new Context(unit, host, identity, requirements,
                new CheckedTree(host, requirements.paths()), names);
        List<PathReport> paths = new ArrayList<>();
        for (PathRequirement r : requirements.paths()) {
            paths.add(AccessRule.report(context, r));
        }
        List<Finding> findings = new ArrayList<>();
        for (Rule rule : Rule.ALL) {
            findings.addAll(rule.apply(context));
        }
        return new PermissionReport(unit.name(), identity.name(), identity.credentials().uid(),
                groups(identity, names), identity.dynamicUser(), host.readsAcls(), notes(identity), paths, findings);
    }

    private static List<String> groups(Identity identity, Names names) {
        Set<String> out = new LinkedHashSet<>();
        out.add(names.group(identity.credentials().gid()));
        identity.credentials().supplementaryGroups().stream().sorted().map(names::group).forEach(out::add);
        return List.copyOf(out);
    }

    private List<String> notes(Identity identity) {
        List<String> notes = new ArrayList<>();
        if (identity.dynamicUser()) {
            notes.add("DynamicUser=yes: the UID is allocated when the service starts, so no file can be owned by it"
                    + " beforehand; access is checked for a UID that owns nothing, and fixes use StateDirectory=,"
                    + " CacheDirectory=, LogsDirectory= instead of chown");
        }
        if (!host.readsAcls()) {
            notes.add("POSIX ACLs were not read: lgetxattr cannot be bound here (jnr-ffi)");
        }
        return notes;
    }
}
