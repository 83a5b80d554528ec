package dev.unitguard.sandbox;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a service needs from the network: the sockets it listens on, those it connects to, and the address families
 * it makes sockets in beyond those (for example {@code AF_NETLINK} for {@code getifaddrs()}).
 */
public record NetworkNeeds(List<SocketNeed> listen, List<SocketNeed> connect, Set<String> families) {

    public NetworkNeeds {
        listen = List.copyOf(listen);
        connect = List.copyOf(connect);
        families = Set.copyOf(families);
    }

    /**
     * Every address family the service uses, sorted: those named, and those of its sockets ({@code AF_UNIX},
     * {@code AF_INET}, {@code AF_INET6}).
     */
    public Set<String> allFamilies() {
        Set<String> all = new TreeSet<>(families);
        listen.forEach(s -> all.add(s.family()));
        connect.forEach(s -> all.add(s.family()));
        return all;
    }

    /** True when the service uses a socket other than a Unix one, or a family other than {@code AF_UNIX}. */
    public boolean usesNetwork() {
        return allFamilies().stream().anyMatch(f -> !f.equals("AF_UNIX"));
    }
}
