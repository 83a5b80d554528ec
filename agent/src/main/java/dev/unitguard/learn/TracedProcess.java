package dev.unitguard.learn;

import java.util.HashMap;
import java.util.Map;

/**
 * A process of a trace as far as the trace told: its effective uid and gid (from the unit's user, then its own
 * {@code set*id} calls), its name (the program it last executed), working and root directories, the sockets it made
 * ({@code socket()} results by descriptor) and the hard resource limits it read. A child starts as a copy of the
 * process that cloned it.
 */
final class TracedProcess {

    /** A socket as {@code socket()} made it. */
    record Socket(String family, String type, String protocol) {
    }

    /** The most sockets and limits kept per process. */
    static final int MAX_KEPT = 1024;

    final long pid;
    int uid;
    int gid;
    String name;
    String cwd;
    String root;
    final Map<Integer, Socket> sockets;
    final Map<String, String> hardLimits;
    /** Whether a call of its own changed it: then a late {@code clone} result does not overwrite it. */
    boolean changed;

    TracedProcess(long pid, int uid, int gid, String name, String cwd, String root) {
        this(pid, uid, gid, name, cwd, root, new HashMap<>(), new HashMap<>());
    }

    private TracedProcess(long pid, int uid, int gid, String name, String cwd, String root,
                          Map<Integer, Socket> sockets, Map<String, String> hardLimits) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
        this.name = name;
        this.cwd = cwd;
        this.root = root;
        this.sockets = sockets;
        this.hardLimits = hardLimits;
    }

    /** The child {@code pid} as a copy of this process. */
    TracedProcess child(long childPid) {
        return new TracedProcess(childPid, uid, gid, name, cwd, root, new HashMap<>(sockets),
                new HashMap<>(hardLimits));
    }

    boolean isRoot() {
        return uid == 0;
    }

    /** {@code root pid 812 (nginx)}, {@code pid 813 (nginx, uid 33)}: how notes name a process. */
    String who() {
        return (uid == 0 ? "root pid " : "pid ") + pid + " (" + name + (uid == 0 ? "" : ", uid " + uid) + ")";
    }

    /** An absolute path as this process named it: relative to its working directory, under its root directory. */
    String absolute(String path) {
        String abs = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
        return root.equals("/") ? abs : root + abs;
    }

    void socket(int fd, Socket socket) {
        if (sockets.size() < MAX_KEPT || sockets.containsKey(fd)) {
            sockets.put(fd, socket);
        }
    }
}
