package dev.unitguard.apply;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The health check run after a restart: none, an HTTP GET expecting 2xx, or a command expecting exit 0. The agent runs
 * as root and takes health checks from less privileged callers, so both are bounded here: {@code http} only to a
 * loopback address ({@code 127.0.0.0/8}, {@code ::1}, {@code localhost}), {@code exec} only as an absolute program
 * (run as the unit's own user in its sandbox, see {@link ExecHealth}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Health.None.class, name = "none"),
        @JsonSubTypes.Type(value = Health.Http.class, name = "http"),
        @JsonSubTypes.Type(value = Health.Exec.class, name = "exec")})
public sealed interface Health {

    Health NONE = new None();

    record None() implements Health {
    }

    /** {@code http(s)://LOOPBACK[:PORT]/PATH}; the host is checked as written, no name is looked up here. */
    record Http(URI url) implements Health {

        private static final Pattern IPV4_LOOPBACK = Pattern.compile(
                "127\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){2}");

        public Http {
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("must be an http or https URL: " + url);
            }
            if (url.getRawUserInfo() != null || !isLoopback(url.getHost())) {
                throw new IllegalArgumentException("must name a loopback host (127.0.0.0/8, [::1] or "
                        + "localhost), without user info: " + url);
            }
        }

        /** {@code localhost}, an IPv4 literal in 127.0.0.0/8 or the IPv6 literal of ::1, as the URL writes it. */
        static boolean isLoopback(String host) {
            if (host == null) {
                return false;
            }
            String h = host.toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                try {
                    return InetAddress.getByName(h).isLoopbackAddress(); // an IPv6 literal: no name is looked up
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches();
        }

        int port() {
            return url.getPort() != -1 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        }
    }

    record Exec(List<String> argv) implements Health {
        public Exec {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
                throw new IllegalArgumentException("must start with an absolute path: " + argv);
            }
        }
    }
}
