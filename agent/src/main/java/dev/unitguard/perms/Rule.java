package dev.unitguard.perms;

import java.util.List;

/** One kind of check over a unit's files; the checker runs each of {@link #ALL} in order. */
sealed interface Rule permits AccessRule, SecretRule, WorldWritableRule, ForeignOwnerRule, WritableExecRule,
        SymlinkRule {

    List<Rule> ALL = List.of(new AccessRule(), new SecretRule(), new WorldWritableRule(), new ForeignOwnerRule(),
            new WritableExecRule(), new SymlinkRule());

    List<Finding> apply(Context context);
}
