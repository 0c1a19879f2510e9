package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.cohort.report.CommissionerReport;
import io.idw.cohort.report.DisclosureStatus;
import io.idw.cohort.report.EvaluationResults;
import io.idw.cohort.report.EvaluationSummary;
import io.idw.cohort.Provenance;
import io.idw.cohort.report.ReleasedOutput;
import io.idw.core.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated practices with a planted primary-care multiplier, evenly spaced on the log scale from
 * 1 to 10 and assigned independently of deprivation, plus a deprivation gradient in every setting
 * that is confounded with practice (deprived practices have deprived lists).
 */
@SparkTest
class PracticeVariationTest {
  static final int PRACTICES = 30;
  static final int LIST = 250;
  static final double SPREAD = 10.0;
  @TempDir Path tmp;

  static double multiplier(int p) {
    return Math.pow(SPREAD, ((p * 7) % PRACTICES) / (double) (PRACTICES - 1));
  }

  static Dataset<Row>[] simulate(SparkSession spark) {
    Random r = new Random(7);
    MersenneTwister mt = new MersenneTwister(11);
    List<Row> pop = new ArrayList<>();
    List<Row> costs = new ArrayList<>();
    for (int p = 0; p < PRACTICES; p++) {
      int practiceDecile = 1 + p % 10;
      for (int i = 0; i < LIST; i++) {
        String id = "p" + p + "_" + i;
        int decile = Math.max(1, Math.min(10, practiceDecile + r.nextInt(3) - 1));
        int ageLow = new int[] {18, 45, 65, 80}[r.nextInt(4)];
        double dep = 1 + 1.5 * (10 - decile) / 9.0;
        double age = ageLow >= 80 ? 2.5 : ageLow >= 65 ? 1.6 : 1.0;
        pop.add(RowFactory.create(id, String.format("P%03d", p), decile, ageLow + "-" + (ageLow + 9), r.nextBoolean() ? "F" : "M"));
        double gpMean = 6.0 * dep * age * multiplier(p);
        int gp = new PoissonDistribution(mt, gpMean, 1e-12, 10_000).sample();
        if (gp > 0) {
          costs.add(RowFactory.create(id, PRIMARY_CARE, gp * 35.0));
        }
        int ae = new PoissonDistribution(mt, 0.4 * dep * age, 1e-12, 10_000).sample();
        for (int k = 0; k < ae; k++) {
          costs.add(RowFactory.create(id, AE, 180.0));
        }
      }
    }
    StructType ps = new StructType().add(PERSON_ID, DataTypes.StringType).add(PRACTICE, DataTypes.StringType)
        .add(IMD_DECILE, DataTypes.IntegerType).add(AGE_BAND, DataTypes.StringType).add(SEX, DataTypes.StringType);
    StructType cs = new StructType().add(PERSON_ID, DataTypes.StringType).add(SETTING, DataTypes.StringType)
        .add(COST, DataTypes.DoubleType);
    @SuppressWarnings("unchecked")
    Dataset<Row>[] out = new Dataset[] {spark.createDataFrame(pop, ps), spark.createDataFrame(costs, cs)};
    return out;
  }

  static Provenance provenance() {
    return new Provenance(List.of(Provenance.Input.table("linked.gp_events", 1)), "11",
        new Provenance.Agreement("agr", "1", "00", "service_evaluation"), "test", "2026-11-22T01:00:00Z");
  }

  @Test
  void recoversThePlantedSpreadAfterAdjustingForDeprivation(SparkSession spark) throws Exception {
    Dataset<Row>[] d = simulate(spark);
    VariationResult r = VariationAnalysis.builder().population(d[0]).costs(d[1]).months(12).minListSize(50)
        .provenance(provenance()).run();
    SettingSpread gp = r.spread(PRIMARY_CARE).orElseThrow();
    double[] truth = new double[PRACTICES];
    for (int p = 0; p < PRACTICES; p++) {
      truth[p] = multiplier(p);
    }
    Arrays.sort(truth);
    double truthP90P10 = SettingSpread.centile(truth, 90) / SettingSpread.centile(truth, 10);
    assertThat(gp.practices()).isEqualTo(PRACTICES);
    // adjusted: the planted ten-fold (max/min) and its centile ratio, within sampling noise
    assertThat(gp.adjustedFold()).isCloseTo(SPREAD, within(0.15 * SPREAD));
    assertThat(gp.adjustedP90P10()).isCloseTo(truthP90P10, within(0.12 * truthP90P10));
    // crude figures mix in deprivation; A&E has no practice effect, so adjustment shrinks its spread
    SettingSpread ae = r.spread(AE).orElseThrow();
    assertThat(ae.adjustedP90P10()).isLessThan(ae.crudeP90P10());
    assertThat(ae.adjustedP90P10()).isLessThan(1.5);
    // each practice's adjusted cost tracks its multiplier (ratio to expected is proportional to it)
    double meanMult = Arrays.stream(truth).average().orElseThrow();
    for (PracticeCost pc : r.practices()) {
      if (pc.setting().equals(PRIMARY_CARE)) {
        int p = Integer.parseInt(pc.practice().substring(1));
        assertThat(pc.ratioToExpected()).isCloseTo(multiplier(p) / meanMult, within(0.2 * multiplier(p) / meanMult));
        assertThat(pc.adjustedLower()).isLessThanOrEqualTo(pc.adjustedPerHead());
        assertThat(pc.adjustedUpper()).isGreaterThanOrEqualTo(pc.adjustedPerHead());
      }
    }
    // totals: every person and every pound is counted once
    double simulatedTotal = d[1].agg(org.apache.spark.sql.functions.sum(COST)).first().getDouble(0);
    double fromTable = r.practices().stream().filter(p -> p.setting().equals(ALL_SETTINGS))
        .mapToDouble(p -> p.crudePerHead() * p.nPeople()).sum();
    assertThat(fromTable).isCloseTo(simulatedTotal, within(1e-6 * simulatedTotal));

    // and the report says it
    EvaluationSummary s = VariationReports.summary(r);
    Path json = EvaluationResults.write(s, tmp.resolve("variation.json"));
    String sha = io.idw.cohort.report.CommissionerReportTestAccess.sha256(Files.readAllBytes(json));
    var html = CommissionerReport.builder().evaluation(EvaluationResults.read(json)).resultFile(json)
        .release(p -> Optional.of(new ReleasedOutput("variation", sha, DisclosureStatus.PASS, List.of(), null, null)))
        .build().html();
    var doc = Jsoup.parse(html);
    assertThat(doc.getElementById("key-figures").text())
        .contains("GP practice (primary care): adjusted spread")
        .contains(io.idw.cohort.report.Wording.fold(gp.adjustedFold()) + "-fold");
    assertThat(doc.select("figure[data-figure=caterpillar_primary_care] img")).hasSize(1);
    // the funnel plot beside the caterpillars: an embedded SVG with the limits, and most practices outside them
    var funnel = doc.selectFirst("figure[data-figure=funnel_all]");
    assertThat(funnel).isNotNull();
    String src = funnel.selectFirst("img").attr("src");
    String svg = new String(java.util.Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(org.jsoup.Jsoup.parse(svg, "", org.jsoup.parser.Parser.xmlParser()).select("text").text())
        .contains("99.8% limits", "95% limits", "list size");
    assertThat(funnel.text()).containsPattern("\\d+ of " + gp.practices() + " practices lie outside");
    assertThat(doc.getElementById("decision").attr("data-decision")).isEqualTo("investigate_variation");
  }

  @Test
  void comparatorPracticesAreTheMostSimilarAndThePlantedPilotChangeIsRecovered(SparkSession spark) {
    Random r = new Random(3);
    MersenneTwister mt = new MersenneTwister(5);
    List<Row> pop = new ArrayList<>();
    List<Row> events = new ArrayList<>();
    String[] months = new String[24];
    for (int m = 0; m < 24; m++) {
      months[m] = String.format("%d-%02d", 2023 + m / 12, 1 + m % 12);
    }
    for (int p = 0; p < 20; p++) {
      // practice 0 is the pilot; practice 1 is its near twin; the others differ in age mix and deprivation
      double old = p <= 1 ? 0.30 : p % 2 == 0 ? 0.10 : 0.55;
      int decile = p <= 1 ? 3 : 7 + p % 4;
      double female = p <= 1 ? 0.5 : 0.3 + 0.02 * p;
      for (int i = 0; i < 400; i++) {
        String id = "x" + p + "_" + i;
        boolean elderly = r.nextDouble() < old;
        pop.add(RowFactory.create(id, String.format("P%02d", p), elderly ? "80-84" : "30-34",
            r.nextDouble() < female ? "F" : "M", decile));
        for (int m = 0; m < 24; m++) {
          double rate = (elderly ? 0.3 : 0.08) * (p == 0 && m >= 12 ? 0.8 : 1.0);
          int n = new PoissonDistribution(mt, rate, 1e-12, 10_000).sample();
          for (int k = 0; k < n; k++) {
            events.add(RowFactory.create(id, months[m]));
          }
        }
      }
    }
    StructType ps = new StructType().add(PERSON_ID, DataTypes.StringType).add(PRACTICE, DataTypes.StringType)
        .add(AGE_BAND, DataTypes.StringType).add(SEX, DataTypes.StringType).add(IMD_DECILE, DataTypes.IntegerType);
    StructType es = new StructType().add(PERSON_ID, DataTypes.StringType).add(MONTH, DataTypes.StringType);
    Dataset<Row> population = spark.createDataFrame(pop, ps);
    Dataset<Row> ev = spark.createDataFrame(events, es);
    List<ComparatorPractices.Comparator> comps = ComparatorPractices.choose(ComparatorPractices.profiles(population), "P00", 5);
    assertThat(comps).hasSize(5);
    assertThat(comps.get(0).practice()).isEqualTo("P01");
    assertThat(comps).extracting(ComparatorPractices.Comparator::practice).doesNotContain("P00");
    Dataset<Row> use = ComparatorPractices.acuteUse(population, ev, months[0], months[12], months[23]);
    long direct = ev.count();
    long counted = use.agg(org.apache.spark.sql.functions.sum(EVENTS)).first().getLong(0);
    assertThat(counted).isEqualTo(direct);
    var c = ComparatorPractices.compare(use, "P00", months[12], comps);
    assertThat(c.ratioOfRateRatios().lower()).isLessThan(0.8);
    assertThat(c.ratioOfRateRatios().upper()).isGreaterThan(0.8).isLessThan(1.0);
    EvaluationSummary s = VariationReports.summary("pilot-p00", c, provenance());
    assertThat(io.idw.cohort.report.Wording.headline(s)).startsWith("The pilot at practice P00 reduced acute use");
  }
}
