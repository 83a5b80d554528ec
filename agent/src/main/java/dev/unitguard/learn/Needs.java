package dev.unitguard.learn;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.NetworkNeeds;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.SocketNeed;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What was seen so far, merged: each path with the union of the accesses seen and the notes of how (distinct notes
 * joined with {@code "; "}, at most {@link #MAX_NOTE} characters), devices, sockets, address families, capabilities.
 * Bounded: at most {@link RequirementsManifest#MAX_ENTRIES} entries of each kind (what the manifest itself allows);
 * past that, further entries are counted in {@link #dropped()} and not kept. Turned into {@link Requirements} in
 * sorted order, so the same observations always give the same manifest.
 */
final class Needs {

    static final int MAX_NOTE = 1024;
    /** The most distinct notes kept per entry (a service that forks a process per request has many pids). */
    static final int MAX_NOTES = 8;
    private static final int MAX = RequirementsManifest.MAX_ENTRIES;

    private record Entry(Set<Access> access, Set<String> notes) {
    }

    private final Map<String, Entry> paths = new TreeMap<>();
    private final Set<String> devices = new TreeSet<>();
    private final Map<String, Set<String>> listen = new TreeMap<>();
    private final Map<String, SocketNeed> listenNeeds = new TreeMap<>();
    private final Map<String, Set<String>> connect = new TreeMap<>();
    private final Map<String, SocketNeed> connectNeeds = new TreeMap<>();
    private final Set<String> families = new TreeSet<>();
    private final Set<String> capabilities = new TreeSet<>();
    private boolean network;
    private boolean capabilitiesSeen;
    private long dropped;

    void path(String path, Set<Access> access, String note) {
        Entry entry = paths.get(path);
        if (entry == null) {
            if (paths.size() >= MAX) {
                dropped++;
                return;
            }
            entry = new Entry(EnumSet.noneOf(Access.class), new LinkedHashSet<>());
            paths.put(path, entry);
        }
        entry.access().addAll(access);
        if (entry.notes().size() < MAX_NOTES) {
            entry.notes().add(note);
        }
    }

    void device(String path) {
        if (devices.size() < MAX || devices.contains(path)) {
            devices.add(path);
        } else {
            dropped++;
        }
    }

    void listen(SocketNeed socket, String note) {
        network = true;
        add(listen, listenNeeds, socket, note);
    }

    void connect(SocketNeed socket, String note) {
        network = true;
        add(connect, connectNeeds, socket, note);
    }

    void family(String family) {
        network = true;
        families.add(family);
    }

    /** Marks the network as observed: a service seen with no socket at all states {@code "network": {}}. */
    void networkObserved() {
        network = true;
    }

    void capabilities(Set<String> names) {
        capabilitiesSeen = true;
        capabilities.addAll(names);
    }

    boolean has(String path) {
        return paths.containsKey(path);
    }

    long dropped() {
        return dropped;
    }

    /** Adds everything in {@code other} to this. */
    void addAll(Requirements other) {
        other.paths().forEach(p -> path(p.path(), p.access(), p.learned().orElse("seen")));
        other.devices().forEach(this::device);
        other.network().ifPresent(n -> {
            networkObserved();
            n.listen().forEach(s -> listen(s, s.learned().orElse("seen")));
            n.connect().forEach(s -> connect(s, s.learned().orElse("seen")));
            n.families().forEach(this::family);
        });
        other.capabilities().ifPresent(this::capabilities);
    }

    Requirements requirements(Optional<String> user, Optional<String> group) {
        List<PathRequirement> out = new ArrayList<>();
        paths.forEach((path, p) -> out.add(new PathRequirement(path, p.access(), false, Optional.of(note(p.notes())))));
        Optional<NetworkNeeds> net = network ? Optional.of(new NetworkNeeds(sockets(listen, listenNeeds),
                sockets(connect, connectNeeds), families)) : Optional.empty();
        return new Requirements(user, group, out, List.copyOf(devices), net, Optional.empty(),
                capabilitiesSeen ? Optional.of(capabilities) : Optional.empty());
    }

    private void add(Map<String, Set<String>> notes, Map<String, SocketNeed> needs, SocketNeed socket, String note) {
        String key = socket.toString();
        if (!needs.containsKey(key) && needs.size() >= MAX) {
            dropped++;
            return;
        }
        needs.putIfAbsent(key, socket);
        Set<String> kept = notes.computeIfAbsent(key, k -> new LinkedHashSet<>());
        if (kept.size() < MAX_NOTES) {
            kept.add(note);
        }
    }

    private static List<SocketNeed> sockets(Map<String, Set<String>> notes, Map<String, SocketNeed> needs) {
        List<SocketNeed> out = new ArrayList<>();
        needs.forEach((key, s) -> out.add(new SocketNeed(s.protocol(), s.address(), s.port(),
                Optional.of(note(notes.get(key))))));
        return out;
    }

    /** The distinct notes in the order first seen, joined; cut at {@link #MAX_NOTE} characters. */
    static String note(Set<String> notes) {
        String joined = String.join("; ", notes);
        return joined.length() <= MAX_NOTE ? joined : joined.substring(0, MAX_NOTE - 3) + "...";
    }
}
