package dev.unitguard.unit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The tables generated from systemd's real binaries and shipped as class-path resources, read line by line. */
public final class GeneratedTable {

    private GeneratedTable() {
    }

    /**
     * The lines of {@code resource}, found as {@code anchor.getResourceAsStream} finds it (relative to the anchor's
     * package unless it starts with {@code /}); a missing or unreadable table is a packaging error.
     */
    public static List<String> lines(Class<?> anchor, String resource) {
        String name = resource.startsWith("/") ? resource.substring(1)
                : anchor.getPackageName().replace('.', '/') + "/" + resource;
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
