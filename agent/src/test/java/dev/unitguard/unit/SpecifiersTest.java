package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecifiersTest {

    @TempDir
    Path root;

    private void hostFiles() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian 12\"\n");
        Files.writeString(root.resolve("etc/hostname"), "web1.example.org\n");
        Files.writeString(root.resolve("etc/machine-id"), "0123456789abcdef0123456789abcdef\n");
    }

    @Test
    void resolve_templateInstance_nameSpecifiers() throws IOException {
        hostFiles();
        Specifiers s = Specifiers.forSystemUnit("foo-bar@srv-www\\x2dsite.service", root);
        assertEquals("foo-bar@srv-www\\x2dsite.service|foo-bar@srv-www\\x2dsite|foo-bar|foo/bar",
                s.resolve("%n|%N|%p|%P"));
        assertEquals("srv-www\\x2dsite|srv/www-site|/srv/www-site|bar|bar", s.resolve("%i|%I|%f|%j|%J"));
    }

    @Test
    void resolve_plainUnit_fIsUnescapedPrefix() throws IOException {
        Specifiers s = Specifiers.forSystemUnit("dev-sda1.swap", root);
        assertEquals("/dev/sda1||", s.resolve("%f|%i|%I"));
    }

    @Test
    void resolve_managerUserAndDirectories_areSystemManagers() {
        Specifiers s = Specifiers.forSystemUnit("app.service", root);
        assertEquals("root 0 /root root 0 /var/cache /etc /var/log /var/lib /run /tmp /var/tmp /run/credentials/app.service %",
                s.resolve("%u %U %h %g %G %C %E %L %S %t %T %V %d %%"));
    }

    @Test
    void resolve_hostFacts_readUnderRoot() throws IOException {
        hostFiles();
        Specifiers s = Specifiers.forSystemUnit("app.service", root);
        assertEquals("web1.example.org web1 web1 0123456789abcdef0123456789abcdef debian 12 ", s.resolve("%H %l %q %m %o %w %W"));
    }

    @Test
    void resolve_missingMachineId_failsNamingSpecifierAndFile() {
        Specifiers s = Specifiers.forSystemUnit("app.service", root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.resolve("/var/lib/%m"));
        assertEquals("cannot resolve %m for app.service: cannot read " + root.resolve("etc/machine-id"), e.getMessage());
    }

    @Test
    void resolve_missingOsRelease_fails() {
        Specifiers s = Specifiers.forSystemUnit("app.service", root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.resolve("%o"));
        assertEquals("cannot resolve %o for app.service: cannot read " + root.resolve("etc/os-release") + " or "
                + root.resolve("usr/lib/os-release"), e.getMessage());
    }

    @Test
    void resolve_unknownSpecifier_fails() {
        Specifiers s = Specifiers.forSystemUnit("app.service", root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.resolve("/x/%z"));
        assertEquals("unknown specifier %z in \"/x/%z\"", e.getMessage());
    }

    @Test
    void resolve_trailingPercent_keptAsSystemd252Does() {
        // systemd-analyze security --offline=true accepts User=foo% and scores the unit
        Specifiers s = Specifiers.forSystemUnit("app.service", root);
        assertEquals("50%", s.resolve("50%"));
    }

    @Test
    void resolve_fragmentSpecifiers_needFragment() {
        EffectiveUnit unit = EffectiveUnit.builder("app.service").fragmentPath(Path.of("/etc/systemd/system/app.service")).build();
        assertEquals("/etc/systemd/system/app.service /etc/systemd/system",
                Specifiers.forSystemUnit(unit, root).resolve("%y %Y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Specifiers.forSystemUnit("app.service", root).resolve("%y"));
        assertEquals("cannot resolve %y for app.service: the unit has no fragment file", e.getMessage());
    }

    @Test
    void unitName_parse_splitsAndValidates() {
        assertEquals(new UnitName("getty", "tty1", "service"), UnitName.parse("getty@tty1.service"));
        assertEquals("getty@.service", UnitName.parse("getty@tty1.service").template().name());
        assertEquals(true, UnitName.parse("getty@.service").isTemplate());
        assertEquals("invalid unit name 'a/b.service': contains '/'",
                assertThrows(IllegalArgumentException.class, () -> UnitName.parse("a/b.service")).getMessage());
        assertEquals("invalid unit name 'app.servce': unknown unit type '.servce'",
                assertThrows(IllegalArgumentException.class, () -> UnitName.parse("app.servce")).getMessage());
        assertEquals("invalid unit name '@x.service': empty name before the type suffix",
                assertThrows(IllegalArgumentException.class, () -> UnitName.parse("@x.service")).getMessage());
        assertEquals("invalid unit name 'a b.service': invalid character ' '",
                assertThrows(IllegalArgumentException.class, () -> UnitName.parse("a b.service")).getMessage());
        String longName = "a".repeat(248) + ".service";
        assertEquals("invalid unit name '" + longName + "': longer than 255 characters",
                assertThrows(IllegalArgumentException.class, () -> UnitName.parse(longName)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo-bar\\x2dbaz", "-", "a--b", "\\x2d", "x\\xc3\\xa9", "\\x2x", "a\\", "srv-my\\x20app",
            "a-.-b", "..", "a-..-b", "plain", "trailing-"})
    void unescape_matchesSystemdEscape(String escaped) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-escape")), "systemd-escape not installed");
        assertEquals(systemdEscape(escaped, false), ours(() -> UnitNameEscape.unescape(escaped)), "plain " + escaped);
        assertEquals(systemdEscape(escaped, true), ours(() -> UnitNameEscape.unescapePath(escaped)), "path " + escaped);
    }

    private static String ours(java.util.function.Supplier<String> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            return "ERROR";
        }
    }

    private static String systemdEscape(String escaped, boolean path) throws IOException, InterruptedException {
        ProcessBuilder pb = path ? new ProcessBuilder("systemd-escape", "--unescape", "--path", "--", escaped)
                : new ProcessBuilder("systemd-escape", "--unescape", "--", escaped);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? out.stripTrailing() : "ERROR";
    }
}
