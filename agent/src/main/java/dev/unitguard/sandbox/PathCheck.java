package dev.unitguard.sandbox;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import java.util.Optional;
import java.util.Set;

/**
 * Decides one path requirement: first the mount layer (hidden, inaccessible, read-only, noexec), then file
 * permissions for the service's user on the real file, or on the nearest existing directory for a file to create.
 * A host file hidden by a new file system (a tmpfs, a private /tmp) does not exist in the namespace: writing it
 * creates a new file there, as the probe sees in real systemd; only reading it fails.
 */
final class PathCheck {

    private final SandboxView view;
    private final HostView host;
    private final Dac.Credentials credentials;
    private final ServiceSettings settings;

    PathCheck(SandboxView view, HostView host, Dac.Credentials credentials, ServiceSettings settings) {
        this.view = view;
        this.host = host;
        this.credentials = credentials;
        this.settings = settings;
    }

    RequirementVerdict check(PathRequirement requirement) {
        String shown = requirement.path();
        String access = Access.format(requirement.access());
        String path = ExecDirectories.privatePath(settings, host.resolve(shown));
        Optional<MountEntry> subset = view.procSubsetHides(path);
        if (subset.isPresent()) {
            return RequirementVerdict.denied(shown, access, subset.get().origin(), shown + " does not exist in the "
                    + "service's /proc: " + subset.get().origin() + " shows only the process directories");
        }
        SandboxView.Node node = view.lookup(path);
        Set<Access> wanted = requirement.access();
        boolean replaced = node instanceof SandboxView.Hidden h && h.by().mode() != MountMode.INACCESSIBLE;
        if (node instanceof SandboxView.Hidden h && !(replaced && wanted.contains(Access.W))) {
            return RequirementVerdict.denied(shown, access, h.by().origin(), shown + " is hidden in the service's "
                    + "mount namespace by " + h.by().origin());
        }
        if (node instanceof SandboxView.Visible v && v.inaccessible()) {
            // an empty read-only node of mode 0000 stands in its place: root (CAP_DAC_OVERRIDE) still opens it, but
            // reads nothing of the real file (seen in the lab: memcached then runs on its defaults), so no user has
            // what the requirement asks for
            return RequirementVerdict.denied(shown, access, v.by().origin(), shown + " is hidden by "
                    + v.by().origin() + ": an empty node (mode 0000) stands in its place, for every user, root too");
        }
        if (wanted.contains(Access.W)) {
            String target = existingAncestor(path);
            if (view.lookup(target) instanceof SandboxView.Visible v && v.inaccessible()) {
                return RequirementVerdict.denied(shown, access, v.by().origin(), shown + " cannot be created: "
                        + target + " is made inaccessible by " + v.by().origin());
            }
            boolean device = view.visible(path).map(FileInfo::isDevice).orElse(false);
            Optional<String> ro = view.readOnly(target);
            if (ro.isPresent() && !device) {
                return RequirementVerdict.denied(shown, access, ro.get(), target + " is on a read-only mount ("
                        + ro.get() + ")");
            }
            boolean creates = !target.equals(path) || view.visible(path).map(FileInfo::isDirectory).orElse(false);
            Optional<String> kernel = kernelFileSystem(target);
            if (creates && kernel.isPresent()) {
                // the probe writes a directory by creating a file in it: the kernel refuses (EACCES), root too
                return RequirementVerdict.denied(shown, access, "permissions", "no file can be created in " + target
                        + ": a " + kernel.get() + " file system holds only the kernel's own files");
            }
        }
        boolean regular = view.visible(path).map(i -> i.type() == FileInfo.Type.REGULAR).orElse(false);
        Optional<String> noexec = view.noexec(path);
        if (wanted.contains(Access.X) && regular && noexec.isPresent()) {
            return RequirementVerdict.denied(shown, access, noexec.get(), shown + " is on a noexec mount ("
                    + noexec.get() + ")");
        }
        if (wanted.contains(Access.X) && regular) {
            // the kernel loads the #! interpreter or the ELF loader like the file itself (as the probe tests it)
            for (ExecInterpreter.Link link : ExecInterpreter.chain(host, path)) {
                Optional<String> below = host.stat(link.path()).isPresent() ? view.noexec(link.path())
                        : Optional.empty();
                if (below.isPresent()) {
                    return RequirementVerdict.denied(shown, access, below.get(), shown + " cannot be executed: its "
                            + "interpreter " + link.named() + " is on a noexec mount (" + below.get() + ")");
                }
            }
        }
        Dac.Decision d = Dac.check(credentials, path, wanted, view::visible);
        return switch (d.outcome()) {
            case GRANTED -> RequirementVerdict.granted(shown, access, replaced ? shown + " is hidden by "
                    + ((SandboxView.Hidden) node).by().origin() + "; a new file is created in its place, on the new "
                    + "file system" : d.reason());
            case MISSING -> RequirementVerdict.denied(shown, access, "missing", d.reason());
            case DENIED -> RequirementVerdict.denied(shown, access, "permissions", d.reason());
        };
    }

    /** The type of the kernel file system (cgroup2, sysfs, proc) {@code path} is on in the namespace, if it is one. */
    private Optional<String> kernelFileSystem(String path) {
        if (!(view.lookup(path) instanceof SandboxView.Visible v)) {
            return Optional.empty();
        }
        if (v.by() != null && (v.by().mode() == MountMode.SYSFS || v.by().mode() == MountMode.PROCFS)) {
            return Optional.of(v.by().mode() == MountMode.SYSFS ? "sysfs" : "proc");
        }
        boolean hostContent = v.by() == null || switch (v.by().mode()) {
            case READONLY, READWRITE, READWRITE_IMPLICIT, NOEXEC, EXEC -> true;
            default -> false;
        };
        HostView.MountFlags flags = host.mountFlags(path);
        return hostContent && flags.kernelFileSystem() ? Optional.of(flags.fsType()) : Optional.empty();
    }

    private String existingAncestor(String path) {
        String p = path;
        while (!p.equals("/") && !(view.lookup(p) instanceof SandboxView.Visible)) {
            p = HostView.parent(p);
        }
        return p;
    }
}
