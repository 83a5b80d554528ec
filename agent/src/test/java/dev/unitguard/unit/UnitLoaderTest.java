package dev.unitguard.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitLoaderTest {

    @TempDir
    Path root;

    private Path write(String inRoot, String text) throws IOException {
        Path path = root.resolve(inRoot.substring(1));
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
        return path;
    }

    private void link(String inRoot, String target) throws IOException {
        Path path = root.resolve(inRoot.substring(1));
        Files.createDirectories(path.getParent());
        Files.createSymbolicLink(path, Path.of(target));
    }

    @Test
    void load_fragmentAndDropIns_inLexicalOrderWithOverrideByName() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\nReadWritePaths=/a\n");
        write("/lib/systemd/system/app.service.d/20-lib.conf", "[Service]\nReadWritePaths=/lib20\n");
        write("/lib/systemd/system/app.service.d/10-x.conf", "[Service]\nReadWritePaths=/hidden\n");
        write("/etc/systemd/system/app.service.d/10-x.conf", "[Service]\nReadWritePaths=\n");
        write("/etc/systemd/system/app.service.d/30-etc.conf", "[Service]\nReadWritePaths=/etc30\n");
        EffectiveUnit unit = UnitLoader.forRoot(root).load("app.service");
        assertEquals(root.resolve("lib/systemd/system/app.service"), unit.fragmentPath().orElseThrow());
        assertEquals(List.of(root.resolve("etc/systemd/system/app.service.d/10-x.conf"),
                root.resolve("lib/systemd/system/app.service.d/20-lib.conf"),
                root.resolve("etc/systemd/system/app.service.d/30-etc.conf")), unit.dropInPaths());
        assertEquals(List.of("/lib20", "/etc30"), unit.values("Service", "ReadWritePaths"));
        assertEquals(new Location(root.resolve("etc/systemd/system/app.service.d/30-etc.conf"), 2),
                unit.listAssignments("Service", "ReadWritePaths").get(1).location());
    }

    @Test
    void load_higherPriorityFragment_wins() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/lib\n");
        write("/etc/systemd/system/app.service", "[Service]\nExecStart=/bin/etc\n");
        assertEquals("/bin/etc", UnitLoader.forRoot(root).load("app.service").value("Service", "ExecStart").orElseThrow());
    }

    @Test
    void load_instance_usesTemplateAndTemplateAndPrefixAndTypeDropIns() throws Exception {
        write("/lib/systemd/system/web-app@.service", "[Service]\nExecStart=/bin/app %i\n");
        write("/lib/systemd/system/web-app@.service.d/a.conf", "[Service]\nEnvironment=T=1\n");
        write("/etc/systemd/system/web-app@blue.service.d/b.conf", "[Service]\nEnvironment=I=1\n");
        write("/etc/systemd/system/web-@blue.service.d/c.conf", "[Service]\nEnvironment=P=1\n");
        write("/etc/systemd/system/service.d/d.conf", "[Service]\nEnvironment=S=1\n");
        write("/etc/systemd/system/other.service.d/e.conf", "[Service]\nEnvironment=O=1\n");
        EffectiveUnit unit = UnitLoader.forRoot(root).load("web-app@blue.service");
        assertEquals("web-app@blue.service", unit.name());
        assertEquals(List.of("T=1", "I=1", "P=1", "S=1"), unit.values("Service", "Environment"));
    }

    @Test
    void load_alias_takesTargetNameAndItsDropIns() throws Exception {
        write("/lib/systemd/system/real.service", "[Service]\nExecStart=/bin/real\n");
        link("/etc/systemd/system/nick.service", "/lib/systemd/system/real.service");
        write("/etc/systemd/system/nick.service.d/n.conf", "[Service]\nUser=nick\n");
        write("/etc/systemd/system/real.service.d/r.conf", "[Service]\nGroup=real\n");
        EffectiveUnit unit = UnitLoader.forRoot(root).load("nick.service");
        assertEquals("real.service", unit.name());
        assertEquals("nick", unit.value("Service", "User").orElseThrow());
        assertEquals("real", unit.value("Service", "Group").orElseThrow());
    }

    @Test
    void load_maskedBySymlinkOrEmptyFile_fails() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");
        link("/etc/systemd/system/app.service", "/dev/null");
        write("/etc/systemd/system/empty.service", "");
        UnitLoader loader = UnitLoader.forRoot(root);
        assertEquals("app.service: unit is masked",
                assertThrows(UnitFileException.class, () -> loader.load("app.service")).getMessage());
        assertEquals("empty.service: unit is masked",
                assertThrows(UnitFileException.class, () -> loader.load("empty.service")).getMessage());
    }

    @Test
    void load_dropInMaskedByDevNull_hidesLowerSameName() throws Exception {
        write("/lib/systemd/system/app.service", "[Service]\nExecStart=/bin/app\n");
        write("/lib/systemd/system/app.service.d/harden.conf", "[Service]\nProtectSystem=strict\n");
        link("/etc/systemd/system/app.service.d/harden.conf", "/dev/null");
        EffectiveUnit unit = UnitLoader.forRoot(root).load("app.service");
        assertEquals(List.of(), unit.dropInPaths());
        assertEquals(List.of(), unit.assignments("Service", "ProtectSystem"));
    }

    @Test
    void load_absoluteSymlinkTarget_reRootedUnderRoot() throws Exception {
        write("/opt/app/app.service", "[Service]\nExecStart=/opt/app/run\n");
        link("/etc/systemd/system/app.service", "/opt/app/app.service");
        EffectiveUnit unit = UnitLoader.forRoot(root).load("app.service");
        assertEquals(root.resolve("opt/app/app.service"), unit.fragmentPath().orElseThrow());
    }

    @Test
    void load_unknownUnit_fails() {
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitLoader.forRoot(root).load("nope.service"));
        assertEquals("nope.service: unit not found in the unit search path under " + root.toAbsolutePath().normalize(),
                e.getMessage());
    }

    @Test
    void load_invalidName_fails() {
        UnitFileException e = assertThrows(UnitFileException.class, () -> UnitLoader.forRoot(root).load("nope"));
        assertEquals("nope: invalid unit name 'nope': no unit type suffix such as .service", e.getMessage());
    }

    @Test
    void loadFile_fileOutsideSearchPath_stillGetsDropInsFromRoot(@TempDir Path elsewhere) throws Exception {
        Path file = elsewhere.resolve("cli.service");
        Files.writeString(file, "[Service]\nExecStart=/bin/cli\nBogus=1\n");
        write("/etc/systemd/system/cli.service.d/x.conf", "[Service]\nUser=cli\n");
        EffectiveUnit unit = UnitLoader.forRoot(root).loadFile(file);
        assertEquals("cli.service", unit.name());
        assertEquals("cli", unit.value("Service", "User").orElseThrow());
        assertEquals(List.of(file + ":3: Unknown key 'Bogus' in section [Service], ignoring."),
                unit.warnings().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void load_realMachine_sshOrGettyLoads() throws Exception {
        EffectiveUnit unit = UnitLoader.forRoot(Path.of("/")).load("getty@tty1.service");
        assertEquals("getty@tty1.service", unit.name());
        assertEquals(true, unit.value("Service", "ExecStart").isPresent());
    }
}
