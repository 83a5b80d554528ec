package dev.unitguard.unit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One command of an {@code ExecStart=}-like setting, parsed as systemd 252's {@code config_parse_exec()} does
 * (systemd.service(5), "Command lines"): special prefixes, then the executable, then the arguments, words split
 * and unquoted by {@link Words}. Specifiers are not resolved.
 *
 * @param prefixes the special executable prefixes given
 * @param path     the executable as written (after prefixes), an absolute path or a bare file name
 * @param argv     the argument vector; {@code argv[0]} is the path unless {@code @} gave it separately
 */
public record ExecCommand(Set<Prefix> prefixes, String path, List<String> argv) {

    /** The special executable prefixes; each may be given at most once, in any order. */
    public enum Prefix {
        /** {@code -}: a failure exit code is recorded but has no further effect. */
        IGNORE_FAILURE,
        /** {@code @}: the second word is passed as {@code argv[0]}. */
        SEPARATE_ARGV0,
        /** {@code :}: no environment variable substitution. */
        NO_ENV_EXPANSION,
        /** {@code +}: runs with full privileges, no sandboxing. */
        FULL_PRIVILEGES,
        /** {@code !}: sandboxing applies, but no user/group credential change. */
        NO_SETUID,
        /** {@code !!}: like {@code !} only where the kernel lacks ambient capabilities. */
        AMBIENT_MAGIC
    }

    public ExecCommand {
        prefixes = Collections.unmodifiableSet(prefixes.isEmpty() ? EnumSet.noneOf(Prefix.class) : EnumSet.copyOf(prefixes));
        Objects.requireNonNull(path, "path");
        argv = List.copyOf(argv);
    }

    public boolean has(Prefix prefix) {
        return prefixes.contains(prefix);
    }

    /** Parses a value holding exactly one command; an empty value or several commands are an error. */
    public static ExecCommand parse(String value) {
        List<ExecCommand> commands = parseAll(value);
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("empty command line");
        }
        if (commands.size() > 1) {
            throw new IllegalArgumentException("several commands separated by ';' in \"" + value + "\"");
        }
        return commands.get(0);
    }

    /**
     * Parses every command of a value; commands may be separated by a lone {@code ;} (legacy syntax; {@code \;}
     * is a literal semicolon argument). An empty value gives an empty list (it resets the setting).
     */
    public static List<ExecCommand> parseAll(String value) {
        Words.Cursor cursor = new Words.Cursor(value);
        List<ExecCommand> commands = new ArrayList<>();
        while (!cursor.rest().isEmpty()) {
            commands.add(parseOne(cursor, value));
        }
        return commands;
    }

    private static ExecCommand parseOne(Words.Cursor cursor, String value) {
        String first = cursor.next();
        EnumSet<Prefix> prefixes = EnumSet.noneOf(Prefix.class);
        int i = 0;
        while (i < first.length() && addPrefix(prefixes, first.charAt(i))) {
            i++;
        }
        String path = first.substring(i);
        checkPath(path, value);
        List<String> argv = new ArrayList<>();
        if (!prefixes.contains(Prefix.SEPARATE_ARGV0)) {
            argv.add(path);
        }
        readArguments(cursor, argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty executable name or zeroeth argument in \"" + value + "\"");
        }
        return new ExecCommand(prefixes, path, argv);
    }

    /** Adds the prefix {@code c} stands for, if it may still be added; false ends the prefix run. */
    private static boolean addPrefix(EnumSet<Prefix> prefixes, char c) {
        boolean privilegeGiven = prefixes.contains(Prefix.FULL_PRIVILEGES) || prefixes.contains(Prefix.AMBIENT_MAGIC);
        Prefix add = switch (c) {
            case '-' -> Prefix.IGNORE_FAILURE;
            case '@' -> Prefix.SEPARATE_ARGV0;
            case ':' -> Prefix.NO_ENV_EXPANSION;
            case '+' -> privilegeGiven || prefixes.contains(Prefix.NO_SETUID) ? null : Prefix.FULL_PRIVILEGES;
            case '!' -> privilegeGiven ? null : prefixes.contains(Prefix.NO_SETUID) ? Prefix.AMBIENT_MAGIC : Prefix.NO_SETUID;
            default -> null;
        };
        if (add == null || prefixes.contains(add)) {
            return false;
        }
        if (add == Prefix.AMBIENT_MAGIC) {
            prefixes.remove(Prefix.NO_SETUID);
        }
        prefixes.add(add);
        return true;
    }

    private static void checkPath(String path, String value) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty path in command line \"" + value + "\"");
        }
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("executable path specifies a directory: " + path);
        }
        boolean valid = path.startsWith("/") ? !path.contains("\0") : !path.contains("/") && !path.equals(".")
                && !path.equals("..") && path.length() <= 255;
        if (!valid || path.chars().anyMatch(ch -> ch < ' ' || ch == 127)) {
            throw new IllegalArgumentException("neither a valid executable name nor an absolute path: " + path);
        }
    }

    private static void readArguments(Words.Cursor cursor, List<String> argv) {
        while (true) {
            String rest = cursor.rest();
            if (rest.isEmpty()) {
                return;
            }
            if (rest.startsWith(";") && (rest.length() == 1 || Words.WHITESPACE.indexOf(rest.charAt(1)) >= 0)) {
                cursor.advance(1);
                return;
            }
            if (rest.startsWith("\\;") && (rest.length() == 2 || Words.WHITESPACE.indexOf(rest.charAt(2)) >= 0)) {
                cursor.advance(2);
                argv.add(";");
                continue;
            }
            argv.add(cursor.next());
        }
    }
}
