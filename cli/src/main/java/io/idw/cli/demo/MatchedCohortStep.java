package io.idw.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.matched.GovernedMatchedCohortJob;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.cohort.matched.MatchedCohortSpec;
import io.idw.core.IdwMappers;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.pseudonymise.KeySet;
import io.idw.sampledata.GenerateResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The KID home safety visit study: a risk-set sampled matched cohort built from the linked zone
 * through its own governed session, opened under the demo agreement's {@value #PURPOSE} purpose
 * (same agreement, user and key set as {@link GovernedSessionStep#SESSION}; the purpose grants
 * only the five datasets the cohort needs), written to the analysis zone, with the planted effect
 * from the sample data's truth printed beside the estimates. Without a governed session (the
 * ingest, linkage and governance steps have not run) it reads nothing and says so: there is no
 * ungoverned fallback.
 */
public final class MatchedCohortStep implements DemoStep {
  /** The demo agreement's purpose this study runs under. */
  public static final String PURPOSE = "home-safety-visit-evaluation";

  @Override
  public String title() {
    return "matched cohort: home safety visits and A&E attendances from home (65+)";
  }

  @Override
  public void run(DemoContext ctx) {
    GovernedSession falls = ctx.get(GovernedSessionStep.SESSION, GovernedSession.class).orElse(null);
    KeySet keys = ctx.get(GovernedSessionStep.KEYS, KeySet.class).orElse(null);
    if (falls == null || keys == null) {
      ctx.say("skipped: no governed session in this demo run (needs the ingest, linkage and governance steps)");
      return;
    }
    GovernedSession session = GovernedSession.builder().spark(ctx.spark()).warehouse(ctx.warehouse())
        .agreement(falls.agreementFile()).user(falls.user()).purpose(PURPOSE).rekeying(KeySetRekeying.of(keys)).open();
    ctx.say("session %s: user '%s', purpose '%s', roles %s", session.sessionId().substring(0, 8), session.user(),
        PURPOSE, session.roles());
    MatchedCohortSpec spec = GovernedMatchedCohortJob.kidSpec();
    GovernedMatchedCohortJob.Output out = GovernedMatchedCohortJob.run(session, spec);
    MatchedCohortResult r = out.result();
    r.summaryLines().forEach(l -> ctx.say("%s", l));
    ctx.get(SampleDataStep.RESULT, GenerateResult.class).ifPresent(g -> {
      Double planted = plantedRateRatio(g.outDir().resolve("truth").resolve("effects.json"));
      if (planted != null) {
        double low = r.effects().matched().rateRatio().ciLow();
        ctx.say("planted rate ratio (truth/effects.json): %.3f; %s", planted, Double.isNaN(low)
            ? "the matched rate ratio cannot be estimated (too few matched units at this scale)"
            : "matched 95% CI " + (r.effects().matched().rateRatio().covers(planted) ? "covers" : "does NOT cover") + " it");
      }
    });
    Path json = ctx.workDir().resolve("results").resolve(spec.name() + "-matched-cohort.json");
    r.writeJson(json);
    ctx.say("matched sample -> analysis.%s_matched_sample (version %d); result -> analysis.%s (version %d)",
        spec.name(), out.sampleWrite().version(), GovernedMatchedCohortJob.RESULTS_TABLE, out.resultWrite().version());
    ctx.output("matched cohort", json);
  }

  /** The planted home-safety-visit rate ratio from the sample data's truth, or null. */
  static Double plantedRateRatio(Path effectsJson) {
    try {
      if (!Files.isRegularFile(effectsJson)) {
        return null;
      }
      JsonNode n = IdwMappers.json().readTree(effectsJson.toFile()).path("home_safety_visits").path("rate_ratio");
      return n.isNumber() ? n.asDouble() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
