package dev.unitguard.apply;

import dev.unitguard.systemd.ServiceProperties;
import dev.unitguard.systemd.SystemdClient;
import dev.unitguard.systemd.SystemdException;
import dev.unitguard.systemd.UnitProperties;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@link SystemdPort} over the D-Bus client. */
final class SystemdClientPort implements SystemdPort {

    private final SystemdClient client;

    SystemdClientPort(SystemdClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void reload() throws SystemdFailure {
        try {
            client.reload();
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    @Override
    public UnitState state(String unit) throws SystemdFailure {
        try {
            UnitProperties p = client.unit(unit);
            ServiceProperties s = p.service().orElse(null);
            return new UnitState(p.loadState(), p.activeState(), p.subState(), s == null ? "" : s.result(),
                    s == null ? 0 : s.execMainCode(), s == null ? 0 : s.execMainStatus(), p.invocationId(),
                    s == null ? 0 : s.nRestarts(), p.unitFileState());
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    @Override
    public String restart(String unit, Duration timeout) throws SystemdFailure {
        try {
            return client.restart(unit, timeout).rawResult();
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    @Override
    public String stop(String unit, Duration timeout) throws SystemdFailure {
        try {
            return client.stop(unit, timeout).rawResult();
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    @Override
    public void resetFailed(String unit) throws SystemdFailure {
        try {
            client.resetFailed(unit);
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    @Override
    public void enable(String unit) throws SystemdFailure {
        try {
            client.enable(List.of(unit));
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    @Override
    public void disable(String unit) throws SystemdFailure {
        try {
            client.disable(List.of(unit));
        } catch (SystemdException e) {
            throw failure(e);
        }
    }

    private static SystemdFailure failure(SystemdException e) {
        return new SystemdFailure(e.getMessage(), e);
    }
}
