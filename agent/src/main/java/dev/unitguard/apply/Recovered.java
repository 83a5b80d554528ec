package dev.unitguard.apply;

/** What recovery did with one interrupted change: {@code finished}, {@code undone} or {@code failed: ...}. */
public record Recovered(String unit, String change, String phase, String action) {
}
