package dev.unitguard.unit;

import java.util.List;
import java.util.Random;

/** Generates odd but valid unit files from a seed: continuations, comments inside them, CRLF, quotes, BOMs. */
final class RandomUnitText {

    private static final List<String> SECTIONS = List.of("Unit", "Service", "Install", "X-Extra", "Socket", "Servce");
    private static final List<String> KEYS = List.of("Description", "ExecStart", "Environment", "User",
            "ReadWritePaths", "WantedBy", "After", "Bogus", "X-Note", "protectsystem", "ProtectSystem");
    private static final List<String> VALUE_PARTS = List.of("", "/usr/bin/app", "\"quoted value\"", "'single'",
            "a\\\\", "--flag=1", "x;y", "%n", "caf\u00e9", "A=\"b c\"", "\\x41", "  spaced  ", "=", "#not-comment");
    private static final List<String> EOLS = List.of("\n", "\n", "\n", "\r\n", "\r");

    private final Random random;
    private final StringBuilder out = new StringBuilder();

    private RandomUnitText(long seed) {
        this.random = new Random(seed);
    }

    static String generate(long seed) {
        return new RandomUnitText(seed).build();
    }

    private String build() {
        if (random.nextInt(10) == 0) {
            out.append('\uFEFF');
        }
        int lines = 1 + random.nextInt(25);
        for (int i = 0; i < lines; i++) {
            line();
        }
        if (random.nextInt(4) == 0 && out.length() > 0) {
            trimLastEol();
        }
        return out.toString();
    }

    private void line() {
        switch (random.nextInt(8)) {
            case 0 -> out.append(pick(List.of("", "  ", "\t")));
            case 1 -> out.append(pick(List.of("#", ";", "  # "))).append(pick(VALUE_PARTS));
            case 2 -> out.append(pick(List.of("", " "))).append('[').append(pick(SECTIONS)).append(']');
            default -> assignment();
        }
        out.append(pick(EOLS));
    }

    private void assignment() {
        out.append(pick(List.of("", " ", "\t"))).append(pick(KEYS)).append(pick(List.of("=", " = ", "\t=")));
        out.append(pick(VALUE_PARTS));
        int continuations = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < continuations; i++) {
            out.append(pick(List.of("\\", " \\")));
            out.append(pick(EOLS));
            if (random.nextInt(3) == 0) {
                out.append(pick(List.of("# inside", ";inside", "   #x"))).append(pick(EOLS));
            }
            out.append(pick(List.of("  ", "", "\t"))).append(pick(VALUE_PARTS));
        }
    }

    private void trimLastEol() {
        int end = out.length();
        while (end > 0 && (out.charAt(end - 1) == '\n' || out.charAt(end - 1) == '\r')) {
            end--;
        }
        out.setLength(end);
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
