package dev.unitguard.apply;

import static dev.unitguard.apply.ApplyFixture.UNIT;
import static dev.unitguard.apply.ApplyFixture.hardening;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unitguard.host.Access;
import dev.unitguard.sandbox.PathRequirement;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scopes in the engine: what a caller with the hardening scope may write, and what only root may force. */
class HardeningPolicyTest {

    private static final Caller MEMBER = Caller.of("uid:1000", Caller.Scope.HARDENING);
    private static final Caller ROOT = Caller.of("uid:0");
    private static final String FORBIDDEN_TAIL = " need the admin scope; the hardening scope may set only the "
            + "sandboxing directives of docs/security.md";

    @TempDir
    Path dir;
    private ApplyFixture fx;
    private ApplyService service;

    @BeforeEach
    void setUp() {
        fx = new ApplyFixture(dir);
        service = fx.service();
    }

    private ApplyRequestException refused(Map<String, String> set, Caller caller) {
        return assertThrows(ApplyRequestException.class, () -> service.applyHardening(hardening(set, false), caller));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "User|root|identity directives (who the service runs as)",
        "Group|root|identity directives (who the service runs as)",
        "DynamicUser|yes|identity directives (who the service runs as)",
        "SupplementaryGroups|shadow|identity directives (who the service runs as)",
        "ExecStartPre|+/usr/bin/touch /root/PWNED|commands (Exec*=; with a + prefix they run as root)",
        "ExecStart|/bin/sh|commands (Exec*=; with a + prefix they run as root)",
        "ExecPaths|/tmp|ExecPaths= (it undoes NoExecPaths=)",
        "AmbientCapabilities|CAP_SYS_ADMIN|capability directives (they give the service privileges)",
        "LoadCredential|s:/etc/shadow|credentials (systemd reads them as root and hands them over)",
        "SetCredential|s:x|credentials (systemd reads them as root and hands them over)",
        "Environment|LD_PRELOAD=/tmp/x.so|environment directives (LD_PRELOAD and the like change what runs)",
        "EnvironmentFile|/etc/shadow|environment directives (LD_PRELOAD and the like change what runs)",
        "BindPaths|/etc/shadow:/tmp/shadow|bind mounts (they put any file at any path inside the service)",
        "BindReadOnlyPaths|/tmp/passwd:/etc/passwd|bind mounts (they put any file at any path inside the service)",
        "RootDirectory|/srv|root directories and images (a file system of the caller's choosing)",
        "DeviceAllow|/dev/sda rw|directives that widen access (to devices or addresses)",
        "StandardOutput|file:/etc/passwd|directives outside the hardening allow-list",
    })
    void applyHardening_memberNonSandboxingDirective_scopeForbiddenNamingIt(String key, String value, String family)
            throws Exception {
        ApplyRequestException e = refused(Map.of(key, value, "PrivateTmp", "yes"), MEMBER);

        assertEquals(ApplyRequestException.Kind.SCOPE_FORBIDDEN, e.kind());
        assertEquals("set." + key + ": " + family + FORBIDDEN_TAIL, e.getMessage());
        assertEquals(Map.of("directives", List.of("set." + key), "scope", "hardening", "requiredScope", "admin"),
                e.members());
        assertEquals(Optional.empty(), fx.dropInText());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "NoNewPrivileges|no|\"no\" turns NoNewPrivileges= off; the hardening scope may only turn it on",
        "PrivateTmp|false|\"false\" turns PrivateTmp= off; the hardening scope may only turn it on",
        "ProtectSystem|no|\"no\" is not one of yes (or true), full, strict; the hardening scope may not loosen "
                + "ProtectSystem=",
        "ProtectHome|no|\"no\" is not one of yes (or true), read-only, tmpfs; the hardening scope may not loosen "
                + "ProtectHome=",
        "ProtectProc|default|\"default\" is not one of noaccess, invisible, ptraceable; the hardening scope may not "
                + "loosen ProtectProc=",
        "KeyringMode|shared|\"shared\" is not one of private; the hardening scope may not loosen KeyringMode=",
        "RestrictNamespaces|no|\"no\" lets the service create every kind of namespace",
        "CapabilityBoundingSet|~|\"~\" resets the bounding set to every capability",
        "SystemCallFilter|''|an empty value resets the unit's own SystemCallFilter= settings",
        "ReadOnlyPaths|''|an empty value resets the unit's own ReadOnlyPaths= settings",
        "ReadWritePaths|/|\"/\" is not at or below a path that requires lists with w access (it lists none)",
        "ReadWritePaths|%h|\"%h\": the hardening scope needs a plain absolute path (no %, . or ..)",
        "UMask|0002|\"0002\" lets group or others write the service's new files; the hardening scope needs at least "
                + "0022",
        "TemporaryFileSystem|/etc:mode=1777|\"/etc:mode=1777\": mount options other than ro (mode=, uid=...) can "
                + "make the service's own /etc and the like writable",
    })
    void applyHardening_memberLooseningValue_privilegeRaisingNamingIt(String key, String value, String why) {
        ApplyRequestException e = refused(Map.of(key, value), MEMBER);

        assertEquals(ApplyRequestException.Kind.PRIVILEGE_RAISING, e.kind());
        assertEquals("set." + key + ": " + why, e.getMessage());
        assertEquals(Optional.empty(), fx.dropInText());
    }

    @Test
    void applyHardening_memberSandboxingWithManifestPath_applied() throws Exception {
        fx.dir("var/lib/app/cache");
        Requirements needs = new Requirements(Optional.empty(), Optional.empty(),
                List.of(new PathRequirement("/var/lib/app", java.util.Set.of(Access.R, Access.W), false)), List.of());
        HardeningRequest request = new HardeningRequest(UNIT, HardeningRequest.single(Map.of(
                "ProtectSystem", "strict", "PrivateTmp", "yes", "NoNewPrivileges", "yes",
                "CapabilityBoundingSet", "~CAP_SYS_ADMIN", "UMask", "0027", "TemporaryFileSystem", "/srv:ro",
                "ReadWritePaths", "-/var/lib/app/cache /var/lib/app")), needs,
                Activation.restart(Health.NONE, Duration.ofSeconds(5)), false);

        assertInstanceOf(ApplyResult.Applied.class, service.applyHardening(request, MEMBER));
    }

    @Test
    void applyHardening_memberCapabilityAddedToUnitsBoundingSet_privilegeRaising() throws Exception {
        fx.file("etc/systemd/system/" + UNIT, "[Service]\nExecStart=/usr/bin/true\n"
                + "CapabilityBoundingSet=CAP_NET_BIND_SERVICE\nSystemCallFilter=@system-service\n", "rw-r--r--");

        ApplyRequestException caps = refused(Map.of("CapabilityBoundingSet", "CAP_SYS_ADMIN"), MEMBER);
        ApplyRequestException calls = refused(Map.of("SystemCallFilter", "@mount"), MEMBER);

        assertEquals("set: the exposure score would rise from 5.8 to 6.1 with worse checks: "
                + "CapabilityBoundingSet=~CAP_SYS_ADMIN; CapabilityBoundingSet= would gain CAP_SYS_ADMIN",
                caps.getMessage());
        assertEquals("set: the exposure score would rise from 5.8 to 6.0 with worse checks: SystemCallFilter=~@mount; "
                + "SystemCallFilter= would let through chroot fsconfig fsmount fsopen fspick mount mount_setattr "
                + "move_mount and 4 more", calls.getMessage());
        assertInstanceOf(ApplyResult.Applied.class, service.applyHardening(hardening(Map.of(
                "CapabilityBoundingSet", "~CAP_NET_BIND_SERVICE", "SystemCallFilter", "~@privileged"), false), MEMBER));
    }

    @Test
    void applyHardening_rootLooseningWithoutForce_422ThenForcedApplied() throws Exception {
        fx.file("etc/systemd/system/" + UNIT, "[Service]\nExecStart=/usr/bin/true\nProtectSystem=strict\n",
                "rw-r--r--");

        ApplyRequestException e = refused(Map.of("ProtectSystem", "no"), ROOT);
        ApplyResult forced = service.applyHardening(hardening(Map.of("ProtectSystem", "no"), true), ROOT);

        assertEquals(ApplyRequestException.Kind.PRIVILEGE_RAISING, e.kind());
        // live scores, as the running systemd gives them: ProtectSystem=strict counts as PrivateMounts= (9.4 offline)
        assertEquals("set: the exposure score would rise from 9.2 to 9.6; force: true applies it anyway",
                e.getMessage());
        assertInstanceOf(ApplyResult.Applied.class, forced);
    }

    @Test
    void adminOperations_memberCaller_scopeForbiddenBeforeAnythingIsRead() {
        ApplyRequestException force = assertThrows(ApplyRequestException.class,
                () -> service.applyHardening(hardening(Map.of("PrivateTmp", "yes"), true), MEMBER));
        ApplyRequestException file = assertThrows(ApplyRequestException.class, () -> service.unitFile(
                new UnitFileRequest(UNIT, Optional.of("[Service]\nExecStart=/bin/sh\n"), Activation.reloadOnly()),
                MEMBER));
        ApplyRequestException enable = assertThrows(ApplyRequestException.class,
                () -> service.enablement(UNIT, true, MEMBER));

        String tail = " needs the admin scope (root or a member of unixSocket.adminGroups); the caller has the "
                + "hardening scope";
        assertEquals("force" + tail, force.getMessage());
        assertEquals("installing a unit file" + tail, file.getMessage());
        assertEquals("enabling a unit" + tail, enable.getMessage());
        assertEquals(ApplyRequestException.Kind.SCOPE_FORBIDDEN, file.kind());
        assertEquals(List.of(), fx.systemd.calls);
    }

    @Test
    void rollback_memberToRootsForcedDropInOrUnitFile_scopeForbidden() throws Exception {
        service.applyHardening(hardening(Map.of("User", "nobody"), true), ROOT);
        service.applyHardening(hardening(Map.of("PrivateTmp", "yes"), false), MEMBER);
        service.unitFile(new UnitFileRequest(UNIT, Optional.of("[Service]\nExecStart=/usr/bin/true\nUser=root\n"),
                Activation.reloadOnly()), ROOT);

        ApplyRequestException unitFile = assertThrows(ApplyRequestException.class, () -> service.rollback(
                new RollbackRequest(UNIT, OptionalLong.empty(), Activation.reloadOnly()), MEMBER));
        ApplyRequestException toRoots = assertThrows(ApplyRequestException.class, () -> service.rollback(
                new RollbackRequest(UNIT, OptionalLong.of(1), Activation.reloadOnly()), MEMBER));
        ApplyResult toOwn = service.rollback(new RollbackRequest(UNIT, OptionalLong.of(2), Activation.reloadOnly()),
                MEMBER);

        assertEquals("rollback of " + fx.root.resolve("etc/systemd/system/" + UNIT) + " (not unitguard's drop-in)"
                + " needs the admin scope (root or a member of unixSocket.adminGroups); the caller has the hardening "
                + "scope", unitFile.getMessage());
        assertEquals("set.User: identity directives (who the service runs as)" + FORBIDDEN_TAIL, toRoots.getMessage());
        assertInstanceOf(ApplyResult.Unchanged.class, toOwn, "entry 2's content is the drop-in's content");
    }

    @Test
    void inPlace_laterDropIn_candidateBetweenFragmentAndIt() {
        Path fragment = Path.of("/etc/systemd/system/app.service");
        Path later = Path.of("/etc/systemd/system/app.service.d/60-later.conf");
        Path own = Path.of("/etc/systemd/system/app.service.d/50-unitguard.conf");
        EffectiveUnit base = EffectiveUnit.builder(UNIT).fragmentPath(fragment).dropInPath(later)
                .add(new Assignment("Service", "A", "1", new Location(fragment, 2)))
                .add(new Assignment("Service", "C", "3", new Location(later, 2))).build();

        EffectiveUnit with = HardeningCheck.inPlace(base, List.of(new Assignment("Service", "B", "2",
                new Location(own, 3))), own);

        assertEquals(List.of("A", "B", "C"), with.assignments().stream().map(Assignment::key).toList());
    }

    /** docs/security.md's allow-list table is the code's table, row for row. */
    @Test
    void securityDoc_allowListTable_sameAsCode() throws Exception {
        List<String> doc = Files.readString(Path.of("../docs/security.md")).lines()
                .dropWhile(l -> !l.startsWith("| directive (hardening scope) |")).skip(2)
                .takeWhile(l -> l.startsWith("|")).toList();

        assertEquals(HardeningPolicy.allowed().stream().map(a -> "| `" + a.directive() + "=` | " + a.accepts() + " |")
                .toList(), doc);
    }
}
