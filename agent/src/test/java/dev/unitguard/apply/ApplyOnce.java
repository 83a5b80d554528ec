package dev.unitguard.apply;

import java.nio.file.Path;
import java.util.Map;

/**
 * One hardening apply on an {@link ApplyFixture} machine (a fake systemd, the static check real), run as a program
 * so that a test can start it with a search path of its choosing; prints the result's kind.
 */
public final class ApplyOnce {

    private ApplyOnce() {
    }

    public static void main(String[] args) throws Exception {
        ApplyFixture machine = new ApplyFixture(Path.of(args[0]));
        ApplyResult result = machine.service().applyHardening(
                ApplyFixture.hardening(Map.of("ProtectSystem", "strict", "PrivateTmp", "yes"), false),
                ApplyFixture.ALICE);
        System.out.println(result.getClass().getSimpleName());
    }
}
