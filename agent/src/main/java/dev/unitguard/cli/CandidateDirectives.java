package dev.unitguard.cli;

import dev.unitguard.unit.Diagnostic;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import dev.unitguard.unit.Assignment;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns {@code --set Key=Value} options into the assignments of a drop-in for the unit type's own section
 * ([Service] for services). The drop-in text goes through the unit-file parser, so a directive systemd would not
 * know is refused with systemd's own words instead of being silently ignored.
 */
final class CandidateDirectives {

    private static final Path DISPLAY = Path.of("--set");

    private CandidateDirectives() {
    }

    static List<Assignment> parse(List<String> options, String unitType) {
        if (options.isEmpty()) {
            return List.of();
        }
        StringBuilder dropIn = new StringBuilder("[").append(section(unitType)).append("]\n");
        for (String option : options) {
            int eq = option.indexOf('=');
            if (eq <= 0 || option.contains("\n")) {
                throw new InputException("--set " + option + ": expected KEY=VALUE");
            }
            dropIn.append(option).append('\n');
        }
        try {
            UnitFile file = UnitFile.parse(DISPLAY, dropIn.toString(), unitType);
            if (!file.warnings().isEmpty()) {
                Diagnostic first = file.warnings().get(0);
                String message = first.message().replaceFirst(", ignoring\\.$", "");
                throw new InputException("--set " + options.get(first.location().line() - 2) + ": " + message);
            }
            return file.assignments();
        } catch (UnitFileException e) {
            throw new InputException(e.getMessage());
        }
    }

    private static String section(String unitType) {
        return unitType.isEmpty() ? "Service" : Character.toUpperCase(unitType.charAt(0)) + unitType.substring(1);
    }
}
