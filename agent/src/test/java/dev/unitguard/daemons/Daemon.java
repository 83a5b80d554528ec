package dev.unitguard.daemons;

import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.Requirements;
import dev.unitguard.sandbox.RequirementsManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A real daemon of the suite, run from Debian's own package and unit file in a lab.
 *
 * @param name       short name; its hand-written manifest is the test resource {@code daemons/NAME.requires.json}
 * @param unit       Debian's unit, e.g. {@code nginx.service}
 * @param packages   the Debian packages that bring it (installed on the host, not started)
 * @param users      the accounts the package made, copied into the lab
 * @param copied     its configuration and state on the host, copied into the lab
 * @param prepare    a shell script run in the lab once the files are there (a page to serve, a port), or empty
 * @param serves     a shell script run in the lab that exits 0 only when the daemon does its job (not only when
 *                   it is active): an HTTP answer with the page, a value stored and read back
 * @param runtime    the live daemon's runtime state on disk (directories, pid files) that a probe must not change
 * @param candidates the candidate sandboxes, from strict to loose
 */
record Daemon(String name, String unit, List<String> packages, List<String> users, List<String> copied,
              String prepare, String serves, List<String> runtime, List<Candidate> candidates) {

    Daemon {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        packages = List.copyOf(packages);
        users = List.copyOf(users);
        copied = List.copyOf(copied);
        Objects.requireNonNull(prepare, "prepare");
        Objects.requireNonNull(serves, "serves");
        runtime = List.copyOf(runtime);
        candidates = List.copyOf(candidates);
    }

    /** The resource path of the hand-written manifest. */
    String manifestResource() {
        return "/daemons/" + name + ".requires.json";
    }

    /** The manifest's text, as documented in docs/manifest.md. */
    String manifestText() {
        try (InputStream in = Daemon.class.getResourceAsStream(manifestResource())) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + manifestResource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(manifestResource(), e);
        }
    }

    /** What the daemon needs, read from its manifest. */
    Requirements requirements() {
        try {
            return RequirementsManifest.parse(manifestText(), name + ".requires.json");
        } catch (ManifestException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + unit + ")";
    }
}
