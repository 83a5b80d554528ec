package dev.unitguard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's configuration, frozen at start ({@code /etc/unitguard/agent.json}; every key optional, see
 * docs/agent.md). {@link AgentConfigLoader} builds it and rejects unknown keys and bad values naming the key; it
 * starts from {@link #defaults()} and every key's parser returns a value or refuses, so no member is ever null (the
 * nested records check their own members).
 */
public record AgentConfig(UnixSocket unixSocket, Tcp tcp, long maxBodyBytes, Path root, Optional<String> systemdBus,
                          Duration resyncInterval, Duration shutdownTimeout, String logLevel, Apply apply,
                          Limits limits) {

    public static final Path DEFAULT_FILE = Path.of("/etc/unitguard/agent.json");

    /** With the default {@link Limits}. */
    public AgentConfig(UnixSocket unixSocket, Tcp tcp, long maxBodyBytes, Path root, Optional<String> systemdBus,
                       Duration resyncInterval, Duration shutdownTimeout, String logLevel, Apply apply) {
        this(unixSocket, tcp, maxBodyBytes, root, systemdBus, resyncInterval, shutdownTimeout, logLevel, apply,
                Limits.defaults());
    }

    /** This configuration with other limits. */
    public AgentConfig withLimits(Limits other) {
        return new AgentConfig(unixSocket, tcp, maxBodyBytes, root, systemdBus, resyncInterval, shutdownTimeout,
                logLevel, apply, other);
    }

    /**
     * What one client may hold of the agent, per listener: open connections (in all, and on the Unix socket per peer
     * user), how long a connection may stay silent, how long a client has to send a whole request (line, headers and
     * body), and the sizes of the request line and headers.
     */
    public record Limits(int maxConnections, int maxConnectionsPerUser, Duration idleTimeout,
                         Duration requestTimeout, int maxRequestLineBytes, int maxHeaderBytes) {
        public Limits {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        /** 256 connections per listener, 32 per user on the socket, 60 s idle, 10 s per request, 4 KiB, 8 KiB. */
        public static Limits defaults() {
            return new Limits(256, 32, Duration.ofSeconds(60), Duration.ofSeconds(10), 4096, 8192);
        }
    }

    /** With the apply engine's defaults. */
    public AgentConfig(UnixSocket unixSocket, Tcp tcp, long maxBodyBytes, Path root, Optional<String> systemdBus,
                       Duration resyncInterval, Duration shutdownTimeout, String logLevel) {
        this(unixSocket, tcp, maxBodyBytes, root, systemdBus, resyncInterval, shutdownTimeout, logLevel,
                Apply.defaults());
    }

    /**
     * The apply engine: its state directory (journal, history, saved versions), the drop-in's file name, and how
     * many history entries it keeps per unit.
     */
    public record Apply(Path stateDirectory, String dropInName, int retention) {
        public Apply {
            Objects.requireNonNull(stateDirectory, "stateDirectory");
            Objects.requireNonNull(dropInName, "dropInName");
        }

        /** /var/lib/unitguard, 50-unitguard.conf, 10 entries. */
        public static Apply defaults() {
            return new Apply(dev.unitguard.apply.ApplySettings.DEFAULT_STATE_DIRECTORY,
                    dev.unitguard.apply.ApplySettings.DEFAULT_DROP_IN, dev.unitguard.apply.ApplySettings.DEFAULT_RETENTION);
        }
    }

    /**
     * The full-API listener: a Unix socket, each connection authorised by the peer's credentials. Members of
     * {@code group} get the hardening scope, members of {@code adminGroups} the admin scope (docs/security.md).
     */
    public record UnixSocket(boolean enabled, Path path, String group, int mode, List<String> readOnlyGroups,
                             List<String> adminGroups) {
        public UnixSocket {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(group, "group");
            readOnlyGroups = List.copyOf(readOnlyGroups);
            adminGroups = List.copyOf(adminGroups);
        }

        /** Without administrator groups: only root has the admin scope on the socket. */
        public UnixSocket(boolean enabled, Path path, String group, int mode, List<String> readOnlyGroups) {
            this(enabled, path, group, mode, readOnlyGroups, List.of());
        }
    }

    /** The TCP listener: /metrics and /health/* always, /v1 only with a bearer token file. */
    public record Tcp(boolean enabled, String host, int port, Optional<Path> tokenFile, Optional<Tls> tls) {
        public Tcp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(tokenFile, "tokenFile");
            Objects.requireNonNull(tls, "tls");
        }
    }

    /** PEM certificate chain and private key for HTTPS on the TCP listener. */
    public record Tls(Path certFile, Path keyFile) {
        public Tls {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        }
    }

    /** Every default: what the agent runs with when there is no configuration file. */
    public static AgentConfig defaults() {
        return new AgentConfig(
                new UnixSocket(true, Path.of("/run/unitguard/agent.sock"), "unitguard", 0660, List.of()),
                new Tcp(true, "127.0.0.1", 9647, Optional.empty(), Optional.empty()),
                65536, Path.of("/"), Optional.empty(), Duration.ofSeconds(60), Duration.ofSeconds(10), "info");
    }
}
