package dev.unitguard.sandbox;

import dev.unitguard.host.Accounts;
import dev.unitguard.host.Dac;
import dev.unitguard.host.HostView;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who the service runs as, resolved as systemd's {@code get_fixed_user()}, {@code get_fixed_group()} and
 * {@code get_supplementary_groups()} do. {@code failure} is systemd's exit status and message when the service's own
 * {@code User=}, {@code Group=} or {@code SupplementaryGroups=} names an account the host does not know.
 *
 * @param dynamicUser {@code DynamicUser=yes} without a known user: the UID is allocated at start
 *                    ({@link #DYNAMIC_UID} stands for it), so no file on the host can be owned by it beforehand
 */
public record Identity(String name, Dac.Credentials credentials, String home, boolean dynamicUser,
                       Optional<StartupVerdict> failure) {

    /** The first UID of systemd's dynamic range: a UID no file on the host belongs to. */
    public static final int DYNAMIC_UID = 61184;

    /** The service's own identity; an unknown name makes it one whose start fails as systemd's would. */
    static Identity service(ServiceSettings s, HostView host) {
        try {
            return resolve(s, host, Optional.empty(), Optional.empty());
        } catch (UnknownIdentity e) {
            return new Identity(null, Dac.Credentials.root(), "/", false, Optional.of(e.startupFailure()));
        }
    }

    /**
     * The identity with {@code userOverride} and {@code groupOverride} (a requirements manifest's) in place of
     * {@code User=} and {@code Group=}.
     *
     * @throws UnknownIdentity naming the field and the name the host does not know
     */
    static Identity resolve(ServiceSettings s, HostView host, Optional<String> userOverride,
                            Optional<String> groupOverride) throws UnknownIdentity {
        Optional<String> userName = userOverride.or(s::user);
        Optional<String> groupName = groupOverride.or(s::group);
        Optional<Accounts.User> user = userName.flatMap(host::user);
        if (userName.isPresent() && user.isEmpty() && !(s.dynamicUser() && userOverride.isEmpty())) {
            throw new UnknownIdentity(userOverride.isPresent() ? UnknownIdentity.Field.MANIFEST_USER
                    : UnknownIdentity.Field.USER, userName.get());
        }
        int uid = user.map(Accounts.User::uid).orElse(s.dynamicUser() ? DYNAMIC_UID : 0);
        int gid = user.map(Accounts.User::gid).orElse(uid);
        String home = user.map(Accounts.User::home).orElse(uid == 0 ? "/root" : "/");
        if (groupName.isPresent()) {
            Optional<Accounts.Group> group = host.group(groupName.get());
            if (group.isEmpty() && !(s.dynamicUser() && groupOverride.isEmpty())) {
                throw new UnknownIdentity(groupOverride.isPresent() ? UnknownIdentity.Field.MANIFEST_GROUP
                        : UnknownIdentity.Field.GROUP, groupName.get());
            }
            gid = group.map(Accounts.Group::gid).orElse(gid);
        }
        Set<Integer> groups = new HashSet<>();
        for (String g : s.supplementaryGroups()) {
            Optional<Accounts.Group> group = host.group(g);
            if (group.isEmpty()) {
                throw new UnknownIdentity(UnknownIdentity.Field.SUPPLEMENTARY_GROUPS, g);
            }
            groups.add(group.get().gid());
        }
        user.ifPresent(u -> host.memberships(u.name()).forEach(g -> groups.add(g.gid())));
        String name = user.map(Accounts.User::name).orElse(userName.orElse("root"));
        boolean dynamic = s.dynamicUser() && user.isEmpty();
        return new Identity(name, new Dac.Credentials(uid, gid, groups), home, dynamic, Optional.empty());
    }
}
