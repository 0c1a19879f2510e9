package io.idw.cli.demo;

import io.idw.governance.GovernedSession;
import io.idw.governance.sdc.DisclosureControl;
import io.idw.governance.sdc.DisclosureProfile;
import io.idw.governance.sdc.Release;
import io.idw.governance.sdc.ReviewException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    OutputRelease.of(dc, release, ctx.audit(), ctx::say)
        .reviewException(() -> ReviewException.of(CHECKER, "reviewed in the demo by the named checker: totals of whole"
            + " groups are not disclosive here"))
        .reports(reports).outputs(ctx::output).run(outputs, reports);
    ctx.output("reports", reports);
  }
}
