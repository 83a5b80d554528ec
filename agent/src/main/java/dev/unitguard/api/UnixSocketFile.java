package dev.unitguard.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/** The Unix socket's file: a stale one removed before listening, mode and group set after. Blocking: workers only. */
final class UnixSocketFile {

    private static final Logger LOG = Logger.getLogger(UnixSocketFile.class.getName());
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private UnixSocketFile() {
    }

    /** Creates the directory and removes a socket left by an agent that did not stop cleanly. */
    static void prepare(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(socket, LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(socket,
                    LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(socket)) {
                throw new IOException(socket + " exists and is not a socket");
            }
            Files.delete(socket);
        }
    }

    /** Sets the socket's mode and group; a group that does not exist leaves the socket to root (logged). */
    static void restrict(Path socket, int mode, String group) throws IOException {
        // Following links: with NOFOLLOW_LINKS the JDK opens the file to fchmod it, and open() fails on a socket.
        PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
        try {
            GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(group);
            view.setGroup(principal);
        } catch (UserPrincipalNotFoundException e) {
            LOG.warning("group " + group + " (unixSocket.group) does not exist: only root can use " + socket);
        }
        view.setPermissions(permissions(mode));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }

    static void remove(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warning("cannot remove " + socket + ": " + e.getMessage());
        }
    }
}
