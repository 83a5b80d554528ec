package dev.unitguard.sandbox;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a service needs to run: the paths and devices it must reach, and optionally the user and group it runs as
 * (by default the unit's {@code User=} and {@code Group=}). Network, system call and capability needs are judged only
 * when the manifest states them: an empty {@link Optional} means "not known", so a manifest written for paths alone
 * never fails a system call filter, while a stated empty set means "needs none".
 *
 * @param network      the sockets and address families the service uses; empty when not stated
 * @param syscalls     the system calls it makes (names as systemd knows them); empty when not stated
 * @param capabilities the capabilities it uses ({@code CAP_NET_BIND_SERVICE}); empty when not stated
 */
public record Requirements(Optional<String> user, Optional<String> group, List<PathRequirement> paths,
                           List<String> devices, Optional<NetworkNeeds> network, Optional<Set<String>> syscalls,
                           Optional<Set<String>> capabilities) {

    public Requirements {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        paths = List.copyOf(paths);
        devices = List.copyOf(devices);
        Objects.requireNonNull(network, "network");
        syscalls = syscalls.map(Set::copyOf);
        capabilities = capabilities.map(Set::copyOf);
    }

    /** Paths and devices only: network, system calls and capabilities not stated. */
    public Requirements(Optional<String> user, Optional<String> group, List<PathRequirement> paths,
                        List<String> devices) {
        this(user, group, paths, devices, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** No paths, no devices, the unit's own user: only the start-up is judged. */
    public static Requirements none() {
        return new Requirements(Optional.empty(), Optional.empty(), List.of(), List.of());
    }
}
