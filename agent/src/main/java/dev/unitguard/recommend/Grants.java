package dev.unitguard.recommend;

import dev.unitguard.host.Access;
import dev.unitguard.host.Accounts;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.sandbox.RequirementVerdict;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directive changes that might grant one denied requirement, smallest first: systemd's own directories
 * ({@code StateDirectory=x} for {@code /var/lib/x}), then one path made writable or bound in, then the directive that
 * denies it weakened one step at a time. None is offered before the static check re-evaluates it ({@link Suggestions},
 * {@link Recommender}).
 */
final class Grants {

    /** Exec directories: the setting, its prefix and its mode setting (systemd.exec(5), "RuntimeDirectory="). */
    private record ExecDirectory(String key, String prefix, String modeKey) {
    }

    private static final List<ExecDirectory> EXEC_DIRECTORIES = List.of(
            new ExecDirectory("StateDirectory", "/var/lib", "StateDirectoryMode"),
            new ExecDirectory("CacheDirectory", "/var/cache", "CacheDirectoryMode"),
            new ExecDirectory("LogsDirectory", "/var/log", "LogsDirectoryMode"),
            new ExecDirectory("RuntimeDirectory", "/run", "RuntimeDirectoryMode"));
    private static final int DEFAULT_MODE = 0755;

    private final HostView host;
    private final EffectiveUnit unit;

    /** @param unit the unit with the directives in force (what its {@code User=} and directory modes are) */
    Grants(HostView host, EffectiveUnit unit) {
        this.host = host;
        this.unit = unit;
    }

    /**
     * The candidates for {@code denied}: {@code path} and {@code access} are the requirement's as the manifest states
     * them (empty path for a need that is not a path, such as a socket), {@code device} for a device node.
     */
    List<Grant> candidates(RequirementVerdict denied, String path, String access, boolean device, String current) {
        String key = Ladders.key(denied.deniedBy());
        List<Grant> out = new ArrayList<>();
        boolean write = access.indexOf('w') >= 0;
        if (device) {
            if (key.equals("PrivateDevices")) {
                out.add(new Grant(List.of(new Grant.Edit("PrivateDevices", "no", false),
                        new Grant.Edit("DeviceAllow", path + " rw", true)), ""));
            } else if (key.equals("DevicePolicy")) {
                out.add(Grant.add("DeviceAllow", path + " rw", ""));
            }
        } else if (!path.isEmpty()) {
            if (write && (key.equals("ProtectSystem") || key.equals("missing") || key.equals("ReadOnlyPaths"))) {
                execDirectory(path).ifPresent(out::add);
                if (!key.equals("missing")) {
                    writablePath(path).ifPresent(p -> out.add(Grant.add("ReadWritePaths", "-" + p, "")));
                }
            }
            if (key.equals("ProtectHome")) {
                out.addAll(home(path, write));
            }
        }
        for (String weaker : Ladders.weaker(key, current)) {
            Grant g = Grant.set(key, weaker);
            if (!out.contains(g)) {
                out.add(g);
            }
        }
        return out;
    }

    private List<Grant> home(String path, boolean write) {
        List<Grant> out = new ArrayList<>();
        Grant.Edit readOnly = new Grant.Edit("ProtectHome", "read-only", false);
        Grant.Edit tmpfs = new Grant.Edit("ProtectHome", "tmpfs", false);
        if (write) {
            writablePath(path).ifPresent(p -> {
                out.add(new Grant(List.of(tmpfs, new Grant.Edit("BindPaths", "-" + p, true)), ""));
                out.add(new Grant(List.of(readOnly, new Grant.Edit("ReadWritePaths", "-" + p, true)), ""));
            });
        } else if (host.stat(path).isPresent()) {
            out.add(new Grant(List.of(tmpfs, new Grant.Edit("BindReadOnlyPaths", "-" + path, true)), ""));
            out.add(new Grant(List.of(readOnly), ""));
        }
        return out;
    }

    /** The exec directory that holds {@code path}, when systemd may create or own it for the service. */
    private Optional<Grant> execDirectory(String path) {
        for (ExecDirectory d : EXEC_DIRECTORIES) {
            if (!path.startsWith(d.prefix() + "/")) {
                continue;
            }
            String rest = path.substring(d.prefix().length() + 1);
            String name = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (name.isEmpty() || name.equals("private") || name.startsWith(".")) {
                return Optional.empty();
            }
            String dir = d.prefix() + "/" + name;
            Optional<FileInfo> info = host.stat(dir);
            if (!rest.contains("/") && info.filter(FileInfo::isDirectory).isEmpty()) {
                return Optional.empty(); // a file directly under the prefix (/run/nginx.pid), or not known to be a directory
            }
            List<Grant.Edit> edits = new ArrayList<>(List.of(new Grant.Edit(d.key(), name, true)));
            String note;
            if (info.isEmpty()) {
                note = "systemd creates " + dir + " at start, owned by the service's User= and Group=";
            } else if (info.get().isDirectory() && ownedByService(info.get())) {
                note = dir + " is already the service's (owner and group): systemd keeps them";
                int mode = info.get().mode() & 07777;
                if (mode != DEFAULT_MODE) {
                    if (unit.value("Service", d.modeKey()).filter(m -> !m.equals(octal(mode))).isPresent()) {
                        return Optional.empty();
                    }
                    edits.add(new Grant.Edit(d.modeKey(), octal(mode), false));
                    note += " and, with " + d.modeKey() + "=" + octal(mode) + ", its mode";
                }
            } else {
                return Optional.empty(); // systemd would chown another account's directory to the service's
            }
            if (d.key().equals("RuntimeDirectory")) {
                note += "; it is removed when the service stops";
            }
            return Optional.of(new Grant(edits, note));
        }
        return Optional.empty();
    }

    /** The path itself when it exists, else its nearest existing ancestor (where the file will be created). */
    private Optional<String> writablePath(String path) {
        String p = path;
        while (!p.equals("/")) {
            if (host.stat(p).isPresent()) {
                return Optional.of(p);
            }
            p = HostView.parent(p);
        }
        return Optional.empty();
    }

    /** True when the directory's owner and group are already the service's: systemd 252 then does not chown it. */
    private boolean ownedByService(FileInfo info) {
        if (unit.value("Service", "DynamicUser").map(v -> v.equals("yes") || v.equals("true")).orElse(false)) {
            return false;
        }
        Optional<String> user = unit.value("Service", "User");
        Optional<Accounts.User> account = user.flatMap(host::user);
        if (user.isPresent() && account.isEmpty()) {
            return false;
        }
        int uid = account.map(Accounts.User::uid).orElse(0);
        Optional<String> group = unit.value("Service", "Group");
        Optional<Integer> gid = group.isPresent() ? host.group(group.get()).map(Accounts.Group::gid)
                : Optional.of(account.map(Accounts.User::gid).orElse(0));
        return gid.isPresent() && info.uid() == uid && info.gid() == gid.get();
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** The access letters of a requirement as the verdict shows them ({@code rw}). */
    static String letters(java.util.Set<Access> access) {
        return Access.format(access);
    }
}
