package io.idw.cohort.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.its.InterruptedTimeSeries;
import io.idw.cohort.its.ItsResult;
import io.idw.cohort.its.ItsSpec;
import io.idw.core.IdwMappers;
import io.idw.core.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.spark.sql.SparkSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real controlled-ITS result (the ITS engine on its simulated golden series) rendered as a report. */
@SparkTest
class ItsReportTest {
  @TempDir Path tmp;

  @Test
  void reportOfARealControlledItsResultHoldsItsNumbersAndChart(SparkSession spark) throws Exception {
    var data = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("src/test/resources/its/golden/cits_simulated.csv");
    ItsSpec spec = ItsSpec.parse("""
        name: falls_prevention
        description: Falls-related non-elective admissions, service districts against the others
        columns: {period: month, outcome: falls, population: population, group: series}
        interruption: 2019-07
        comparison: {intervention: service, control: no_service}
        model: {family: quasi_poisson, harmonics: 1, slopeChange: true}
        """, "test");
    ItsResult r = InterruptedTimeSeries.evaluate(spec).series(data).run();
    Path json = tmp.resolve("its.json");
    r.writeJson(json);
    ReportWording words = new ReportWording(null, null, "the falls prevention service",
        "falls-related non-elective admissions", "people aged 65 and over", true);
    EvaluationSummary s = EvaluationResults.read(json, words);
    assertThat(s.kind()).isEqualTo(EvaluationKind.CONTROLLED_ITS);
    var file = CommissionerReport.builder().evaluation(s).resultFile(json)
        .release(ReportFixtures.released(json, DisclosureStatus.PASS)).build().writeTo(tmp);
    Document doc = Jsoup.parse(Files.readString(file.path()));

    JsonNode lc = IdwMappers.json().readTree(json.toFile()).path("levelChange");
    String headline = doc.getElementById("headline").text();
    for (String f : new String[] {"estimate", "lower", "upper"}) {
      assertThat(headline).contains(Wording.number(lc.path(f).asDouble()));
    }
    assertThat(file.path().getFileName().toString()).isEqualTo("falls-prevention.html");
    String src = doc.selectFirst("figure[data-figure=series] img").attr("src");
    String svg = new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8);
    assertThat(Jsoup.parse(svg, "", Parser.xmlParser()).select("text").text())
        .contains("service observed", "service fitted", "service counterfactual", "no service observed",
            "interruption 2019-07");
    assertThat(doc.getElementById("effects").text()).contains("Slope change");
    assertThat(doc.getElementById("key-figures").text()).contains("Events averted");
  }

  /**
   * The quarterly release of a monthly fit: whole quarters aligned on the interruption, each the sum
   * of its months (derived here from the monthly series), effects unchanged, and the report says the
   * series is in quarters.
   */
  @Test
  void quarterlyReleaseSumsWholeQuartersAlignedOnTheInterruption(SparkSession spark) throws Exception {
    var data = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("src/test/resources/its/golden/cits_simulated.csv");
    ItsSpec spec = ItsSpec.parse("""
        name: falls_prevention
        columns: {period: month, outcome: falls, population: population, group: series}
        interruption: 2019-07
        comparison: {intervention: service, control: no_service}
        model: {family: quasi_poisson, harmonics: 1, slopeChange: true}
        """, "test");
    ItsResult monthly = InterruptedTimeSeries.evaluate(spec).series(data).run();
    ItsResult q = monthly.aggregated(3);
    assertThat(q.periodMonths()).isEqualTo(3);
    assertThat(q.levelChange()).isEqualTo(monthly.levelChange());
    assertThat(q.events()).isEqualTo(monthly.events());
    java.time.YearMonth t0 = java.time.YearMonth.of(2019, 7);
    for (ItsResult.SeriesRow row : q.series()) {
      java.time.YearMonth start = java.time.YearMonth.parse(row.month());
      assertThat(Math.floorMod(t0.until(start, java.time.temporal.ChronoUnit.MONTHS), 3)).isZero();
      double obs = 0;
      double fit = 0;
      double pop = 0;
      int months = 0;
      boolean post = true;
      for (ItsResult.SeriesRow m : monthly.series()) {
        java.time.YearMonth ym = java.time.YearMonth.parse(m.month());
        if (java.util.Objects.equals(m.group(), row.group()) && !ym.isBefore(start) && ym.isBefore(start.plusMonths(3))) {
          obs += m.observed();
          fit += m.fitted();
          pop += m.population();
          post &= m.post();
          months++;
        }
      }
      assertThat(months).isEqualTo(3);
      assertThat(row.observed()).isEqualTo(obs);
      assertThat(row.fitted()).isCloseTo(fit, org.assertj.core.api.Assertions.within(1e-9));
      assertThat(row.post()).isEqualTo(post);
      assertThat(row.observedRate()).isCloseTo(obs / pop * 100000, org.assertj.core.api.Assertions.within(1e-9));
    }
    long monthlyRows = monthly.series().size();
    assertThat(q.series().size()).isBetween((int) (monthlyRows / 3 - 2), (int) (monthlyRows / 3));

    Path json = tmp.resolve("its-q.json");
    q.writeJson(json);
    assertThat(ItsResult.readJson(json).periodMonths()).isEqualTo(3);
    EvaluationSummary s = EvaluationResults.read(json, null);
    var file = CommissionerReport.builder().evaluation(s).resultFile(json)
        .release(ReportFixtures.released(json, DisclosureStatus.PASS)).build().writeTo(tmp);
    Document doc = Jsoup.parse(Files.readString(file.path()));
    assertThat(doc.selectFirst("figure[data-figure=series]").text()).contains("quarters");
  }

  /**
   * The 300-person demo's case: no events in the service series after the interruption. The
   * maximum-likelihood level change does not exist (the fit runs off towards zero), so the result,
   * its JSON and the report say "too few events to estimate" instead of a rate ratio like 1e-40
   * with a CI of 0 to infinity.
   */
  @Test
  void tooFewEventsIsReportedInsteadOfAbsurdNumbers(SparkSession spark) throws Exception {
    var data = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("src/test/resources/its/golden/cits_simulated.csv")
        .withColumn("falls", org.apache.spark.sql.functions.when(org.apache.spark.sql.functions.expr(
            "series = 'service' and month >= '2019-07'"), 0).otherwise(org.apache.spark.sql.functions.col("falls")));
    ItsSpec spec = ItsSpec.parse("""
        name: falls_prevention
        columns: {period: month, outcome: falls, population: population, group: series}
        interruption: 2019-07
        comparison: {intervention: service, control: no_service}
        model: {family: poisson, slopeChange: true}
        """, "test");
    ItsResult r = InterruptedTimeSeries.evaluate(spec).series(data).run();
    assertThat(r.estimable()).isFalse();
    assertThat(r.notEstimable()).startsWith(ItsResult.TOO_FEW_EVENTS).contains("intervention series has 0 events");
    assertThat(r.levelChange()).isNull();
    assertThat(r.slopeChange()).isNull();
    assertThat(r.events()).isNull();
    assertThat(r.headline()).startsWith("too few events to estimate");
    Path json = tmp.resolve("its-few.json");
    r.writeJson(json);
    assertThat(ItsResult.readJson(json).notEstimable()).isEqualTo(r.notEstimable());

    EvaluationSummary s = EvaluationResults.read(json, null);
    assertThat(Wording.recommendation(s)).isEqualTo(Recommendation.NO_DECISION_YET);
    var file = CommissionerReport.builder().evaluation(s).resultFile(json)
        .release(ReportFixtures.released(json, DisclosureStatus.PASS)).build().writeTo(tmp);
    Document doc = Jsoup.parse(Files.readString(file.path()));
    assertThat(doc.getElementById("headline").text()).contains("too few events to estimate");
    assertThat(doc.getElementById("effects").text()).contains("too few events to estimate").doesNotContain("Infinity", "\u221e");
  }
}
