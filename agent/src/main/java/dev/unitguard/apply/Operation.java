package dev.unitguard.apply;

import java.util.Locale;

/** What a change did, as history names it. */
public enum Operation {
    SET_HARDENING, REMOVE_HARDENING, ROLLBACK, INSTALL_UNIT_FILE, REMOVE_UNIT_FILE, ENABLE, DISABLE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
