package dev.unitguard.systemd;

import java.util.Objects;

/**
 * The {@code org.freedesktop.systemd1.Service} properties unitguard reads. {@code execMainStatus} is the exit status
 * (or signal number) of the last main process, 226 for a sandbox that could not be set up (EXIT_NAMESPACE).
 */
public record ServiceProperties(String type, String result, int execMainCode, int execMainStatus, long execMainPid,
                                long mainPid, long nRestarts, String user, String group, boolean dynamicUser) {

    public ServiceProperties {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
    }

    static ServiceProperties from(PropertyMap service) {
        return new ServiceProperties(service.string("Type"), service.string("Result"),
                (int) service.number("ExecMainCode"), (int) service.number("ExecMainStatus"),
                service.number("ExecMainPID"), service.number("MainPID"), service.number("NRestarts"),
                service.string("User"), service.string("Group"), service.bool("DynamicUser"));
    }
}
