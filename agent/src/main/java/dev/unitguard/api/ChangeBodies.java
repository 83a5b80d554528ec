package dev.unitguard.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.unitguard.apply.Activation;
import dev.unitguard.apply.HardeningRequest;
import dev.unitguard.apply.Health;
import dev.unitguard.apply.RollbackRequest;
import dev.unitguard.apply.UnitFileRequest;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.json.JsonPath;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The bodies of the change routes, read into records (by the one strict mapper: unknown and duplicate members
 * refused) and turned into the engine's requests. Every field is optional unless said; every error is a 400
 * problem naming the value ({@code $.timeoutSeconds: ...}, pointer {@code /timeoutSeconds}). The directives
 * themselves are validated by the engine (through the unit-file parser). {@code restart}, {@code health} and
 * {@code timeoutSeconds} are the {@link Activation} of every body that has them.
 */
final class ChangeBodies {

    private ChangeBodies() {
    }

    /** {@code PUT /hardening}: {@code set} (required), {@code requires}, {@code force} and the activation. */
    record HardeningBody(Map<String, DirectiveValues> set, RequirementsManifest.Document requires, Boolean force,
                         Boolean restart, HealthBody health, Long timeoutSeconds) {
        HardeningBody {
            if (set == null) {
                throw new JsonInputException(JsonPath.of("set"), "expected an object of directives");
            }
            set.forEach((key, values) -> {
                if (values == null) {
                    throw new JsonInputException(JsonPath.of("set", key), "expected a string or an array of strings");
                }
            });
            checkTimeout(timeoutSeconds);
        }
    }

    /** {@code DELETE /hardening}, {@code DELETE /file}: the activation only. */
    record ActivationBody(Boolean restart, HealthBody health, Long timeoutSeconds) {
        ActivationBody {
            checkTimeout(timeoutSeconds);
        }
    }

    /** {@code POST /rollback}: {@code to} a history entry, or null (the newest change), and the activation. */
    record RollbackBody(Long to, Boolean restart, HealthBody health, Long timeoutSeconds) {
        RollbackBody {
            if (to != null && to < 1) {
                throw new JsonInputException(JsonPath.of("to"), "expected a history entry id (an integer from 1) or null");
            }
            checkTimeout(timeoutSeconds);
        }
    }

    /** {@code PUT /file}: {@code content} (required) and the activation. */
    record UnitFileBody(String content, Boolean restart, HealthBody health, Long timeoutSeconds) {
        UnitFileBody {
            if (content == null) {
                throw new JsonInputException(JsonPath.of("content"), "expected the unit file's text as a string");
            }
            checkTimeout(timeoutSeconds);
        }
    }

    /** {@code POST /permissions}: {@code requires}. */
    record PermissionsBody(RequirementsManifest.Document requires) {
    }

    /** {@code POST /permissions/fix}: {@code requires} and {@code dryRun} (true unless false). */
    record FixBody(RequirementsManifest.Document requires, Boolean dryRun) {
        boolean isDryRun() {
            return !Boolean.FALSE.equals(dryRun);
        }
    }

    /** {@code health}: {@code {"http": URL}} or {@code {"exec": [command, args...]}}, checked as the engine takes it. */
    record HealthBody(Health health) {
        private static final String SHAPE = "expected null, {\"http\": URL} or {\"exec\": [command, args...]}";

        @JsonCreator
        static HealthBody of(@JsonProperty("http") String http, @JsonProperty("exec") List<String> exec) {
            if ((http == null) == (exec == null)) {
                throw new JsonInputException(SHAPE);
            }
            if (http != null) {
                try {
                    return new HealthBody(new Health.Http(new URI(http)));
                } catch (URISyntaxException e) {
                    throw new JsonInputException(JsonPath.of("http"), "not a URL: " + e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new JsonInputException(JsonPath.of("http"), e.getMessage());
                }
            }
            try {
                return new HealthBody(new Health.Exec(exec));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new JsonInputException(JsonPath.of("exec"), e instanceof NullPointerException
                        ? "expected an array of strings" : e.getMessage());
            }
        }
    }

    static HardeningRequest hardening(String unit, String body) {
        HardeningBody b = JsonBodies.read(body, HardeningBody.class);
        Map<String, List<String>> directives = new TreeMap<>();
        b.set().forEach((key, values) -> directives.put(key, values.values()));
        return new HardeningRequest(unit, directives, JsonBodies.requirements(b.requires()),
                activation(b.restart(), b.health(), b.timeoutSeconds()), Boolean.TRUE.equals(b.force()));
    }

    /** The activation body, or no body: reload only. */
    static Activation activationOnly(String body) {
        ActivationBody b = JsonBodies.readOptional(body, ActivationBody.class);
        return activation(b.restart(), b.health(), b.timeoutSeconds());
    }

    static RollbackRequest rollback(String unit, String body) {
        RollbackBody b = JsonBodies.readOptional(body, RollbackBody.class);
        return new RollbackRequest(unit, b.to() == null ? OptionalLong.empty() : OptionalLong.of(b.to()),
                activation(b.restart(), b.health(), b.timeoutSeconds()));
    }

    static UnitFileRequest unitFile(String unit, String body) {
        UnitFileBody b = JsonBodies.read(body, UnitFileBody.class);
        return new UnitFileRequest(unit, Optional.of(b.content()), activation(b.restart(), b.health(),
                b.timeoutSeconds()));
    }

    static Requirements permissions(String body) {
        return JsonBodies.requirements(JsonBodies.readOptional(body, PermissionsBody.class).requires());
    }

    static FixBody fix(String body) {
        return JsonBodies.readOptional(body, FixBody.class);
    }

    private static void checkTimeout(Long seconds) {
        if (seconds != null && (seconds < 1 || seconds > Activation.MAX_TIMEOUT.toSeconds())) {
            throw new JsonInputException(JsonPath.of("timeoutSeconds"), "expected an integer from 1 to "
                    + Activation.MAX_TIMEOUT.toSeconds() + ", got " + seconds);
        }
    }

    private static Activation activation(Boolean restart, HealthBody health, Long timeoutSeconds) {
        return new Activation(Boolean.TRUE.equals(restart), health == null ? Health.NONE : health.health(),
                timeoutSeconds == null ? Activation.DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds));
    }
}
