package io.idw.cli.demo;

import io.idw.cohort.its.FallsItsJob;
import io.idw.governance.GovernedSession;
import io.idw.sampledata.GenerateResult;

/**
 * The falls prevention service's controlled interrupted time series, read through the governed
 * session ({@link GovernedSessionStep#SESSION}) from the linked zone, written to
 * {@code analysis.falls_its_series} and {@code analysis.falls_its_results}. Stores the
 * {@link io.idw.cohort.its.ItsResult} as {@value #RESULT}.
 */
public final class ItsDemoStep implements DemoStep {
  public static final String RESULT = "its_result";

  @Override
  public String title() {
    return "interrupted time series: the falls prevention service vs districts without it (controlled ITS)";
  }

  @Override
  public void run(DemoContext ctx) {
    var session = ctx.get(GovernedSessionStep.SESSION, GovernedSession.class);
    var sample = ctx.get(SampleDataStep.RESULT, GenerateResult.class);
    if (session.isEmpty() || sample.isEmpty()) {
      ctx.say("skipped: needs the sample data and a governed session over the linked zone from earlier steps");
      return;
    }
    FallsItsJob.Outcome o = FallsItsJob.run(GovernedSessionStep.reads(ctx, session.get()), sample.get().referenceDir());
    var r = o.result();
    if (!r.estimable()) {
      ctx.say("%s: %s; no level or slope change is reported", r.name(), r.notEstimable());
    } else {
      ctx.say("%s: level change %s%s", r.name(), r.headline(), r.slopeChange() == null ? ""
          : String.format(java.util.Locale.ROOT, ", slope change %s %.4f (%.4f-%.4f) per month", r.slopeChange().scale(),
              r.slopeChange().estimate(), r.slopeChange().lower(), r.slopeChange().upper()));
      ctx.say("post period: %.0f falls admissions observed, %.1f expected without the service (%.1f averted, 95%% CI %.1f to %.1f)",
          r.events().observed(), r.events().counterfactual(), r.events().averted(), r.events().avertedLower(),
          r.events().avertedUpper());
    }
    ctx.say("%s version %d, %s version %d", o.series().table().qualifiedName(), o.series().version(),
        o.results().table().qualifiedName(), o.results().version());
    ctx.put(RESULT, r);
    ctx.output("ITS series", o.series().table().path());
  }
}
