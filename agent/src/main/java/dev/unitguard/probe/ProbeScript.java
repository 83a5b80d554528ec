package dev.unitguard.probe;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code /bin/sh -c} script a probe runs inside the sandbox: for each required path and access, and each
 * device, one test that changes nothing (r: open for reading; w on a file: open for append without writing; w on a
 * directory: create and remove a uniquely named file in it; w on a missing file: create it, then remove it; x:
 * search a directory, {@code access(X_OK)} a file; devices: open read-write; any access to a path that an
 * inaccessible node replaces, as /proc/self/mountinfo shows, fails for every user), then one line per requirement:
 * {@code UGPROBE <index> ok} or {@code UGPROBE <index> fail <access>: <error>}, and {@code UGPROBE end}.
 */
final class ProbeScript {

    static final String MARK = "UGPROBE";

    /** The programs the script runs: the shell and the external commands it calls, by absolute path. */
    static final List<String> PROGRAMS = List.of("/bin/sh", "/usr/bin/test", "/usr/bin/realpath", "/usr/bin/rm");
    static final String END = MARK + " end";

    /** Shell functions; each returns non-zero and sets E to "<access>: <error>" on failure. */
    private static final String PRELUDE = """
            set -C
            ug() { printf '%s %s %s\\n' UGPROBE "$1" "$2"; }
            ugmsg() { E="$1: ${2##*: }"; }
            ugr() { m=$( (: <"$1") 2>&1 ) || { ugmsg r "$m"; return 1; }; }
            ugw() {
              if [ -d "$1" ]; then
                t="$1/.unitguard-probe.$$.$2"
                m=$( (: >"$t") 2>&1 ) || { ugmsg w "$m"; return 1; }
                /usr/bin/rm -f "$t"
              elif [ -e "$1" ]; then
                m=$( (: >>"$1") 2>&1 ) || { ugmsg w "$m"; return 1; }
              else
                m=$( (: >"$1") 2>&1 ) || { ugmsg w "$m"; return 1; }
                /usr/bin/rm -f "$1"
              fi
            }
            ugx() {
              if [ -d "$1" ]; then (cd "$1") 2>/dev/null && return 0
              elif /usr/bin/test -x "$1"; then return 0; fi
              if [ -e "$1" ]; then E="x: Permission denied"; else E="x: No such file or directory"; fi
              return 1
            }
            ugdev() {
              [ -e "$1" ] || { E="rw: No such file or directory"; return 1; }
              m=$( (: <>"$1") 2>&1 ) || { ugmsg rw "$m"; return 1; }
            }
            ugmissing() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
            ugin() {
              p=$(/usr/bin/realpath -m -- "$1" 2>/dev/null) || p="$1"
              while read -r _ _ _ r m _; do
                case "$r" in */inaccessible/*)
                  [ "$m" = "$p" ] && { E="$2: Hidden by an inaccessible node"; return 0; };;
                esac
              done </proc/self/mountinfo
              return 1
            }
            """;

    private final List<Item> items;

    /** One probed requirement: the path as the manifest gives it, the access tested, whether it is a device. */
    record Item(String path, String access, boolean device) {
    }

    private ProbeScript(List<Item> items) {
        this.items = List.copyOf(items);
    }

    static ProbeScript of(Requirements requirements) {
        List<Item> items = new ArrayList<>();
        for (PathRequirement p : requirements.paths()) {
            items.add(new Item(p.path(), Access.format(p.access()), false));
        }
        for (String device : requirements.devices()) {
            items.add(new Item(device, "rw", true));
        }
        return new ProbeScript(items);
    }

    List<Item> items() {
        return items;
    }

    /** The script as the shell reads it. */
    String text() {
        StringBuilder s = new StringBuilder(PRELUDE);
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            String p = quote(item.path());
            String test = test(item, p, i);
            s.append("E=; if ").append(test).append("; then ug ").append(i).append(" ok; else ug ").append(i)
                    .append(" \"fail $E\"; fi\n");
        }
        s.append("echo '").append(END).append("'\n");
        return s.toString();
    }

    /**
     * The script as ExecStart= takes it over D-Bus: systemd expands {@code ${VAR}} in command lines and turns
     * {@code $$} into {@code $}, so every {@code $} is doubled.
     */
    String execArgument() {
        return text().replace("$", "$$");
    }

    private static String test(Item item, String p, int index) {
        if (item.device()) {
            return "ugdev " + p;
        }
        Set<Access> access = Access.parse(item.access());
        List<String> steps = new ArrayList<>();
        for (Access a : access) {
            steps.add("ug" + a.name().toLowerCase() + " " + p + (a == Access.W ? " " + index : ""));
        }
        // a path replaced by an inaccessible node gives no user its content, though root may open the node
        steps.add(0, "! ugin " + p + " " + item.access());
        String all = String.join(" && ", steps);
        if (access.contains(Access.W)) {
            // a file the service creates: only creating it can be tested
            return "{ if ugmissing " + p + "; then ugw " + p + " " + index + "; else " + all + "; fi; }";
        }
        return all;
    }

    /** What one line of the script's output says about item {@code index}, if it is such a line. */
    static Optional<Line> parse(String line) {
        String[] f = line.strip().split(" ", 4);
        if (f.length < 3 || !f[0].equals(MARK) || !f[1].matches("[0-9]{1,6}")) {
            return Optional.empty();
        }
        boolean ok = f[2].equals("ok");
        String error = ok ? null : f.length > 3 ? dashError(f[3]) : "";
        if (!ok && !f[2].equals("fail")) {
            return Optional.empty();
        }
        return Optional.of(new Line(Integer.parseInt(f[1]), ok, error));
    }

    /** dash words ENOENT its own way: "No such file" (open), "Directory nonexistent" (create). */
    private static final Map<String, String> DASH_ERRORS = Map.of("No such file", "No such file or directory",
            "Directory nonexistent", "No such file or directory");

    /** {@code access: message} with dash's own wording of an errno replaced by strerror's. */
    private static String dashError(String error) {
        int colon = error.indexOf(": ");
        if (colon < 0) {
            return error;
        }
        String message = error.substring(colon + 2);
        return error.substring(0, colon + 2) + DASH_ERRORS.getOrDefault(message, message);
    }

    record Line(int index, boolean ok, String error) {
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
