package dev.unitguard.apply;

import dev.unitguard.json.JsonPath;
import dev.unitguard.unit.DropInDirectives;
import dev.unitguard.unit.DropInDirectives.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text of unitguard's drop-in: a header line, the unit type's section, then {@code Key=Value} lines in key order
 * (so the same directives always give the same bytes). The directives go through {@link DropInDirectives}: a
 * control character, a key systemd would not know or a value it would ignore is refused naming the directive
 * ({@code set.ProtectSystem: Failed to parse protect system value, ignoring: banana}); and the rendered text is
 * parsed back and must give exactly the requested assignments, or nothing is written.
 */
final class DropInText {

    static final String HEADER = "# Managed by unitguard: replaced by the next apply, removed by DELETE hardening.\n";
    private static final Path DISPLAY = Path.of("set");
    private static final JsonPath SET = JsonPath.of("set");

    private DropInText() {
    }

    static String render(Map<String, List<String>> set, String unitType) throws ApplyRequestException {
        if (set.isEmpty()) {
            throw ApplyRequestException.invalidField(SET, "at least one directive is required (DELETE removes the "
                    + "drop-in)");
        }
        List<Directive> directives = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : set.entrySet()) {
            if (e.getValue().isEmpty()) {
                throw ApplyRequestException.invalidField(SET.member(DropInDirectives.printable(e.getKey())),
                        "no value");
            }
            e.getValue().forEach(value -> directives.add(new Directive(e.getKey(), value)));
        }
        try {
            DropInDirectives.parse(DISPLAY, unitType, directives);
            String text = HEADER + DropInDirectives.text(unitType, directives);
            DropInDirectives.requireReadBack(DISPLAY, unitType, text, directives);
            return text;
        } catch (DropInDirectives.RejectedException e) {
            throw ApplyRequestException.invalidField(
                    SET.member(DropInDirectives.printable(directives.get(e.index()).key())), e.reason());
        }
    }

    static String section(String unitType) {
        return DropInDirectives.section(unitType);
    }
}
