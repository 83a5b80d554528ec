package dev.unitguard.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unitguard.systemd.JournalEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeRunnerTest {

    @Test
    void visible_rootSeesAllOthersOnlySystemds() {
        List<JournalEntry> entries = List.of(JournalEntry.service("secret"), JournalEntry.systemd("status=1"));

        assertEquals(List.of("secret", "status=1"), ChangeRunner.visible(entries, Caller.Scope.ROOT));
        assertEquals(List.of("status=1"), ChangeRunner.visible(entries, Caller.Scope.ADMIN));
        assertEquals(List.of("status=1"), ChangeRunner.visible(entries, Caller.Scope.HARDENING));
    }
}
