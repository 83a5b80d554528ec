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

    @ParameterizedTest
    @CsvSource({
            "unitguard-probe-ugbench-12440847e325.service, unitguard_2dprobe_2dugbench_2d12440847e325_2eservice",
            "modprobe@efi_pstore.service, modprobe_40efi_5fpstore_2eservice",
            "0abc.service, _30abc_2eservice", "-.slice, _2d_2eslice"})
    void objectPath_unitName_escapedAsSystemdNamesIt(String name, String label) {
        assertEquals("/org/freedesktop/systemd1/unit/" + label, UnitSignals.objectPath(name));
        assertEquals(name, UnitSignals.unitName(label));
    }
}
