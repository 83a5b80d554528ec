package dev.unitguard.apply;

import dev.unitguard.systemd.Journal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Applies alternating drop-ins to app.service forever; {@link SigkillTest} kills it with SIGKILL. */
public final class ApplyLoop {

    static final int VARIANTS = 4;

    private ApplyLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        FakeSystemd systemd = new FakeSystemd(root).running(ApplyFixture.UNIT);
        ApplyService service = ApplyService.builder(systemd)
                .settings(ApplySettings.defaults().withRoot(root).withStateDirectory(Path.of(args[1]))
                        .withTiming(Duration.ZERO, Duration.ofMillis(1)))
                .journal(Journal.NONE).unitVerifier(UnitVerifier.NONE).build();
        System.out.println("ready");
        System.out.flush();
        for (int i = 0; ; i++) {
            service.applyHardening(ApplyFixture.hardening(variant(i % VARIANTS), true), Caller.of("loop"));
        }
    }

    static Map<String, String> variant(int i) {
        return Map.of("ProtectSystem", "strict", "TimeoutStartSec", Integer.toString(10 + i),
                "Environment", "PAD=" + "x".repeat(2000 * i));
    }
}
