package dev.unitguard.sandbox;

import dev.unitguard.json.JsonPath;
import java.util.Objects;

/**
 * A user or group name the host's accounts do not know, where a check cannot go on without it: the requirements
 * manifest's {@code user} or {@code group}, or, when the manifest names one, the unit's {@code Group=} or
 * {@code SupplementaryGroups=} beside it. The message is the one users see: {@code unknown user "ghost"} for the
 * manifest's fields, {@code unknown group "ghost" in SupplementaryGroups=} for the unit's. (The unit's own
 * identity, without a manifest user or group, is no exception: the service would not start, which
 * {@link StartupVerdict} says.)
 */
public final class UnknownIdentity extends Exception {
    private static final long serialVersionUID = 1L;

    /** Where the name was written: a directive of the unit or a field of the requirements manifest. */
    public enum Field {
        USER("User=", "user", ExitStatus.USER, "Failed to determine user credentials: No such process"),
        GROUP("Group=", "group", ExitStatus.GROUP, "Failed to determine group credentials: No such process"),
        SUPPLEMENTARY_GROUPS("SupplementaryGroups=", "group", ExitStatus.GROUP,
                "Failed to determine supplementary groups: No such process"),
        MANIFEST_USER("user", "user", ExitStatus.USER, "Failed to determine user credentials: No such process"),
        MANIFEST_GROUP("group", "group", ExitStatus.GROUP, "Failed to determine group credentials: No such process");

        private final String label;
        private final String kind;
        private final ExitStatus status;
        private final String journal;

        Field(String label, String kind, ExitStatus status, String journal) {
            this.label = label;
            this.kind = kind;
            this.status = status;
            this.journal = journal;
        }

        /** Whether the requirements manifest named it (else a directive of the unit). */
        public boolean inManifest() {
            return this == MANIFEST_USER || this == MANIFEST_GROUP;
        }

        /** {@code User=} for a directive, {@code user} for the manifest's field. */
        @Override
        public String toString() {
            return label;
        }
    }

    private final Field field;
    private final String name;

    UnknownIdentity(Field field, String name) {
        super("unknown " + field.kind + " \"" + name + "\"" + (field.inManifest() ? "" : " in " + field.label));
        this.field = Objects.requireNonNull(field, "field");
        this.name = Objects.requireNonNull(name, "name");
    }

    public Field field() {
        return field;
    }

    /**
     * Where in a request the name stands, given where its requirements manifest stands: the manifest's own field
     * ({@code $.requires.user}), or the manifest itself for the unit's directives, which the request does not hold.
     */
    public JsonPath at(JsonPath manifest) {
        return field.inManifest() ? manifest.member(field.label) : manifest;
    }

    public String name() {
        return name;
    }

    /** How systemd would end the start over this name: exit status 217/USER or 216/GROUP and its journal line. */
    StartupVerdict startupFailure() {
        return StartupVerdict.failure(field.status, field.journal);
    }
}
