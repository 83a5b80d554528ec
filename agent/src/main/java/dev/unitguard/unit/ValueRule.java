package dev.unitguard.unit;

/** One of systemd's {@code config_parse_*} functions, reduced to what it accepts and what it warns about. */
@FunctionalInterface
interface ValueRule {

    /** Checks {@code value} (as the unit-file parser gives it: stripped, continuations joined) into {@code out}. */
    void check(String value, ValueCheck out);
}
