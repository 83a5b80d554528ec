package dev.unitguard.apply;

import dev.unitguard.unit.Diagnostic;
import dev.unitguard.unit.UnitFile;
import dev.unitguard.unit.UnitFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text of unitguard's drop-in: a header line, the unit type's section, then {@code Key=Value} lines in key order
 * (so the same directives always give the same bytes). The text goes through the unit-file parser: a key systemd
 * would not know is refused naming it ({@code set.ProtectSytem: Unknown key name ...}).
 */
final class DropInText {

    static final String HEADER = "# Managed by unitguard: replaced by the next apply, removed by DELETE hardening.\n";
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private DropInText() {
    }

    static String render(Map<String, List<String>> set, String unitType) throws ApplyRequestException {
        if (set.isEmpty()) {
            throw invalid("set: at least one directive is required (DELETE removes the drop-in)");
        }
        StringBuilder text = new StringBuilder(HEADER).append('[').append(section(unitType)).append("]\n");
        List<String> keyOfLine = new ArrayList<>(List.of("", ""));
        for (Map.Entry<String, List<String>> e : set.entrySet()) {
            String key = e.getKey();
            if (!KEY.matcher(key).matches()) {
                throw invalid("set: invalid directive name \"" + key + "\"");
            }
            if (e.getValue().isEmpty()) {
                throw invalid("set." + key + ": no value");
            }
            for (String value : e.getValue()) {
                if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.endsWith("\\")) {
                    throw invalid("set." + key + ": a value must be one line and not end with a backslash");
                }
                text.append(key).append('=').append(value).append('\n');
                keyOfLine.add(key);
            }
        }
        validate(text.toString(), unitType, keyOfLine);
        return text.toString();
    }

    private static void validate(String text, String unitType, List<String> keyOfLine) throws ApplyRequestException {
        try {
            UnitFile parsed = UnitFile.parse(Path.of("set"), text, unitType);
            if (!parsed.warnings().isEmpty()) {
                Diagnostic first = parsed.warnings().get(0);
                int line = first.location().line();
                String key = line >= 1 && line <= keyOfLine.size() ? keyOfLine.get(line - 1) : "";
                throw invalid("set" + (key.isEmpty() ? "" : "." + key) + ": "
                        + first.message().replaceFirst(", ignoring\\.$", ""));
            }
        } catch (UnitFileException e) {
            throw invalid("set: " + e.getMessage());
        }
    }

    static String section(String unitType) {
        return unitType.isEmpty() ? "Service" : Character.toUpperCase(unitType.charAt(0)) + unitType.substring(1);
    }

    private static ApplyRequestException invalid(String message) {
        return new ApplyRequestException(ApplyRequestException.Kind.INVALID_FIELD, message);
    }
}
