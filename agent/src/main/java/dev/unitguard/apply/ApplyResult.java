package dev.unitguard.apply;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.unitguard.check.CheckReport;
import java.util.List;

/**
 * How a change request ended. Expected outcomes are values, not exceptions; bad input is an
 * {@link ApplyRequestException}. In JSON the kind is the {@code outcome} property ({@code applied}, ...). Built in this
 * package from a change the journal already checked ({@link PendingChange}) or a validated request, and otherwise
 * only written out (the answer, the idempotency record) and read back to be written out again: no null checks.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "outcome")
@JsonSubTypes({@JsonSubTypes.Type(value = ApplyResult.Applied.class, name = "applied"),
        @JsonSubTypes.Type(value = ApplyResult.Unchanged.class, name = "unchanged"),
        @JsonSubTypes.Type(value = ApplyResult.Refused.class, name = "refused"),
        @JsonSubTypes.Type(value = ApplyResult.RolledBack.class, name = "rolled_back"),
        @JsonSubTypes.Type(value = ApplyResult.RollbackFailed.class, name = "rollback_failed")})
public sealed interface ApplyResult {

    String unit();

    @JsonIgnore
    Outcome outcome();

    /** The change is in place; {@code restarted} when the unit was restarted (and then active and healthy). */
    record Applied(String unit, String path, long historyId, boolean restarted, String invocationId)
            implements ApplyResult {
        @Override
        public Outcome outcome() {
            return Outcome.APPLIED;
        }
    }

    /** What is on disk already is what was asked for: nothing was written, reloaded or restarted. */
    record Unchanged(String unit, String path) implements ApplyResult {
        @Override
        public Outcome outcome() {
            return Outcome.UNCHANGED;
        }
    }

    /**
     * Not applied: the checks say the service would break. {@code reasons} lists every failure; the exit status is
     * the one systemd would end the start with (226 for NAMESPACE), null when it would start but miss a path.
     * {@code check} is the static check's report (without permission findings), null when the refusal does not come
     * from it.
     */
    record Refused(String unit, List<String> reasons, Integer exitStatus, String exitStatusName,
                   CheckReport check) implements ApplyResult {
        public Refused {
            reasons = List.copyOf(reasons);
        }

        @Override
        public Outcome outcome() {
            return Outcome.REFUSED;
        }
    }

    /** Applied, failed (see {@code failure}), and put back as it was: the unit runs with the previous version. */
    record RolledBack(String unit, String path, long historyId, Failure failure) implements ApplyResult {
        @Override
        public Outcome outcome() {
            return Outcome.ROLLED_BACK;
        }
    }

    /**
     * Applied, failed, and the rollback failed too: the unit may be down. {@code savedFiles} holds the previous
     * version (left in place for the operator); {@code rollbackError} says what went wrong putting it back.
     */
    record RollbackFailed(String unit, String path, long historyId, Failure failure, String rollbackError,
                          List<String> savedFiles) implements ApplyResult {
        public RollbackFailed {
            savedFiles = List.copyOf(savedFiles);
        }

        @Override
        public Outcome outcome() {
            return Outcome.ROLLBACK_FAILED;
        }
    }
}
