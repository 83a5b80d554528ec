package dev.unitguard.probe;

import dev.unitguard.host.Access;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.ExecInterpreter;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code /bin/sh -c} script a probe runs inside the sandbox: for each required path and access, and each
 * device, one test that changes nothing (r: open for reading; w on a file: open for append without writing; w on a
 * directory: create and remove a uniquely named file in it; w on a missing file: create it, then remove it; x:
 * search a directory, {@code access(X_OK)} a file and each interpreter the kernel would load for it, a file under
 * one of the probe's own exec binds judged by the noexec flag of the mount beneath, as /proc/self/mountinfo shows;
 * devices: open read-write; any access to a path that an inaccessible node replaces, as /proc/self/mountinfo shows,
 * fails for every user), then one line per requirement: {@code UGPROBE <index> ok} or
 * {@code UGPROBE <index> fail <access>: <error>}, and {@code UGPROBE end}. With network needs it first prints
 * {@code UGPROBE net net:[INODE]} and {@code UGPROBE ifs lo ...}: its network namespace and devices
 * ({@link ProbeNetwork}).
 */
final class ProbeScript {

    static final String MARK = "UGPROBE";

    /** The programs the script runs: the shell and the external commands it calls, by absolute path. */
    static final List<String> PROGRAMS = List.of("/bin/sh", "/usr/bin/test", "/usr/bin/realpath", "/usr/bin/rm",
            "/usr/bin/readlink");
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
              elif /usr/bin/test -x "$1" && ! ugown "$1"; then return 0; fi
              if [ -e "$1" ]; then E="x: Permission denied"; else E="x: No such file or directory"; fi
              return 1
            }
            ugxi() {
              [ -e "$1" ] || { E="x: No such file or directory (its interpreter $2 is missing)"; return 1; }
              /usr/bin/test -x "$1" && ! ugown "$1" && return 0
              if ugnoexec "$1"; then E="x: Permission denied (its interpreter $2 is on a noexec mount)"
              else E="x: Permission denied (its interpreter $2 is not executable)"; fi
              return 1
            }
            ugown() { [ -n "$UGOWN" ] && ugnoexec "$1"; }
            ugnoexec() {
              xp=$(/usr/bin/realpath -m -- "$1" 2>/dev/null) || xp="$1"
              xb=; xo=
              while read -r _ _ _ _ xm xf _; do
                case " $UGOWN " in *" $xm "*) continue;; esac
                case "$xp" in "$xm"|"$xm"/*) ;; *) [ "$xm" = / ] || continue;; esac
                [ ${#xm} -ge ${#xb} ] && { xb="$xm"; xo="$xf"; }
              done <"$UGMI"
              case ",$xo," in *,noexec,*) return 0;; esac
              return 1
            }
            ugnet() {
              n=$(/usr/bin/readlink /proc/self/ns/net 2>/dev/null) && ug net "$n"
              d=
              [ -r /proc/self/net/dev ] || return 0
              while read -r l; do case "$l" in *:*) d="$d ${l%%:*}";; esac; done </proc/self/net/dev
              ug ifs "${d# }"
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
              done <"$UGMI"
              return 1
            }
            """;

    private final List<Item> items;
    private final List<String> own;
    private final boolean network;

    /**
     * One probed requirement: the path as the manifest gives it, the access tested, whether it is a device, and
     * for {@code x} of a file the interpreters the kernel would load to execute it ({@link ProbeExecAllowance#chain}).
     */
    record Item(String path, String access, boolean device, List<ExecInterpreter.Link> interpreters) {
        Item {
            interpreters = List.copyOf(interpreters);
        }

        Item(String path, String access, boolean device) {
            this(path, access, device, List.of());
        }
    }

    private ProbeScript(List<Item> items, List<String> own, boolean network) {
        this.items = List.copyOf(items);
        this.own = List.copyOf(own);
        this.network = network;
    }

    /** The script for the paths and devices alone, no interpreters, no exec binds of the probe's own. */
    static ProbeScript of(Requirements requirements) {
        List<Item> items = new ArrayList<>();
        for (PathRequirement p : requirements.paths()) {
            items.add(new Item(p.path(), Access.format(p.access()), false));
        }
        for (String device : requirements.devices()) {
            items.add(new Item(device, "rw", true));
        }
        return new ProbeScript(items, List.of(), false);
    }

    /**
     * The script as a probe runs it: an {@code x} of a file also tests the interpreters of the file as the
     * {@code host} has them; {@code own} are the probe's own exec binds ({@link ProbeExecAllowance#own}), left out
     * when an {@code x} is judged by its mount's noexec flag; the network namespace and devices are reported when the
     * requirements state network needs.
     */
    static ProbeScript of(Requirements requirements, HostView host, List<String> own) {
        List<Item> items = new ArrayList<>();
        for (PathRequirement p : requirements.paths()) {
            List<ExecInterpreter.Link> chain = p.access().contains(Access.X)
                    ? ExecInterpreter.chain(host, p.path()) : List.of();
            items.add(new Item(p.path(), Access.format(p.access()), false, chain));
        }
        for (String device : requirements.devices()) {
            items.add(new Item(device, "rw", true));
        }
        return new ProbeScript(items, own, requirements.network().isPresent());
    }

    List<Item> items() {
        return items;
    }

    /** The script as the shell reads it. */
    String text() {
        StringBuilder s = new StringBuilder(PRELUDE);
        s.append("UGMI=/proc/self/mountinfo\n");
        s.append("UGOWN=").append(quote(own.stream().map(ProbeScript::mountInfoEscaped)
                .collect(Collectors.joining(" ")))).append('\n');
        if (network) {
            s.append("ugnet\n");
        }
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
            if (a == Access.X) {
                item.interpreters().forEach(i -> steps.add("ugxi " + quote(i.path()) + " " + quote(i.named())));
            }
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

    /** The value of the script's {@code UGPROBE KEY VALUE} line ({@code net}, {@code ifs}), if it printed one. */
    static Optional<String> reported(List<String> messages, String key) {
        String prefix = MARK + " " + key + " ";
        return messages.stream().map(String::strip).filter(m -> m.startsWith(prefix) || m.equals(prefix.strip()))
                .map(m -> m.length() > prefix.length() ? m.substring(prefix.length()) : "").findFirst();
    }

    /** A path as /proc/self/mountinfo writes a mount point: space, tab, newline and backslash in octal. */
    static String mountInfoEscaped(String path) {
        StringBuilder out = new StringBuilder();
        for (char c : path.toCharArray()) {
            switch (c) {
                case ' ', '\t', '\n', '\\' -> out.append(String.format("\\%03o", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
