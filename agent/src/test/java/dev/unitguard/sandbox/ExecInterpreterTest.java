package dev.unitguard.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.unitguard.host.HostView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecInterpreterTest {

    private static final Pattern REQUESTING = Pattern.compile("\\[Requesting program interpreter: ([^\\]]+)\\]");

    @TempDir
    Path dir;

    @Test
    void of_machinesOwnPrograms_agreesWithReadelf() throws Exception {
        Path readelf = Path.of("/usr/bin/readelf");
        assumeTrue(Files.isExecutable(readelf), "readelf (binutils) is not installed");
        List<Path> programs;
        try (Stream<Path> files = Files.list(Path.of("/usr/bin"))) {
            // the model passes resolved paths: links have no interpreter of their own
            programs = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(p))
                    .sorted().limit(120).toList();
        }
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (Path program : programs) {
            Process p = new ProcessBuilder(readelf.toString(), "-lW", program.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = REQUESTING.matcher(out);
            Optional<String> expected = m.find() ? Optional.of(m.group(1)) : Optional.empty();
            Optional<String> ours = ExecInterpreter.of(program);
            boolean elf = !out.contains("Not an ELF file");
            compared += expected.isPresent() ? 1 : 0;
            if (elf && !ours.equals(expected)) {
                wrong.add(program + ": readelf " + expected + ", unitguard " + ours);
            }
        }
        assertEquals(List.of(), wrong);
        assumeTrue(compared > 0, "no dynamically linked program in the first " + programs.size() + " of /usr/bin");
    }

    @Test
    void of_script_isTheFirstWordAfterTheShebang() throws IOException {
        assertEquals(Optional.of("/usr/bin/python3"), ExecInterpreter.of(write("#!  /usr/bin/python3 -u\nprint()\n")));
        assertEquals(Optional.of("/bin/sh"), ExecInterpreter.of(write("#!/bin/sh")));
        assertEquals(Optional.empty(), ExecInterpreter.of(write("#!env python\n")));
        assertEquals(Optional.empty(), ExecInterpreter.of(write("echo no shebang\n")));
        assertEquals(Optional.empty(), ExecInterpreter.of(write("")));
    }

    @Test
    void of_truncatedOrGarbledElf_hasNoInterpreterAndThrowsNothing() throws IOException {
        byte[] elf = Files.readAllBytes(Path.of("/usr/bin/true"));
        Random random = new Random(20261129L);
        for (int i = 0; i < 500; i++) {
            byte[] bad = java.util.Arrays.copyOf(elf, 64 + random.nextInt(2048));
            for (int flips = 0; flips < 8; flips++) {
                bad[4 + random.nextInt(bad.length - 4)] = (byte) random.nextInt(256);
            }
            Path file = dir.resolve("bad");
            Files.write(file, bad);
            ExecInterpreter.of(file).ifPresent(s -> assertEquals('/', s.charAt(0)));
        }
    }

    @Test
    void of_notARegularFile_isEmptyWithoutOpeningIt() throws IOException {
        assertEquals(Optional.empty(), ExecInterpreter.of(dir));
        Path link = Files.createSymbolicLink(dir.resolve("link"), write("#!/bin/sh\n"));
        assertEquals(Optional.empty(), ExecInterpreter.of(link));
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "script", "");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void kept_fileRewrittenOrReplaced_readAgain() throws Exception {
        Path script = dir.resolve("kept.sh");
        Files.writeString(script, "#!/bin/ab\n");
        Thread.sleep(1100); // settled: kept from now on
        HostView host = HostView.of(dir, java.util.Map.of());
        assertEquals(Optional.of("/bin/ab"), ExecInterpreter.kept(host.snapshot(), "/kept.sh"));
        assertEquals(Optional.of("/bin/ab"), ExecInterpreter.kept(host.snapshot(), "/kept.sh"));

        Files.writeString(script, "#!/bin/cd\n"); // same size: a new mtime and ctime
        assertEquals(Optional.of("/bin/cd"), ExecInterpreter.kept(host.snapshot(), "/kept.sh"));

        Path other = dir.resolve("other.sh");
        Files.writeString(other, "#!/bin/ef\n");
        Files.move(other, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(Optional.of("/bin/ef"), ExecInterpreter.kept(host.snapshot(), "/kept.sh"));

        Files.delete(script);
        Files.createDirectory(script);
        assertEquals(Optional.empty(), ExecInterpreter.kept(host.snapshot(), "/kept.sh"));
    }
}
