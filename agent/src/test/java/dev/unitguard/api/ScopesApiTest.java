package dev.unitguard.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unitguard.config.AgentConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scopes over a real server, each caller a real peer: curl run through setpriv as nobody, whose group nogroup is
 * the socket's group (the hardening scope) or, with gid 100 (users), an admin group. Needs root for setpriv.
 */
@ExtendWith(VertxExtension.class)
class ScopesApiTest {

    private static final String HARDENING = "/v1/units/app.service/hardening";
    private static final String HARDENING_ERROR = "\"type\" : \"https://unitguard.dev/problems/insufficient-scope\"";

    @TempDir
    Path dir;

    private TestAgent start(Vertx vertx, List<String> adminGroups) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = dir.resolve("root");
        for (String d : List.of("usr/bin", "var/lib", "tmp", "root", "home", "dev", "proc", "sys", "run")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("usr/bin/app"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("usr/bin/app"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return TestAgent.start(vertx, dir, c -> new AgentConfig(new AgentConfig.UnixSocket(true,
                c.unixSocket().path(), "nogroup", 0666, List.of(), adminGroups), c.tcp(), c.maxBodyBytes(), c.root(),
                c.systemdBus(), c.resyncInterval(), c.shutdownTimeout(), c.logLevel()));
    }

    @Test
    void hardeningMember_sandboxingApplied_privilegeRaisingRefused_adminRoutes403(Vertx vertx) throws Exception {
        assumeRoot();
        try (TestAgent agent = start(vertx, List.of())) {
            Path dropIn = agent.config.root().resolve("etc/systemd/system/app.service.d/50-unitguard.conf");

            Curl user = curl(agent, "65534", "PUT", HARDENING, "{\"set\": {\"User\": \"root\"}}");
            Curl nnp = curl(agent, "65534", "PUT", HARDENING, "{\"set\": {\"NoNewPrivileges\": \"no\"}}");
            Curl force = curl(agent, "65534", "PUT", HARDENING, "{\"set\": {\"PrivateTmp\": \"yes\"}, \"force\": true}");
            Curl file = curl(agent, "65534", "PUT", "/v1/units/app.service/file", "{\"content\": \"[Service]\\n\"}");
            Curl enable = curl(agent, "65534", "POST", "/v1/units/app.service/enable", null);
            assertFalse(Files.exists(dropIn), "nothing written by the refused requests");
            Curl safe = curl(agent, "65534", "PUT", HARDENING,
                    "{\"set\": {\"PrivateTmp\": \"yes\", \"NoNewPrivileges\": \"yes\"}}");

            assertEquals(403, user.status(), user.body());
            assertEquals(TestAgent.problemWith("insufficient-scope", "Not allowed in the caller's scope", 403,
                    "set.User: identity directives (who the service runs as) need the admin scope; the hardening "
                            + "scope may set only the sandboxing directives of docs/security.md",
                    members("directives", List.of("set.User"), "scope", "hardening", "requiredScope", "admin")),
                    user.body());
            assertEquals(422, nnp.status(), nnp.body());
            assertTrue(nnp.body().contains("\"detail\" : \"set.NoNewPrivileges: \\\"no\\\" turns NoNewPrivileges= off;"
                    + " the hardening scope may only turn it on\""), nnp.body());
            assertTrue(nnp.body().contains("privilege-raising"), nnp.body());
            assertEquals(403, force.status(), force.body());
            assertTrue(force.body().contains("\"detail\" : \"force needs the admin scope"), force.body());
            assertEquals(403, file.status(), file.body());
            assertEquals(TestAgent.problemWith("insufficient-scope", "Not allowed in the caller's scope", 403,
                    "user nobody has the hardening scope; PUT /v1/units/{unit}/file needs the admin scope: root or a "
                            + "member of unixSocket.adminGroups",
                    members("scope", "hardening", "requiredScope", "admin")), file.body());
            assertEquals(403, enable.status(), enable.body());
            assertTrue(enable.body().contains(HARDENING_ERROR), enable.body());
            assertEquals(200, safe.status(), safe.body());
            assertTrue(Files.readString(dropIn).contains("NoNewPrivileges=yes\nPrivateTmp=yes\n"));
            assertEquals(List.of("reload"), agent.port.calls.stream().distinct().toList(), agent.port.calls.toString());
        }
    }

    @Test
    void adminGroupMember_unitFileAndEnable200_exposureRaiseNeedsForce(Vertx vertx) throws Exception {
        assumeRoot();
        try (TestAgent agent = start(vertx, List.of("users"))) {
            Curl file = curl(agent, "65534:100", "PUT", "/v1/units/app.service/file",
                    "{\"content\": \"[Service]\\nExecStart=/usr/bin/app\\nUser=app\\n\"}");
            Curl enable = curl(agent, "65534:100", "POST", "/v1/units/app.service/enable", null);
            Curl user = curl(agent, "65534:100", "PUT", HARDENING, "{\"set\": {\"User\": \"root\"}}");
            Curl forced = curl(agent, "65534:100", "PUT", HARDENING, "{\"set\": {\"User\": \"root\"}, \"force\": true}");

            assertEquals(200, file.status(), file.body());
            assertEquals(200, enable.status(), enable.body());
            assertEquals(422, user.status(), user.body());
            assertTrue(user.body().contains("\"detail\" : \"set: the exposure score would rise from 9.2 to 9.6; "
                    + "force: true applies it anyway\""), user.body());
            assertTrue(user.body().contains("\"scope\" : \"admin\""), user.body());
            assertEquals(200, forced.status(), forced.body());
        }
    }

    /** The agent runs on Netty's epoll transport, where the peer's credentials come from epoll, not the JDK. */
    @Test
    void nativeTransport_peersNamedAndScopedAsOnNio() throws Exception {
        assumeRoot();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try {
            assumeTrue(vertx.isNativeTransportEnabled(), "Netty's native epoll transport does not load here");
            try (TestAgent agent = start(vertx, List.of("users"))) {
                Curl member = curl(agent, "65534", "PUT", "/v1/units/app.service/file", "{\"content\": \"[Service]\\n\"}");
                Curl admin = curl(agent, "65534:100", "PUT", "/v1/units/app.service/file",
                        "{\"content\": \"[Service]\\nExecStart=/usr/bin/app\\n\"}");

                assertEquals(403, member.status(), member.body());
                assertTrue(member.body().contains("\"detail\" : \"user nobody has the hardening scope; PUT "
                        + "/v1/units/{unit}/file needs the admin scope"), member.body());
                assertEquals(200, admin.status(), admin.body());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void body_duplicateMember_400NamingItAndItsPlace(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            TestAgent.Answer inSet = agent.unix(HttpMethod.PUT, HARDENING,
                    "{\"set\": {\"PrivateTmp\": \"yes\", \"PrivateTmp\": \"no\"}}");
            TestAgent.Answer top = agent.unix(HttpMethod.POST, "/v1/units/app.service/check",
                    "{\"probe\": false,\n \"probe\": true}");

            assertEquals(TestAgent.badRequest("/set/PrivateTmp", "$.set.PrivateTmp: duplicate member "
                    + "(line 1, column 43): each member may appear once"), inSet.body());
            assertEquals(TestAgent.badRequest("/probe", "$.probe: duplicate member "
                    + "(line 2, column 9): each member may appear once"), top.body());
        }
    }

    @Test
    void body_invalidUtf8_400NamingTheOffset(Vertx vertx) throws Exception {
        try (TestAgent agent = TestAgent.start(vertx, dir)) {
            byte[] overlong = "{\"set\": {\"PrivateTmp\": \"yes\u0000\"}}".getBytes(StandardCharsets.UTF_8);
            overlong = replaceNul(overlong, new byte[] {(byte) 0xC0, (byte) 0x80});
            byte[] truncated = "{\"set\": {\"PrivateTmp\": \"y".getBytes(StandardCharsets.UTF_8);
            truncated = java.util.Arrays.copyOf(truncated, truncated.length + 1);
            truncated[truncated.length - 1] = (byte) 0xE2;

            TestAgent.Answer a = agent.unixBytes(HttpMethod.PUT, HARDENING, overlong);
            TestAgent.Answer b = agent.unixBytes(HttpMethod.POST, "/v1/units/app.service/check", truncated);

            assertEquals(TestAgent.badRequest("", "$: the body is not valid UTF-8: byte 0xC0 at "
                    + "offset 27 does not form a character"), a.body());
            assertEquals(TestAgent.badRequest("", "$: the body is not valid UTF-8: byte 0xE2 at "
                    + "offset 25 does not form a character"), b.body());
        }
    }

    /** Every problem type the agent answers is in the OpenAPI document's enum and in docs/api.md's error table. */
    @Test
    void problemKinds_eachInOpenApiAndApiMd() throws Exception {
        JsonNode types = JsonBodies.MAPPER.readTree(Files.readString(Path.of("../docs/openapi.json")))
                .at("/components/schemas/Problem/properties/type/enum");
        List<String> listed = new ArrayList<>();
        types.forEach(t -> listed.add(t.textValue()));
        String apiMd = Files.readString(Path.of("../docs/api.md"));

        for (Problem.Kind kind : Problem.Kind.values()) {
            assertTrue(listed.contains(Problem.TYPE_BASE + kind.slug), kind.slug + " missing in openapi.json");
            assertTrue(apiMd.contains("| " + kind.status + " | `" + kind.slug + "` |"), kind.slug + " missing in api.md");
        }
    }

    private static java.util.Map<String, Object> members(Object... pairs) {
        java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            members.put((String) pairs[i], pairs[i + 1]);
        }
        return members;
    }

    private static byte[] replaceNul(byte[] bytes, byte[] with) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte b : bytes) {
            out.writeBytes(b == 0 ? with : new byte[] {b});
        }
        return out.toByteArray();
    }

    record Curl(int status, String body) {
    }

    /** curl over the socket as {@code uid[:gid]} (setpriv, no supplementary groups), as a deploy script would. */
    private static Curl curl(TestAgent agent, String ids, String method, String uri, String body) throws Exception {
        String uid = ids.split(":")[0];
        String gid = ids.contains(":") ? ids.split(":")[1] : uid;
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
                "--clear-groups", "curl", "-s", "--max-time", "20", "-w", "\n%{http_code}", "-X", method,
                "--unix-socket", agent.socket().toString(), "http://localhost" + uri));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        int newline = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(newline + 1).strip()), out.substring(0, newline));
    }

    private static void assumeRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        assumeTrue(new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().equals("0"),
                "needs root to run curl as another user");
    }
}
