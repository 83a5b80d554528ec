package dev.unitguard.systemd;

import dev.unitguard.host.DaemonThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.exceptions.NotConnected;

/**
 * The plumbing under {@link SystemdClient}: one lazily opened {@link BusSession}, replaced after it is lost; every
 * call bounded by a timeout (dbus-java's own reply timeout is a global setting); errors mapped to
 * {@link SystemdException}.
 */
final class BusCalls implements AutoCloseable {

    /** A blocking piece of work on the bus. */
    interface Body<T> {
        T apply(BusSession session) throws Exception;
    }

    private static final Duration JOB_POLL = Duration.ofMillis(200);

    private final String address;
    private final Duration timeout;
    private final ExecutorService executor =
            Executors.newCachedThreadPool(DaemonThreads.named("unitguard-dbus-call"));
    private BusSession session;

    BusCalls(String address, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
    }

    String address() {
        return address;
    }

    <T> T call(String call, Body<T> body) throws SystemdException {
        return on(session(call), call, body);
    }

    /**
     * The current session, connecting first when there is none. A session found closed by the bus is reported once
     * as {@link SystemdException.BusLost} (what was tied to it, signals and AddRef, is gone); the next call reconnects.
     */
    synchronized BusSession session(String call) throws SystemdException {
        if (session != null && session.isConnected()) {
            return session;
        }
        if (session != null) {
            throw lost(session, call, "connection closed since the last call", null);
        }
        Future<BusSession> opening = executor.submit(() -> BusSession.open(address));
        try {
            session = opening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return session;
        } catch (TimeoutException e) {
            opening.cancel(true);
            throw new SystemdException.BusLost(call, address, "cannot connect within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new SystemdException.BusLost(call, address, "cannot connect: " + message(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemdException.BusLost(call, address, "interrupted while connecting", e);
        }
    }

    /** Runs {@code body} on {@code session}, waiting at most the call timeout for it. */
    <T> T on(BusSession session, String call, Body<T> body) throws SystemdException {
        return join(session, call, send(session, body));
    }

    /**
     * Sends {@code body} on {@code session} without waiting: several calls sent so are in flight at once (one round
     * trip for all); {@link #join} each.
     */
    <T> Future<T> send(BusSession session, Body<T> body) {
        return executor.submit(() -> body.apply(session));
    }

    /**
     * Sends {@code body} on the current session (connecting first when there is none, as {@link #call}) without
     * waiting; its failures come out of {@link #join(String, Future)} as {@link SystemdException}.
     */
    <T> Future<T> send(String call, Body<T> body) {
        return executor.submit(() -> {
            BusSession session = session(call);
            try {
                return body.apply(session);
            } catch (Exception e) {
                throw failure(session, call, e);
            }
        });
    }

    /** The answer of a call {@link #send(String, Body) sent}, waiting at most the call timeout for it. */
    <T> T join(String call, Future<T> future) throws SystemdException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new SystemdException.CallTimeout(call, "no reply", timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SystemdException known) {
                throw known;
            }
            throw new SystemdException.CallFailed(call, e.getCause().getClass().getSimpleName(),
                    message(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new SystemdException.CallFailed(call, "Interrupted", "interrupted while waiting for the reply", e);
        }
    }

    /** The answer of a call {@link #send sent}, waiting at most the call timeout for it. */
    <T> T join(BusSession session, String call, Future<T> future) throws SystemdException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            if (!session.isConnected()) {
                throw lost(session, call, "no reply, connection closed", e);
            }
            throw new SystemdException.CallTimeout(call, "no reply", timeout);
        } catch (ExecutionException e) {
            throw failure(session, call, e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new SystemdException.CallFailed(call, "Interrupted", "interrupted while waiting for the reply", e);
        }
    }

    /** Waits for the JobRemoved signal of {@code job}, watching the connection meanwhile. */
    String awaitJob(BusSession session, String call, String job, Duration jobTimeout) throws SystemdException {
        CompletableFuture<String> result = session.jobs().watch(job);
        Instant deadline = Instant.now().plus(jobTimeout);
        while (true) {
            try {
                return result.get(JOB_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!session.isConnected()) {
                    session.jobs().forget(job);
                    throw lost(session, call, "while waiting for job " + job, e);
                }
                if (Instant.now().isAfter(deadline)) {
                    session.jobs().forget(job);
                    throw new SystemdException.CallTimeout(call, "job " + job + " did not finish", jobTimeout);
                }
            } catch (ExecutionException e) {
                throw failure(session, call, e.getCause());
            } catch (InterruptedException e) {
                session.jobs().forget(job);
                Thread.currentThread().interrupt();
                throw new SystemdException.CallFailed(call, "Interrupted", "interrupted while waiting for " + job, e);
            }
        }
    }

    private SystemdException failure(BusSession session, String call, Throwable cause) {
        if (cause instanceof SystemdException known) {
            return known;
        }
        if (cause instanceof NotConnected || !session.isConnected() || isSendFailure(cause)) {
            return lost(session, call, message(cause), cause);
        }
        return new SystemdException.CallFailed(call, cause.getClass().getSimpleName(), message(cause), cause);
    }

    /** dbus-java answers a call it could not write (the socket just closed) with this error, before it disconnects. */
    private static boolean isSendFailure(Throwable cause) {
        return cause instanceof DBusExecutionException && cause.getMessage() != null
                && cause.getMessage().startsWith("Message Failed to Send");
    }

    private SystemdException.BusLost lost(BusSession lost, String call, String detail, Throwable cause) {
        synchronized (this) {
            if (session == lost) {
                session = null;
            }
        }
        drop(lost);
        return new SystemdException.BusLost(call, address, detail, cause);
    }

    private static void drop(BusSession session) {
        if (session != null) {
            session.close();
        }
    }

    private static String message(Throwable cause) {
        return cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getName()
                : cause.getMessage();
    }

    @Override
    public synchronized void close() {
        drop(session);
        session = null;
        executor.shutdownNow();
    }
}
