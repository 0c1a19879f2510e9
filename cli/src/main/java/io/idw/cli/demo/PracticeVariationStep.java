package io.idw.cli.demo;

import static io.idw.cohort.variation.VariationColumns.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.GovernedReads;
import io.idw.cohort.Provenance;
import io.idw.cohort.report.EvaluationResults;
import io.idw.cohort.report.EvaluationSummary;
import io.idw.cohort.report.ReportWording;
import io.idw.cohort.variation.ComparatorPractices;
import io.idw.cohort.variation.KidVariationInputs;
import io.idw.cohort.variation.PracticeCost;
import io.idw.cohort.variation.SettingSpread;
import io.idw.cohort.variation.VariationAnalysis;
import io.idw.cohort.variation.VariationReports;
import io.idw.cohort.variation.VariationResult;
import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.governance.GovernedSession;
import io.idw.governance.sdc.CrossTable;
import io.idw.sampledata.GenerateResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Practice variation and comparator practices, read through the governed session: cost per head by
 * GP practice and care setting before and after adjustment for deprivation and age, and the pilot
 * practice's change in acute use against its ten most similar practices. The pilot practice and
 * month are what the commissioner declares; the demo takes them from the scenario the sample data
 * was generated with. Writes {@code analysis.practice_variation} and two result JSONs, and adds
 * both to the outputs for disclosure control.
 */
public final class PracticeVariationStep implements DemoStep {
  public static final String RESULT = "practice_variation";

  @Override
  public String title() {
    return "practice variation in cost per head, and the pilot practice against comparators";
  }

  @Override
  public void run(DemoContext ctx) {
    GovernedSession s = ctx.get(GovernedSessionStep.SESSION, GovernedSession.class).orElse(null);
    if (s == null) {
      // analyses read only through a governed session: without one there is nothing to read
      ctx.say("skipped: no governed session was opened (it needs the ingest and linkage steps before it)");
      return;
    }
    GovernedReads reads = GovernedSessionStep.reads(ctx, s);
    Dataset<Row> population = KidVariationInputs.population(reads.read("gp_registrations")).cache();
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (String t : VARIATION_DATASETS.subList(1, VARIATION_DATASETS.size())) {
      tables.put(t, reads.read(t));
    }
    Dataset<Row> costs = KidVariationInputs.costs(tables, KidVariationInputs.UnitCosts.defaults());
    Dataset<Row> acute = KidVariationInputs.acuteEvents(tables.get("ae_attendances"), tables.get("apc_admissions")).cache();
    String[] range = KidVariationInputs.monthRange(acute);
    int months = (int) java.time.YearMonth.parse(range[0]).until(java.time.YearMonth.parse(range[1]),
        java.time.temporal.ChronoUnit.MONTHS) + 1;
    Provenance prov = provenance(s, reads.records(VARIATION_DATASETS));

    // practices with too few patients give unstable rates: 50 by default, lower in a small demo
    List<Long> lists = population.groupBy(PRACTICE).count().collectAsList().stream().map(r -> r.getLong(1)).toList();
    int minList = minListSize(lists);
    Path dir = ctx.workDir().resolve("analysis");
    WriteResult w = null;
    if (minList < 0) {
      ctx.say("practice variation skipped: no two practices have %d or more registered patients (largest list %d);"
          + " run with more people", MIN_LIST_FLOOR, lists.stream().mapToLong(Long::longValue).max().orElse(0));
    } else {
      if (minList < DEFAULT_MIN_LIST) {
        ctx.say("minimum list size lowered from %d to %d: fewer than %d practices reach %d patients at %,d people",
            DEFAULT_MIN_LIST, minList, ENOUGH_PRACTICES, DEFAULT_MIN_LIST, ctx.people());
      }
      VariationAnalysis va = VariationAnalysis.builder().population(population).costs(costs).months(months)
          .minListSize(minList).provenance(prov).build();
      Dataset<Row> table = va.table().cache();
      w = DeltaIO.overwrite(table, ctx.warehouse().table(Zone.ANALYSIS, "practice_variation"));
      VariationResult vr = va.result(DeltaIO.read(ctx.spark(), w.table(), w.version()));
      ctx.say("%,d registered people in %d practices, costs over %d months (%s to %s) -> %s version %d",
          vr.practices().stream().filter(p -> p.setting().equals(ALL_SETTINGS)).mapToLong(PracticeCost::nPeople).sum(),
          vr.spread(ALL_SETTINGS).orElseThrow().practices(), months, range[0], range[1],
          w.table().qualifiedName(), w.version());
      for (SettingSpread sp : vr.spreads()) {
        ctx.say("%-28s %s/head/yr; highest/lowest practice %s-fold crude, %s-fold adjusted (P90/P10 %.1f -> %.1f)",
            sp.label(), io.idw.cohort.report.Wording.pounds(sp.overallPerHead()), fold(sp.crudeFold()),
            fold(sp.adjustedFold()), sp.crudeP90P10(), sp.adjustedP90P10());
      }
      ctx.put(RESULT, vr);

      // disclosure-control input: practice x setting costs, each cell with its people's individual costs
      CrossTable costTable = costTable(va, vr);
      EvaluationSummary vs = VariationReports.summary(vr);
      Path vJson = EvaluationResults.write(vs, dir.resolve("practice-variation.json"));
      EvaluationOutput.add(ctx, new EvaluationOutput("practice-variation", vJson, ReportWording.none(), List.of(costTable),
          List.of(), checks -> {
            // figures of suppressed practice-and-setting cells leave the released result
            java.util.Set<String> suppressed = new java.util.HashSet<>();
            for (var c : checks) {
              if (c.table() != null && c.output().equals(VariationReports.PRACTICE_COSTS)) {
                for (int i = 0; i < c.table().rows().size(); i++) {
                  for (int j = 0; j < c.table().cols().size(); j++) {
                    if (c.table().suppressed(i, j)) {
                      suppressed.add(c.table().rows().get(i) + "|" + c.table().cols().get(j));
                    }
                  }
                }
              }
            }
            if (suppressed.isEmpty()) {
              return vJson;
            }
            ctx.say("practice-variation: %d practice-and-setting cell(s) suppressed by disclosure control leave the report",
                suppressed.size());
            return EvaluationResults.write(VariationReports.summary(vr.without(suppressed)),
                dir.resolve("practice-variation-protected.json"));
          }));
    }

    // comparator practices for the pilot
    GenerateResult sample = ctx.get(SampleDataStep.RESULT, GenerateResult.class).orElse(null);
    if (sample != null) {
      try {
        JsonNode pilot = readJson(sample.effectsFile()).path("pilot_practice");
        String code = pilot.path("practice_code").asText();
        String month = pilot.path("start_month").asText();
        Dataset<Row> profiles = ComparatorPractices.profiles(population);
        List<ComparatorPractices.Comparator> comps = ComparatorPractices.choose(profiles, code, 10);
        Dataset<Row> use = ComparatorPractices.acuteUse(population, acute, range[0], month, range[1]).cache();
        ComparatorPractices.Comparison c = ComparatorPractices.compare(use, code, month, comps);
        ctx.say("pilot %s from %s vs 10 comparators: %s (planted rate ratio %s)",
            code, month, io.idw.cohort.report.Wording.estimateText(c.ratioOfRateRatios()),
            pilot.path("rate_ratio").asText());
        EvaluationSummary cs = VariationReports.summary("pilot-practice-comparators", c, prov);
        Path cJson = EvaluationResults.write(cs, dir.resolve("pilot-practice-comparators.json"));
        List<String> rows = new ArrayList<>(List.of("pilot", "comparators"));
        long[][] counts = {{c.pilotCounts().eventsBefore(), c.pilotCounts().eventsAfter()},
            {c.comparatorCounts().eventsBefore(), c.comparatorCounts().eventsAfter()}};
        EvaluationOutput.add(ctx, new EvaluationOutput("pilot-practice-comparators", cJson, ReportWording.none(),
            List.of(CrossTable.counts(VariationReports.ACUTE_USE, rows, List.of("before", "after"), counts)), List.of()));
      } catch (IdwException e) {
        ctx.say("pilot practice comparison skipped: %s", e.getMessage());
      }
    }
    ctx.audit().append(AuditEvent.builder().action("evaluation.practice_variation").decision(AuditEvent.OK)
        .user(s.user()).purpose(s.purpose())
        .agreement(s.agreement().id(), s.agreement().version(), s.agreementFile().sha256())
        .resource(w == null ? "linked" : w.table().qualifiedName()).tableVersion(w == null ? null : (Long) w.version()).build());
    if (w != null) {
      ctx.output("variation table", w.table().path());
    }
  }

  /** The linked datasets practice variation and comparator practices read. */
  static final List<String> VARIATION_DATASETS = List.of("gp_registrations", "gp_events", "ae_attendances",
      "apc_admissions", "social_care", "community_contacts", "ooh_contacts");

  static final int DEFAULT_MIN_LIST = 50;
  static final int MIN_LIST_FLOOR = 10;
  static final int ENOUGH_PRACTICES = 5;

  /**
   * The minimum list size: 50 when at least 5 practices reach it; otherwise the largest of 30, 20
   * and 10 that at least 2 practices reach; -1 when none does (variation cannot be measured).
   */
  static int minListSize(List<Long> lists) {
    if (lists.stream().filter(n -> n >= DEFAULT_MIN_LIST).count() >= ENOUGH_PRACTICES) {
      return DEFAULT_MIN_LIST;
    }
    for (int m : new int[] {30, 20, MIN_LIST_FLOOR}) {
      if (lists.stream().filter(n -> n >= m).count() >= 2) {
        return m;
      }
    }
    return -1;
  }

  static Provenance provenance(GovernedSession s, List<GovernedSession.ReadRecord> read) {
    Map<String, String> p = s.provenance();
    List<Provenance.Input> inputs = new ArrayList<>();
    for (GovernedSession.ReadRecord r : read) {
      inputs.add(Provenance.Input.table("linked." + r.dataset(), r.tableVersion()));
    }
    return new Provenance(inputs, "none: practice variation takes no spec (settings in the method section)",
        new Provenance.Agreement(p.get("agreement_id"), p.get("agreement_version"), p.get("agreement_sha256"), p.get("purpose")),
        p.get("idw_version"), java.time.Instant.now().toString());
  }

  /** Practices (with at least the minimum list) by setting; contributions are people's costs. */
  static CrossTable costTable(VariationAnalysis va, VariationResult vr) {
    List<String> practices = vr.practices().stream().filter(p -> p.setting().equals(ALL_SETTINGS)
        && p.nPeople() >= vr.minListSize()).map(PracticeCost::practice).sorted().toList();
    List<String> settings = SETTINGS;
    double[][][] contrib = new double[practices.size()][settings.size()][];
    Map<String, List<Double>> cells = new LinkedHashMap<>();
    for (Row r : va.personCostRows()) {
      String key = r.getString(0) + "|" + r.getString(1);
      cells.computeIfAbsent(key, k -> new ArrayList<>()).add(r.getDouble(2));
    }
    for (int i = 0; i < practices.size(); i++) {
      for (int j = 0; j < settings.size(); j++) {
        List<Double> v = cells.getOrDefault(practices.get(i) + "|" + settings.get(j), List.of());
        contrib[i][j] = v.stream().mapToDouble(Double::doubleValue).toArray();
      }
    }
    return CrossTable.magnitudes(VariationReports.PRACTICE_COSTS, practices, settings, contrib);
  }

  private static String fold(double v) {
    return Double.isFinite(v) ? String.format(Locale.UK, "%.1f", v) : "unbounded";
  }

  private static JsonNode readJson(Path p) {
    try {
      return IdwMappers.json().readTree(p.toFile());
    } catch (java.io.IOException e) {
      throw new IdwException("demo.io", "cannot read " + p, String.valueOf(e.getMessage()), "run the demo from the start", e);
    }
  }
}
