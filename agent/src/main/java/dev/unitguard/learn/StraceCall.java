package dev.unitguard.learn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One system call as {@code strace -f -qq -e signal=none} printed it: {@code 812   openat(AT_FDCWD, "/etc/x",
 * O_RDONLY) = 3}. {@code result} is the number returned ({@code -1} with {@code error} for a failure such as
 * {@code ENOENT}; an address or {@code ?} parse as 0 with no error). Calls split across lines by another process'
 * line ({@code <unfinished ...>}, {@code <... openat resumed>}) are joined by {@link Joiner}.
 */
record StraceCall(long pid, String name, List<String> args, long result, Optional<String> error) {

    private static final Pattern LINE = Pattern.compile("(\\d{1,10}) +([a-z0-9_]{1,64})\\((.*)\\) += (.*)");
    private static final Pattern UNFINISHED = Pattern.compile(
            "(\\d{1,10}) +([a-z0-9_]{1,64})\\((.*) <unfinished \\.\\.\\.>");
    private static final Pattern RESUMED = Pattern.compile("(\\d{1,10}) +<\\.\\.\\. ([a-z0-9_]{1,64}) resumed>(.*)");
    private static final Pattern RESULT = Pattern.compile("(-?\\d+|0x[0-9a-f]+|\\?)(?: (E[A-Z0-9]+))?.*");
    /** The longest line kept: a line beyond it (a huge argument) is skipped. */
    static final int MAX_LINE = 64 * 1024;

    StraceCall {
        args = List.copyOf(args);
    }

    boolean ok() {
        return error.isEmpty() && result >= 0;
    }

    /** The {@code i}th argument, or "" when the call had fewer. */
    String arg(int i) {
        return i < args.size() ? args.get(i) : "";
    }

    /** The {@code i}th argument as a path: the string literal unquoted, or empty when it is not a string. */
    Optional<String> path(int i) {
        return unquote(arg(i));
    }

    /** A complete line, or empty for anything else (a message of strace, a line of another format). */
    static Optional<StraceCall> parse(String line) {
        if (line.length() > MAX_LINE) {
            return Optional.empty();
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        // greedy: the last ") = " closes the arguments (a path's quote marks are escaped, results hold none)
        String args = m.group(3);
        Matcher r = RESULT.matcher(m.group(4).strip());
        if (!r.matches()) {
            return Optional.empty();
        }
        long result;
        String value = r.group(1);
        try {
            result = value.equals("?") || value.startsWith("0x") ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            result = 0; // beyond a long: a count or an address
        }
        return Optional.of(new StraceCall(Long.parseLong(m.group(1)), m.group(2), split(args), result,
                Optional.ofNullable(r.group(2))));
    }

    /** Splits an argument list at its top-level commas (not inside quotes, brackets, braces or parentheses). */
    static List<String> split(String args) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        String last = args.substring(start).strip();
        if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    /** A string literal of strace ({@code "a\"b"}, with C escapes) as its text; empty if {@code arg} is not one. */
    static Optional<String> unquote(String arg) {
        if (arg.length() < 2 || arg.charAt(0) != '"' || !arg.endsWith("\"") || arg.endsWith("\"...")) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < arg.length() - 1; i++) {
            char c = arg.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= arg.length() - 1) {
                return Optional.empty();
            }
            char e = arg.charAt(i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'v' -> out.append('\u000b');
                case 'f' -> out.append('\f');
                case 'x' -> {
                    if (i + 2 >= arg.length()) {
                        return Optional.empty();
                    }
                    out.append((char) Integer.parseInt(arg.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i;
                        while (end < i + 3 && end < arg.length() - 1 && arg.charAt(end) >= '0' && arg.charAt(end) <= '7') {
                            end++;
                        }
                        out.append((char) Integer.parseInt(arg.substring(i, end), 8));
                        i = end - 1;
                    } else {
                        out.append(e);
                    }
                }
            }
        }
        return Optional.of(out.toString());
    }

    /** Joins the halves of calls another process interrupted; feeds whole lines through. Bounded by its callers. */
    static final class Joiner {
        /** The most calls left unfinished at once (one per thread that is in a call). */
        static final int MAX_PENDING = 4096;
        private final Map<Long, String> pending = new HashMap<>();

        /** The call {@code line} completes, if any. */
        Optional<StraceCall> accept(String line) {
            if (line.length() > MAX_LINE) {
                return Optional.empty();
            }
            Matcher u = UNFINISHED.matcher(line);
            if (u.matches()) {
                if (pending.size() < MAX_PENDING) {
                    pending.put(Long.parseLong(u.group(1)), u.group(1) + " " + u.group(2) + "(" + u.group(3));
                }
                return Optional.empty();
            }
            Matcher r = RESUMED.matcher(line);
            if (r.matches()) {
                String head = pending.remove(Long.parseLong(r.group(1)));
                if (head == null || !head.startsWith(r.group(1) + " " + r.group(2) + "(")) {
                    return Optional.empty();
                }
                String tail = r.group(3);
                String sep = head.endsWith("(") || tail.startsWith(")") || tail.startsWith(",") ? "" : ", ";
                return parse(head + sep + tail);
            }
            return parse(line);
        }
    }
}
