package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.testing.SparkTest;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class ControlledItsTest {
  private static final String SPEC = """
      name: %s
      columns: {period: month, outcome: falls, population: population, group: series}
      interruption: %s
      transitionMonths: %d
      comparison: {intervention: service, control: no_service}
      model: {family: quasi_poisson, harmonics: 1, slopeChange: true}
      """;

  @Test
  void agreesWithStatsmodelsAndCoversThePlantedEffect(SparkSession spark) {
    // golden/cits_simulated.csv was drawn by make_golden.py with log RR −0.20 (level) and −0.01/month (slope).
    Dataset<Row> data = ItsTestData.csv(spark, ItsTestData.resource("golden/cits_simulated.csv"));
    ItsResult r = InterruptedTimeSeries.evaluate(ItsSpec.parse(SPEC.formatted("cits_golden", "2019-07", 0), "test"))
        .series(data).run();
    JsonNode g = ItsTestData.golden("cits_simulated_quasipoisson");
    SicilyItsTest.assertCoefficients(r, g, 1e-6);
    assertThat(r.analysis()).isEqualTo("controlled_its");
    assertThat(r.levelChange().term()).isEqualTo("group_post");
    assertThat(r.fit().dispersion()).isCloseTo(g.get("dispersion").asDouble(), within(1e-6));
    SicilyItsTest.assertEvents(r, g);
    assertThat(r.diagnostics()).hasSize(2);
    SicilyItsTest.assertDiagnostics(r.diagnostics().get(0), g.at("/diagnostics/0"));
    SicilyItsTest.assertDiagnostics(r.diagnostics().get(1), g.at("/diagnostics/1"));

    // One draw: the truth lies within 3.29 SE (a 99.9% interval); coverage is tested on seeded runs below.
    assertThat(r.levelChange().coefficient())
        .isCloseTo(g.at("/truth/level_log_rr").asDouble(), within(3.29 * r.levelChange().standardError()));
    assertThat(r.slopeChange().coefficient())
        .isCloseTo(g.at("/truth/slope_log_rr_per_month").asDouble(), within(3.29 * r.slopeChange().standardError()));
  }

  @Test
  void recoversAPlantedEffectOnSeededSimulation(SparkSession spark) {
    double levelLogRr = -0.15;
    double slopeLogRr = -0.008;
    Dataset<Row> data = simulate(spark, 20240607L, levelLogRr, slopeLogRr, YearMonth.of(2020, 4));
    ItsResult r = InterruptedTimeSeries.evaluate(ItsSpec.parse(SPEC.formatted("cits_sim", "2020-04", 0), "test"))
        .series(data).run();
    assertThat(Math.exp(levelLogRr)).isBetween(r.levelChange().lower(), r.levelChange().upper());
    assertThat(Math.exp(slopeLogRr)).isBetween(r.slopeChange().lower(), r.slopeChange().upper());
    assertThat(Math.log(r.levelChange().estimate())).isCloseTo(levelLogRr, within(0.05));
    assertThat(Math.log(r.slopeChange().estimate())).isCloseTo(slopeLogRr, within(0.004));
    // the effect lowers admissions: events averted are positive and the interval excludes 0
    assertThat(r.events().averted()).isPositive();
    assertThat(r.events().avertedLower()).isPositive();
    // the control series' own post change is not counted as effect
    assertThat(r.series().stream().filter(s -> "no_service".equals(s.group())))
        .allSatisfy(s -> assertThat(s.counterfactual()).isCloseTo(s.fitted(), within(1e-9)));
  }

  @Test
  void transitionMonthsAreLeftOutOfTheFitButPredicted(SparkSession spark) {
    // effect planted from 2020-07 after a 3-month roll-out from 2020-04, where the simulation has no effect
    Dataset<Row> data = simulate(spark, 99L, -0.2, 0.0, YearMonth.of(2020, 7));
    ItsResult r = InterruptedTimeSeries.evaluate(ItsSpec.parse(SPEC.formatted("cits_transition", "2020-04", 3), "test"))
        .series(data).run();
    assertThat(r.method().effectStart()).isEqualTo("2020-07");
    assertThat(r.series()).hasSize(2 * 60);
    assertThat(r.series().stream().filter(s -> !s.inFit()).map(ItsResult.SeriesRow::month).distinct().toList())
        .containsExactly("2020-04", "2020-05", "2020-06");
    assertThat(r.fit().observations()).isEqualTo(2 * 57);
    assertThat(Math.exp(-0.2)).isBetween(r.levelChange().lower(), r.levelChange().upper());
  }

  /** Two monthly series 2017-01..2021-12 (60 months) with a planted effect on "service" from {@code effectStart}. */
  static Dataset<Row> simulate(SparkSession spark, long seed, double level, double slope, YearMonth effectStart) {
    Well19937c rng = new Well19937c(seed);
    YearMonth first = YearMonth.of(2017, 1);
    int start = (int) java.time.temporal.ChronoUnit.MONTHS.between(first, effectStart) + 1;
    List<Row> rows = new ArrayList<>();
    for (String series : List.of("service", "no_service")) {
      double g = series.equals("service") ? 1 : 0;
      for (int t = 1; t <= 60; t++) {
        YearMonth m = first.plusMonths(t - 1);
        double pop = (g == 1 ? 210_000 : 260_000) * (1 + 0.001 * t);
        double post = t >= start ? 1 : 0;
        double since = (t - start) * post;
        double eta = Math.log(pop) + Math.log(400e-5) + 0.003 * t + 0.08 * Math.sin(2 * Math.PI * m.getMonthValue() / 12.0)
            + 0.1 * g + 0.001 * g * t + 0.03 * post + 0.002 * since + g * (level * post + slope * since);
        int y = new PoissonDistribution(rng, Math.exp(eta), PoissonDistribution.DEFAULT_EPSILON,
            PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
        rows.add(RowFactory.create(m.toString(), series, y, pop));
      }
    }
    StructType schema = new StructType().add("month", DataTypes.StringType).add("series", DataTypes.StringType)
        .add("falls", DataTypes.IntegerType).add("population", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }
}
