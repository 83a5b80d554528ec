package dev.unitguard.cli;

/** Entry point of {@code unitguard.jar}; the commands are wired here. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("unitguard: no commands yet");
        System.exit(2);
    }
}
