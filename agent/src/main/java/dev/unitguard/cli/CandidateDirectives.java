package dev.unitguard.cli;

import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Candidate;
import dev.unitguard.unit.DropInDirectives.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@code --set Key=Value} options into a candidate drop-in (see {@link DropInDirectives}): a malformed or
 * unknown directive is a usage error; a value systemd would ignore is kept in the candidate's {@code ignored} list,
 * for {@code check} to answer "not ok" with systemd's words.
 */
final class CandidateDirectives {

    private static final Path DISPLAY = Path.of("--set");

    private CandidateDirectives() {
    }

    static Candidate parse(List<String> options, String unitType) {
        List<Directive> directives = new ArrayList<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--set " + DropInDirectives.printable(option) + ": expected KEY=VALUE");
            }
            directives.add(new Directive(option.substring(0, eq).strip(), option.substring(eq + 1).strip()));
        }
        try {
            return DropInDirectives.read(DISPLAY, unitType, directives);
        } catch (DropInDirectives.RejectedException e) {
            throw new InputException("--set " + DropInDirectives.printable(options.get(e.index())) + ": " + e.reason());
        }
    }
}
