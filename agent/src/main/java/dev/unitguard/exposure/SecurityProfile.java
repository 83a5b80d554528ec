package dev.unitguard.exposure;

import dev.unitguard.unit.SystemdTables;
import dev.unitguard.unit.SystemdVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What {@code systemd-analyze security --offline=true} of one supported systemd release does differently, as data
 * chosen once per host: the checks with their weights and ranges and the system call groups (tables generated from
 * that release's binaries by packaging/gen-tables.sh, named {@code *-NNN.txt}), and the settings that release
 * parses differently (found by, and proven in, SecurityAssessorDifferentialTest against each release's own binary).
 *
 * @param version           the release modelled
 * @param checks            the checks the release reports, with its weights and ranges
 * @param tables            its system call groups and libseccomp's system call numbers
 * @param enablingValues    per {@code [Service]} key, the non-boolean values that release accepts and that count as
 *                          enabled for the score (e.g. {@code PrivateTmp=disconnected} from 257 on)
 * @param privateMountsUnsetIsOn whether {@code PrivateMounts=} is a tristate whose unset state (never assigned, or
 *                          reset by an empty assignment) scores as private mounts (257 on); in 252 it is a boolean,
 *                          off by default, and an empty assignment is ignored
 */
record SecurityProfile(SystemdVersion version, List<SecurityCheck> checks, SystemdTables tables,
                       Map<String, Pattern> enablingValues, boolean privateMountsUnsetIsOn) {

    /** The parser differences of each release; data tables come from the generated resources. */
    private static final Map<SystemdVersion, Map<String, String>> ENABLING = Map.of(
            SystemdVersion.V252, Map.of(),
            SystemdVersion.V257, Map.of(
                    "PrivateTmp", "disconnected",
                    "PrivateUsers", "self|identity",
                    "ProtectControlGroups", "private|strict"),
            SystemdVersion.V262, Map.of(
                    "PrivateTmp", "disconnected",
                    "PrivateUsers", "self|identity|full|managed",
                    "ProtectControlGroups", "private|strict",
                    "ProtectHostname", "private(:\\S+)?"));
    private static final Map<SystemdVersion, Boolean> PRIVATE_MOUNTS_UNSET_IS_ON = Map.of(
            SystemdVersion.V252, false, SystemdVersion.V257, true, SystemdVersion.V262, true);
    private static final Map<SystemdVersion, SecurityProfile> CACHE = new ConcurrentHashMap<>();

    SecurityProfile {
        checks = List.copyOf(checks);
        enablingValues = Map.copyOf(enablingValues);
    }

    /** The profile of a supported release, or of the release that models an unsupported one. */
    static SecurityProfile of(SystemdVersion version) {
        return CACHE.computeIfAbsent(version.modelled().model(), SecurityProfile::load);
    }

    /** Whether {@code value} of {@code [Service] key} counts as enabled in this release beyond the booleans. */
    boolean enables(String key, String value) {
        Pattern pattern = enablingValues.get(key);
        return pattern != null && pattern.matcher(value).matches();
    }

    private static SecurityProfile load(SystemdVersion version) {
        Map<String, Pattern> enabling = new LinkedHashMap<>();
        ENABLING.get(version).forEach((key, regex) -> enabling.put(key, Pattern.compile(regex)));
        return new SecurityProfile(version, checks(version), SystemdTables.of(version), enabling,
                PRIVATE_MOUNTS_UNSET_IS_ON.get(version));
    }

    /**
     * unitguard's assess functions for the checks the release's table lists, with the release's weight, range and
     * JSON field. A check the release has and unitguard does not implement is an error naming both.
     */
    private static List<SecurityCheck> checks(SystemdVersion version) {
        Map<String, SecurityCheck> known = new LinkedHashMap<>();
        SecurityChecks.ALL.forEach(c -> known.put(c.id(), c));
        Map<String, String[]> table = new LinkedHashMap<>();
        for (String[] row : SystemdTables.rows("security-checks-" + version + ".txt", "\t")) {
            if (row.length != 4) {
                throw new IllegalStateException("security-checks-" + version + ".txt: not 4 fields: "
                        + String.join("\t", row));
            }
            table.put(row[0], row);
        }
        List<SecurityCheck> checks = new ArrayList<>();
        for (SecurityCheck c : known.values()) {
            String[] row = table.remove(c.id());
            if (row != null) {
                checks.add(new SecurityCheck(c.id(), row[1], c.descriptionGood(), c.descriptionBad(),
                        c.descriptionNotApplicable(), Integer.parseInt(row[2]), Integer.parseInt(row[3]),
                        c.defaultDependenciesOnly(), c.assess()));
            }
        }
        if (!table.isEmpty()) {
            throw new IllegalStateException("systemd " + version + " has checks unitguard does not implement: "
                    + table.keySet());
        }
        return checks;
    }
}
