package dev.unitguard.cli;

import dev.unitguard.check.ReportJson;

/** JSON output of the commands: {@link ReportJson}, the same form the agent answers with. */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        return ReportJson.write(value);
    }
}
