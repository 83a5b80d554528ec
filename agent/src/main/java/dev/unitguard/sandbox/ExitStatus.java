package dev.unitguard.sandbox;

/** The exit statuses of systemd's exec steps that a static evaluation can predict (systemd.exec(5)). */
enum ExitStatus {
    CHDIR(200), EXEC(203), GROUP(216), USER(217), NAMESPACE(226), CREDENTIALS(243);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
