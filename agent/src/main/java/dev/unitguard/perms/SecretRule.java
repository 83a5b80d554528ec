package dev.unitguard.perms;

import dev.unitguard.host.Access;
import dev.unitguard.host.AclEntry;
import dev.unitguard.host.FileInfo;
import dev.unitguard.sandbox.PathRequirement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code secret-exposed}: a file holding secrets must not grant its group or others more than the service needs.
 * {@code EnvironmentFile=} and {@code LoadCredential=} sources are read by systemd itself (root) before the service
 * starts, so the service needs nothing beyond the owner's bits; a manifest path marked {@code "secret": true} may
 * grant the service's group what the service needs when the service reads it through that group.
 */
final class SecretRule implements Rule {

    /** A secret file and what reads it. */
    private record Secret(String path, String source, int groupNeeds) {
    }

    @Override
    public List<Finding> apply(Context c) {
        List<Finding> out = new ArrayList<>();
        for (Secret s : secrets(c)) {
            String canonical = c.host().resolve(s.path());
            Optional<FileInfo> info = c.host().lstat(canonical);
            if (info.isEmpty() || info.get().isDirectory()) {
                continue;
            }
            finding(c, s, canonical, info.get()).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Finding> finding(Context c, Secret s, String canonical, FileInfo f) {
        int gid = f.gid();
        int groupNeeds = s.groupNeeds();
        boolean viaOther = false;
        if (groupNeeds != 0 && f.uid() == c.credentials().uid()) {
            groupNeeds = 0;
        } else if (groupNeeds != 0 && !c.credentials().inGroup(f.gid())) {
            viaOther = true;
            gid = c.credentials().gid();
        }
        int allowed = 0700 | groupNeeds << 3;
        int excess = f.mode() & 0077 & ~allowed;
        List<String> namedAcl = f.acl().stream().filter(e -> e.tag() == AclEntry.Tag.USER
                        && e.id() != c.credentials().uid() || e.tag() == AclEntry.Tag.GROUP && !c.credentials().inGroup(e.id()))
                .filter(e -> (e.perms() & (f.mode() >> 3) & 7) != 0).map(e -> e.toString()).toList();
        if (excess == 0 && namedAcl.isEmpty() && !viaOther) {
            return Optional.empty();
        }
        int mode = f.mode() & ~(0077 & ~allowed);
        if (!namedAcl.isEmpty()) {
            mode &= ~(0070 & ~(groupNeeds << 3));
        }
        Severity severity = (excess & 0007) != 0 ? Severity.HIGH : Severity.MEDIUM;
        String message = s.path() + " holds secrets (" + s.source() + ") but is " + AccessRule.owned(c, f) + ": "
                + who(c, f, excess, !namedAcl.isEmpty()) + " " + (s.groupNeeds() == 0
                ? "while only the owner needs it" : "while only " + c.user() + " needs it");
        List<String> alternatives = s.source().equals("EnvironmentFile=")
                ? List.of("LoadCredential=NAME:" + s.path() + " instead of EnvironmentFile= keeps the secret out of"
                        + " the environment: the service reads it from $CREDENTIALS_DIRECTORY/NAME")
                : List.of();
        Optional<Change> change = c.change(canonical, f, f.uid(), gid, mode);
        return Optional.of(Finding.of("secret-exposed", severity, s.path(), message, change.stream().toList(),
                alternatives));
    }

    private static String who(Context c, FileInfo f, int excess, boolean acl) {
        List<String> parts = new ArrayList<>();
        if ((excess & 0070) != 0) {
            parts.add("group " + c.names().group(f.gid()) + " may " + letters(excess >> 3));
        }
        if ((excess & 0007) != 0) {
            parts.add("every user may " + letters(excess));
        }
        if (acl) {
            parts.add("ACL entries grant other users access");
        }
        if (parts.isEmpty()) {
            parts.add(c.user() + " reads it only through the bits for others");
        }
        return String.join(", ", parts);
    }

    private static String letters(int bits) {
        List<String> verbs = new ArrayList<>();
        if ((bits & 4) != 0) {
            verbs.add("read");
        }
        if ((bits & 2) != 0) {
            verbs.add("write");
        }
        if ((bits & 1) != 0) {
            verbs.add("execute");
        }
        return String.join(" and ", verbs) + " it";
    }

    private static List<Secret> secrets(Context c) {
        Map<String, Secret> out = new LinkedHashMap<>();
        for (String value : c.unit().values(Context.S, "EnvironmentFile")) {
            String path = value.startsWith("-") ? value.substring(1) : value;
            if (path.startsWith("/")) {
                out.putIfAbsent(path, new Secret(path, "EnvironmentFile=", 0));
            }
        }
        for (String word : c.words("LoadCredential")) {
            int colon = word.indexOf(':');
            String path = colon < 0 ? "" : word.substring(colon + 1);
            if (path.startsWith("/")) {
                out.putIfAbsent(path, new Secret(path, "LoadCredential=", 0));
            }
        }
        for (PathRequirement r : c.requirements().paths()) {
            if (r.secret()) {
                int needs = (r.access().contains(Access.R) ? 4 : 0) | (r.access().contains(Access.W) ? 2 : 0)
                        | (r.access().contains(Access.X) ? 1 : 0);
                out.put(r.path(), new Secret(r.path(), "marked secret in the requirements", needs));
            }
        }
        return List.copyOf(out.values());
    }
}
