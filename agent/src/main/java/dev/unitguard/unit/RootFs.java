package dev.unitguard.unit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A file system tree seen from a root directory ({@code --root}): paths are absolute strings as seen inside the
 * root, symbolic links are followed inside it (absolute targets re-rooted, {@code ..} never leaves it).
 */
final class RootFs {

    static final String DEV_NULL = "/dev/null";
    private static final int MAX_LINKS = 40;

    private final Path root;

    RootFs(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The host path of an in-root absolute path. */
    Path host(String path) {
        return path.equals("/") ? root : root.resolve(path.substring(1));
    }

    /**
     * Follows every symbolic link of {@code path}; returns the final in-root path, {@link #DEV_NULL} for a link to
     * /dev/null, or null when something along the way does not exist or links loop.
     */
    String chase(String path) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        String current = "";
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                current = current.contains("/") ? current.substring(0, current.lastIndexOf('/')) : "";
                continue;
            }
            String next = current + "/" + part;
            if (next.equals(DEV_NULL)) {
                return todo.isEmpty() ? DEV_NULL : null;
            }
            Path host = host(next);
            BasicFileAttributes attributes = lstat(host);
            if (attributes == null) {
                return null;
            }
            if (attributes.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    return null;
                }
                String target;
                try {
                    target = Files.readSymbolicLink(host).toString();
                } catch (IOException e) {
                    return null;
                }
                if (target.equals(DEV_NULL) && todo.isEmpty()) {
                    return DEV_NULL;
                }
                if (target.startsWith("/")) {
                    current = "";
                }
                push(todo, target);
            } else {
                current = next;
            }
        }
        return current.isEmpty() ? "/" : current;
    }

    /**
     * {@link #chase} of {@code dir + "/" + name} for a {@code name} without slashes, given {@code chasedDir}, the
     * chase of {@code dir}: one lstat of the entry, the whole path chased again only when the entry is a link.
     */
    String chaseIn(String dir, String chasedDir, String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
            return chase(dir + "/" + name);
        }
        String next = (chasedDir.equals("/") ? "" : chasedDir) + "/" + name;
        if (next.equals(DEV_NULL)) {
            return DEV_NULL;
        }
        BasicFileAttributes attributes = lstat(host(next));
        if (attributes == null) {
            return null;
        }
        return attributes.isSymbolicLink() ? chase(dir + "/" + name) : next;
    }

    /** The attributes of a file itself (a link not followed), or null when it cannot be read. */
    private static BasicFileAttributes lstat(Path host) {
        try {
            return Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    /** The target of a symbolic link as an in-root path (not followed further), or null if not a link. */
    String linkTarget(String path) {
        Path host = host(path);
        if (!Files.isSymbolicLink(host)) {
            return null;
        }
        try {
            String target = Files.readSymbolicLink(host).toString();
            return target.startsWith("/") ? target : path.substring(0, path.lastIndexOf('/') + 1) + target;
        } catch (IOException e) {
            return null;
        }
    }
}
