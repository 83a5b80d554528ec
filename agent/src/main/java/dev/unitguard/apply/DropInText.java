package dev.unitguard.apply;

import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text of unitguard's drop-in: a header line, the unit type's section, then {@code Key=Value} lines in key order
 * (so the same directives always give the same bytes). The text goes through the unit-file parser: a key systemd
 * would not know is refused naming it ({@code set.ProtectSytem: Unknown key name ...}).
 */
final class DropInText {

    static final String HEADER = "# Managed by unitguard: replaced by the next apply, removed by DELETE hardening.\n";

    private DropInText() {
    }

    static String render(Map<String, List<String>> set, String unitType) throws ApplyRequestException {
        if (set.isEmpty()) {
            throw invalid("set: at least one directive is required (DELETE removes the drop-in)");
        }
        List<Directive> directives = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : set.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw invalid("set." + e.getKey() + ": no value");
            }
            e.getValue().forEach(value -> directives.add(new Directive(e.getKey(), value)));
        }
        try {
            DropInDirectives.parse(Path.of("set"), unitType, directives);
        } catch (DropInDirectives.RejectedException e) {
            throw invalid("set." + directives.get(e.index()).key() + ": " + e.reason());
        }
        return HEADER + DropInDirectives.text(unitType, directives);
    }

    static String section(String unitType) {
        return DropInDirectives.section(unitType);
    }

    private static ApplyRequestException invalid(String message) {
        return new ApplyRequestException(ApplyRequestException.Kind.INVALID_FIELD, message);
    }
}
