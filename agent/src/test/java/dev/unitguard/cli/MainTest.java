package dev.unitguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class MainTest {

    @TempDir
    static Path dir;

    /** Command lines of every kind: help, version, each subcommand, mistakes before and after a subcommand. */
    static Stream<List<String>> commandLines() throws IOException {
        Path unit = Files.writeString(dir.resolve("plain.service"), "[Service]\nExecStart=/usr/bin/true\n");
        List<List<String>> lines = new ArrayList<>(List.of(List.of(), List.of("--version"), List.of("-V"),
                List.of("--help"), List.of("-h"), List.of("-hV"), List.of("--version", "score"), List.of("-V", "-h"),
                List.of("help"), List.of("help", "score"), List.of("help", "nosuch"), List.of("scroe"),
                List.of("--bogus"), List.of("score"), List.of("score", unit.toString()),
                List.of("score", "--json", unit.toString()), List.of("score", "--bogus", unit.toString()),
                List.of("score", "--version"), List.of("score", "check", unit.toString()),
                List.of("score", dir.resolve("missing.service").toString())));
        for (String name : Main.SUBCOMMANDS) {
            lines.add(List.of(name, "--help"));
            lines.add(List.of(name, "--no-such-option"));
        }
        return lines.stream();
    }

    @ParameterizedTest
    @MethodSource("commandLines")
    void run_onlyTheNeededSubcommands_sameOutputAndStatusAsWithAll(List<String> args) {
        String[] argv = args.toArray(String[]::new);
        assertEquals(run(false, argv), run(true, argv), String.join(" ", args));
    }

    @Test
    void needed_subcommandOrLoneVersion_onlyWhatTheyReach() {
        assertEquals(List.of("score"), Main.needed(true, "score", "a.service"));
        assertEquals(List.of(), Main.needed(true, "--version"));
        assertEquals(Main.SUBCOMMANDS, Main.needed(true, "help", "score"));
        assertEquals(Main.SUBCOMMANDS, Main.needed(true, "--help"));
        assertEquals(Main.SUBCOMMANDS, Main.needed(false, "score", "a.service"));
    }

    @Test
    void subcommands_namedAsTheirCommandAnnotation() {
        for (String name : Main.SUBCOMMANDS) {
            assertEquals(name, new CommandLine(Main.subcommand(name)).getCommandName());
        }
    }

    private static String run(boolean lazy, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(lazy, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
