package dev.unitguard.perms;

import dev.unitguard.host.Directory;
import dev.unitguard.host.HostBinds;
import dev.unitguard.host.HostView;
import dev.unitguard.host.Node;
import dev.unitguard.host.UnsafePathException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out a {@link FixPlan}: dry-run unless told otherwise. Each file is reached one component at a time from the
 * root's directory handle without following links ({@link Directory}); a change is skipped when a component is a
 * symlink (which one is named), the file is neither a regular file nor a directory, a regular file has more than one
 * hard link, or the file is no longer in the state the plan was made from. A directory is changed by {@code fchown}
 * and {@code fchmod} on its own descriptor, a regular file on a descriptor opened with {@code O_NOFOLLOW} from its
 * directory's; the file is read again afterwards and must be the same file in the planned state.
 */
public final class FixExecutor {

    /** What happened to one change. */
    public enum Outcome { PLANNED, APPLIED, SKIPPED, FAILED }

    /** One change and its outcome; {@code detail} says why a change was skipped or failed. */
    public record Result(Change change, Outcome outcome, String detail) {
        public Result {
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** Called once a file passed the checks, just before it is changed: tests swap files here to race the fix. */
    interface Hook {
        Hook NONE = change -> { };

        void checked(Change change) throws IOException;
    }

    private final HostView host;
    private final Hook hook;

    public FixExecutor(HostView host) {
        this(host, Hook.NONE);
    }

    FixExecutor(HostView host, Hook hook) {
        this.host = Objects.requireNonNull(host, "host");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /** Checks every change against the files now; changes nothing when {@code dryRun}. */
    public List<Result> apply(FixPlan plan, boolean dryRun) {
        List<Result> out = new ArrayList<>();
        for (Change c : plan.changes()) {
            out.add(apply(c, dryRun));
        }
        return out;
    }

    private Result apply(Change c, boolean dryRun) {
        HostBinds.Located located = host.locate(c.path());
        List<String> names = located.names();
        boolean root = names.isEmpty();
        String name = root ? null : names.get(names.size() - 1);
        try (Directory parent = Directory.walk(located.base(), located.shown(),
                root ? List.of() : names.subList(0, names.size() - 1));
             Directory dir = name != null && isDirectory(parent, name) ? parent.open(name) : null) {
            Directory at = dir != null ? dir : parent;
            String entry = dir != null || root ? null : name;
            Node node = entry == null ? at.node() : at.node(entry).orElseThrow(() -> new NoSuchFileException(c.path()));
            Optional<String> refusal = node.kind() == Node.Kind.SYMLINK ? Optional.of(c.path() + ": is a symlink"
                    + at.linkTarget(entry).map(t -> " (to " + t + ")").orElse("") + "; unitguard does not follow links")
                    : refusal(c, node);
            if (refusal.isPresent()) {
                return new Result(c, Outcome.SKIPPED, refusal.get());
            }
            if (dryRun) {
                return new Result(c, Outcome.PLANNED, null);
            }
            hook.checked(c);
            return make(c, at, entry, node);
        } catch (UnsafePathException e) {
            return new Result(c, Outcome.SKIPPED, e.getMessage());
        } catch (NoSuchFileException e) {
            return new Result(c, Outcome.SKIPPED, c.path() + ": no longer exists");
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            return new Result(c, Outcome.FAILED, c.path() + ": " + e.getMessage());
        }
    }

    private static boolean isDirectory(Directory parent, String name) throws IOException {
        return parent.node(name).map(n -> n.kind() == Node.Kind.DIRECTORY).orElse(false);
    }

    private static Optional<String> refusal(Change c, Node node) {
        if (node.kind() == Node.Kind.OTHER) {
            return Optional.of(c.path() + ": is neither a regular file nor a directory; not changed");
        }
        if (node.kind() == Node.Kind.REGULAR && node.links() > 1) {
            return Optional.of(c.path() + ": has " + node.links() + " hard links, so it is also reachable under"
                    + " another name, maybe outside the checked paths; not changed");
        }
        if (node.uid() != c.before().uid() || node.gid() != c.before().gid() || node.mode() != c.before().bits()) {
            return Optional.of(c.path() + ": changed since the plan was made (now " + node.describe() + ")");
        }
        boolean chmod = c.changesMode() || node.kind() == Node.Kind.REGULAR && c.changesOwner();
        if (chmod && (c.after().bits() & 07000) != 0) {
            return Optional.of(c.path() + ": mode " + c.after().mode() + " has setuid, setgid or sticky bits, which"
                    + " unitguard cannot set on an open file; run the commands yourself");
        }
        return Optional.empty();
    }

    /** Changes the file ({@code entry} in {@code at}, or {@code at} itself when null), then reads it back. */
    private static Result make(Change c, Directory at, String entry, Node before) throws IOException {
        if (c.changesOwner()) {
            at.setOwner(entry, c.after().uid(), c.after().gid());
        }
        if (c.changesMode()) {
            at.setMode(entry, permissions(c.after().bits()));
        }
        Optional<Node> now;
        try {
            now = entry == null ? Optional.of(at.node()) : at.node(entry);
        } catch (UnsafePathException e) {
            return new Result(c, Outcome.FAILED, c.path() + ": changed as checked, but then "
                    + e.getMessage().substring(e.getMessage().indexOf(": ") + 2) + "; look at it");
        }
        if (now.isEmpty() || !now.get().key().equals(before.key())) {
            return new Result(c, Outcome.FAILED, c.path() + ": was replaced while it was being changed");
        }
        Node n = now.get();
        if (n.uid() != c.after().uid() || n.gid() != c.after().gid() || n.mode() != c.after().bits()) {
            return new Result(c, Outcome.FAILED, c.path() + ": is " + n.describe() + " after the change");
        }
        return new Result(c, Outcome.APPLIED, null);
    }

    private static Set<PosixFilePermission> permissions(int bits) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ ... OTHERS_EXECUTE: bits 0400 to 0001
        for (int i = 0; i < all.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                out.add(all[i]);
            }
        }
        return out;
    }
}
