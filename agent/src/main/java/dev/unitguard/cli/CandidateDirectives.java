package dev.unitguard.cli;

import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns {@code --set Key=Value} options into the assignments of a candidate drop-in (see {@link DropInDirectives}). */
final class CandidateDirectives {

    private static final Path DISPLAY = Path.of("--set");

    private CandidateDirectives() {
    }

    static List<Assignment> parse(List<String> options, String unitType) {
        List<Directive> directives = new ArrayList<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--set " + option + ": expected KEY=VALUE");
            }
            directives.add(new Directive(option.substring(0, eq).strip(), option.substring(eq + 1).strip()));
        }
        try {
            return DropInDirectives.parse(DISPLAY, unitType, directives);
        } catch (DropInDirectives.RejectedException e) {
            throw new InputException("--set " + options.get(e.index()) + ": " + e.reason());
        }
    }
}
