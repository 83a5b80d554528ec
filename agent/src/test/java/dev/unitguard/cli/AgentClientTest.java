package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentClientTest {

    @TempDir
    Path dir;
    private Path socket;
    private AgentClient client;

    @BeforeEach
    void socket() {
        socket = dir.resolve("agent.sock");
        client = new AgentClient(socket, Duration.ofSeconds(20));
    }

    @Test
    void send_chunkedAnswer_isDecoded() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, out -> FakeAgent.write(out, "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"a\":\r\n3;ext=1\r\n1}\n\r\n0\r\n\r\n"))) {
            AgentClient.Response response = client.send("GET", "/v1/units", Optional.empty(), Map.of());

            assertEquals(new AgentClient.Response(200, Map.of("content-type", "application/json",
                    "transfer-encoding", "chunked"), "{\"a\":1}\n"), response);
        }
    }

    @Test
    void send_headerBlockOverTheBound_fails() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, out -> FakeAgent.write(out, "HTTP/1.1 200 OK\r\nX-Big: "
                + "a".repeat(AgentClient.MAX_HEADER_BYTES) + "\r\nContent-Length: 2\r\n\r\n{}"))) {
            assertEquals("the agent at " + socket + " sent an answer that cannot be read: HTTP header is larger than "
                    + AgentClient.MAX_HEADER_BYTES + " bytes.", failure().getMessage());
        }
    }

    @Test
    void send_contentLengthOverTheBound_failsBeforeReadingTheBody() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, out -> FakeAgent.write(out, "HTTP/1.1 200 OK\r\n"
                + "Content-Length: " + (AgentClient.MAX_BODY_BYTES + 1) + "\r\n\r\n{"))) {
            assertEquals("the agent at " + socket + " answered more than 4 MiB", failure().getMessage());
        }
    }

    @Test
    void send_chunkedBodyOverTheBound_failsWithoutReadingItAll() throws Exception {
        String chunk = Integer.toHexString(1 << 16) + "\r\n" + " ".repeat(1 << 16) + "\r\n";
        try (FakeAgent agent = new FakeAgent(socket, out -> {
            FakeAgent.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 1024; i++) {
                FakeAgent.write(out, chunk);
            }
        })) {
            assertEquals("the agent at " + socket + " answered more than 4 MiB", failure().getMessage());
        }
    }

    @Test
    void send_agentClosesWithoutAnswering_isUnreachable() throws Exception {
        try (FakeAgent agent = new FakeAgent(socket, out -> { })) {
            assertEquals("agent unreachable at " + socket + ": the agent closed the connection without answering",
                    failure().getMessage());
        }
    }

    @Test
    void send_noAnswerInTime_failsNamingTheTimeout() throws Exception {
        client = new AgentClient(socket, Duration.ofSeconds(1));
        try (FakeAgent agent = new FakeAgent(socket, out -> sleep())) {
            assertEquals("the agent at " + socket + " did not answer within 1 s", failure().getMessage());
        }
    }

    @Test
    void send_socketWithoutListener_isConnectionRefused() throws Exception {
        new FakeAgent(socket, out -> { }).close();

        assertEquals("agent unreachable at " + socket + ": Connection refused", failure().getMessage());
    }

    @Test
    void answerTimeout_isTwiceTheChangeTimeoutAndAMargin() {
        assertEquals(Duration.ofSeconds(180), AgentClient.answerTimeout(Duration.ofSeconds(30)));
    }

    private AgentClient.Failure failure() {
        return assertThrows(AgentClient.Failure.class, () -> client.send("POST", "/v1/units/a.service/rollback",
                Optional.of("{}"), Map.of()));
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
