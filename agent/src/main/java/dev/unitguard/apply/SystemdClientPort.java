package dev.unitguard.apply;

import dev.unitguard.systemd.JobResult;
import dev.unitguard.systemd.ServiceProperties;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.UnitProperties;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link SystemdPort} over the D-Bus client; a {@link SystemdException} becomes a {@link SystemdFailure}. */
final class SystemdClientPort implements SystemdPort {

    private final SystemdClient client;

    SystemdClientPort(SystemdClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void reload() throws SystemdFailure {
        call(() -> {
            client.reload();
            return null;
        });
    }

    @Override
    public UnitState state(String unit) throws SystemdFailure {
        UnitProperties p = call(() -> client.unit(unit));
        ServiceProperties s = p.service().orElse(null);
        return new UnitState(p.loadState(), p.activeState(), p.subState(), s == null ? "" : s.result(),
                s == null ? 0 : s.execMainCode(), s == null ? 0 : s.execMainStatus(), p.invocationId(),
                s == null ? 0 : s.nRestarts(), p.unitFileState());
    }

    /** {@code GetUnit} and one {@code Get}: not all of the unit's and the service's properties. */
    @Override
    public String invocationId(String unit) throws SystemdFailure {
        return call(() -> client.invocationId(unit)).orElse("");
    }

    @Override
    public JobResult restart(String unit, Duration timeout) throws SystemdFailure {
        return call(() -> client.restart(unit, timeout)).result();
    }

    @Override
    public JobResult stop(String unit, Duration timeout) throws SystemdFailure {
        return call(() -> client.stop(unit, timeout)).result();
    }

    @Override
    public void resetFailed(String unit) throws SystemdFailure {
        call(() -> {
            client.resetFailed(unit);
            return null;
        });
    }

    @Override
    public void enable(String unit) throws SystemdFailure {
        call(() -> client.enable(List.of(unit)));
    }

    @Override
    public void disable(String unit) throws SystemdFailure {
        call(() -> client.disable(List.of(unit)));
    }

    /** One call to systemd. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws SystemdException;
    }

    private static <T> T call(Call<T> call) throws SystemdFailure {
        try {
            return call.call();
        } catch (SystemdException e) {
            throw new SystemdFailure(e.getMessage(), e);
        }
    }
}
