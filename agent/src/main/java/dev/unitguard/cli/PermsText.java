package dev.unitguard.cli;

import dev.unitguard.perms.Finding;
import dev.unitguard.perms.FixExecutor;
import dev.unitguard.perms.PathReport;
import dev.unitguard.perms.PermissionReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Human output of permission reports and fixes. */
final class PermsText {

    private PermsText() {
    }

    static String report(PermissionReport r) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(r.unit() + ": runs as " + (r.user() == null ? "?" : r.user() + " (uid " + r.uid() + ")")
                + (r.groups().isEmpty() ? "" : ", groups " + String.join(", ", r.groups()))
                + (r.dynamicUser() ? ", DynamicUser=yes" : ""));
        r.notes().forEach(n -> out.println("  note: " + n));
        if (!r.paths().isEmpty()) {
            TextTable table = new TextTable("PATH", "ACCESS", "OWNER", "MODE", "ACL", "RESULT");
            for (PathReport p : r.paths()) {
                table.row(p.path(), p.access(), p.exists() ? p.state().owner() + ":" + p.state().group() : "missing",
                        p.exists() ? p.state().mode() : null, p.acl().isEmpty() ? null : String.join(",", p.acl()),
                        p.granted() ? "ok" : "DENIED");
            }
            table.print(out, "  ");
        }
        findings(out, r.findings());
        out.flush();
        return text.toString().stripTrailing();
    }

    static void findings(PrintWriter out, List<Finding> findings) {
        if (findings.isEmpty()) {
            out.println("  no findings");
            return;
        }
        out.println("  findings:");
        for (Finding f : findings) {
            out.println("    " + f.severity() + " " + f.id() + " " + f.path());
            out.println("      " + f.message());
            f.fix().forEach(c -> out.println("      fix: " + c));
            f.alternatives().forEach(a -> out.println("      or:  " + a));
        }
    }

    static String fix(PermsCommand.FixRun run) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(run.dryRun() ? "planned changes (dry run, nothing changed):" : "changes:");
        if (run.changes().isEmpty()) {
            out.println("  none");
        }
        for (FixExecutor.Result r : run.changes()) {
            out.println("  " + r.outcome().name().toLowerCase() + ": " + String.join(" && ", r.change().commands())
                    + (r.detail() == null ? "" : " (" + r.detail() + ")"));
        }
        if (!run.manual().isEmpty()) {
            out.println("left to you (no automatic fix):");
            run.manual().forEach(f -> out.println("  " + f.severity() + " " + f.id() + " " + f.path()));
        }
        out.println(run.dryRun() ? "report:" : "report after the changes:");
        out.print(report(run.after()));
        out.flush();
        return text.toString().stripTrailing();
    }
}
