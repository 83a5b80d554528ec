package dev.unitguard.systemd;

import java.time.Duration;

/**
 * A call to systemd that did not complete. Outcomes systemd reports (a failed job, a failed unit) are return values,
 * not exceptions. The message always names the call: {@code StartUnit(app.service): ...}.
 */
public abstract sealed class SystemdException extends Exception
        permits SystemdException.BusLost, SystemdException.CallTimeout, SystemdException.CallFailed {
    private static final long serialVersionUID = 1L;

    private final String call;

    SystemdException(String call, String message, Throwable cause) {
        super(call + ": " + message, cause);
        this.call = call;
    }

    /** The call that failed, for example {@code StartUnit(app.service)}. */
    public String call() {
        return call;
    }

    /** The bus connection could not be made or was lost. The client reconnects on its next call. */
    public static final class BusLost extends SystemdException {
        private static final long serialVersionUID = 1L;

        private final String address;

        BusLost(String call, String address, String detail, Throwable cause) {
            super(call, "D-Bus connection to " + address + " lost: " + detail, cause);
            this.address = address;
        }

        public String address() {
            return address;
        }
    }

    /** No answer within the timeout (a method reply, or a job that did not finish). */
    public static final class CallTimeout extends SystemdException {
        private static final long serialVersionUID = 1L;

        CallTimeout(String call, String what, Duration timeout) {
            super(call, what + " within " + timeout.toMillis() + " ms", null);
        }
    }

    /** systemd answered with an error (an unknown unit file, access denied, an invalid property). */
    public static final class CallFailed extends SystemdException {
        private static final long serialVersionUID = 1L;

        /** {@code error}: the kind of error as dbus-java reports it, for example {@code AccessDenied}. */
        CallFailed(String call, String error, String detail, Throwable cause) {
            super(call, error + ": " + detail, cause);
        }
    }
}
