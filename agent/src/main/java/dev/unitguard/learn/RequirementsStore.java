package dev.unitguard.learn;

import dev.unitguard.apply.AtomicFiles;
import dev.unitguard.json.Json;
import dev.unitguard.json.JsonInputException;
import dev.unitguard.sandbox.ManifestException;
import dev.unitguard.sandbox.RequirementsManifest;
import dev.unitguard.sandbox.RequirementsManifest.Document;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's manifests, one per unit: {@code STATE/requirements/UNIT.json} (learned, or put by a deploy script),
 * the version it replaced in {@code STATE/requirements/UNIT.previous.json}. Written atomically without following links
 * ({@link AtomicFiles}), mode 0600 in a 0700 directory; read back through {@link RequirementsManifest}, so a stored
 * manifest is always one {@code check} accepts.
 */
public final class RequirementsStore {

    private final Path dir;
    private final AtomicFiles files;

    /** The store under the agent's state directory ({@code /var/lib/unitguard}). */
    public RequirementsStore(Path stateDirectory) {
        this.dir = stateDirectory.resolve("requirements");
        this.files = AtomicFiles.under(stateDirectory, "rwx------");
    }

    /** The unit's manifest, or empty when none is stored. */
    public Optional<Document> get(String unit) throws IOException {
        Optional<String> text = files.read(file(unit, ""));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Document doc = Json.read(text.get(), Document.class);
            RequirementsManifest.requirements(doc, file(unit, "").toString());
            return Optional.of(doc);
        } catch (JsonInputException e) {
            throw new IOException(file(unit, "") + ": " + e.getMessage(), e);
        } catch (ManifestException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Stores {@code manifest} for {@code unit} (checked by the caller), keeping the one it replaces. */
    public void put(String unit, Document manifest) throws IOException {
        Optional<String> before = files.read(file(unit, ""));
        if (before.isPresent()) {
            files.write(file(unit, ".previous"), before.get(), "rw-------");
        }
        files.write(file(unit, ""), Json.write(manifest) + "\n", "rw-------");
    }

    /** Where the unit's manifest is stored ({@code STATE/requirements/UNIT.json}), for messages. */
    public Path file(String unit) {
        return file(unit, "");
    }

    /** {@code UNIT} is a unit name validated by the caller: no {@code /}, no {@code ..}. */
    private Path file(String unit, String suffix) {
        if (unit.contains("/") || unit.startsWith(".")) {
            throw new IllegalArgumentException("not a unit name: " + unit);
        }
        return dir.resolve(unit + suffix + ".json");
    }
}
