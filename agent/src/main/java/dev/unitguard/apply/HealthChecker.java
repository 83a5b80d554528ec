package dev.unitguard.apply;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs one health check attempt; empty when healthy, else why not. */
@FunctionalInterface
public interface HealthChecker {

    Optional<String> check(Health health, Duration timeout);

    /** HTTP GET with the JDK client (2xx is healthy), or the command run on this machine (exit 0 is healthy). */
    static HealthChecker local() {
        return (health, timeout) -> {
            if (health instanceof Health.Http http) {
                return httpGet(http, timeout);
            }
            return health instanceof Health.Exec exec ? run(exec, timeout) : Optional.empty();
        };
    }

    private static Optional<String> httpGet(Health.Http http, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(http.url()).timeout(timeout).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? Optional.empty()
                    : Optional.of("GET " + http.url() + " answered " + response.statusCode());
        } catch (IOException e) {
            return Optional.of("GET " + http.url() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("GET " + http.url() + " interrupted");
        }
    }

    private static Optional<String> run(Health.Exec exec, Duration timeout) {
        String command = String.join(" ", exec.argv());
        try {
            Process process = new ProcessBuilder(exec.argv()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.of(command + " did not finish within " + timeout.toMillis() + " ms");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of(command + " exited with " + process.exitValue());
        } catch (IOException e) {
            return Optional.of(command + " could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(command + " interrupted");
        }
    }
}
