package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnCommandTest {

    @TempDir
    Path dir;

    @Test
    void learn_manifestAfterKeepAliveSpaces_printedAndExit0() throws Exception {
        Path socket = dir.resolve("agent.sock");
        try (FakeAgent agent = new FakeAgent(socket, 200, "application/json", "   \n{\"user\":\"redis\","
                + "\"paths\":[{\"path\":\"/var/lib/redis\",\"access\":\"rwx\",\"learned\":\"StateDirectory=redis\"}]}")) {
            CliRun run = CliRun.of("learn", "--socket", socket.toString(), "--unit", "redis-server.service",
                    "--duration", "30");

            String request = agent.request.get(5, TimeUnit.SECONDS);
            assertEquals(0, run.status(), run.err());
            assertEquals("""
                    {
                      "user" : "redis",
                      "paths" : [ {
                        "path" : "/var/lib/redis",
                        "access" : "rwx",
                        "learned" : "StateDirectory=redis"
                      } ]
                    }
                    """, run.out());
            assertEquals("POST /v1/units/redis-server.service/learn HTTP/1.1", request.lines().findFirst().orElse(""));
            assertEquals("{\"durationSeconds\":30,\"mode\":\"observe\"}",
                    request.substring(request.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void learn_notRunning_oneLineAndExit2() throws Exception {
        Path socket = dir.resolve("agent.sock");
        try (FakeAgent agent = new FakeAgent(socket, 422, "application/problem+json", """
                {"type":"https://unitguard.dev/problems/learn-not-run","title":"Learn could not run","status":422,
                 "detail":"redis-server.service is inactive: observe learns from the running service; start it first"}""")) {
            CliRun run = CliRun.of("learn", "--socket", socket.toString(), "--unit", "redis-server.service");

            assertEquals(2, run.status());
            assertEquals("", run.out());
            assertEquals("unitguard: the agent answered 422 Learn could not run: redis-server.service is inactive: "
                    + "observe learns from the running service; start it first\n", run.err());
        }
    }

    @Test
    void learn_durationOutOfRange_usageError() {
        CliRun run = CliRun.of("learn", "--socket", dir.resolve("none").toString(), "--unit", "x.service",
                "--duration", "0");

        assertEquals(2, run.status());
        assertEquals("unitguard: --duration 0: expected 1 to 3600\n", run.err());
    }
}
