package dev.unitguard.sandbox;

import dev.unitguard.host.HostView;
import dev.unitguard.unit.EffectiveUnit;
import dev.unitguard.unit.Specifiers;
import java.util.Objects;

/**
 * Who one check is about, resolved once and handed to the static evaluator and the permission checker alike:
 * {@code service}, as the unit runs (its {@code User=}, {@code Group=}, {@code SupplementaryGroups=},
 * {@code DynamicUser=}, specifiers resolved), and {@code subject}, for whom the required paths are checked: the
 * requirements manifest's {@code user} and {@code group} in place of {@code User=} and {@code Group=}, or the service
 * itself when the manifest names neither.
 */
public record Identities(Identity service, Identity subject) {

    public Identities {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(subject, "subject");
    }

    /**
     * @throws UnknownIdentity when the manifest names a user or group (or, beside a manifest's, the unit names a
     *                         group) the host does not know
     */
    public static Identities resolve(EffectiveUnit unit, HostView host, Requirements requirements)
            throws UnknownIdentity {
        return resolve(settings(unit, host), host, requirements);
    }

    static Identities resolve(ServiceSettings settings, HostView host, Requirements requirements)
            throws UnknownIdentity {
        Identity service = Identity.service(settings, host);
        if (requirements.user().isEmpty() && requirements.group().isEmpty()) {
            return new Identities(service, service);
        }
        return new Identities(service, Identity.resolve(settings, host, requirements.user(), requirements.group()));
    }

    /**
     * The unit's settings as systemd reads them, specifiers resolved; once per unit and host snapshot (a check
     * resolves the identities and then evaluates the same unit).
     */
    static ServiceSettings settings(EffectiveUnit unit, HostView host) {
        return host.derived(new SettingsOf(unit), () ->
                ServiceSettings.of(Specifiers.forSystemUnit(unit, host.root()).resolveAll(unit)));
    }

    /** The key of a unit's settings in a snapshot: the unit itself, by identity ({@link EffectiveUnit}'s equality). */
    private record SettingsOf(EffectiveUnit unit) {
    }
}
