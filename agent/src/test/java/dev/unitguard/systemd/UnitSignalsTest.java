package dev.unitguard.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitSignalsTest {

    /** Object paths as busctl shows them on systemd 252 ({@code busctl tree org.freedesktop.systemd1}). */
    @ParameterizedTest
    @CsvSource({
        "ssh_2eservice, ssh.service",
        "systemd_2djournald_2eservice, systemd-journald.service",
        "getty_40tty1_2eservice, getty@tty1.service",
        "_2d_2eslice, -.slice",
        "dbus_2esocket, dbus.socket",
    })
    void unitName_escapedPathLabel_unitName(String label, String name) {
        assertEquals(name, UnitSignals.unitName(label));
    }
}
