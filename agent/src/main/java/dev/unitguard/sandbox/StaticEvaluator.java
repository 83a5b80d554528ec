package dev.unitguard.sandbox;

import dev.unitguard.host.HostView;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Specifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers, without running anything, "with these sandbox directives, will the service start, and can it still
 * reach the paths it needs?": a model of systemd 252's mount namespace over the host's real files, users and
 * permissions.
 */
public final class StaticEvaluator {

    private final HostView host;

    public StaticEvaluator(HostView host) {
        this.host = host;
    }

    /**
     * @throws IllegalArgumentException when the requirements name a user or group the host does not know
     */
    public Verdict evaluate(EffectiveUnit unit, Requirements requirements) {
        ServiceSettings settings = ServiceSettings.of(Specifiers.forSystemUnit(unit, host.root()).resolveAll(unit));
        Identity service = Identity.resolve(settings, host, Optional.empty(), Optional.empty());
        int ownerUid = service.credentials().uid();
        int ownerGid = service.credentials().gid();
        Namespace namespace = settings.needsMountNamespace()
                ? Namespace.apply(MountTable.build(settings, host, ownerUid, ownerGid, true), host)
                : Namespace.apply(MountTable.build(settings, host, ownerUid, ownerGid, false), host);
        StartupVerdict startup = new StartupCheck(settings, host, service).run(namespace);

        Identity subject = service;
        if (requirements.user().isPresent() || requirements.group().isPresent()) {
            subject = Identity.resolve(settings, host, requirements.user(), requirements.group());
            if (subject.failure().isPresent()) {
                throw new IllegalArgumentException("requirements: unknown "
                        + (subject.failure().get().exitStatus() == 217 ? "user \"" + requirements.user().orElse("")
                        : "group \"" + requirements.group().orElse("")) + "\"");
            }
        }
        PathCheck paths = new PathCheck(namespace.view(), host, subject.credentials(), settings);
        List<RequirementVerdict> verdicts = new ArrayList<>();
        for (PathRequirement requirement : requirements.paths()) {
            verdicts.add(paths.check(requirement));
        }
        DeviceCheck devices = new DeviceCheck(settings, host, subject.credentials());
        for (String device : requirements.devices()) {
            verdicts.add(devices.check(device));
        }
        return new Verdict(startup, verdicts);
    }
}
