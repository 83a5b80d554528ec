package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {

    @TempDir
    Path dir;
    private Path socket;
    private Path requires;

    @BeforeEach
    void files() throws Exception {
        socket = dir.resolve("agent.sock");
        requires = dir.resolve("requires.json");
        Files.writeString(requires, "{\"paths\": [{\"path\": \"/var/lib/kanakku\", \"access\": \"rw\"}]}");
    }

    @Test
    void apply_applied_sendsTheDocumentedBodyAndExits0() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 200, "application/json", """
                {"outcome":"applied","unit":"kanakku.service","path":"/etc/x","historyId":3,"restarted":true,
                 "invocationId":"ab"}""")) {
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "kanakku.service",
                    "--set", "ProtectSystem=strict", "--set", "ReadWritePaths=-/var/lib/kanakku",
                    "--set", "ReadWritePaths=/srv", "--requires", requires.toString(), "--restart",
                    "--health-url", "http://127.0.0.1:8000/health", "--timeout", "20",
                    "--idempotency-key", "deploy-7");

            String request = agent.request.get(5, TimeUnit.SECONDS);
            assertEquals(0, run.status(), run.err());
            assertEquals("kanakku.service: applied (history entry 3), restarted, active and healthy\n", run.out());
            assertEquals("PUT /v1/units/kanakku.service/hardening HTTP/1.1", request.lines().findFirst().orElse(""));
            assertEquals(true, request.contains("\r\nIdempotency-Key: deploy-7\r\n"), request);
            assertEquals("{\"set\":{\"ProtectSystem\":\"strict\",\"ReadWritePaths\":[\"-/var/lib/kanakku\",\"/srv\"]},"
                    + "\"requires\":{\"paths\":[{\"path\":\"/var/lib/kanakku\",\"access\":\"rw\"}]},\"restart\":true,"
                    + "\"health\":{\"http\":\"http://127.0.0.1:8000/health\"},\"timeoutSeconds\":20,\"force\":false}",
                    request.substring(request.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void apply_refusedProblem_printsEveryReasonAndExits1() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 422, "application/problem+json", """
                {"type":"https://unitguard.dev/problems/apply-refused","title":"Apply refused","status":422,
                 "detail":"the service would break","unit":"kanakku.service","exitStatus":226,
                 "exitStatusName":"NAMESPACE","reasons":["start fails with status 226/NAMESPACE: x",
                 "/home/kanakku/.ssh/id_rsa (r): denied by ProtectHome=yes: y"]}""")) {
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "kanakku.service",
                    "--set", "ProtectHome=yes", "--requires", requires.toString());

            assertEquals(1, run.status());
            assertEquals("""
                    kanakku.service: REFUSED, the service would break (status 226/NAMESPACE); nothing was changed:
                      - start fails with status 226/NAMESPACE: x
                      - /home/kanakku/.ssh/id_rsa (r): denied by ProtectHome=yes: y
                    """, run.out());
        }
    }

    @Test
    void apply_rolledBack_printsFailureAndJournalAndExits1() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 409, "application/json", """
                {"outcome":"rolled_back","unit":"kanakku.service","path":"/etc/x","historyId":4,
                 "failure":{"step":"active","message":"kanakku.service failed after the restart","jobResult":"done",
                 "unitResult":"exit-code","exitStatus":226,"journal":["Main process exited, status=226/NAMESPACE"]}}""")) {
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "kanakku.service",
                    "--set", "ProtectHome=yes", "--requires", requires.toString(), "--force");

            assertEquals(1, run.status(), run.err());
            assertEquals("""
                    kanakku.service: FAILED and ROLLED BACK (the previous version runs again)
                      active: kanakku.service failed after the restart
                      exit status: 226
                      journal:
                        Main process exited, status=226/NAMESPACE
                    """, run.out());
        }
    }

    @Test
    void apply_unchangedWithJson_printsTheAnswerAndExits0() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 200, "application/json",
                "{\"outcome\":\"unchanged\",\"unit\":\"a.service\",\"path\":\"/etc/x\"}")) {
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "a.service", "--set",
                    "PrivateTmp=yes", "--requires", requires.toString(), "--json");

            assertEquals(0, run.status());
            assertEquals("{\n  \"outcome\" : \"unchanged\",\n  \"unit\" : \"a.service\",\n  \"path\" : \"/etc/x\"\n}\n",
                    run.out());
        }
    }

    @Test
    void apply_badRequestProblem_printsDetailAndExits2() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 400, "application/problem+json", """
                {"type":"https://unitguard.dev/problems/bad-request","title":"Bad request","status":400,
                 "detail":"$.set.ProtectSytem: Unknown key 'ProtectSytem' in section [Service]",
                 "pointer":"/set/ProtectSytem"}""")) {
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "a.service", "--set",
                    "ProtectSytem=yes", "--requires", requires.toString());

            assertEquals(2, run.status());
            assertEquals("unitguard: the agent answered 400 Bad request: $.set.ProtectSytem: Unknown key "
                    + "'ProtectSytem' in section [Service]\n", run.err());
        }
    }

    @Test
    void apply_badRequestProblemWithJson_printsTheProblemAndExits2() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 400, "application/problem+json", """
                {"type":"https://unitguard.dev/problems/bad-request","title":"Bad request","status":400,
                 "detail":"$.set.ProtectSytem: Unknown key 'ProtectSytem' in section [Service]",
                 "pointer":"/set/ProtectSytem"}""")) {
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "a.service", "--set",
                    "ProtectSytem=yes", "--requires", requires.toString(), "--json");

            assertEquals(2, run.status());
            assertEquals("""
                    {
                      "type" : "https://unitguard.dev/problems/bad-request",
                      "title" : "Bad request",
                      "status" : 400,
                      "detail" : "$.set.ProtectSytem: Unknown key 'ProtectSytem' in section [Service]",
                      "pointer" : "/set/ProtectSytem"
                    }
                    """, run.out());
            assertEquals("unitguard: the agent answered 400 Bad request: $.set.ProtectSytem: Unknown key "
                    + "'ProtectSytem' in section [Service]\n", run.err());
        }
    }

    @Test
    void apply_noAgent_exits2NamingTheSocket() {
        CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "a.service", "--set",
                "PrivateTmp=yes", "--requires", requires.toString());

        assertEquals(2, run.status());
        assertEquals("unitguard: agent unreachable at " + socket
                + ": no such socket (is unitguard-agent running?)\n", run.err());
    }

    @Test
    void apply_socketWithoutListener_exits2() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 200, "application/json", "{}")) {
            agent.close();
            CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "a.service", "--set",
                    "PrivateTmp=yes", "--requires", requires.toString());

            assertEquals(2, run.status());
            assertEquals(true, run.err().startsWith("unitguard: agent unreachable at " + socket + ": "), run.err());
        }
    }

    @Test
    void apply_badSetOption_exits2BeforeConnecting() {
        CliRun run = CliRun.of("apply", "--socket", socket.toString(), "--unit", "a.service", "--set", "PrivateTmp",
                "--requires", requires.toString());

        assertEquals(2, run.status());
        assertEquals("unitguard: --set PrivateTmp: expected KEY=VALUE\n", run.err());
    }

    @Test
    void rollback_toEntry_postsAndExits0() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, 200, "application/json", """
                {"outcome":"applied","unit":"getty@tty1.service","path":"/etc/x","historyId":9,"restarted":false,
                 "invocationId":""}""")) {
            CliRun run = CliRun.of("rollback", "--socket", socket.toString(), "--unit", "getty@tty1.service",
                    "--to", "3");

            String request = agent.request.get(5, TimeUnit.SECONDS);
            assertEquals(0, run.status(), run.err());
            assertEquals("POST /v1/units/getty@tty1.service/rollback HTTP/1.1", request.lines().findFirst()
                    .orElse(""));
            assertEquals("{\"to\":3,\"restart\":false,\"timeoutSeconds\":30}",
                    request.substring(request.indexOf("\r\n\r\n") + 4));
            assertEquals("getty@tty1.service: applied (history entry 9), not restarted\n", run.out());
        }
    }
}
