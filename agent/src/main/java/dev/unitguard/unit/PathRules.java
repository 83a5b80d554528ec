package dev.unitguard.unit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * systemd 252's parsers for path settings: {@code config_parse_namespace_path_strv} (ReadWritePaths= and the other
 * mount lists, with the {@code -} and {@code +} prefixes), {@code config_parse_temporary_filesystems},
 * {@code config_parse_bind_paths}, {@code config_parse_exec_directories}, {@code config_parse_working_directory},
 * {@code config_parse_unit_path_printf} and {@code config_parse_device_allow}, with {@code path_simplify_and_warn()}'s
 * checks and warning texts.
 */
final class PathRules {

    /** Specifiers that resolve to an absolute path (%t is /run, %h the home directory, ...). */
    private static final String ABSOLUTE_SPECIFIERS = "CdEhLsStTVyY";
    private static final int PATH_MAX = 4096;
    private static final int NAME_MAX = 255;

    private PathRules() {
    }

    /** ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, ExecPaths=, NoExecPaths=: absolute, {@code -+} prefixes. */
    static ValueRule namespacePaths() {
        return (value, out) -> words(value, out, word -> {
            String path = word.startsWith("-") ? word.substring(1) : word;
            path = path.startsWith("+") ? path.substring(1) : path;
            checkPath(path, Kind.ABSOLUTE, out);
        });
    }

    /** TemporaryFileSystem=: absolute paths, each with optional {@code :options} (checked when mounting). */
    static ValueRule temporaryFileSystem() {
        return (value, out) -> words(value, out, word -> {
            int colon = word.indexOf(':');
            checkPath(colon < 0 ? word : word.substring(0, colon), Kind.ABSOLUTE, out);
        });
    }

    /** BindPaths=, BindReadOnlyPaths=: {@code [-]SOURCE[:DEST[:rbind|norbind]]}, both absolute. */
    static ValueRule bindPaths() {
        return (value, out) -> words(value, out, word -> {
            String[] parts = word.split(":", 3);
            String source = parts[0].startsWith("-") ? parts[0].substring(1) : parts[0];
            if (!checkPath(source, Kind.ABSOLUTE, out) || parts.length == 1 || !checkPath(parts[1], Kind.ABSOLUTE, out)) {
                return;
            }
            if (parts.length == 3 && !parts[2].equals("rbind") && !parts[2].equals("norbind")) {
                out.ignore("Invalid option string, ignoring setting: " + parts[2]);
            }
        });
    }

    /**
     * StateDirectory= and the other four: relative normalized paths other than {@code private}, each with an
     * optional {@code :SYMLINK} (relative too; not for ConfigurationDirectory=).
     */
    static ValueRule execDirectories(boolean symlinks) {
        return (value, out) -> words(value, out, word -> {
            List<String> parts = Arrays.stream(word.split(":")).filter(p -> !p.isEmpty()).toList();
            if (parts.isEmpty()) {
                return;
            }
            if (parts.size() > 1 && !symlinks) {
                out.skip("Destination parameter is not supported for " + out.key() + ", ignoring: " + word);
            } else if (parts.get(0).equals("private")) {
                out.ignore(out.key() + "= path can't be 'private', ignoring assignment: " + word);
            } else if (checkPath(parts.get(0), Kind.RELATIVE, out) && parts.size() > 1) {
                checkPath(parts.get(1), Kind.RELATIVE, out);
            }
        });
    }

    /** WorkingDirectory=: empty, {@code ~}, or an absolute normalized path, each optionally after {@code -}. */
    static ValueRule workingDirectory() {
        return (value, out) -> {
            String path = value.startsWith("-") ? value.substring(1) : value;
            if (!value.isEmpty() && !path.equals("~") && specifiersKnown(path, out)) {
                checkPath(path, Kind.ABSOLUTE_FATAL, out);
            }
        };
    }

    /** RootDirectory=: empty or an absolute normalized path; otherwise the unit fails to load. */
    static ValueRule rootDirectory() {
        return (value, out) -> {
            if (!value.isEmpty() && specifiersKnown(value, out)) {
                checkPath(value, Kind.ABSOLUTE_FATAL, out);
            }
        };
    }

    /** DeviceAllow=: a {@code /dev/} node, {@code char-} or {@code block-} group, then rights made of rwm. */
    static ValueRule deviceAllow() {
        return (value, out) -> {
            if (value.isEmpty()) {
                return;
            }
            int end = 0;
            while (end < value.length() && Words.WHITESPACE.indexOf(value.charAt(end)) < 0) {
                end++;
            }
            String path = value.substring(0, end);
            String rights = value.substring(end).strip();
            if (!specifiersKnown(path, out)) {
                return;
            }
            if (path.startsWith("/dev/")) {
                if (!checkPath(path, Kind.ABSOLUTE, out)) {
                    return;
                }
            } else if (!path.startsWith("char-") && !path.startsWith("block-")) {
                out.ignore("Invalid device node path '" + path + "', ignoring.");
                return;
            }
            if (!rights.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm')) {
                out.ignore("Invalid device rights '" + rights + "', ignoring.");
            }
        };
    }

    /** Each word, quotes and escapes resolved; an unbalanced quote ignores the whole value. */
    private static void words(String value, ValueCheck out, java.util.function.Consumer<String> each) {
        List<String> words = out.words(value, "Failed to extract first word, ignoring: ");
        for (String word : words == null ? List.<String>of() : words) {
            if (specifiersKnown(word, out)) {
                each.accept(word);
            }
        }
    }

    /** What path_simplify_and_warn() is asked to check, and whether a bad path fails the unit. */
    private enum Kind {
        ABSOLUTE, RELATIVE, ABSOLUTE_FATAL
    }

    /** path_simplify_and_warn(): absolute or relative as required, valid length, normalized (no {@code ..}). */
    private static boolean checkPath(String path, Kind kind, ValueCheck out) {
        String key = out.key();
        boolean fatal = kind == Kind.ABSOLUTE_FATAL;
        boolean absolute = kind != Kind.RELATIVE;
        String ignoring = fatal ? "" : ", ignoring";
        java.util.function.Consumer<String> warn = fatal ? out::fail : out::skip;
        if (absolute != isAbsolute(path)) {
            warn.accept(key + "= path is " + (absolute ? "not " : "") + "absolute" + ignoring + ": " + path);
            return false;
        }
        String simplified = simplify(path);
        int bytes = simplified.getBytes(StandardCharsets.UTF_8).length;
        boolean validLength = !simplified.isEmpty() && bytes < PATH_MAX && List.of(simplified.split("/")).stream()
                .allMatch(name -> name.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX);
        if (!validLength) {
            warn.accept(key + "= path has invalid length (" + bytes + " bytes)" + ignoring + ".");
            return false;
        }
        if (simplified.equals(".") || List.of(simplified.split("/")).contains("..")) {
            warn.accept(key + "= path is not normalized" + ignoring + ": " + simplified);
            return false;
        }
        return true;
    }

    private static boolean isAbsolute(String path) {
        return path.startsWith("/")
                || (path.length() >= 2 && path.charAt(0) == '%' && ABSOLUTE_SPECIFIERS.indexOf(path.charAt(1)) >= 0);
    }

    /** path_simplify(): no empty or {@code .} components, no trailing slash. */
    private static String simplify(String path) {
        String joined = Arrays.stream(path.split("/"))
                .filter(name -> !name.isEmpty() && !name.equals("."))
                .collect(Collectors.joining("/"));
        if (path.startsWith("/")) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** Whether every {@code %} specifier is one systemd knows; else the unit fails to load, in systemd's words. */
    static boolean specifiersKnown(String value, ValueCheck out) {
        for (int i = 0; i < value.length() - 1; i++) {
            if (value.charAt(i) == '%') {
                if (!Specifiers.isKnown(value.charAt(i + 1))) {
                    out.fail("Failed to resolve unit specifiers in " + value + ": Invalid slot");
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
