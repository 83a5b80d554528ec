package dev.unitguard.perms;

import dev.unitguard.host.Accounts;
import dev.unitguard.host.HostView;

/** User and group names of the checked root, numbers where a name is unknown. */
final class Names {

    private final HostView host;

    Names(HostView host) {
        this.host = host;
    }

    String user(int uid) {
        return host.user(Integer.toString(uid)).map(Accounts.User::name).orElse(Integer.toString(uid));
    }

    String group(int gid) {
        return host.group(Integer.toString(gid)).map(Accounts.Group::name).orElse(Integer.toString(gid));
    }
}
