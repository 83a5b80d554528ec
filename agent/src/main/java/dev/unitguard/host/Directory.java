package dev.unitguard.host;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An open directory, and every operation on the entries in it relative to that handle without following links: a
 * {@link SecureDirectoryStream} (on Linux the JDK's {@code openat}/{@code fstatat}/{@code renameat}/{@code unlinkat}
 * on the directory's descriptor, {@code O_NOFOLLOW} and {@code AT_SYMLINK_NOFOLLOW}). A path is reached one
 * component at a time from a directory trusted by configuration ({@link #walk}); no path string below it is
 * resolved again, except the {@code lstat} that reads the link count, which is only believed when it names the file
 * the handle names (same device and inode).
 */
public final class Directory implements Closeable {

    private static final String ATTRIBUTES = "unix:mode,uid,gid,nlink,fileKey";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final SecureDirectoryStream<Path> handle;
    private final Path path;
    private final String shown;

    private Directory(SecureDirectoryStream<Path> handle, Path path, String shown) {
        this.handle = handle;
        this.path = path;
        this.shown = shown;
    }

    /**
     * Opens a directory trusted by configuration (/etc/systemd/system, the state directory, a checked root such as a
     * container's {@code /proc/PID/root}): it is followed as given. {@code shown} is its name in messages.
     */
    public static Directory open(Path trusted, String shown) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(trusted);
        if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
            stream.close();
            throw new IOException(shown + ": no-follow file operations need openat(2), which this platform lacks");
        }
        return new Directory(secure, trusted, shown);
    }

    /** The directory {@code names} below {@code trusted}, each component opened without following links. */
    public static Directory walk(Path trusted, String shown, List<String> names) throws IOException {
        return walk(trusted, shown, names, null);
    }

    /**
     * The directory {@code names} below {@code trusted}, each component opened without following links, the missing
     * ones created with exactly {@code mode} ({@code null}: none created, a missing one is NoSuchFileException).
     */
    public static Directory walk(Path trusted, String shown, List<String> names, Set<PosixFilePermission> mode)
            throws IOException {
        Directory dir = open(trusted, shown);
        try {
            for (String name : names) {
                Directory next = mode == null ? dir.open(name) : dir.openOrCreate(name, mode);
                dir.close();
                dir = next;
            }
            return dir;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** This directory's name in messages. */
    public String shown() {
        return shown;
    }

    /** An entry's name in messages. */
    public String shown(String name) {
        return shown.endsWith("/") ? shown + name : shown + "/" + name;
    }

    /** The directory {@code name} in this one; refused when it is a symlink or not a directory. */
    public Directory open(String name) throws IOException {
        Node node = node(name).orElseThrow(() -> new NoSuchFileException(shown(name)));
        require(name, node, Node.Kind.DIRECTORY);
        SecureDirectoryStream<Path> child;
        try {
            child = handle.newDirectoryStream(entry(name), NOFOLLOW);
        } catch (NotDirectoryException e) {
            throw new UnsafePathException(shown(name), "is not a directory");
        } catch (FileSystemException e) {
            throw symlinkRace(name, e);
        }
        Directory dir = new Directory(child, path.resolve(name), shown(name));
        if (!dir.node().key().equals(node.key())) {
            dir.close();
            throw new UnsafePathException(shown(name), "was replaced while it was being opened");
        }
        return dir;
    }

    /** The directory {@code name}, created with exactly {@code mode} (whatever the umask) when it does not exist. */
    public Directory openOrCreate(String name, Set<PosixFilePermission> mode) throws IOException {
        if (node(name).isPresent()) {
            return open(name);
        }
        try {
            // the JDK has no mkdirat: created by path in this directory, then opened and checked through the handle
            Files.createDirectory(path.resolve(entry(name)));
        } catch (FileAlreadyExistsException e) {
            return open(name);
        }
        Directory dir = open(name);
        dir.setMode(null, mode);
        return dir;
    }

    /** The entry {@code name} as {@code fstatat(AT_SYMLINK_NOFOLLOW)} sees it; empty when there is none. */
    public Optional<Node> node(String name) throws IOException {
        PosixFileAttributes a;
        try {
            a = view(name).readAttributes();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(node(a, path.resolve(entry(name)), shown(name)));
    }

    /** This directory itself, as {@code fstat} on its descriptor sees it. */
    public Node node() throws IOException {
        return node(view(null).readAttributes(), path, shown);
    }

    private static Node node(PosixFileAttributes a, Path path, String shown) throws IOException {
        Node.Kind kind = a.isSymbolicLink() ? Node.Kind.SYMLINK : a.isDirectory() ? Node.Kind.DIRECTORY
                : a.isRegularFile() ? Node.Kind.REGULAR : Node.Kind.OTHER;
        Map<String, Object> u;
        try {
            u = Files.readAttributes(path, ATTRIBUTES, NOFOLLOW);
        } catch (NoSuchFileException e) {
            throw new UnsafePathException(shown, "was moved while it was being read");
        }
        if (!a.fileKey().equals(u.get("fileKey"))) {
            throw new UnsafePathException(shown, "was replaced while it was being read");
        }
        return new Node(kind, (Integer) u.get("uid"), (Integer) u.get("gid"), (Integer) u.get("mode") & 07777,
                (Integer) u.get("nlink"), a.fileKey());
    }

    /**
     * Changes owner and group of the entry {@code name} ({@code null}: this directory, by {@code fchown} on its
     * descriptor; an entry: {@code fchown} on a descriptor opened with {@code O_NOFOLLOW} relative to this one).
     */
    public void setOwner(String name, int uid, int gid) throws IOException {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        // numeric names: the JDK takes a number for an id when no account has it as its name (systemd refuses
        // purely numeric user and group names)
        PosixFileAttributeView view = view(name);
        view.setOwner(lookup.lookupPrincipalByName(Integer.toString(uid)));
        view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(gid)));
    }

    /** What the symlink {@code name} points to, as written, for messages only; empty when it is none. */
    public Optional<String> linkTarget(String name) {
        try {
            return Optional.of(Files.readSymbolicLink(path.resolve(entry(name))).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Sets the nine permission bits of {@code name} ({@code null}: this directory) by {@code fchmod}. */
    public void setMode(String name, Set<PosixFilePermission> mode) throws IOException {
        view(name).setPermissions(mode);
    }

    /**
     * The content of the regular file {@code name}, at most {@code max} bytes; empty when there is none. Refused when
     * it is a symlink or not a regular file (a FIFO would block the reader).
     */
    public Optional<byte[]> read(String name, int max) throws IOException {
        Optional<Node> node = node(name);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        require(name, node.get(), Node.Kind.REGULAR);
        try (SeekableByteChannel channel = channel(name, StandardOpenOption.READ, NOFOLLOW)) {
            long size = channel.size();
            if (size > max) {
                throw new UnsafePathException(shown(name), "is larger than " + max + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size + 1);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // until full or at its end
            }
            if (buffer.position() > size) {
                throw new UnsafePathException(shown(name), "grew while it was being read");
            }
            return Optional.of(Arrays.copyOf(buffer.array(), buffer.position()));
        } catch (UnsafePathException e) {
            throw e;
        } catch (FileSystemException e) {
            throw symlinkRace(name, e);
        }
    }

    /** Creates the new file {@code name} ({@code O_CREAT|O_EXCL}), writes and syncs it, then sets exactly {@code mode}. */
    public void create(String name, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        try (FileChannel channel = (FileChannel) handle.newByteChannel(entry(name), Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer bytes = ByteBuffer.wrap(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        setMode(name, mode);
    }

    /** Renames {@code from} to {@code to} in this directory ({@code renameat}, replacing {@code to}). */
    public void rename(String from, String to) throws IOException {
        handle.move(entry(from), handle, entry(to));
    }

    /** Removes the entry {@code name} if it is not a directory ({@code unlinkat}); false when there was none. */
    public boolean delete(String name) throws IOException {
        try {
            handle.deleteFile(entry(name));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The names in this directory. */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (SecureDirectoryStream<Path> again = handle.newDirectoryStream(Path.of("."), NOFOLLOW)) {
            again.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    /** {@code fsync} of this directory, so renames and removals in it are durable. */
    public void sync() throws IOException {
        try (FileChannel channel = (FileChannel) channel(".", StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        handle.close();
    }

    private SeekableByteChannel channel(String name, OpenOption... options) throws IOException {
        return handle.newByteChannel(Path.of(name), Set.of(options));
    }

    private PosixFileAttributeView view(String name) {
        return name == null ? handle.getFileAttributeView(PosixFileAttributeView.class)
                : handle.getFileAttributeView(entry(name), PosixFileAttributeView.class, NOFOLLOW);
    }

    private void require(String name, Node node, Node.Kind kind) throws IOException {
        if (node.kind() == Node.Kind.SYMLINK) {
            throw new UnsafePathException(shown(name), "is a symlink" + linkTarget(name).map(t -> " (to " + t + ")")
                    .orElse("") + "; unitguard does not follow links");
        }
        if (node.kind() != kind) {
            throw new UnsafePathException(shown(name), kind == Node.Kind.DIRECTORY ? "is not a directory"
                    : "is not a regular file");
        }
    }

    /** {@code ELOOP} from {@code O_NOFOLLOW}: the entry became a symlink after it was checked. */
    private FileSystemException symlinkRace(String name, FileSystemException e) {
        return e.getReason() != null && e.getReason().contains("symbolic link")
                ? new UnsafePathException(shown(name), "became a symlink; unitguard does not follow links") : e;
    }

    /** One component: never empty, {@code .}, {@code ..} or containing a slash. */
    private static Path entry(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a single path component: \"" + name + "\"");
        }
        return Path.of(name);
    }
}
