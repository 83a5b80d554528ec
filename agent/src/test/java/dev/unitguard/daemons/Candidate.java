package dev.unitguard.daemons;

import dev.unitguard.unit.DropInDirectives.Directive;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One candidate sandbox of the suite: directives applied to a daemon's Debian unit as a drop-in. A check that is
 * known to answer differently from the truth says so here, with the reason ({@code staticGap}, {@code probeGap}):
 * the suite fails when such a gap is not declared, and also when a declared one has closed (remove the note then).
 *
 * @param name       short label for the table ({@code strict, no writable paths})
 * @param directives the drop-in's lines, in order
 */
record Candidate(String name, List<Directive> directives, Optional<String> staticGap, Optional<String> probeGap) {

    Candidate {
        Objects.requireNonNull(name, "name");
        directives = List.copyOf(directives);
        Objects.requireNonNull(staticGap, "staticGap");
        Objects.requireNonNull(probeGap, "probeGap");
    }

    /** A candidate from {@code Key=value} lines. */
    static Candidate of(String name, String... lines) {
        return new Candidate(name, List.of(lines).stream().map(Candidate::directive).toList(), Optional.empty(),
                Optional.empty());
    }

    /** This candidate with a known gap of the static check. */
    Candidate staticGap(String why) {
        return new Candidate(name, directives, Optional.of(why), probeGap);
    }

    /** This candidate with a known gap of the probe. */
    Candidate probeGap(String why) {
        return new Candidate(name, directives, staticGap, Optional.of(why));
    }

    /** The directives as one table cell: {@code ProtectSystem=strict ReadWritePaths=}. */
    String text() {
        return String.join(" ", directives.stream().map(d -> d.key() + "=" + d.value()).toList());
    }

    private static Directive directive(String line) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("candidate line without '=': " + line);
        }
        return new Directive(line.substring(0, eq), line.substring(eq + 1));
    }
}
