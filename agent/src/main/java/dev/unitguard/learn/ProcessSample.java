package dev.unitguard.learn;

import java.util.List;
import java.util.Optional;

/**
 * One process as {@code /proc/PID} showed it at one moment: its name ({@code comm}), effective uid and gid, effective
 * capabilities ({@code CapEff}), executable, working and root directories, file mappings and open files. Fields the
 * reader could not read (the process ended meanwhile, or access was refused) are empty.
 */
record ProcessSample(long pid, String name, int uid, int gid, long capEff, Optional<String> exe,
                     Optional<String> cwd, Optional<String> root, List<Mapping> maps, List<OpenFile> files) {

    ProcessSample {
        maps = List.copyOf(maps);
        files = List.copyOf(files);
    }

    /** {@code pid 812 (redis-server)}, as notes name a process. */
    String who() {
        return "pid " + pid + " (" + name + ")";
    }

    /** A file mapping of {@code /proc/PID/maps}: the file, and whether it is mapped executable or shared writable. */
    record Mapping(String path, boolean executable, boolean sharedWritable) {
    }

    /**
     * An open file descriptor: the link's target ({@code /var/lib/redis/dump.rdb}, {@code socket:[12345]},
     * {@code pipe:[7]}, {@code anon_inode:[eventfd]}) and the {@code flags} of {@code /proc/PID/fdinfo/FD} (octal
     * {@code open(2)} flags).
     */
    record OpenFile(int fd, String target, int flags) {

        static final int O_ACCMODE = 3;
        static final int O_WRONLY = 1;
        static final int O_RDWR = 2;
        static final int O_DIRECTORY = 0200000;
        static final int O_PATH = 010000000;

        boolean readable() {
            return (flags & O_ACCMODE) != O_WRONLY && (flags & O_PATH) == 0;
        }

        boolean writable() {
            int mode = flags & O_ACCMODE;
            return (mode == O_WRONLY || mode == O_RDWR) && (flags & O_PATH) == 0;
        }

        boolean directory() {
            return (flags & O_DIRECTORY) != 0;
        }

        boolean pathOnly() {
            return (flags & O_PATH) != 0;
        }

        /** The inode of a {@code socket:[N]} link, or -1. */
        long socketInode() {
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                try {
                    return Long.parseLong(target.substring(8, target.length() - 1));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return -1;
        }
    }
}
