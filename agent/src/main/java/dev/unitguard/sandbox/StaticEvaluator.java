package dev.unitguard.sandbox;

import dev.unitguard.host.HostView;
import dev.unitguard.unit.EffectiveUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers, without running anything, "with these sandbox directives, will the service start, and can it still
 * reach the paths it needs?": a model of systemd 252's mount namespace over the host's real files, users and
 * permissions; and, when the manifest states them, whether its sockets, address families, system calls and
 * capabilities survive the network, system call and capability settings ({@link NeedVerdict}).
 */
public final class StaticEvaluator {

    private final HostView host;

    public StaticEvaluator(HostView host) {
        this.host = host;
    }

    /** A verdict with the identities it was judged for (a check hands them on to the permission checker). */
    public record Evaluation(Identities identities, Verdict verdict) {
    }

    /**
     * Resolves who the service runs as, then evaluates, reading the unit's settings once for both; the identities
     * are returned with the verdict.
     *
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public Evaluation evaluateWithIdentities(EffectiveUnit unit, Requirements requirements) throws UnknownIdentity {
        ServiceSettings settings = Identities.settings(unit, host);
        Identities identities = Identities.resolve(settings, host, requirements);
        return new Evaluation(identities, evaluate(settings, requirements, identities));
    }

    /**
     * Resolves who the service runs as, then evaluates.
     *
     * @throws UnknownIdentity when the requirements name a user or group the host does not know
     */
    public Verdict evaluate(EffectiveUnit unit, Requirements requirements) throws UnknownIdentity {
        return evaluateWithIdentities(unit, requirements).verdict();
    }

    /** Evaluates with identities already resolved for this unit and these requirements. */
    public Verdict evaluate(EffectiveUnit unit, Requirements requirements, Identities identities) {
        return evaluate(Identities.settings(unit, host), requirements, identities);
    }

    private Verdict evaluate(ServiceSettings settings, Requirements requirements, Identities identities) {
        Identity service = identities.service();
        int ownerUid = service.credentials().uid();
        int ownerGid = service.credentials().gid();
        Namespace namespace = settings.needsMountNamespace()
                ? Namespace.apply(MountTable.build(settings, host, ownerUid, ownerGid, true), host,
                        settings.unit().systemd())
                : Namespace.apply(MountTable.build(settings, host, ownerUid, ownerGid, false), host,
                        settings.unit().systemd());
        StartupVerdict startup = new StartupCheck(settings, host, service).run(namespace);

        Identity subject = identities.subject();
        PathCheck paths = new PathCheck(namespace.view(), host, subject.credentials(), settings);
        List<RequirementVerdict> verdicts = new ArrayList<>();
        for (PathRequirement requirement : requirements.paths()) {
            verdicts.add(paths.check(requirement));
        }
        DeviceCheck devices = new DeviceCheck(settings, host, subject.credentials());
        for (String device : requirements.devices()) {
            verdicts.add(devices.check(device));
        }
        return new Verdict(startup, verdicts, needs(settings, requirements, service));
    }

    /** The network, system call and capability needs the manifest states, each judged only when stated. */
    private static List<NeedVerdict> needs(ServiceSettings settings, Requirements requirements, Identity service) {
        List<NeedVerdict> needs = new ArrayList<>();
        CapabilityCheck capabilities = new CapabilityCheck(settings, service.credentials().uid() == 0);
        requirements.network().ifPresent(n -> needs.addAll(new NetworkCheck(settings, capabilities).check(n)));
        requirements.syscalls().ifPresent(s -> needs.addAll(new SyscallCheck(settings.unit()).check(s)));
        requirements.capabilities().ifPresent(caps -> caps.stream().sorted().forEach(c ->
                needs.add(capabilities.check(c, "capability " + c, "uses "))));
        return needs;
    }
}
