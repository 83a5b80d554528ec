package dev.unitguard.cli;

import dev.unitguard.json.Json;
import dev.unitguard.recommend.Recommendation;
import dev.unitguard.recommend.Recommender;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unitguard recommend}: the strongest sandbox the static check passes for a unit file and its manifest,
 * offline (with {@code --probe}, confirmed by a transient service through the local systemd). Exit 0 when every need
 * is met under the set (and the probe, when run, agrees), 1 when some need cannot be granted or the probe disagrees,
 * 2 bad usage or unreadable input.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommends the strongest sandbox directives under which the service still meets its manifest.")
final class RecommendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the recommendation as JSON (the agent's answer).")
    boolean json;

    @Mixin
    ProbedUnit input;

    @Override
    public Integer call() {
        ProbedUnit.Loaded in = input.load();
        Recommendation r = input.known(() -> new Recommender(in.host()).recommend(in.unit(), in.requirements()));
        if (input.probing()) {
            r = r.withProbe(input.probe(in, r.directives().assignments(in.unit())));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(r));
        } else {
            print(out, r, in.unit().type());
        }
        boolean ok = r.ok() && (r.probe() == null || r.probe().agree());
        return ok ? 0 : CheckCommand.EXIT_FAILS;
    }

    private static void print(PrintWriter out, Recommendation r, String unitType) {
        out.println(r.unit() + ": exposure " + r.exposure().before() + " -> " + r.exposure().after() + ", verified "
                + r.verified() + (r.ok() ? "" : ", NOT every need is met"));
        out.println("  drop-in (" + r.unit() + ".d/50-unitguard.conf):");
        r.directives().text(unitType).lines().forEach(l -> out.println("    " + l));
        TextTable why = new TextTable("DIRECTIVE", "VALUE", "WHY", "EVIDENCE");
        r.explanations().forEach(e -> why.row(e.directive(), e.value(), e.why(), e.evidence()));
        out.println("  explanations:");
        why.print(out, "    ");
        if (!r.rejected().isEmpty()) {
            TextTable left = new TextTable("DIRECTIVE", "VALUE", "LEFT OUT BECAUSE");
            r.rejected().forEach(x -> left.row(x.directive(), x.value(), x.because()));
            out.println("  left out:");
            left.print(out, "    ");
        }
        r.unmet().forEach(u -> out.println("  unmet: " + u.path() + " " + u.access() + ": " + u.reason()));
        if (r.probe() != null) {
            out.println("  probe: " + (r.probe().agree() && r.probe().result().ok() ? "agrees, every need met"
                    : "DISAGREES: " + r.probe().disagreement()));
        }
    }
}
