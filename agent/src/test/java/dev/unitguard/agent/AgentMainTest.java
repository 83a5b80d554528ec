package dev.unitguard.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentMainTest {

    @Test
    void configFile_noArguments_default() {
        assertEquals(Optional.of(Optional.empty()), AgentMain.configFile(List.of()));
    }

    @Test
    void configFile_configOption_bothSpellings() {
        Optional<Optional<Path>> file = Optional.of(Optional.of(Path.of("/etc/x.json")));
        assertEquals(file, AgentMain.configFile(List.of("--config", "/etc/x.json")));
        assertEquals(file, AgentMain.configFile(List.of("--config=/etc/x.json")));
    }

    @Test
    void configFile_anythingElse_refused() {
        for (List<String> args : List.of(List.of("agent"), List.of("--config"), List.of("--config="),
                List.of("--config", ""), List.of("--config", "a", "b"), List.of("--help"))) {
            assertEquals(Optional.empty(), AgentMain.configFile(args), args.toString());
        }
    }
}
