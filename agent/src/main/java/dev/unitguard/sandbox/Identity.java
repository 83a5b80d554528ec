package dev.unitguard.sandbox;

import dev.unitguard.host.Dac;
import dev.unitguard.host.HostView;
import dev.unitguard.unit.EffectiveUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who the service runs as, resolved as systemd's {@code get_fixed_user()}, {@code get_fixed_group()} and
 * {@code get_supplementary_groups()} do; a failure carries systemd's exit status and message.
 *
 * @param dynamicUser {@code DynamicUser=yes} without a known user: the UID is allocated at start
 *                    ({@link #DYNAMIC_UID} stands for it), so no file on the host can be owned by it beforehand
 */
public record Identity(String name, Dac.Credentials credentials, String home, boolean dynamicUser,
                       Optional<StartupVerdict> failure) {

    /** The first UID of systemd's dynamic range: a UID no file on the host belongs to. */
    public static final int DYNAMIC_UID = 61184;

    /**
     * The identity the unit's processes run with; {@code user} and {@code group} replace {@code User=} and
     * {@code Group=} when present (as a requirements manifest may).
     */
    public static Identity of(EffectiveUnit unit, HostView host, Optional<String> user, Optional<String> group) {
        return resolve(ServiceSettings.of(unit), host, user, group);
    }

    static Identity resolve(ServiceSettings s, HostView host, Optional<String> userOverride,
                            Optional<String> groupOverride) {
        Optional<String> userName = userOverride.or(s::user);
        Optional<String> groupName = groupOverride.or(s::group);
        Optional<HostView.User> user = userName.flatMap(host::user);
        if (userName.isPresent() && user.isEmpty() && !(s.dynamicUser() && userOverride.isEmpty())) {
            return failed(ExitStatus.USER, "Failed to determine user credentials: No such process");
        }
        int uid = user.map(HostView.User::uid).orElse(s.dynamicUser() ? DYNAMIC_UID : 0);
        int gid = user.map(HostView.User::gid).orElse(uid);
        String home = user.map(HostView.User::home).orElse(uid == 0 ? "/root" : "/");
        if (groupName.isPresent()) {
            Optional<HostView.Group> group = host.group(groupName.get());
            if (group.isEmpty() && !(s.dynamicUser() && groupOverride.isEmpty())) {
                return failed(ExitStatus.GROUP, "Failed to determine group credentials: No such process");
            }
            gid = group.map(HostView.Group::gid).orElse(gid);
        }
        Set<Integer> groups = new HashSet<>();
        for (String g : s.supplementaryGroups()) {
            Optional<HostView.Group> group = host.group(g);
            if (group.isEmpty()) {
                return failed(ExitStatus.GROUP, "Failed to determine supplementary groups: No such process");
            }
            groups.add(group.get().gid());
        }
        user.ifPresent(u -> host.memberships(u.name()).forEach(g -> groups.add(g.gid())));
        String name = user.map(HostView.User::name).orElse(userName.orElse("root"));
        boolean dynamic = s.dynamicUser() && user.isEmpty();
        return new Identity(name, new Dac.Credentials(uid, gid, groups), home, dynamic, Optional.empty());
    }

    private static Identity failed(ExitStatus status, String message) {
        return new Identity(null, Dac.Credentials.root(), "/", false,
                Optional.of(StartupVerdict.failure(status, message)));
    }
}
