package dev.unitguard.perms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.UnknownIdentity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per kind of finding, on real files with real owners and modes. */
class FindingsTest {

    private static final String UNIT = """
            [Service]
            User=www-data
            ExecStart=/usr/bin/app
            """;

    @TempDir
    Path dir;
    private PermsHost host;

    @BeforeEach
    void host() {
        host = new PermsHost(dir.resolve("root"));
    }

    private PermissionReport check(String unitText, String manifest) {
        return host.check(host.unit("app.service", unitText), PermsHost.manifest(manifest));
    }

    private static String line(Finding f) {
        return f.id() + " " + f.severity() + " " + f.path() + ": " + f.message() + " | fix " + f.fix()
                + " | alternatives " + f.alternatives();
    }

    private static List<String> lines(PermissionReport r) {
        return r.findings().stream().map(FindingsTest::line).toList();
    }

    @Test
    void accessDenied_ancestorWithoutSearch_addsSearchForOthers() {
        host.dir("/srv/app", 0, 0, 0700).file("/srv/app/data.txt", 0, 0, 0644, "x\n");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/srv/app/data.txt", "access": "r"}]}""");
        assertEquals(List.of("access-denied high /srv/app/data.txt: www-data cannot reach /srv/app/data.txt: no search"
                + " permission on /srv/app, which is owned by root:root with mode 0700 | fix [chmod 0701 /srv/app]"
                + " | alternatives []"), lines(r));
    }

    @Test
    void accessDenied_fileToCreateInRootOwnedDirectory_chownsTheDirectory() {
        host.dir("/opt/app", 0, 0, 0755);
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/opt/app/new.db", "access": "rw"}]}""");
        assertEquals(List.of("access-denied high /opt/app/new.db: www-data cannot create /opt/app/new.db: /opt/app is"
                + " owned by root:root with mode 0755 | fix [chown www-data:www-data /opt/app] | alternatives"
                + " [StateDirectory=app in [Service], with app kept in /var/lib/app/: systemd creates that directory"
                + " owned by the service's user at every start, tmpfiles.d line: d /opt/app 0755 www-data www-data -]"),
                lines(r));
    }

    @Test
    void accessDenied_readOnlyConfigOfAnotherGroup_grantsTheServiceGroupRead() {
        host.file("/opt/app.conf", 0, 0, 0600, "x=1\n");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/opt/app.conf", "access": "r"}]}""");
        assertEquals(List.of("access-denied high /opt/app.conf: www-data cannot read /opt/app.conf: it is owned by"
                + " root:root with mode 0600 | fix [chown root:www-data /opt/app.conf, chmod 0640 /opt/app.conf]"
                + " | alternatives [setfacl -m u:www-data:r /opt/app.conf]"), lines(r));
    }

    @Test
    void pathMissing_fileToRead_isHigh() {
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/opt/missing.conf", "access": "r"}]}""");
        assertEquals(List.of("path-missing high /opt/missing.conf: /opt/missing.conf does not exist; www-data needs r"
                + " on it | fix [] | alternatives []"), lines(r));
        assertEquals(false, r.paths().get(0).exists());
    }

    @Test
    void acl_namedUserEntry_grantsWriteDespiteRootOwnership() {
        host.dir("/opt/app", 0, 0, 0755).file("/opt/app/app.db", 0, 0, 0640, "")
                .setfacl("/opt/app/app.db", "u:www-data:rw");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/opt/app/app.db", "access": "rw"}]}""");
        assertEquals(List.of(), lines(r));
        assertEquals(List.of("user::rw-", "user:www-data:rw-", "group::r--", "mask::rw-", "other::---"),
                r.paths().get(0).acl());
        assertEquals(true, r.paths().get(0).granted());
    }

    @Test
    void acl_maskWithoutWrite_deniesTheNamedUser() {
        host.dir("/opt/app", 0, 0, 0755).file("/opt/app/app.db", 0, 0, 0640, "")
                .setfacl("/opt/app/app.db", "u:www-data:rw,m::r");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/opt/app/app.db", "access": "rw"}]}""");
        assertEquals("www-data cannot write /opt/app/app.db: it is owned by root:root with mode 0640 and ACL"
                + " user::rw-,user:www-data:rw-,group::r--,mask::r--,other::---", r.findings().get(0).message());
    }

    @Test
    void secretExposed_environmentFileReadableByAll_isHighWithChmod0600() {
        host.dir("/opt/app", 0, 0, 0755).file("/opt/app/.env", 33, 33, 0644, "SECRET_KEY=x\n");
        PermissionReport r = check(UNIT + "EnvironmentFile=-/opt/app/.env\n", "{}");
        assertEquals(List.of("secret-exposed high /opt/app/.env: /opt/app/.env holds secrets (EnvironmentFile=) but is"
                + " owned by www-data:www-data with mode 0644: group www-data may read it, every user may read it"
                + " while only the owner needs it | fix [chmod 0600 /opt/app/.env] | alternatives"
                + " [LoadCredential=NAME:/opt/app/.env instead of EnvironmentFile= keeps the secret out of the"
                + " environment: the service reads it from $CREDENTIALS_DIRECTORY/NAME]"), lines(r));
    }

    @Test
    void secretExposed_credentialReadableByGroup_isMedium() {
        host.file("/etc/app/db.pass", 0, 1001, 0640, "pw\n");
        PermissionReport r = check(UNIT + "LoadCredential=db:/etc/app/db.pass\n", "{}");
        assertEquals(List.of("secret-exposed medium /etc/app/db.pass: /etc/app/db.pass holds secrets (LoadCredential=)"
                + " but is owned by root:alice with mode 0640: group alice may read it while only the owner needs it"
                + " | fix [chmod 0600 /etc/app/db.pass] | alternatives []"), lines(r));
    }

    @Test
    void secretExposed_manifestSecretReadThroughOthers_movesItToTheServiceGroup() {
        host.file("/etc/app/key.pem", 0, 0, 0644, "key\n");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/etc/app/key.pem", "access": "r", "secret": true}]}""");
        assertEquals(List.of("secret-exposed high /etc/app/key.pem: /etc/app/key.pem holds secrets (marked secret in"
                + " the requirements) but is owned by root:root with mode 0644: every user may read it while only"
                + " www-data needs it | fix [chown root:www-data /etc/app/key.pem, chmod 0640 /etc/app/key.pem]"
                + " | alternatives []"), lines(r));
    }

    @Test
    void secretExposed_manifestSecretReadThroughItsGroup_isClean() {
        host.file("/etc/app/key.pem", 0, 110, 0640, "key\n");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/etc/app/key.pem", "access": "r", "secret": true}]}""");
        assertEquals(List.of(), lines(r));
    }

    @Test
    void worldWritableExecPath_directoryOfTheBinary_isHighAndCriticalWithPlus() {
        host.dir("/opt/tool", 0, 0, 0777).file("/opt/tool/run", 0, 0, 0755, "#!/bin/sh\n");
        PermissionReport r = check("[Service]\nUser=www-data\nExecStart=/opt/tool/run\n", "{}");
        assertEquals(List.of("world-writable-exec-path high /opt/tool: /opt/tool is world-writable (mode 0777) and on"
                + " the path to ExecStart=/opt/tool/run: any local user can change what the service runs as www-data"
                + " | fix [chmod 0775 /opt/tool] | alternatives []"), lines(r));
        PermissionReport plus = check("[Service]\nUser=www-data\nExecStartPre=+/opt/tool/run\n", "{}");
        assertEquals(List.of("world-writable-exec-path critical /opt/tool"), PermsHost.ids(plus));
    }

    @Test
    void worldWritableExecPath_stickyDirectory_isNotReported() {
        host.dir("/opt/tool", 0, 0, 01777).file("/opt/tool/run", 0, 0, 0755, "#!/bin/sh\n");
        assertEquals(List.of(), lines(check("[Service]\nUser=www-data\nExecStart=/opt/tool/run\n", "{}")));
    }

    @Test
    void worldWritableWorkingDirectory_fileInIt_isHigh() {
        host.dir("/opt/app", 0, 0, 0755).file("/opt/app/settings.py", 0, 0, 0666, "DEBUG=False\n");
        PermissionReport r = check(UNIT + "WorkingDirectory=/opt/app\n", "{}");
        assertEquals(List.of("world-writable-working-directory high /opt/app/settings.py: /opt/app/settings.py is"
                + " world-writable (mode 0666) in the working directory /opt/app: any local user can plant files the"
                + " service reads or runs | fix [chmod 0664 /opt/app/settings.py] | alternatives []"), lines(r));
    }

    @Test
    void foreignOwner_fileOfAnotherUserInWrittenDirectory_isMediumWithChown() {
        host.dir("/var/lib/app", 33, 33, 0750).file("/var/lib/app/import.csv", 1001, 1001, 0644, "a,b\n");
        PermissionReport r = check(UNIT, """
                {"paths": [{"path": "/var/lib/app", "access": "rwx"}]}""");
        assertEquals(List.of("foreign-owner medium /var/lib/app/import.csv: /var/lib/app/import.csv is owned by alice,"
                + " another non-root user, in /var/lib/app which www-data writes: alice can change data the service"
                + " trusts, and the service can delete or replace alice's files | fix [chown www-data:www-data"
                + " /var/lib/app/import.csv] | alternatives []"), lines(r));
    }

    @Test
    void writableExecutable_codeDirectoryOwnedByTheService_isMediumWithChownToRoot() {
        host.dir("/opt/app", 0, 0, 0755).dir("/opt/app/venv", 33, 33, 0755).dir("/opt/app/venv/bin", 0, 0, 0755)
                .file("/opt/app/venv/bin/gunicorn", 0, 0, 0755, "#!/bin/sh\n");
        PermissionReport r = check("[Service]\nUser=www-data\nExecStart=/opt/app/venv/bin/gunicorn run:app\n", "{}");
        assertEquals(List.of("writable-executable medium /opt/app/venv: www-data can write /opt/app/venv, which is"
                + " owned by www-data:www-data with mode 0755, on the path to ExecStart=/opt/app/venv/bin/gunicorn:"
                + " a compromised service can replace code it runs | fix [chown root:root /opt/app/venv]"
                + " | alternatives [ReadOnlyPaths=/opt/app/venv in [Service] keeps it read-only inside the service's"
                + " namespace]"), lines(r));
    }

    @Test
    void dynamicUser_accessDenied_suggestsStateDirectoryNotChown() {
        host.dir("/opt/app", 0, 0, 0755).file("/opt/app/app.db", 0, 0, 0644, "");
        PermissionReport r = check("[Service]\nDynamicUser=yes\nExecStart=/usr/bin/app\n", """
                {"paths": [{"path": "/opt/app/app.db", "access": "rw"}]}""");
        assertEquals(true, r.dynamicUser());
        assertEquals(List.of(), r.findings().get(0).fix());
        assertEquals(List.of("StateDirectory=app in [Service], with app.db kept in /var/lib/app/: systemd creates that"
                + " directory owned by the service's user at every start"), r.findings().get(0).alternatives());
        assertEquals(1, r.notes().size());
    }

    @Test
    void requirements_unknownUser_isAnErrorNamingTheManifestsField() {
        Requirements req = PermsHost.manifest("{\"user\": \"nobody-here\"}");
        UnknownIdentity e = org.junit.jupiter.api.Assertions.assertThrows(UnknownIdentity.class,
                () -> new PermissionChecker(host.view()).check(host.unit("app.service", UNIT), req));
        assertEquals(UnknownIdentity.Field.MANIFEST_USER, e.field());
        assertEquals("unknown user \"nobody-here\"", e.getMessage());
    }

    @Test
    void requirements_unknownSupplementaryGroupBesideManifestUser_isAnErrorNamingTheDirective() {
        Requirements req = PermsHost.manifest("{\"user\": \"root\"}");
        UnknownIdentity e = org.junit.jupiter.api.Assertions.assertThrows(UnknownIdentity.class,
                () -> new PermissionChecker(host.view()).check(host.unit("app.service",
                        "[Service]\nExecStart=/usr/bin/true\nSupplementaryGroups=nogroup-here\n"), req));
        assertEquals(UnknownIdentity.Field.SUPPLEMENTARY_GROUPS, e.field());
        assertEquals("unknown group \"nogroup-here\" in SupplementaryGroups=", e.getMessage());
    }
}
