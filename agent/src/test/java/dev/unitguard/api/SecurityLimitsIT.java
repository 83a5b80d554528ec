package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unitguard.lab.ExecResult;
import dev.unitguard.lab.Lab;
import dev.unitguard.lab.LabTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's resource bounds as systemd runs it: units/unitguard.service with its own JVM flags and limits (only
 * the jar's path changed), the default {@code limits.*}, attacked from inside the lab by a non-member user with raw
 * sockets (src/test/resources/lab/ugclient.py).
 */
@LabTest
class SecurityLimitsIT {

    private static final String SOCKET = "/run/unitguard/agent.sock";
    private static final String CLIENT = "/srv/ugclient.py";
    private static final int FLOOD = 20_000;

    private Lab lab;

    @BeforeEach
    void install(Lab lab) throws Exception {
        this.lab = lab;
        String unit = Files.readString(Path.of("../units/unitguard.service"));
        assertTrue(unit.contains("/usr/share/unitguard/unitguard.jar"), "the shipped unit runs the packaged jar");
        lab.writeFile("/etc/systemd/system/unitguard.service",
                unit.replace("/usr/share/unitguard/unitguard.jar", "/opt/unitguard/unitguard.jar"), "644", "root:root");
        lab.writeFile(CLIENT, Files.readString(Path.of("src/test/resources/lab/ugclient.py")), "755", "root:root");
        // 0666: non-members reach the agent, which refuses them by their peer credentials (the case to bound).
        lab.writeFile("/etc/unitguard/agent.json", "{\"unixSocket\": {\"mode\": \"0666\"}}", "644", "root:root");
        lab.exec("sh", "-c", "getent group unitguard || groupadd --system unitguard").requireSuccess();
        lab.exec("sh", "-c", "id ugmember || useradd --system --no-create-home -G unitguard ugmember").requireSuccess();
        lab.exec("sh", "-c", "id ugother || useradd --system --no-create-home ugother").requireSuccess();
        lab.exec("systemctl", "daemon-reload").requireSuccess();
        lab.exec("systemctl", "start", "unitguard.service").requireSuccess();
    }

    @AfterEach
    void uninstall() {
        lab.exec("systemctl", "stop", "unitguard.service");
        lab.exec("systemctl", "reset-failed", "unitguard.service");
        lab.exec("sh", "-c", "pkill -u ugother; rm -rf /etc/unitguard /tmp/flood-*.log");
    }

    private String show(String property) {
        return lab.exec("systemctl", "show", "-P", property, "unitguard.service").stdout().strip();
    }

    private static final String AS_USER =
            "exec setpriv --reuid=$(id -u \"$0\") --regid=$(id -g \"$0\") --init-groups \"$@\"";

    /** Runs {@code command} as {@code user} with its groups (setpriv: runuser needs PAM, which the lab lacks). */
    private ExecResult as(String user, String... command) {
        List<String> full = new ArrayList<>(List.of("sh", "-c", AS_USER, user));
        full.addAll(List.of(command));
        return lab.exec(full.toArray(String[]::new));
    }

    private ExecResult raw(String listener, String request) {
        return lab.exec(request.getBytes(StandardCharsets.ISO_8859_1), "sh", "-c", AS_USER, "ugother", CLIENT, "raw",
                listener);
    }

    /** A member's GET /v1/units: status and seconds taken, as curl measured them. */
    private String[] memberGet() {
        ExecResult get = as("ugmember", "curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-w",
                "%{http_code} %{time_total}", "--unix-socket", SOCKET, "http://localhost/v1/units");
        return get.stdout().strip().split(" ");
    }

    @Test
    void nonMemberHolds20000IdleConnections_memberStillAnsweredWithin1s_agentNotRestarted() throws Exception {
        String pid = show("MainPID");
        assertEquals("200", memberGet()[0], "warm-up");
        // Two processes per listener, 10,000 connections each: a process here may not hold more than 20,000 files.
        for (int i = 0; i < 4; i++) {
            lab.exec("sh", "-c", "setsid sh -c '" + AS_USER + "' ugother " + CLIENT + " flood "
                    + (i % 2 == 0 ? "tcp" : "unix") + " " + FLOOD / 2 + " 40 > /tmp/flood-" + i + ".log 2>&1 &")
                    .requireSuccess();
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (count(floodLogs(), "held") < 4 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertEquals(4, count(floodLogs(), "held"), floodLogs());

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String[] answer = memberGet();
            answers.add(String.join(" ", answer));
            assertEquals("200", answer[0], answers + "; journal: " + journal());
            assertTrue(Double.parseDouble(answer[1]) < 1.0, "a member's GET took too long: " + answers);
        }
        while (count(floodLogs(), "attempted") < 4 && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
        }
        String flood = floodLogs();
        assertEquals(2, count(flood, "tcp: attempted " + FLOOD / 2), flood);
        assertEquals(2, count(flood, "unix: attempted " + FLOOD / 2), flood);
        assertEquals("active " + pid + " 0", show("ActiveState") + " " + show("MainPID") + " " + show("NRestarts"),
                "the agent must survive the flood without a restart; flood: " + flood + "\njournal: " + journal());
        if (Boolean.getBoolean("securityLimits.report")) {
            System.out.println("SecurityLimitsIT: " + flood.strip().replace('\n', ';') + "; member GETs " + answers
                    + "; MemoryCurrent " + show("MemoryCurrent") + "; threads " + show("TasksCurrent"));
        }
    }

    private String journal() {
        return lab.exec("sh", "-c", "journalctl -o cat -u unitguard.service | grep -v '^\\s*at ' | tail -40").stdout();
    }

    private String floodLogs() {
        return lab.exec("sh", "-c", "cat /tmp/flood-*.log").stdout();
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void slowBody_cutOffByTheRequestTimeoutWith408() {
        ExecResult slow = as("ugmember", CLIENT, "slow");
        String out = slow.stdout();
        assertTrue(out.startsWith("HTTP/1.1 408 "), slow.toString());
        assertTrue(out.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), out);
        assertTrue(out.contains("\"detail\" : \"the request was not received within limits.requestTimeoutSeconds"
                + " (10 s)\""), out);
        double took = Double.parseDouble(out.replaceAll("(?s).*closed after ([0-9.]+) s\\s*$", "$1"));
        assertTrue(took >= 9.5 && took < 30, "cut off after " + took + " s");
    }

    @Test
    void httpLayerErrors_areProblemJson() {
        assertProblem(raw("tcp", "GET /" + "a".repeat(9 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                "request-line-too-long");
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("v".repeat(90)).append("\r\n");
        }
        assertProblem(raw("unix", "GET /v1/units HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n"), 431,
                "headers-too-large");
        assertProblem(raw("tcp", "\u0001\u0002 garbage\r\n\r\n"), 400, "bad-request");
        assertProblem(raw("unix", "BREW /v1/units HTTP/1.1\r\nHost: x\r\n\r\n"), 501, "not-implemented");
        assertProblem(raw("tcp", "GET /health/live HTTP/1.7\r\nHost: x\r\n\r\n"), 505, "http-version-not-supported");
    }

    private static void assertProblem(ExecResult result, int status, String slug) {
        String out = result.stdout();
        assertTrue(out.matches("(?s)HTTP/1\\.[01] " + status + " .*"), result.toString());
        assertTrue(out.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"), out);
        assertTrue(out.contains("\"type\" : \"https://unitguard.dev/problems/" + slug + "\""), out);
        assertTrue(out.contains("\"status\" : " + status), out);
    }
}
