package dev.unitguard.sandbox;

import java.util.Objects;

/**
 * The answer for one network, system call or capability need of the manifest. {@code need} says which, as
 * {@code listen tcp 127.0.0.1:6379}, {@code connect unix /run/postgresql/.s.PGSQL.5432}, {@code family AF_NETLINK},
 * {@code syscall socket} (or {@code syscalls} for all of them when the filter lets every one through),
 * {@code capability CAP_NET_BIND_SERVICE}. {@code deniedBy} names the directive that denies it
 * ({@code PrivateNetwork=yes}, {@code RestrictAddressFamilies=AF_UNIX}); it is null when {@code ok}.
 */
public record NeedVerdict(String need, boolean ok, String deniedBy, String reason) {

    public NeedVerdict {
        Objects.requireNonNull(need, "need");
        Objects.requireNonNull(reason, "reason");
        if (ok == (deniedBy != null)) {
            throw new IllegalArgumentException("deniedBy must be set exactly when the need is not met");
        }
    }

    static NeedVerdict granted(String need, String reason) {
        return new NeedVerdict(need, true, null, reason);
    }

    static NeedVerdict denied(String need, String deniedBy, String reason) {
        return new NeedVerdict(need, false, deniedBy, reason);
    }
}
