package dev.unitguard.apply;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/** The health check run after a restart: none, an HTTP GET expecting 2xx, or a command expecting exit 0. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Health.None.class, name = "none"),
        @JsonSubTypes.Type(value = Health.Http.class, name = "http"),
        @JsonSubTypes.Type(value = Health.Exec.class, name = "exec")})
public sealed interface Health {

    Health NONE = new None();

    record None() implements Health {
    }

    record Http(URI url) implements Health {
        public Http {
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("health.http must be an http or https URL: " + url);
            }
        }
    }

    record Exec(List<String> argv) implements Health {
        public Exec {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
                throw new IllegalArgumentException("health.exec must start with an absolute path: " + argv);
            }
        }
    }
}
