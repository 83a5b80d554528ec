package dev.unitguard.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version and git revision this build came from, as Maven wrote them into {@code build.properties}; a build
 * outside Maven (an IDE that does not filter resources) reads as {@code development}/{@code unknown}.
 */
public record BuildInfo(String version, String revision) {

    private static final String RESOURCE = "build.properties";

    public BuildInfo {
        version = known(version, "development");
        revision = known(revision, "unknown");
    }

    /** This build's. */
    public static BuildInfo current() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(properties.getProperty("version"), properties.getProperty("revision"));
    }

    /** An unfiltered placeholder ({@code ${...}}) or nothing counts as unknown. */
    private static String known(String value, String otherwise) {
        return value == null || value.isBlank() || value.startsWith("${") ? otherwise : value;
    }

    @Override
    public String toString() {
        return version + " (" + revision + ")";
    }
}
