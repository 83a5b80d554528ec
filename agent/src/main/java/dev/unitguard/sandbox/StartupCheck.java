package dev.unitguard.sandbox;

import dev.unitguard.host.Access;
import dev.unitguard.host.Dac;
import dev.unitguard.host.FileInfo;
import dev.unitguard.host.HostView;
import dev.unitguard.unit.ExecCommand;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Predicts whether the service's processes get spawned, following the order of systemd 252's {@code exec_child()}
 * as observed in the lab: user (217), group (216), credentials (243), mount namespace (226), then for each command
 * locating the executable inside the namespace (203), changing to the working directory as the user (200), and
 * executing it as the user (203); then, for the types that report readiness, whether the socket they report
 * through is reachable.
 */
record StartupCheck(ServiceSettings settings, HostView host, Identity identity) {

    static final List<String> SEARCH_PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");
    static final String UNIT_ROOT = "/run/systemd/unit-root";

    StartupVerdict run(Namespace namespace) {
        if (identity.failure().isPresent()) {
            return identity.failure().get();
        }
        for (String credential : settings.loadCredentials()) {
            String[] parts = credential.split(":", 2);
            if (parts.length == 2 && parts[1].startsWith("/") && host.stat(parts[1]).isEmpty()) {
                return StartupVerdict.failure(ExitStatus.CREDENTIALS,
                        "Failed to set up credentials: Protocol error (LoadCredential=" + credential + ": "
                                + parts[1] + " does not exist)");
            }
        }
        if (settings.needsMountNamespace() && namespace.failed().isPresent()) {
            MountEntry failed = namespace.failed().get();
            if (Namespace.hidesRunSystemd(failed)) {
                return StartupVerdict.failure(ExitStatus.NAMESPACE, "Failed to set up mount namespacing: "
                        + failed.origin() + " hides /run/systemd, which systemd needs to finish the namespace (the "
                        + "service's process cannot log this itself: the journal socket is hidden too)");
            }
            return StartupVerdict.failure(ExitStatus.NAMESPACE, "Failed to set up mount namespacing: " + UNIT_ROOT
                    + failed.path() + ": No such file or directory (" + failed.origin() + ")");
        }
        if (settings.commands().isEmpty()) {
            return new StartupVerdict(false, null, null, "Service has no ExecStart= command");
        }
        for (ExecCommand command : settings.commands()) {
            Optional<StartupVerdict> failure = command(command, namespace.view());
            if (failure.isPresent()) {
                return failure.get();
            }
        }
        return readiness(namespace.view()).orElse(StartupVerdict.success());
    }

    /** The socket each service type that reports readiness needs to reach: READY=1, or the bus name. */
    private static final Map<String, String> READINESS_SOCKETS = Map.of(
            "notify", "/run/systemd/notify", "dbus", "/run/dbus/system_bus_socket");

    /**
     * A service whose type reports readiness through a socket the sandbox hides never becomes active: systemd waits
     * {@code TimeoutStartSec=} and fails the start (seen in the lab: {@code Type=notify} under
     * {@code TemporaryFileSystem=/run} or {@code InaccessiblePaths=/run/systemd/notify}; "Failed to notify init
     * system", result 'protocol' when the main process exits first, 'timeout' otherwise). A read-only mount does
     * not matter: connecting to a socket writes nothing to the file system.
     */
    private Optional<StartupVerdict> readiness(SandboxView view) {
        String type = ServiceSettings.setting(settings.unit(), "Type",
                settings.unit().value(ServiceSettings.S, "BusName").isPresent() ? "dbus" : "simple", v -> v);
        String socket = READINESS_SOCKETS.get(type);
        if (socket == null) {
            return Optional.empty();
        }
        MountEntry content = view.deepest(socket, true);
        if (content == null || content.mode().isBind()) {
            return Optional.empty();
        }
        return Optional.of(new StartupVerdict(false, null, null, "Type=" + type + ": the service cannot reach "
                + socket + ", hidden by " + content.origin() + " in its mount namespace, so it never reports ready; "
                + "systemd fails the start after TimeoutStartSec= (result 'timeout', or 'protocol' when the main "
                + "process exits first)"));
    }

    private Optional<StartupVerdict> command(ExecCommand command, SandboxView sandboxed) {
        boolean privileged = command.has(ExecCommand.Prefix.FULL_PRIVILEGES);
        SandboxView view = privileged ? new SandboxView(List.of(), host) : sandboxed;
        boolean asRoot = privileged || command.has(ExecCommand.Prefix.NO_SETUID)
                || command.has(ExecCommand.Prefix.AMBIENT_MAGIC);
        Dac.Credentials credentials = asRoot ? Dac.Credentials.root() : identity.credentials();
        String located = null;
        String error = "No such file or directory";
        for (String candidate : candidates(command.path())) {
            String path = host.resolve(candidate);
            error = locate(path, view);
            if (error == null) {
                located = path;
                break;
            }
        }
        if (located == null) {
            return Optional.of(StartupVerdict.failure(ExitStatus.EXEC,
                    "Failed to locate executable " + command.path() + ": " + error));
        }
        Optional<StartupVerdict> chdir = workingDirectory(view, credentials, asRoot);
        if (chdir.isPresent()) {
            return chdir;
        }
        Dac.Decision exec = Dac.check(credentials, located, Set.of(Access.X), view::visible);
        if (!exec.ok()) {
            return Optional.of(StartupVerdict.failure(ExitStatus.EXEC,
                    "Failed to execute " + command.path() + ": Permission denied (" + exec.reason() + ")"));
        }
        return interpreters(command.path(), located, view, credentials);
    }

    /**
     * The kernel loads a script's {@code #!} interpreter and an ELF's dynamic loader like the program itself: each
     * must exist in the namespace, sit on an exec mount and be executable for the user, or execve() fails and
     * systemd reports 203/EXEC (seen in the lab with {@code NoExecPaths=/} and {@code ExecPaths=} naming only the
     * binary, or a script and not its interpreter). An interpreter the host lacks (a partial --root or test tree) is
     * not judged: only what the sandbox changes is.
     */
    private Optional<StartupVerdict> interpreters(String shown, String program, SandboxView view,
                                                  Dac.Credentials credentials) {
        for (ExecInterpreter.Link link : ExecInterpreter.chain(host, program)) {
            String interpreter = link.path();
            if (host.stat(interpreter).isEmpty()) {
                return Optional.empty();
            }
            String error = locate(interpreter, view);
            Optional<String> noexec = view.noexec(interpreter);
            if (error == null && !Dac.check(credentials, interpreter, Set.of(Access.X), view::visible).ok()) {
                error = "Permission denied";
            }
            if (error != null) {
                return Optional.of(StartupVerdict.failure(ExitStatus.EXEC, "Failed to execute " + shown + ": "
                        + error + " (its interpreter " + link.named()
                        + (noexec.isPresent() && error.equals("Permission denied")
                                ? " is on a noexec mount (" + noexec.get() + ")" : " cannot be run there") + ")"));
            }
        }
        return Optional.empty();
    }

    private static List<String> candidates(String path) {
        return path.startsWith("/") ? List.of(path) : SEARCH_PATH.stream().map(d -> d + "/" + path).toList();
    }

    /** As root in the namespace: null when found and executable, else the error. */
    private static String locate(String path, SandboxView view) {
        if (!(view.lookup(path) instanceof SandboxView.Visible v)) {
            return "No such file or directory";
        }
        if (v.info().type() != FileInfo.Type.REGULAR || (v.info().mode() & 0111) == 0
                || view.noexec(path).isPresent()) {
            return "Permission denied";
        }
        return null;
    }

    private Optional<StartupVerdict> workingDirectory(SandboxView view, Dac.Credentials credentials, boolean asRoot) {
        Optional<String> setting = settings.workingDirectory();
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        String value = setting.get();
        boolean optional = value.startsWith("-");
        value = optional ? value.substring(1) : value;
        String dir = value.equals("~") ? (asRoot ? "/root" : identity.home()) : value;
        Dac.Decision d = Dac.check(credentials, host.resolve(dir), Set.of(Access.X), view::visible);
        boolean notDir = d.ok() && view.visible(host.resolve(dir)).map(i -> !i.isDirectory()).orElse(false);
        if ((d.ok() && !notDir) || optional) {
            return Optional.empty();
        }
        String errno = notDir ? "Not a directory" : d.outcome() == Dac.Outcome.MISSING
                ? "No such file or directory" : "Permission denied";
        return Optional.of(StartupVerdict.failure(ExitStatus.CHDIR,
                "Changing to the requested working directory failed: " + errno + " (WorkingDirectory="
                        + setting.get() + ")"));
    }
}
