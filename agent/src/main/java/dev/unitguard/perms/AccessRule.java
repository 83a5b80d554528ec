package dev.unitguard.perms;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.PathRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code access-denied} and {@code path-missing}: the service's user must get the required access on each required
 * path, search permission on every ancestor included, as {@link Dac#check} decides it (ACLs included).
 */
final class AccessRule implements Rule {

    /** Directories whose ownership a fix never changes: they belong to the system, not to one service. */
    static final Set<String> SYSTEM_DIRECTORIES = Set.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib",
            "/lib64", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr",
            "/usr/bin", "/usr/lib", "/usr/local", "/usr/local/bin", "/usr/sbin", "/usr/share", "/var", "/var/cache",
            "/var/lib", "/var/log", "/var/spool", "/var/tmp");

    @Override
    public List<Finding> apply(Context c) {
        List<Finding> out = new ArrayList<>();
        for (PathRequirement r : c.requirements().paths()) {
            String canonical = c.host().resolve(r.path());
            Dac.Decision d = Dac.check(c.credentials(), canonical, r.access(), c.host()::lstat);
            Optional<CheckedTree.Escape> escape = c.tree().escapeFor(canonical);
            String through = escape.map(e -> " (reached through the symlink " + e.link()
                    + ", which unitguard does not fix)").orElse("");
            switch (d.outcome()) {
                case GRANTED -> { }
                case MISSING -> out.add(Finding.of("path-missing", Severity.HIGH, r.path(), missing(c, r, canonical, d)
                        + through, List.of(), c.identity().dynamicUser() || r.access().contains(Access.W)
                        ? List.of(Alternatives.forWrite(c, r.path(), false, null).get(0)) : List.of()));
                case DENIED -> out.add(denied(c, r, canonical, d, escape.isPresent(), through));
            }
        }
        return out;
    }

    static PathReport report(Context c, PathRequirement r) {
        String canonical = c.host().resolve(r.path());
        Dac.Decision d = Dac.check(c.credentials(), canonical, r.access(), c.host()::lstat);
        Optional<FileInfo> info = c.host().lstat(canonical);
        return new PathReport(r.path(), Access.format(r.access()), r.secret(), canonical, info.isPresent(),
                info.map(i -> i.type().name().toLowerCase()).orElse(null), info.map(c::state).orElse(null),
                info.map(i -> acl(c, i)).orElse(List.of()), d.ok(), d.ok() ? d.reason() : describe(c, r, canonical, d));
    }

    private static Finding denied(Context c, PathRequirement r, String canonical, Dac.Decision d, boolean escaped,
                                  String through) {
        FileInfo at = c.host().lstat(d.path()).orElseThrow();
        Optional<Change> change = escaped ? Optional.empty() : fix(c, r, canonical, d.path(), at);
        List<String> alternatives = new ArrayList<>();
        if (r.access().contains(Access.W)) {
            String target = creating(c, r, canonical, d.path(), at) ? d.path() : canonical;
            alternatives.addAll(Alternatives.forWrite(c, target, c.host().lstat(target).map(FileInfo::isDirectory)
                    .orElse(false), change.filter(x -> x.path().equals(target)).map(Change::after).orElse(null)));
        } else if (!c.identity().dynamicUser() && d.path().equals(canonical)) {
            alternatives.add("setfacl -m u:" + c.user() + ":" + Access.format(r.access()) + " "
                    + Change.quote(canonical));
        }
        return Finding.of("access-denied", Severity.HIGH, r.path(), describe(c, r, canonical, d) + through,
                change.stream().toList(), alternatives);
    }

    /** The change that grants the access: at the file itself, or on the parent or ancestor that denies it. */
    private static Optional<Change> fix(Context c, PathRequirement r, String canonical, String at, FileInfo info) {
        Dac.Credentials who = c.credentials();
        int want = (r.access().contains(Access.R) ? 4 : 0) | (r.access().contains(Access.W) ? 2 : 0)
                | (r.access().contains(Access.X) ? 1 : 0);
        boolean creating = creating(c, r, canonical, at, info);
        if (!at.equals(canonical) && !creating) {
            int search = info.uid() == who.uid() ? 0100 : who.inGroup(info.gid()) ? 0010 : 0001;
            return c.change(at, info, info.uid(), info.gid(), info.mode() | search);
        }
        if (r.access().contains(Access.W)) {
            if (SYSTEM_DIRECTORIES.contains(at)) {
                return Optional.empty();
            }
            int extra = info.isDirectory() ? 0700 : want << 6;
            return c.change(at, info, who.uid(), who.gid(), info.mode() | extra);
        }
        if (info.uid() == who.uid()) {
            return c.change(at, info, info.uid(), info.gid(), info.mode() | want << 6);
        }
        int gid = who.inGroup(info.gid()) ? info.gid() : who.gid();
        return c.change(at, info, info.uid(), gid, info.mode() | want << 3);
    }

    /** Whether the denial is the parent refusing to let a missing file be created. */
    private static boolean creating(Context c, PathRequirement r, String canonical, String at, FileInfo info) {
        return HostView.parent(canonical).equals(at) && !at.equals(canonical) && c.host().lstat(canonical).isEmpty()
                && r.access().contains(Access.W) && Dac.permits(c.credentials(), info, Set.of(Access.X));
    }

    private static String missing(Context c, PathRequirement r, String canonical, Dac.Decision d) {
        String needs = "; " + c.user() + " needs " + Access.format(r.access()) + " on it";
        return d.path().equals(canonical) ? r.path() + " does not exist" + needs
                : r.path() + " does not exist: " + d.reason() + needs;
    }

    private static String describe(Context c, PathRequirement r, String canonical, Dac.Decision d) {
        Optional<FileInfo> info = c.host().lstat(d.path());
        if (d.outcome() == Dac.Outcome.MISSING || info.isEmpty()) {
            return missing(c, r, canonical, d);
        }
        String owned = owned(c, info.get());
        if (d.path().equals(canonical)) {
            return c.user() + " cannot " + verbs(c, r.access(), info.get()) + " " + r.path() + ": it is " + owned;
        }
        if (creating(c, r, canonical, d.path(), info.get())) {
            return c.user() + " cannot create " + r.path() + ": " + d.path() + " is " + owned;
        }
        return c.user() + " cannot reach " + r.path() + ": no search permission on " + d.path() + ", which is "
                + owned;
    }

    /** {@code owned by root:root with mode 0644}, with the ACL when there is one. */
    static String owned(Context c, FileInfo info) {
        FileState s = c.state(info);
        String acl = info.acl().isEmpty() ? "" : " and ACL " + String.join(",", acl(c, info));
        return "owned by " + s.ownership() + " with mode " + s.mode() + acl;
    }

    static List<String> acl(Context c, FileInfo info) {
        return info.acl().stream().map(e -> e.id() == null ? e.toString() : e.toString().replaceFirst(":[0-9]+:",
                ":" + (e.tag().name().equals("USER") ? c.names().user(e.id()) : c.names().group(e.id())) + ":"))
                .toList();
    }

    /** The missing accesses as verbs: {@code write}, {@code read or write}. */
    private static String verbs(Context c, Set<Access> access, FileInfo info) {
        List<String> missing = new ArrayList<>();
        for (Access a : List.of(Access.R, Access.W, Access.X)) {
            if (access.contains(a) && !Dac.permits(c.credentials(), info, Set.of(a))) {
                missing.add(switch (a) {
                    case R -> "read";
                    case W -> "write";
                    case X -> info.isDirectory() ? "search" : "execute";
                });
            }
        }
        return String.join(" or ", missing);
    }
}
