package dev.unitguard.packaging;

import dev.unitguard.cli.Main;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes what the .deb ships beside the jar, from the CLI's own picocli model, so it cannot drift from the code:
 * a roff man page per command (man1/unitguard.1.gz, man1/unitguard-check.1.gz ...), the bash completion script,
 * and the gzipped changelog. Gzip output carries no time stamp (reproducible). Run at build time with
 * {@code DebDocs OUTPUT_DIR VERSION CHANGELOG}.
 */
public final class DebDocs {

    private DebDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: DebDocs OUTPUT_DIR VERSION CHANGELOG");
        }
        Path out = Path.of(args[0]);
        String version = args[1];
        CommandLine cli = new CommandLine(new Main());
        Path man = Files.createDirectories(out.resolve("man1"));
        writeManPage(man, cli.getCommandSpec(), version);
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden() && !"help".equals(sub.getCommandName())) {
                writeManPage(man, sub.getCommandSpec(), version);
            }
        }
        // Sourced by bash-completion, not run: no #! line (lintian: bash-completion-with-hashbang).
        String completion = AutoComplete.bash("unitguard", cli).replaceFirst("\\A#![^\n]*\n", "");
        Files.writeString(Files.createDirectories(out.resolve("completion")).resolve("unitguard"), completion);
        String changelog = Files.readString(Path.of(args[2])).replace("[[version]]", debianVersion(version));
        gzip(changelog.getBytes(StandardCharsets.UTF_8),
                Files.createDirectories(out.resolve("doc")).resolve("changelog.gz"));
    }

    /** The package version jdeb derives from the Maven one: a snapshot sorts before its release. */
    static String debianVersion(String mavenVersion) {
        return mavenVersion.replace("-SNAPSHOT", "~snapshot");
    }

    private static void writeManPage(Path dir, CommandSpec spec, String version) throws IOException {
        String name = spec.qualifiedName("-");
        gzip(ManPage.of(spec, version).getBytes(StandardCharsets.UTF_8), dir.resolve(name + ".1.gz"));
    }

    /**
     * gzip -9n: best compression, and the header says so (XFL=2, which lintian checks and GZIPOutputStream does not
     * write), no name and no time stamp.
     */
    static void gzip(byte[] content, Path file) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        CRC32 crc = new CRC32();
        crc.update(content);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3});
            try (DeflaterOutputStream deflated = new DeflaterOutputStream(new NonClosing(out), deflater)) {
                deflated.write(content);
            }
            deflater.end();
            writeLittleEndian(out, crc.getValue());
            writeLittleEndian(out, content.length & 0xffffffffL);
        }
    }

    private static void writeLittleEndian(OutputStream out, long value) throws IOException {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    /** Keeps the file open when the deflater's stream closes (the trailer follows). */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** One command's man page in roff (man(7) macros). */
    static final class ManPage {
        private final StringBuilder roff = new StringBuilder();

        static String of(CommandSpec spec, String version) {
            return new ManPage().render(spec, version);
        }

        private String render(CommandSpec spec, String version) {
            String name = spec.qualifiedName("-");
            line(".TH " + name.toUpperCase(java.util.Locale.ROOT) + " 1 \"\" \"unitguard " + escape(version)
                    + "\" \"unitguard manual\"");
            line(".SH NAME");
            line(escape(name) + " \\- " + escape(String.join(" ", spec.usageMessage().description())));
            line(".SH SYNOPSIS");
            line(".B " + escape(spec.qualifiedName(" ")));
            for (OptionSpec option : spec.options()) {
                if (!option.hidden()) {
                    line("[\\fB" + escape(option.longestName()) + "\\fR"
                            + (option.arity().max() > 0 ? " \\fI" + escape(option.paramLabel()) + "\\fR" : "") + "]");
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                line("\\fI" + escape(p.paramLabel()) + "\\fR" + (p.arity().max() > 1 ? "..." : ""));
            }
            if (!spec.subcommands().isEmpty()) {
                line("\\fICOMMAND\\fR");
            }
            line(".SH DESCRIPTION");
            line(escape(String.join(" ", spec.usageMessage().description())));
            if (!spec.options().isEmpty()) {
                line(".SH OPTIONS");
                for (OptionSpec option : spec.options()) {
                    if (option.hidden()) {
                        continue;
                    }
                    line(".TP");
                    StringBuilder names = new StringBuilder();
                    for (String n : option.names()) {
                        names.append(names.length() == 0 ? "" : ", ").append("\\fB").append(escape(n)).append("\\fR");
                    }
                    if (option.arity().max() > 0) {
                        names.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
                    }
                    line(names.toString());
                    line(escape(String.join(" ", option.description())));
                }
            }
            if (!spec.positionalParameters().isEmpty()) {
                line(".SH ARGUMENTS");
                for (PositionalParamSpec p : spec.positionalParameters()) {
                    line(".TP");
                    line("\\fI" + escape(p.paramLabel()) + "\\fR");
                    line(escape(String.join(" ", p.description())));
                }
            }
            if (!spec.subcommands().isEmpty()) {
                line(".SH COMMANDS");
                spec.subcommands().forEach((sub, cl) -> {
                    if (!"help".equals(sub)) {
                        line(".TP");
                        line("\\fB" + escape(sub) + "\\fR");
                        line(escape(String.join(" ", cl.getCommandSpec().usageMessage().description()))
                                + " See \\fB" + escape("unitguard-" + sub) + "\\fR(1).");
                    }
                });
            }
            line(".SH EXIT STATUS");
            line("0 yes, 1 no, 2 bad usage or unreadable input (one line on standard error naming the file, line"
                    + " or field).");
            line(".SH SEE ALSO");
            line(spec.parent() == null ? "\\fBsystemd-analyze\\fR(1), \\fBsystemd.exec\\fR(5)"
                    : "\\fBunitguard\\fR(1), \\fBsystemd-analyze\\fR(1), \\fBsystemd.exec\\fR(5)");
            line("/usr/share/doc/unitguard/");
            return roff.toString();
        }

        private void line(String text) {
            roff.append(text).append('\n');
        }

        /** roff-safe text: backslashes and minus signs escaped, no line starting with a control character. */
        static String escape(String text) {
            String escaped = text.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
            // picocli's markup: %n is a line break in descriptions.
            escaped = escaped.replace("%n", " ");
            return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
        }
    }
}
