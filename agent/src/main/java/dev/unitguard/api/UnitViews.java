package dev.unitguard.api;

import dev.unitguard.exposure.ExposureReport;
import dev.unitguard.exposure.SecurityCheckResult;
import dev.unitguard.metrics.UnitStateCache;
import dev.unitguard.systemd.UnitProperties;
import dev.unitguard.unit.Assignment;
import dev.unitguard.unit.EffectiveUnit;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The JSON bodies of the unit routes (documented in docs/api.md and the OpenAPI document). */
final class UnitViews {

    private UnitViews() {
    }

    /** {@code GET /v1/units}. */
    record UnitList(List<UnitSummary> units) {
    }

    record UnitSummary(String unit, String description, String activeState, String subState, long restarts,
                       BigDecimal exposure) {
        static UnitSummary of(UnitStateCache.CachedUnit cached) {
            UnitProperties p = cached.properties();
            return new UnitSummary(p.name(), p.description(), p.activeState(), p.subState(), restartsOf(p),
                    cached.exposure().orElse(null));
        }
    }

    /** {@code GET /v1/units/{unit}}. {@code state} is null when systemd is unavailable or has not loaded the unit. */
    record UnitDetail(String unit, String fragmentPath, List<String> dropInPaths, State state, List<Setting> settings,
                      Exposure exposure, List<String> warnings) {
        static UnitDetail of(EffectiveUnit unit, ExposureReport exposure, Optional<UnitStateCache.CachedUnit> cached) {
            return new UnitDetail(unit.name(), unit.fragmentPath().map(Path::toString).orElse(null),
                    unit.dropInPaths().stream().map(Path::toString).toList(),
                    cached.map(c -> State.of(c.properties())).orElse(null),
                    unit.assignments().stream().map(Setting::of).toList(),
                    new Exposure(exposure.exposure(), exposure.predicate(), exposure.systemd().number(),
                            exposure.live() ? "live" : "offline", exposure.checks().stream().map(Check::of).toList()),
                    unit.warnings().stream().map(Object::toString).toList());
        }
    }

    record State(String loadState, String activeState, String subState, String unitFileState, long restarts) {
        static State of(UnitProperties p) {
            return new State(p.loadState(), p.activeState(), p.subState(), p.unitFileState(), restartsOf(p));
        }
    }

    /** One effective assignment, where it came from. */
    record Setting(String section, String key, String value, String file, int line) {
        static Setting of(Assignment a) {
            return new Setting(a.section(), a.key(), a.value(), a.location().file().toString(), a.location().line());
        }
    }

    /**
     * The score, with the release whose table scored it and how: {@code live} as {@code systemd-analyze security
     * UNIT} scores the loaded unit (the agent), {@code offline} as {@code --offline=true} scores its file.
     */
    record Exposure(BigDecimal score, String predicate, int systemdVersion, String mode, List<Check> checks) {
    }

    /** One check of systemd-analyze security's table; {@code badness} null when it does not apply. */
    record Check(String id, String description, boolean set, Long badness, int weight, int range) {
        static Check of(SecurityCheckResult r) {
            return new Check(r.id(), r.description(), r.set(), r.badness(), r.weight(), r.range());
        }
    }

    private static long restartsOf(UnitProperties p) {
        return p.service().map(s -> s.nRestarts()).orElse(0L);
    }
}
