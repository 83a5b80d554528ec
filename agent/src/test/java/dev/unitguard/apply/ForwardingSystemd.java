package dev.unitguard.apply;

import dev.unitguard.systemd.JobResult;
import java.time.Duration;

/** A {@link SystemdPort} passing every call on; tests override one method. */
class ForwardingSystemd implements SystemdPort {

    private final SystemdPort delegate;

    ForwardingSystemd(SystemdPort delegate) {
        this.delegate = delegate;
    }

    @Override
    public void reload() throws SystemdFailure {
        delegate.reload();
    }

    @Override
    public UnitState state(String unit) throws SystemdFailure {
        return delegate.state(unit);
    }

    @Override
    public JobResult restart(String unit, Duration timeout) throws SystemdFailure {
        return delegate.restart(unit, timeout);
    }

    @Override
    public JobResult stop(String unit, Duration timeout) throws SystemdFailure {
        return delegate.stop(unit, timeout);
    }

    @Override
    public void resetFailed(String unit) throws SystemdFailure {
        delegate.resetFailed(unit);
    }

    @Override
    public void enable(String unit) throws SystemdFailure {
        delegate.enable(unit);
    }

    @Override
    public void disable(String unit) throws SystemdFailure {
        delegate.disable(unit);
    }
}
