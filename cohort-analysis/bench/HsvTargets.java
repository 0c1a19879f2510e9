import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.matched.Effects;
import io.idw.cohort.matched.GovernedMatchedCohortJob;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.cohort.matched.MatchedCohortSpec;
import io.idw.core.IdwMappers;
import io.idw.core.IdwSpark;
import io.idw.core.Warehouse;
import io.idw.governance.Agreement;
import io.idw.governance.Agreements;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.governance.OptOutList;
import io.idw.linkage.LinkageJob;
import io.idw.pseudonymise.Ingest;
import io.idw.pseudonymise.IngestResult;
import io.idw.pseudonymise.KeySet;
import io.idw.sampledata.GenerateResult;
import io.idw.sampledata.SampleData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The home-safety-visit targets through the real pipeline: for each planted effect (0 and −15% on
 * A&amp;E attendances from home after a visit) generate the sample data, ingest (pseudonymise),
 * link, load the national data opt-out, open a governed session under the demo agreement's
 * {@code home-safety-visit-evaluation} purpose and run the built-in KID spec
 * (GovernedMatchedCohortJob: KidCohortBuilder with risk-set sampling, then the evaluation). Prints
 * the matched and naive rate ratios with their 95% CIs against truth/effects.json. Run with
 * bench/hsv-targets.sh [people] [months] [effect|both] [visit uptake multiplier].
 */
public final class HsvTargets {
  public static void main(String[] args) throws Exception {
    int people = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int months = args.length > 1 ? Integer.parseInt(args[1]) : 36;
    double[] effects = args.length > 2 && !args[2].equals("both") ? new double[] {Double.parseDouble(args[2])}
        : new double[] {0.0, -0.15};
    double uptake = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
    Path dir = Files.createTempDirectory("idw-hsv-targets");
    SparkSession spark = IdwSpark.builder().appName("hsv-targets").master("local[*]").quiet(true).getOrCreate();
    Path agreement = dir.resolve("demo-agreement.yaml");
    try (InputStream in = Agreement.class.getResourceAsStream("/io/idw/governance/demo-agreement.yaml")) {
      Files.copy(in, agreement);
    }
    for (double effect : effects) {
      Path run = dir.resolve("effect" + effect);
      long t0 = System.nanoTime();
      GenerateResult g = SampleData.generator().people(people).months(months).seed(42).homeSafetyVisitEffect(effect)
          .homeSafetyVisitUptake(uptake)
          .out(run.resolve("sample")).build().run(spark);
      long t1 = System.nanoTime();
      Warehouse w = Warehouse.create(run.resolve("wh"));
      KeySet keys = KeySet.generate(true);
      List<IngestResult> ingested = Ingest.builder().warehouse(w).keySet(keys).input(g.outDir()).build().runAll(spark);
      long t2 = System.nanoTime();
      SparkSession.setActiveSession(spark); // ingest's worker threads leave the main thread without one
      LinkageJob.Result linked = LinkageJob.builder().warehouse(w).build().run(spark);
      long t3 = System.nanoTime();
      SparkSession.setActiveSession(spark);
      OptOutList.loadCsv(spark, w, keys, g.optOutFile());
      io.idw.governance.AgreementApprovals.of(w).approve(Agreements.load(agreement), "bench-officer");
      GovernedSession s = GovernedSession.builder().spark(spark).warehouse(w).agreement(Agreements.load(agreement))
          .user("analyst").purpose("home-safety-visit-evaluation").rekeying(KeySetRekeying.of(keys)).open();
      MatchedCohortSpec spec = GovernedMatchedCohortJob.kidSpec();
      MatchedCohortResult r = GovernedMatchedCohortJob.run(s, spec).result();
      long t4 = System.nanoTime();
      JsonNode truth = IdwMappers.json().readTree(g.truthDir().resolve("effects.json").toFile()).path("home_safety_visits");
      double planted = truth.path("rate_ratio").asDouble(1 + effect);
      Effects.Estimate m = r.effects().matched().rateRatio();
      Effects.Estimate n = r.effects().naive().rateRatio();
      System.out.printf("%n== planted home-safety-visit effect %+.2f (truth rate ratio %.3f), %,d people, %d months,"
          + " visit uptake x%s ==%n", effect, planted, people, months, truth.path("uptake").asText("1"));
      System.out.printf("timings: generate %.0f s, ingest %.0f s (%d sources), link %.0f s, governed cohort + evaluation %.0f s%n",
          (t1 - t0) / 1e9, (t2 - t1) / 1e9, ingested.size(), (t3 - t2) / 1e9, (t4 - t3) / 1e9);
      System.out.printf("units: treated %,d, controls %,d (risk-set sampled); matched %,d treated, %,d controls;"
          + " %,d outside caliper%n", r.sizes().treatedBefore(), r.sizes().controlBefore(), r.sizes().treatedMatched(),
          r.sizes().controlMatched(), r.sizes().outsideCaliper());
      System.out.printf("matched rate ratio %.3f (95%% CI %.3f to %.3f): %s truth %.3f, %s 1%n", m.estimate(), m.ciLow(),
          m.ciHigh(), m.covers(planted) ? "covers" : "MISSES", planted, m.covers(1.0) ? "covers" : "excludes");
      System.out.printf("naive   rate ratio %.3f (95%% CI %.3f to %.3f)%n", n.estimate(), n.ciLow(), n.ciHigh());
      r.balance().stream().filter(b -> b.after().flag())
          .forEach(b -> System.out.printf("after matching |SMD| > 0.1: %s%n", b.covariate()));
      r.writeJson(run.resolve("result.json"));
      System.out.println("result: " + run.resolve("result.json"));
    }
    spark.stop();
  }
}
