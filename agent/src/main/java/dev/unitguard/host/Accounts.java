package dev.unitguard.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The users and groups of {@code ROOT/etc/passwd} and {@code ROOT/etc/group}, read once. A malformed line is skipped
 * (glibc's files module skips it too) and kept as a problem naming the file and line; nsswitch compat lines
 * ({@code +name}, {@code -name}) are neither an account nor a problem; the first line of a name wins.
 */
public final class Accounts {

    /** A line of {@code /etc/passwd}. */
    public record User(String name, int uid, int gid, String home) {
    }

    /** A line of {@code /etc/group}. */
    public record Group(String name, int gid, List<String> members) {
    }

    /** The largest /etc/passwd or /etc/group read: 64 MiB (a million accounts). */
    private static final long MAX_ACCOUNT_FILE_BYTES = 64L << 20;

    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Accounts() {
    }

    /** The accounts of the machine under {@code root}; missing files have none. */
    public static Accounts read(Path root) {
        Accounts accounts = new Accounts();
        for (Line line : accounts.lines(root.resolve("etc/passwd"))) {
            String[] f = line.text().split(":", -1);
            if (f.length == 7 && !f[0].isEmpty() && f[2].matches("[0-9]+") && f[3].matches("[0-9]+")) {
                accounts.users.putIfAbsent(f[0], new User(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]));
            } else if (!nisCompat(line.text())) {
                accounts.problems.add(line.where() + ": expected name:password:UID:GID:GECOS:home:shell");
            }
        }
        for (Line line : accounts.lines(root.resolve("etc/group"))) {
            String[] f = line.text().split(":", -1);
            if (f.length == 4 && !f[0].isEmpty() && f[2].matches("[0-9]+")) {
                List<String> members = !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
                accounts.groups.putIfAbsent(f[0], new Group(f[0], Integer.parseInt(f[2]), members));
            } else if (!nisCompat(line.text())) {
                accounts.problems.add(line.where() + ": expected name:password:GID:members");
            }
        }
        return accounts;
    }

    /** The user of that name, or of that UID when the argument is a number and no user is named so. */
    public Optional<User> user(String nameOrUid) {
        return byNameOrNumber(users, nameOrUid, User::uid);
    }

    /** The group of that name, or of that GID when the argument is a number and no group is named so. */
    public Optional<Group> group(String nameOrGid) {
        return byNameOrNumber(groups, nameOrGid, Group::gid);
    }

    private static <T> Optional<T> byNameOrNumber(Map<String, T> byName, String key, ToIntFunction<T> number) {
        T named = byName.get(key);
        if (named != null || !key.matches("[0-9]+")) {
            return Optional.ofNullable(named);
        }
        int n;
        try {
            n = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            return Optional.empty(); // beyond any UID or GID
        }
        return byName.values().stream().filter(x -> number.applyAsInt(x) == n).findFirst();
    }

    /** The groups listing {@code user} as a member in {@code /etc/group}. */
    public List<Group> memberships(String user) {
        return groups.values().stream().filter(g -> g.members().contains(user)).toList();
    }

    /** Unreadable files and malformed lines, each naming the file (and line). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** A line of an account file, numbered from 1. */
    private record Line(Path file, int number, String text) {
        String where() {
            return file + ":" + number;
        }
    }

    /** {@code +name} / {@code -name} lines of nsswitch's compat mode: not an account here, not an error either. */
    private static boolean nisCompat(String line) {
        return line.startsWith("+") || line.startsWith("-");
    }

    /** The non-blank, non-comment lines; a missing file has none, an unreadable one is a problem. */
    private List<Line> lines(Path file) {
        String text;
        try {
            text = new String(RegularFile.read(file, MAX_ACCOUNT_FILE_BYTES), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            problems.add(file + ": " + (e instanceof RegularFile.Refused ? "" : "cannot read: ") + e.getMessage());
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        List<String> all = text.lines().toList();
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).isBlank() && !all.get(i).startsWith("#")) {
                lines.add(new Line(file, i + 1, all.get(i)));
            }
        }
        return lines;
    }
}
