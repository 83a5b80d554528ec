package dev.unitguard.perms;

import dev.unitguard.sandbox.FileInfo;
import dev.unitguard.sandbox.HostView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Carries out a {@link FixPlan}: dry-run unless told otherwise. Every change is made with no-follow semantics
 * ({@code lchown}, and {@code fchmod} on a descriptor opened with {@code O_NOFOLLOW}); a change is skipped when its
 * path is no longer canonical (a symlink appeared in it), is a symlink or not a regular file or directory, or when
 * the file is no longer in the state the plan was made from.
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

    private final HostView host;

    public FixExecutor(HostView host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Checks every change against the files now; changes nothing when {@code dryRun}. */
    public List<Result> apply(FixPlan plan, boolean dryRun) {
        List<Result> out = new ArrayList<>();
        for (Change c : plan.changes()) {
            Optional<String> refusal = refusal(c);
            if (refusal.isPresent()) {
                out.add(new Result(c, Outcome.SKIPPED, refusal.get()));
            } else if (dryRun) {
                out.add(new Result(c, Outcome.PLANNED, null));
            } else {
                out.add(make(c));
            }
        }
        return out;
    }

    private Optional<String> refusal(Change c) {
        if (!host.resolve(c.path()).equals(c.path())) {
            return Optional.of(c.path() + ": the path now goes through a symlink (to " + host.resolve(c.path())
                    + "); not followed");
        }
        Optional<FileInfo> info = host.lstat(c.path());
        if (info.isEmpty()) {
            return Optional.of(c.path() + ": no longer exists");
        }
        if (info.get().type() != FileInfo.Type.REGULAR && !info.get().isDirectory()) {
            return Optional.of(c.path() + ": is a " + info.get().type().name().toLowerCase() + "; not changed");
        }
        FileInfo f = info.get();
        if (f.uid() != c.before().uid() || f.gid() != c.before().gid() || f.mode() != c.before().bits()) {
            return Optional.of(c.path() + ": changed since the plan was made (now owner " + f.uid() + " group "
                    + f.gid() + " mode " + String.format("%04o", f.mode()) + ")");
        }
        return Optional.empty();
    }

    private Result make(Change c) {
        Path p = host.hostPath(c.path());
        try {
            if (c.changesOwner()) {
                Files.setAttribute(p, "unix:uid", c.after().uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", c.after().gid(), LinkOption.NOFOLLOW_LINKS);
            }
            if (c.changesMode() || c.changesOwner() && c.after().bits() > 0777) {
                Files.setAttribute(p, "unix:mode", c.after().bits(), LinkOption.NOFOLLOW_LINKS);
            }
            return new Result(c, Outcome.APPLIED, null);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return new Result(c, Outcome.FAILED, c.path() + ": " + e.getMessage());
        }
    }
}
