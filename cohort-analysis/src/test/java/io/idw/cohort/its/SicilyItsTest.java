package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The Sicily smoking-ban series of Lopez Bernal, Cummins &amp; Gasparrini (2017): the tutorial's
 * published rate ratios to the third decimal, and statsmodels 0.13.5 (golden files written by
 * {@code golden/make_golden.py}) for more digits, the dispersion, events averted and diagnostics.
 */
@SparkTest
class SicilyItsTest {

  private static ItsResult run(Dataset<Row> data, String specFile) {
    ItsSpec spec = ItsSpec.read(ItsTestData.resource(specFile));
    return InterruptedTimeSeries.evaluate(spec).series(data).run();
  }

  private static void assertPublished(ItsResult.Effect e, double rr, double lo, double hi) {
    assertThat(round3(e.estimate())).isEqualTo(rr);
    assertThat(round3(e.lower())).isEqualTo(lo);
    assertThat(round3(e.upper())).isEqualTo(hi);
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  @Test
  void reproducesThePublishedFiguresAndStatsmodels(SparkSession spark) {
    Dataset<Row> data = ItsTestData.sicily(spark).cache();
    // Lopez Bernal et al. 2017, Rcode.R output, as listed in shared/data/its/README.md.
    double[][] published = {{0.894, 0.865, 0.925}, {0.894, 0.839, 0.953}, {0.885, 0.839, 0.933}};
    String[] files = {"sicily_poisson.yaml", "sicily_quasipoisson.json", "sicily_quasipoisson_harmonic2.yaml"};
    for (int i = 0; i < files.length; i++) {
      ItsResult r = run(data, files[i]);
      assertPublished(r.levelChange(), published[i][0], published[i][1], published[i][2]);
      String c = files[i].substring(0, files[i].indexOf('.'));
      JsonNode g = ItsTestData.golden(c);
      assertCoefficients(r, g, 1e-6);
      assertThat(r.fit().dispersion()).as(c + " dispersion").isCloseTo(g.get("dispersion").asDouble(), within(1e-6));
      assertThat(r.fit().pearsonChi2()).isCloseTo(g.get("pearson_chi2").asDouble(), within(1e-5));
      assertThat(r.fit().deviance()).isCloseTo(g.get("deviance").asDouble(), within(1e-5));
      assertThat(r.levelChange().lower()).isCloseTo(g.at("/level/lower").asDouble(), within(1e-6));
      assertThat(r.levelChange().upper()).isCloseTo(g.at("/level/upper").asDouble(), within(1e-6));
      assertEvents(r, g);
      assertDiagnostics(r.diagnostics().get(0), g.at("/diagnostics/0"));
    }
  }

  @Test
  void slopeChangeAndCounterfactualAgreeWithStatsmodels(SparkSession spark) {
    ItsSpec spec = ItsSpec.parse("""
        name: sicily_slope
        columns: {year: year, month: month, outcome: aces, population: stdpop}
        interruption: 2005-01
        model: {family: quasi_poisson, harmonics: 2, slopeChange: true}
        """, "test");
    ItsResult r = InterruptedTimeSeries.evaluate(spec).series(ItsTestData.sicily(spark)).run();
    JsonNode g = ItsTestData.golden("sicily_quasipoisson_slope_harmonic2");
    assertCoefficients(r, g, 1e-6);
    assertThat(r.slopeChange().estimate()).isCloseTo(g.at("/slope/rr").asDouble(), within(1e-8));
    assertThat(r.slopeChange().lower()).isCloseTo(g.at("/slope/lower").asDouble(), within(1e-8));
    assertEvents(r, g);
    // the series: pre-period counterfactual equals fitted; 36 pre and 23 post months
    assertThat(r.series()).hasSize(59);
    assertThat(r.series().stream().filter(ItsResult.SeriesRow::post).count()).isEqualTo(23);
    r.series().stream().filter(s -> !s.post())
        .forEach(s -> assertThat(s.counterfactual()).isCloseTo(s.fitted(), within(1e-9)));
  }

  @Test
  void olsWithNeweyWestAgreesWithStatsmodels(SparkSession spark) {
    ItsSpec spec = ItsSpec.parse("""
        name: sicily_ols
        columns: {year: year, month: month, outcome: aces, population: stdpop}
        interruption: 2005-01
        model: {family: ols, harmonics: 2, neweyWest: {lag: 3, smallSampleAdjustment: true}, ratePer: 100000}
        """, "test");
    ItsResult r = InterruptedTimeSeries.evaluate(spec).series(ItsTestData.sicily(spark)).run();
    JsonNode g = ItsTestData.golden("sicily_ols_newey_west_lag3");
    assertCoefficients(r, g, 1e-7);
    for (int j = 0; j < r.coefficients().size(); j++) {
      assertThat(r.coefficients().get(j).lower()).isCloseTo(g.get("lower").get(j).asDouble(), within(1e-7));
      assertThat(r.coefficients().get(j).upper()).isCloseTo(g.get("upper").get(j).asDouble(), within(1e-7));
    }
    assertThat(r.levelChange().scale()).isEqualTo("rate_difference");
    assertDiagnostics(r.diagnostics().get(0), g.at("/diagnostics/0"));

    ItsSpec plain = ItsSpec.parse(spec.toJson().replace("\"smallSampleAdjustment\" : true", "\"smallSampleAdjustment\" : false")
        .replace("sicily_ols", "sicily_ols_plain"), "test");
    assertThat(plain.model().neweyWest().smallSampleAdjustment()).isFalse();
    ItsResult r0 = InterruptedTimeSeries.evaluate(plain).series(ItsTestData.sicily(spark)).run();
    assertCoefficients(r0, ItsTestData.golden("sicily_ols_newey_west_lag3_nocorrection"), 1e-7);
  }

  static void assertCoefficients(ItsResult r, JsonNode g, double tol) {
    assertThat(r.coefficients()).hasSize(g.get("coef").size());
    for (int j = 0; j < r.coefficients().size(); j++) {
      ItsResult.Coefficient c = r.coefficients().get(j);
      double b = g.get("coef").get(j).asDouble();
      double s = g.get("se").get(j).asDouble();
      assertThat(c.estimate()).as(c.term()).isCloseTo(b, within(tol * Math.max(1, Math.abs(b))));
      assertThat(c.standardError()).as(c.term() + " se").isCloseTo(s, within(tol * Math.max(1, Math.abs(s))));
    }
  }

  static void assertEvents(ItsResult r, JsonNode g) {
    assertThat(r.events().fitted()).isCloseTo(g.at("/events/fitted").asDouble(), within(1e-4));
    assertThat(r.events().counterfactual()).isCloseTo(g.at("/events/counterfactual").asDouble(), within(1e-4));
    assertThat(r.events().averted()).isCloseTo(g.at("/events/averted").asDouble(), within(1e-4));
    assertThat(r.events().avertedLower()).isCloseTo(g.at("/events/lower").asDouble(), within(1e-3));
    assertThat(r.events().avertedUpper()).isCloseTo(g.at("/events/upper").asDouble(), within(1e-3));
  }

  static void assertDiagnostics(ItsResult.Diagnostics d, JsonNode g) {
    for (int k = 0; k < 12; k++) {
      assertThat(d.acf()[k]).as("acf lag " + (k + 1)).isCloseTo(g.get("acf").get(k).asDouble(), within(1e-7));
      assertThat(d.pacf()[k]).as("pacf lag " + (k + 1)).isCloseTo(g.get("pacf").get(k).asDouble(), within(1e-7));
    }
    assertThat(d.durbinWatson()).isCloseTo(g.get("durbin_watson").asDouble(), within(1e-7));
    assertThat(d.breuschGodfreyOrder()).isEqualTo(12);
    assertThat(d.breuschGodfreyLm()).isCloseTo(g.get("breusch_godfrey_lm").asDouble(), within(1e-6));
    assertThat(d.breuschGodfreyPValue()).isCloseTo(g.get("breusch_godfrey_p").asDouble(), within(1e-7));
  }
}
