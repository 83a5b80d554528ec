package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** One test per fixture unit under {@code src/test/resources/units/}. */
class StaticEvaluatorTest extends EvaluatorTestBase {

    @Test
    void evaluate_protectSystemStrict_deniesWritesOutsideHomeAndApiFileSystems() {
        host.dir("/home/data", 0777);
        Verdict v = evaluate("protectsystem-strict.service", need("/etc/app.conf", "rw"), need("/home/data/f", "rw"),
                need("/tmp/f", "w"), need("/var/lib/new", "w"), need("/etc/app.conf", "r"));
        assertStarts(v);
        assertDenied(v.requirements().get(0), "ProtectSystem=strict");
        assertGranted(v.requirements().get(1));
        assertDenied(v.requirements().get(2), "ProtectSystem=strict");
        assertDenied(v.requirements().get(3), "ProtectSystem=strict");
        assertGranted(v.requirements().get(4));
    }

    @Test
    void evaluate_protectSystemFull_deniesEtcButNotVar() {
        Verdict v = evaluate("protectsystem-full.service", need("/etc/app.conf", "w"), need("/var/lib/x", "w"),
                need("/usr/bin/new", "w"));
        assertDenied(v.requirements().get(0), "ProtectSystem=full");
        assertGranted(v.requirements().get(1));
        assertDenied(v.requirements().get(2), "ProtectSystem=full");
    }

    @Test
    void evaluate_protectSystemYes_deniesUsrButNotEtc() {
        Verdict v = evaluate("protectsystem-yes.service", need("/usr/bin/true", "w"), need("/etc/app.conf", "w"));
        assertDenied(v.requirements().get(0), "ProtectSystem=yes");
        assertGranted(v.requirements().get(1));
    }

    @Test
    void evaluate_protectHomeYes_hidesHomeFiles() {
        host.file("/home/kanakku/.ssh/id_rsa", 0644, "key");
        Verdict v = evaluate("protecthome-yes.service", need("/home/kanakku/.ssh/id_rsa", "r"), need("/home", "r"));
        assertStarts(v);
        assertDenied(v.requirements().get(0), "ProtectHome=yes");
        assertEquals("/home/kanakku/.ssh/id_rsa is hidden in the service's mount namespace by ProtectHome=yes",
                v.requirements().get(0).reason());
        assertDenied(v.requirements().get(1), "ProtectHome=yes");
    }

    @Test
    void evaluate_protectHomeReadOnly_allowsReadsDeniesWrites() {
        host.file("/home/kanakku/notes", 0666, "n");
        Verdict v = evaluate("protecthome-readonly.service", need("/home/kanakku/notes", "r"),
                need("/home/kanakku/notes", "rw"));
        assertGranted(v.requirements().get(0));
        assertDenied(v.requirements().get(1), "ProtectHome=read-only");
    }

    @Test
    void evaluate_protectHomeTmpfs_showsEmptyWritableHome() {
        // systemd 252 mounts a writable 1777 tmpfs (seen in the lab): files can be created, the host's are hidden
        host.file("/home/kanakku/notes", 0666, "n");
        Verdict v = evaluate("protecthome-tmpfs.service", need("/home/kanakku/notes", "r"), need("/home", "r"),
                need("/home/new", "w"));
        assertDenied(v.requirements().get(0), "ProtectHome=tmpfs");
        assertGranted(v.requirements().get(1));
        assertGranted(v.requirements().get(2));
    }

    @Test
    void evaluate_readWritePathsUnderProtectHomeYes_isDroppedAndStarts() {
        assertStarts(evaluate("protecthome-yes-rw-inside.service"));
    }

    @Test
    void evaluate_readWritePathsMissing_failsWithNamespace() {
        assertFails(evaluate("readwritepaths-missing.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/srv/missing: No such file or directory"
                        + " (ReadWritePaths=/srv/missing)");
    }

    @Test
    void evaluate_readWritePathsWithSpecifier_resolvedForTheUnitName() {
        assertFails(evaluate("readwritepaths-specifier.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/srv/readwritepaths-specifier-data:"
                        + " No such file or directory (ReadWritePaths=/srv/readwritepaths-specifier-data)");
        host.dir("/srv/readwritepaths-specifier-data", 0755);
        Verdict v = evaluate("readwritepaths-specifier.service", need("/srv/readwritepaths-specifier-data/x", "w"));
        assertStarts(v);
        assertGranted(v.requirements().get(0));
    }

    @Test
    void evaluate_readWritePathsDashMissing_startsAndKeepsOthersWritable() {
        Verdict v = evaluate("readwritepaths-dash-missing.service", need("/srv/app/new", "w"),
                need("/srv/other", "w"));
        assertStarts(v);
        assertGranted(v.requirements().get(0));
        assertDenied(v.requirements().get(1), "ProtectSystem=strict");
    }

    @Test
    void evaluate_readOnlyAndReadWriteOnSamePath_readOnlyWins() {
        Verdict v = evaluate("readonlypaths-overrides-readwrite.service", need("/srv/app/data.txt", "w"));
        assertDenied(v.requirements().get(0), "ReadOnlyPaths=/srv/app");
    }

    @Test
    void evaluate_readWritePathsBelowReadOnlyPaths_longestPrefixWins() {
        Verdict v = evaluate("readwritepaths-under-readonly.service", need("/srv/app/data.txt", "w"),
                need("/srv/secret/x", "w"));
        assertGranted(v.requirements().get(0));
        assertDenied(v.requirements().get(1), "ReadOnlyPaths=/srv");
    }

    @Test
    void evaluate_readWritePathsInsideInaccessiblePaths_staysHidden() {
        Verdict v = evaluate("inaccessiblepaths-rw-inside.service", need("/srv/app/data.txt", "rw"));
        assertStarts(v);
        assertDenied(v.requirements().get(0), "InaccessiblePaths=/srv");
    }

    @Test
    void evaluate_inaccessiblePathsMissing_failsWithNamespace() {
        assertFails(evaluate("inaccessiblepaths-missing.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/srv/missing: No such file or directory"
                        + " (InaccessiblePaths=/srv/missing)");
    }

    @Test
    void evaluate_temporaryFileSystemWithBind_reexposesOnlyTheBind() {
        Verdict v = evaluate("tmpfs-bind.service", need("/srv/app/data.txt", "r"), need("/srv/secret/run.sh", "r"),
                need("/srv/app/data.txt", "w"), need("/srv/newfile", "w"));
        assertStarts(v);
        assertGranted(v.requirements().get(0));
        assertDenied(v.requirements().get(1), "TemporaryFileSystem=/srv:ro");
        assertDenied(v.requirements().get(2), "BindReadOnlyPaths=/srv/app");
        assertDenied(v.requirements().get(3), "TemporaryFileSystem=/srv:ro");
    }

    @Test
    void evaluate_readWritePathsInsideTemporaryFileSystem_failsBecauseTheTmpfsIsEmpty() {
        assertFails(evaluate("tmpfs-readwritepaths-inside.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/srv/app: No such file or directory"
                        + " (ReadWritePaths=/srv/app)");
    }

    @Test
    void evaluate_bindPathsMissingSource_failsNamingTheDestination() {
        assertFails(evaluate("bindpaths-missing-source.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/srv/app/x: No such file or directory"
                        + " (BindPaths=/srv/nosrc:/srv/app/x)");
    }

    @Test
    void evaluate_bindPathsDashMissingSource_starts() {
        assertStarts(evaluate("bindpaths-dash-missing-source.service"));
    }

    @Test
    void evaluate_bindPathsDestinationOnReadOnlyHostMount_failsWithNamespace() {
        host.mount("/usr", true, false);
        assertFails(evaluate("bindpaths-readonly-destination.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/usr/newdest: No such file or directory"
                        + " (BindPaths=/srv/app:/usr/newdest)");
    }

    @Test
    void evaluate_bindPathsDestinationOnWritableHost_isCreated() {
        Verdict v = evaluate("bindpaths-readonly-destination.service", need("/usr/newdest/data.txt", "rw"));
        assertStarts(v);
        assertGranted(v.requirements().get(0));
    }

    @Test
    void evaluate_noExecPathsOverExecStart_failsWithExec() {
        Verdict v = evaluate("noexecpaths-execstart.service", need("/srv/app/run.sh", "x"));
        assertFails(v, 203, "EXEC", "Failed to locate executable /srv/app/run.sh: Permission denied");
        assertDenied(v.requirements().get(0), "NoExecPaths=/srv");
    }

    @Test
    void evaluate_execPathsBelowNoExecPaths_allowsExecution() {
        assertStarts(evaluate("execpaths-under-noexec.service", need("/srv/app/run.sh", "rx")));
    }

    @Test
    void evaluate_fullPrivilegesCommand_ignoresNoExecPaths() {
        assertStarts(evaluate("execstart-full-privileges.service"));
    }

    @Test
    void evaluate_privateDevices_leavesOnlyPseudoDevicesAndReadOnlyDev() throws Exception {
        host.file("/dev/ttyUSB0", 0666, "");
        Verdict v = new StaticEvaluator(host.view()).evaluate(UnitFixtures.load("privatedevices-yes.service"),
                new Requirements(java.util.Optional.empty(), java.util.Optional.empty(),
                        java.util.List.of(need("/dev/newfile", "w"), need("/dev/shm/x", "w"), need("/dev/null", "rw")),
                        java.util.List.of("/dev/ttyUSB0", "/dev/null")));
        assertStarts(v);
        assertDenied(v.requirements().get(0), "PrivateDevices=yes");
        assertGranted(v.requirements().get(1));
        assertGranted(v.requirements().get(2));
        assertDenied(v.requirements().get(3), "PrivateDevices=yes");
        assertGranted(v.requirements().get(4));
    }

    @Test
    void evaluate_privateTmp_givesWritableEmptyTmpUnderStrict() {
        host.file("/tmp/host-file", 0644, "h");
        Verdict v = evaluate("privatetmp-yes.service", need("/tmp/new", "w"), need("/tmp/host-file", "r"),
                need("/var/tmp/new", "w"));
        assertGranted(v.requirements().get(0));
        assertDenied(v.requirements().get(1), "PrivateTmp=yes");
        assertGranted(v.requirements().get(2));
    }

    @Test
    void evaluate_stateDirectoryUnderStrict_isWritableForTheUser() {
        Verdict v = evaluate("statedirectory-strict.service", need("/var/lib/kanakku/db", "rw"),
                need("/var/lib/kanakku", "rwx"), need("/var/lib/other", "w"));
        assertStarts(v);
        assertGranted(v.requirements().get(0));
        assertGranted(v.requirements().get(1));
        assertDenied(v.requirements().get(2), "ProtectSystem=strict");
    }

    @Test
    void evaluate_dynamicUser_impliesStrictAndPrivateState() {
        host.file("/home/notes", 0644, "n");
        Verdict v = evaluate("dynamicuser-yes.service", need("/var/lib/dyn/x", "w"), need("/etc/x", "w"),
                need("/home/notes", "w"), need("/tmp/x", "w"));
        assertStarts(v);
        assertGranted(v.requirements().get(0));
        assertDenied(v.requirements().get(1), "ProtectSystem=strict");
        // drop_nop() folds ProtectHome=read-only's /home into the read-only / of the implied ProtectSystem=strict
        assertDenied(v.requirements().get(2), "ProtectSystem=strict");
        assertGranted(v.requirements().get(3));
    }

    @Test
    void evaluate_unknownUser_failsWithUserBeforeNamespace() {
        assertFails(evaluate("user-unknown.service"), 217, "USER",
                "Failed to determine user credentials: No such process");
    }

    @Test
    void evaluate_unknownGroup_failsWithGroup() {
        assertFails(evaluate("group-unknown.service"), 216, "GROUP",
                "Failed to determine group credentials: No such process");
    }

    @Test
    void evaluate_unknownSupplementaryGroup_failsWithGroup() {
        assertFails(evaluate("supplementarygroups-unknown.service"), 216, "GROUP",
                "Failed to determine supplementary groups: No such process");
    }

    @Test
    void evaluate_loadCredentialMissing_failsWithCredentialsBeforeNamespace() {
        assertFails(evaluate("loadcredential-missing.service"), 243, "CREDENTIALS",
                "Failed to set up credentials: Protocol error (LoadCredential=token:/srv/nocred: /srv/nocred does"
                        + " not exist)");
    }

    @Test
    void evaluate_workingDirectoryMissing_failsWithChdir() {
        assertFails(evaluate("workingdirectory-missing.service"), 200, "CHDIR",
                "Changing to the requested working directory failed: No such file or directory"
                        + " (WorkingDirectory=/srv/nodir)");
    }

    @Test
    void evaluate_workingDirectoryDashMissing_starts() {
        assertStarts(evaluate("workingdirectory-dash-missing.service"));
    }

    @Test
    void evaluate_workingDirectoryHomeMissing_failsWithChdir() {
        assertFails(evaluate("workingdirectory-home.service"), 200, "CHDIR",
                "Changing to the requested working directory failed: No such file or directory"
                        + " (WorkingDirectory=~)");
    }

    @Test
    void evaluate_workingDirectoryNotSearchable_failsWithChdirPermissionDenied() {
        assertFails(evaluate("workingdirectory-denied.service"), 200, "CHDIR",
                "Changing to the requested working directory failed: Permission denied (WorkingDirectory=/root)");
    }

    @Test
    void evaluate_execStartMissing_failsWithExecBeforeChdir() {
        assertFails(evaluate("execstart-missing.service"), 203, "EXEC",
                "Failed to locate executable /srv/app/nonexistent: No such file or directory");
    }

    @Test
    void evaluate_execStartInaccessible_failsWithExec() {
        assertFails(evaluate("execstart-inaccessible.service"), 203, "EXEC",
                "Failed to locate executable /usr/bin/true: No such file or directory");
    }

    @Test
    void evaluate_execStartWithoutExecuteBit_failsWithExec() {
        assertFails(evaluate("execstart-not-executable.service"), 203, "EXEC",
                "Failed to locate executable /srv/app/data.txt: Permission denied");
    }

    @Test
    void evaluate_execStartInDirectoryUserCannotSearch_failsAtExecve() {
        assertFails(evaluate("execstart-denied-for-user.service"), 203, "EXEC",
                "Failed to execute /srv/secret/run.sh: Permission denied (no search permission on /srv/secret"
                        + " (owner 0 group 0 mode 0700))");
    }

    @Test
    void evaluate_execStartBareName_isFoundOnTheSearchPath() {
        assertStarts(evaluate("execstart-search-path.service"));
    }

    @Test
    void evaluate_fileOwnedByAnotherUser_deniedByPermissions() {
        assumeTrue(TestHost.isRoot(), "chown needs root");
        host.file("/srv/app/private.key", 0600, "k").chown("/srv/app/private.key", 0, 0)
                .file("/srv/app/own.key", 0600, "k").chown("/srv/app/own.key", TestHost.KANAKKU, TestHost.KANAKKU)
                .file("/srv/app/group.key", 0640, "k").chown("/srv/app/group.key", 0, 110);
        Verdict v = evaluate("protecthome-yes.service", need("/srv/app/private.key", "r"),
                need("/srv/app/own.key", "r"), need("/srv/app/group.key", "r"), need("/srv/app/group.key", "rw"));
        assertDenied(v.requirements().get(0), "permissions");
        assertEquals("no r permission on /srv/app/private.key (owner 0 group 0 mode 0600)",
                v.requirements().get(0).reason());
        assertGranted(v.requirements().get(1));
        assertGranted(v.requirements().get(2));
        assertDenied(v.requirements().get(3), "permissions");
    }

    @Test
    void evaluate_missingPathToRead_deniedAsMissing() {
        Verdict v = evaluate("protectsystem-yes.service", need("/srv/app/nothing", "r"));
        assertDenied(v.requirements().get(0), "missing");
        assertEquals("/srv/app/nothing: No such file or directory", v.requirements().get(0).reason());
    }

    @Test
    void evaluate_symlinkedRequirement_isJudgedAtItsTarget() {
        host.symlink("/etc/app-link", "/srv/app/data.txt");
        Verdict v = evaluate("protectsystem-full.service", need("/etc/app-link", "w"));
        assertGranted(v.requirements().get(0));
    }

    @Test
    void evaluate_readOnlyPathsMissingUnderStrict_isDroppedAsRedundantAndStarts() {
        assertStarts(evaluate("readonlypaths-missing-under-strict.service"));
    }

    @Test
    void evaluate_readOnlyPathsMissing_failsWithNamespace() {
        assertFails(evaluate("readonlypaths-missing.service"), 226, "NAMESPACE",
                "Failed to set up mount namespacing: /run/systemd/unit-root/srv/missing: No such file or directory"
                        + " (ReadOnlyPaths=/srv/missing)");
    }

    @Test
    void evaluate_inaccessibleFileAsRoot_deniesReadingItsContent() {
        host.file("/etc/memcached.conf", 0644, "-l 127.0.0.1");
        Verdict v = evaluate("inaccessiblepaths-file-root.service", need("/etc/memcached.conf", "r"),
                need("/etc/memcached.conf", "rw"), need("/etc/other.conf", "r"));
        assertStarts(v);
        assertDenied(v.requirements().get(0), "InaccessiblePaths=/etc/memcached.conf");
        assertEquals("/etc/memcached.conf is hidden by InaccessiblePaths=/etc/memcached.conf: an empty node (mode "
                + "0000) stands in its place, for every user, root too", v.requirements().get(0).reason());
        assertDenied(v.requirements().get(1), "InaccessiblePaths=/etc/memcached.conf");
        assertEquals("missing", v.requirements().get(2).deniedBy());
    }

    @Test
    void evaluate_procSubsetPid_hidesAllButProcessDirectories() {
        Verdict v = evaluate("procsubset-pid.service", need("/proc/meminfo", "r"), need("/proc/sys/kernel", "x"),
                need("/proc/self/status", "r"), need("/proc/1/comm", "r"));
        assertStarts(v);
        assertDenied(v.requirements().get(0), "ProcSubset=pid");
        assertEquals("/proc/meminfo does not exist in the service's /proc: ProcSubset=pid shows only the process "
                + "directories", v.requirements().get(0).reason());
        assertDenied(v.requirements().get(1), "ProcSubset=pid");
        assertTrue(v.requirements().get(2).ok() || !"ProcSubset=pid".equals(v.requirements().get(2).deniedBy()));
        assertTrue(v.requirements().get(3).ok() || !"ProcSubset=pid".equals(v.requirements().get(3).deniedBy()));
    }

    @Test
    void evaluate_typeNotifyWithRunHidden_failsTheStartForWantOfReadiness() {
        Verdict v = evaluate("type-notify-tmpfs-run.service");
        assertEquals(new StartupVerdict(false, null, null, "Type=notify: the service cannot reach "
                + "/run/systemd/notify, hidden by TemporaryFileSystem=/run in its mount namespace, so it never reports "
                + "ready; systemd fails the start after TimeoutStartSec= (result 'timeout', or 'protocol' when the "
                + "main process exits first)"), v.startup());
    }

    @Test
    void evaluate_typeNotifyUnderStrict_starts() {
        assertStarts(evaluate("type-notify-strict.service"));
    }

    @Test
    void evaluate_busNameWithBusSocketHidden_failsTheStart() {
        host.dir("/run/dbus", 0755);
        Verdict v = evaluate("type-dbus-inaccessible.service");
        assertEquals(false, v.startup().ok());
        assertTrue(v.startup().reason().startsWith("Type=dbus: the service cannot reach /run/dbus/system_bus_socket, "
                + "hidden by InaccessiblePaths=/run/dbus"), v.startup().reason());
    }

    @Test
    void evaluate_scriptInterpreterOnNoexecMount_fails203() {
        host.file("/srv/app/run.sh", 0755, "#!/usr/bin/dash\necho hi\n");
        host.file("/usr/bin/dash", 0755, "");
        assertFails(evaluate("noexecpaths-script-interpreter.service"), 203, "EXEC",
                "Failed to execute /srv/app/run.sh: Permission denied (its interpreter /usr/bin/dash is on a noexec "
                        + "mount (NoExecPaths=/))");
        assertStarts(evaluate("noexecpaths-script-interpreter-allowed.service"));
    }

    /** An x requirement on a script is judged with its interpreter, as the kernel (and the probe) load it. */
    @Test
    void evaluate_xOfScriptWhoseInterpreterIsOnNoexecMount_denied() {
        host.file("/srv/app/run.sh", 0755, "#!/usr/bin/dash\necho hi\n");
        host.file("/usr/bin/dash", 0755, "");

        Verdict v = evaluate("noexecpaths-script-interpreter.service", need("/srv/app/run.sh", "rx"));
        Verdict allowed = evaluate("noexecpaths-script-interpreter-allowed.service", need("/srv/app/run.sh", "rx"));

        RequirementVerdict denied = v.requirements().get(0);
        assertEquals("NoExecPaths=/ /srv/app/run.sh cannot be executed: its interpreter /usr/bin/dash is on a noexec"
                + " mount (NoExecPaths=/)", denied.deniedBy() + " " + denied.reason());
        assertEquals(true, allowed.requirements().get(0).ok(), allowed.requirements()::toString);
    }
}
