package dev.unitguard.learn;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.SocketNeed;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what one sample saw of a unit's processes into needs, with a note saying how each was seen. What is left out,
 * because it is transient or not a need a sandbox can grant or refuse:
 * <ul>
 * <li>{@code /proc} and {@code /sys} (the API file systems every service gets; the {@code Protect*=} settings that
 * act on them are judged on their own), {@code /dev/pts} (a terminal), {@code /dev/shm} and {@code /memfd:} (shared
 * memory made at run time), deleted files ({@code " (deleted)"}), pipes and anonymous inodes;</li>
 * <li>the root directory {@code /} as working or root directory;</li>
 * <li>a TCP connection accepted on one of the unit's own listening ports (the listener is the need).</li>
 * </ul>
 * Files mapped executable (shared libraries, the dynamic loader) are stated with {@code r}: mapping them needs read
 * access and a mount without {@code noexec}, but not the file's {@code x} bit, which the manifest's {@code x} would
 * demand; the note says "mapped executable". The executable itself gets {@code x}.
 */
final class Observer {

    private static final List<String> TRANSIENT = List.of("/proc/", "/sys/", "/dev/pts/", "/dev/shm/", "/memfd:",
            "/SYSV", "/dev/zero");
    private static final Set<Access> R = EnumSet.of(Access.R);
    private static final Set<Access> X = EnumSet.of(Access.X);
    private static final Set<Access> RX = EnumSet.of(Access.R, Access.X);

    private Observer() {
    }

    /** Adds what {@code processes} (one sample, with the socket table of their namespace) show to {@code needs}. */
    static void observe(List<ProcessSample> processes, SocketTable sockets, Needs needs) {
        Set<String> listening = new HashSet<>();
        for (ProcessSample p : processes) {
            for (ProcessSample.OpenFile f : p.files()) {
                if (sockets.socket(f.socketInode()).orElse(null) instanceof SocketTable.Listening l) {
                    listening.add(l.need().protocol() + " " + l.need().port());
                }
            }
        }
        needs.networkObserved();
        for (ProcessSample p : processes) {
            observe(p, sockets, listening, needs);
        }
    }

    private static void observe(ProcessSample p, SocketTable sockets, Set<String> listening, Needs needs) {
        p.exe().filter(Observer::kept).ifPresent(exe -> needs.path(exe, X, "executable of " + p.who()));
        p.cwd().filter(d -> kept(d) && !d.equals("/"))
                .ifPresent(d -> needs.path(d, X, "working directory of " + p.who()));
        p.root().filter(d -> kept(d) && !d.equals("/"))
                .ifPresent(d -> needs.path(d, X, "root directory of " + p.who()));
        for (ProcessSample.Mapping m : p.maps()) {
            if (!kept(m.path()) || m.path().startsWith("/dev/")) {
                continue;
            }
            if (m.sharedWritable()) {
                needs.path(m.path(), EnumSet.of(Access.R, Access.W), "mapped shared and writable by " + p.who());
            } else {
                needs.path(m.path(), R, (m.executable() ? "mapped executable by " : "mapped by ") + p.who());
            }
        }
        for (ProcessSample.OpenFile f : p.files()) {
            long inode = f.socketInode();
            if (inode >= 0) {
                sockets.socket(inode).ifPresent(s -> socket(s, p, listening, needs));
            } else if (f.target().startsWith("/") && kept(f.target()) && !f.pathOnly()) {
                file(f, p, needs);
            }
        }
    }

    private static void file(ProcessSample.OpenFile f, ProcessSample p, Needs needs) {
        String path = f.target();
        if (f.directory()) {
            needs.path(path, RX, "directory open by " + p.who());
        } else if (path.startsWith("/dev/")) {
            needs.device(path);
        } else {
            Set<Access> access = EnumSet.noneOf(Access.class);
            if (f.readable()) {
                access.add(Access.R);
            }
            if (f.writable()) {
                access.add(Access.W);
            }
            String how = access.size() == 2 ? "reading and writing" : f.writable() ? "writing" : "reading";
            needs.path(path, access, "open for " + how + " by " + p.who());
        }
    }

    private static void socket(SocketTable.Socket s, ProcessSample p, Set<String> listening, Needs needs) {
        if (s instanceof SocketTable.Listening l) {
            needs.listen(l.need(), "listening socket of " + p.who());
        } else if (s instanceof SocketTable.Connected c) {
            if (c.local().protocol() == SocketNeed.Protocol.TCP
                    && listening.contains(c.local().protocol() + " " + c.local().port())) {
                needs.family(c.family()); // a client of the service's own listener
            } else {
                needs.connect(c.remote().need(), "connected by " + p.who());
            }
        } else {
            needs.family(s.family());
        }
    }

    /** False for the transient paths the class comment lists. */
    static boolean kept(String path) {
        return path.startsWith("/") && !path.endsWith(" (deleted)") && !path.equals("/proc") && !path.equals("/sys")
                && TRANSIENT.stream().noneMatch(path::startsWith);
    }
}
