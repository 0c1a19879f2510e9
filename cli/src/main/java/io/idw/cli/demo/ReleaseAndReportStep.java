package io.idw.cli.demo;

import io.idw.cohort.report.CommissionerReport;
import io.idw.cohort.report.EvaluationResults;
import io.idw.cohort.report.EvaluationSummary;
import io.idw.cohort.report.ReleaseZone;
import io.idw.core.IdwException;
import io.idw.core.audit.AuditEvent;
import io.idw.governance.GovernedSession;
import io.idw.governance.sdc.CheckResult;
import io.idw.governance.sdc.CrossTable;
import io.idw.governance.sdc.DisclosureControl;
import io.idw.governance.sdc.DisclosureProfile;
import io.idw.governance.sdc.Release;
import io.idw.governance.sdc.ReviewException;
import io.idw.governance.sdc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Disclosure control, release and commissioner reports for every {@link EvaluationOutput} the
 * analysis steps added: each output's tables are checked under the agreement's disclosure profile;
 * an output that passes is released (the demo's named checker records the exception a "review"
 * needs, and says so); a failed output is refused, and so is its report. Reports are built only
 * from the released files, into {@code <work>/reports}.
 */
public final class ReleaseAndReportStep implements DemoStep {
  public static final String RELEASER = "demo";
  public static final String CHECKER = "checker";

  @Override
  public String title() {
    return "disclosure control, release and HTML reports for commissioners";
  }

  @Override
  public void run(DemoContext ctx) {
    GovernedSession s = ctx.get(GovernedSessionStep.SESSION, GovernedSession.class).orElse(null);
    if (s == null) {
      // analyses read only through a governed session: without one there is nothing to read
      ctx.say("skipped: no governed session was opened (it needs the ingest and linkage steps before it)");
      return;
    }
    DisclosureProfile profile = DisclosureProfile.of(s.agreement().outputs().disclosureProfile());
    DisclosureControl dc = DisclosureControl.with(profile);
    Release release = Release.into(ctx.warehouse(), s.agreementFile(), RELEASER);
    Path reports = ctx.workDir().resolve("reports");
    List<EvaluationOutput> outputs = new ArrayList<>(KnownOutputs.collect(ctx, dc));
    outputs.addAll(EvaluationOutput.all(ctx));
    if (outputs.isEmpty()) {
      ctx.say("no evaluation outputs to release");
      return;
    }
    int released = 0;
    int written = 0;
    List<String> notReleased = new ArrayList<>();
    for (EvaluationOutput o : outputs) {
      List<CheckResult> checks = new ArrayList<>();
      for (CrossTable t : o.tables()) {
        checks.add(dc.check(t));
      }
      checks.addAll(o.checks());
      Status worst = Status.PASS;
      for (CheckResult c : checks) {
        worst = worst.worst(c.status());
        ctx.say("%-28s %-22s %-6s %s", o.name(), c.output(), c.status().wire(),
            c.reasons().isEmpty() ? "" : c.reasons().get(c.reasons().size() - 1));
      }
      Path file;
      try {
        // protecting can itself show the output cannot be released (e.g. too few practices left)
        file = o.protector() == null ? o.resultJson() : o.protector().protect(checks);
      } catch (IdwException e) {
        ctx.say("%-28s NOT released, so no report: after disclosure control %s", o.name(), e.getMessage());
        notReleased.add(o.name() + ": not released, so no report. After disclosure control: " + e.getMessage());
        continue;
      }
      ReviewException ex = worst == Status.REVIEW
          ? ReviewException.of(CHECKER, "reviewed in the demo by the named checker: totals of whole groups are not"
              + " disclosive here") : null;
      Path releasedFile;
      try {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("result.json", Files.readAllBytes(file));
        Release.Result r = release.release(o.name(), checks, files, ex);
        releasedFile = r.directory().resolve("result.json");
        released++;
        ctx.say("%-28s released (%s%s) -> %s", o.name(), r.status().wire(),
            ex == null ? "" : ", exception recorded by '" + CHECKER + "'", r.directory());
      } catch (IdwException e) {
        String m = e.getMessage();
        ctx.say("%-28s NOT released, so no report: %s", o.name(), m.length() > 240 ? m.substring(0, 240) + " ..." : m);
        notReleased.add(o.name() + ": not released, so no report. " + m);
        continue;
      } catch (IOException e) {
        throw new IdwException("demo.io", "cannot read " + file, String.valueOf(e.getMessage()), "run the demo again", e);
      }
      EvaluationSummary summary = EvaluationResults.read(releasedFile, o.wording());
      CommissionerReport.ReportFile f = CommissionerReport.builder().evaluation(summary).resultFile(releasedFile)
          .release(ReleaseZone.registry()).build().writeTo(reports);
      written++;
      ctx.say("%-28s report %s", o.name(), f.path());
      ctx.output("report " + o.name(), f.path());
      ctx.output("released " + o.name(), releasedFile);
      ctx.audit().append(AuditEvent.builder().action("report.render").decision(AuditEvent.OK)
          .resource("release." + o.name()).detail("report", f.path().getFileName()).detail("sha256", f.sha256()).build());
    }
    ctx.say("%d of %d outputs released, %d reports written", released, outputs.size(), written);
    if (!notReleased.isEmpty()) {
      Path note = reports.resolve("NOT-RELEASED.txt");
      try {
        Files.createDirectories(reports);
        Files.writeString(note, "Outputs that failed disclosure control, so have no report (their results stay in the"
            + " analysis zone):\n\n" + String.join("\n\n", notReleased) + "\n");
      } catch (IOException e) {
        throw new IdwException("demo.io", "cannot write " + note, String.valueOf(e.getMessage()), "check the work directory", e);
      }
      ctx.output("not released", note);
    }
    ctx.output("reports", reports);
  }
}
