package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each parser of {@link DirectiveValues} on values systemd 252 takes and values it warns about, with its words (the
 * expectations were read from {@code systemd-analyze verify} of systemd 252; {@code DirectiveValuesIT} compares
 * every directive against the real one).
 */
class DirectiveValuesTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "NoNewPrivileges|yes", "NoNewPrivileges|Y", "NoNewPrivileges|OFF", "NoNewPrivileges|0",
            "MountAPIVFS|``", "ProtectSystem|strict", "ProtectSystem|Yes", "ProtectHome|read-only",
            "ProtectProc|invisible", "ProcSubset|pid", "KeyringMode|private", "NotifyAccess|main",
            "DevicePolicy|closed", "UMask|0022", "UMask|07777", "UMask|000000000022", "StateDirectoryMode|0750",
            "ReadWritePaths|``", "ReadWritePaths|-/a +/b -+/c", "ReadWritePaths|/a/./b //a//", "ReadWritePaths|%t/x",
            "ReadWritePaths|`\"/a b\" '/c'`", "InaccessiblePaths|/", "TemporaryFileSystem|/a:ro,mode=0755 /b",
            "BindPaths|/a /b:/c -/d:/e:rbind", "BindReadOnlyPaths|/a:/b:norbind", "StateDirectory|a a/b a:b ./a",
            "ConfigurationDirectory|app", "WorkingDirectory|-~", "WorkingDirectory|/a", "RootDirectory|``",
            "DeviceAllow|/dev/null rw", "DeviceAllow|char-pts r", "DeviceAllow|block-loop",
            "CapabilityBoundingSet|~CAP_SYS_ADMIN cap_net_raw 12", "CapabilityBoundingSet|~",
            "AmbientCapabilities|``", "SystemCallFilter|@system-service", "SystemCallFilter|~@mount:EPERM read:eperm",
            "SystemCallFilter|~read:kill write:0x5", "SystemCallFilter|re\\ad", "SystemCallFilter|~",
            "SystemCallArchitectures|native x86-64", "SystemCallErrorNumber|EPERM", "SystemCallErrorNumber|kill",
            "SystemCallErrorNumber|0o22", "RestrictNamespaces|yes", "RestrictNamespaces|~net ipc",
            "RestrictNamespaces|time", "RestrictAddressFamilies|none", "RestrictAddressFamilies|~AF_PACKET af_unix",
            "IPAddressDeny|any", "IPAddressAllow|localhost 10.0.0.0/8 ::1 fe80::/10 ::ffff:1.2.3.4",
            "SocketBindAllow|tcp:80", "SocketBindAllow|ipv6:udp:1000-2000", "SocketBindAllow|TCP:+5",
            "SocketBindDeny|any", "SocketBindDeny|tcp"})
    void check_valueSystemdTakes_isValid(String key, String value) {
        assertEquals(Optional.of(new ValueVerdict.Valid()), DirectiveValues.check(key, value));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "NoNewPrivileges|perhaps|Failed to parse boolean value, ignoring: perhaps",
            "NoNewPrivileges|``|`Failed to parse boolean value, ignoring: `",
            "NoNewPrivileges|`\"yes\"`|Failed to parse boolean value, ignoring: \"yes\"",
            "ProtectSystem|banana|Failed to parse protect system value, ignoring: banana",
            "ProtectSystem|Strict|Failed to parse protect system value, ignoring: Strict",
            "ProtectSystem|``|`Failed to parse protect system value, ignoring: `",
            "ProtectHome|maybe|Failed to parse protect home value, ignoring: maybe",
            "ProtectProc|Invisible|Failed to parse /proc/ protection mode, ignoring: Invisible",
            "ProcSubset|PID|Failed to parse /proc/ subset mode, ignoring: PID",
            "KeyringMode|``|`Failed to parse keyring mode, ignoring: `",
            "NotifyAccess|MAIN|Failed to parse notify access specifier, ignoring: MAIN",
            "DevicePolicy|Closed|Failed to parse device policy, ignoring: Closed",
            "UMask|0778|Failed to parse mode value, ignoring: 0778",
            "UMask|17777|Failed to parse mode value, ignoring: 17777",
            "UMask|0o22|Failed to parse mode value, ignoring: 0o22",
            "ReadWritePaths|`\"/a`|Failed to extract first word, ignoring: \"/a",
            "BindPaths|/a:/b:ro|Invalid option string, ignoring setting: ro",
            "StateDirectory|private|StateDirectory= path can't be 'private', ignoring assignment: private",
            "DeviceAllow|foo|Invalid device node path 'foo', ignoring.",
            "DeviceAllow|/dev/sda RW|Invalid device rights 'RW', ignoring.",
            "SystemCallErrorNumber|0|Invalid error number, ignoring: 0",
            "SystemCallErrorNumber|ECANCELLED|Failed to parse error number, ignoring: ECANCELLED",
            "SystemCallErrorNumber|KILL|Failed to parse error number, ignoring: KILL",
            "RestrictNamespaces|NET|Failed to parse namespace type string, ignoring: NET",
            "RestrictNamespaces|net bogus|Failed to parse namespace type string, ignoring: net bogus",
            "SocketBindAllow|tcp:0|Unable to parse SocketBindAllow= assignment, ignoring: tcp:0",
            "SocketBindDeny|IPv6:UDP:5|Unable to parse SocketBindDeny= assignment, ignoring: IPv6:UDP:5",
            "SocketBindAllow|tcp:80 udp:53|Unable to parse SocketBindAllow= assignment, ignoring: tcp:80 udp:53"})
    void check_valueSystemdIgnores_isIgnoredInItsWords(String key, String value, String warning) {
        assertEquals(Optional.of(new ValueVerdict.Ignored(List.of(warning))), DirectiveValues.check(key, value));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "ReadWritePaths|rel /ok|ReadWritePaths= path is not absolute, ignoring: rel",
            "IPAddressDeny|01.2.3.4|Address prefix is invalid, ignoring assignment: 01.2.3.4",
            "IPAddressDeny|10.0.0.0/33|Address prefix is invalid, ignoring assignment: 10.0.0.0/33",
            "IPAddressDeny|1::2::3|Address prefix is invalid, ignoring assignment: 1::2::3",
            "IPAddressAllow|ANY|Address prefix is invalid, ignoring assignment: ANY",
            "ReadWritePaths|/a/../b|ReadWritePaths= path is not normalized, ignoring: /a/../b",
            "ReadWritePaths|+-/d|ReadWritePaths= path is not absolute, ignoring: -/d",
            "ExecPaths|/x/..|ExecPaths= path is not normalized, ignoring: /x/..",
            "TemporaryFileSystem|-/a|TemporaryFileSystem= path is not absolute, ignoring: -/a",
            "BindPaths|/a:rel|BindPaths= path is not absolute, ignoring: rel",
            "StateDirectory|a:/b|StateDirectory= path is absolute, ignoring: /b",
            "CacheDirectory|.|CacheDirectory= path is not normalized, ignoring: .",
            "ConfigurationDirectory|a:b|Destination parameter is not supported for ConfigurationDirectory, ignoring: a:b",
            "SystemCallFilter|@system-service foo|Failed to parse system call, ignoring: foo",
            "SystemCallFilter|@System-service|Unknown system call group, ignoring: @System-service",
            "SystemCallFilter|read:EPERM|Allow-listed system calls cannot take error number, ignoring: read:EPERM",
            "SystemCallFilter|~read:EBOGUS|Failed to parse syscall:errno, ignoring: read:EBOGUS",
            "SystemCallFilter|~~read|Failed to parse system call, ignoring: ~read",
            "SystemCallArchitectures|native mipsel|"
                    + "Failed to parse system call architecture \"mipsel\", ignoring: Invalid argument",
            "RestrictAddressFamilies|AF_UNIX AF_FOO|Failed to parse address family, ignoring: AF_FOO",
            "CapabilityBoundingSet|cap_chown CAP_FOO|Failed to parse capability, ignoring: CAP_FOO"})
    void check_wordSystemdSkips_isPartlyIgnored(String key, String value, String warning) {
        assertEquals(Optional.of(new ValueVerdict.PartlyIgnored(List.of(warning))), DirectiveValues.check(key, value));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "DynamicUser|maybe|Failed to parse boolean value: maybe",
            "ReadWritePaths|%Z/x|Failed to resolve unit specifiers in %Z/x: Invalid slot",
            "WorkingDirectory|rel|WorkingDirectory= path is not absolute: rel",
            "RootDirectory|/a/../b|RootDirectory= path is not normalized: /a/../b"})
    void check_valueThatFailsTheUnit_isFatalInSystemdsWords(String key, String value, String error) {
        assertEquals(Optional.of(new ValueVerdict.Fatal(List.of(error))), DirectiveValues.check(key, value));
    }

    @Test
    void check_pathComponentLongerThanNameMax_isInvalidLength() {
        String value = "/" + "n".repeat(256);
        assertEquals(List.of("ReadWritePaths= path has invalid length (257 bytes), ignoring."),
                DirectiveValues.check("ReadWritePaths", value).orElseThrow().warnings());
    }

    @Test
    void check_directiveNotInTable_isNotChecked() {
        assertEquals(Optional.empty(), DirectiveValues.check("ExecStart", "banana"));
    }

    @Test
    void directives_coverEverySandboxFamily() {
        List<String> families = List.of("ProtectSystem", "ProtectHome", "ProtectKernelTunables", "ProtectClock",
                "PrivateTmp", "PrivateDevices", "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID",
                "ReadOnlyPaths", "ReadWritePaths", "InaccessiblePaths", "ExecPaths", "NoExecPaths",
                "CapabilityBoundingSet", "SystemCallFilter", "SystemCallArchitectures", "NoNewPrivileges",
                "LockPersonality", "MemoryDenyWriteExecute", "RemoveIPC", "UMask", "StateDirectory",
                "RuntimeDirectory", "CacheDirectory", "LogsDirectory", "ConfigurationDirectory", "WorkingDirectory",
                "TemporaryFileSystem", "BindPaths", "BindReadOnlyPaths", "IPAddressAllow", "IPAddressDeny",
                "SocketBindAllow", "SocketBindDeny", "RestrictAddressFamilies");
        families.forEach(key -> assertTrue(DirectiveValues.directives().contains(key), key));
    }
}
