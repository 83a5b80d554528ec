package dev.unitguard.host;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a service does with a path: read, write (including creating it), execute or search. */
public enum Access {
    R, W, X;

    /**
     * Parses letters such as {@code r}, {@code rw}, {@code rx}, {@code rwx}, each at most once.
     *
     * @throws IllegalArgumentException naming the bad letter
     */
    public static Set<Access> parse(String letters) {
        if (letters == null || letters.isEmpty()) {
            throw new IllegalArgumentException("access must be one or more of r, w, x");
        }
        EnumSet<Access> set = EnumSet.noneOf(Access.class);
        for (char c : letters.toCharArray()) {
            Access a = switch (c) {
                case 'r' -> R;
                case 'w' -> W;
                case 'x' -> X;
                default -> throw new IllegalArgumentException(
                        "bad access letter '" + c + "' in \"" + letters + "\" (use r, w, x)");
            };
            if (!set.add(a)) {
                throw new IllegalArgumentException("access letter '" + c + "' repeated in \"" + letters + "\"");
            }
        }
        return set;
    }

    /** The canonical letters of a set, in r, w, x order. */
    public static String format(Set<Access> access) {
        return access.stream().sorted().map(a -> a.name().toLowerCase()).collect(Collectors.joining());
    }
}
