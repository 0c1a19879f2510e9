package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.cohort.Provenance;
import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Recovery of a planted effect under confounding by indication: sicker, older people are more
 * likely to be treated and have more events anyway, so the naive comparison is biased upwards
 * while matching on the confounders recovers the planted rate ratio.
 */
@SparkTest
class PlantedEffectTest {
  static final String SPEC = """
      name: planted
      data:
        id: person_id
        treatment: visited
        covariates:
          - {name: age}
          - {name: female, type: binary}
          - {name: imd_decile, type: categorical}
          - {name: prior_events}
        outcome: events
        exposure: followup_days
      matching: {ratio: 1, caliper: 0.2, exact: [index_month]}
      """;

  static int poisson(Random rnd, double lambda) {
    double l = Math.exp(-lambda);
    double p = 1;
    int k = 0;
    while (true) {
      p *= rnd.nextDouble();
      if (p <= l) {
        return k;
      }
      k++;
    }
  }

  /** A seeded population with confounded treatment and a planted rate ratio on the outcome. */
  static Dataset<Row> population(SparkSession spark, int n, double plantedRateRatio, long seed) {
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double age = 65 + 30 * rnd.nextDouble();
      int female = rnd.nextDouble() < 0.55 ? 1 : 0;
      int imd = 1 + rnd.nextInt(10);
      int prior = poisson(rnd, 0.3 + 0.03 * (age - 65) + 0.05 * (10 - imd));
      double lin = -3.2 + 0.04 * (age - 80) + 0.45 * prior + 0.06 * (5 - imd);
      int visited = rnd.nextDouble() < 1 / (1 + Math.exp(-lin)) ? 1 : 0;
      int fu = 200 + rnd.nextInt(166);
      double rate = Math.exp(-0.9 + 0.02 * (age - 80) + 0.3 * prior + 0.04 * (5 - imd) - 0.1 * female)
          * (visited == 1 ? plantedRateRatio : 1.0);
      int events = poisson(rnd, rate * fu / 365.0);
      rows.add(RowFactory.create("p" + i, String.format("2023-%02d", 1 + rnd.nextInt(4)), visited, age, female, imd,
          prior, events, fu));
    }
    StructType schema = new StructType()
        .add("person_id", DataTypes.StringType).add("index_month", DataTypes.StringType)
        .add("visited", DataTypes.IntegerType).add("age", DataTypes.DoubleType)
        .add("female", DataTypes.IntegerType).add("imd_decile", DataTypes.IntegerType)
        .add("prior_events", DataTypes.IntegerType).add("events", DataTypes.IntegerType)
        .add("followup_days", DataTypes.IntegerType);
    return spark.createDataFrame(rows, schema);
  }

  static MatchedCohortResult run(SparkSession spark, double planted) {
    MatchedCohortSpec spec = MatchedCohortSpec.parse(SPEC, "planted spec");
    return MatchedCohortEvaluation.of(spec).run(population(spark, 20_000, planted, 42), Provenance.builder(spec.hash()))
        .result();
  }

  @Test
  void noPlantedEffect(SparkSession spark) {
    MatchedCohortResult r = run(spark, 1.0);
    assertThat(r.sizes().treatedMatched()).isGreaterThan(1000);
    // the naive comparison shows the selection bias; matching removes it
    assertThat(r.effects().naive().rateRatio().ciLow()).isGreaterThan(1.0);
    assertThat(r.effects().matched().rateRatio().covers(1.0)).isTrue();
    assertThat(r.effects().matched().differenceInMeans().covers(0.0)).isTrue();
    assertThat(r.balance().stream().filter(b -> b.after().flag())).isEmpty();
    assertThat(r.balance().stream().filter(b -> b.before().flag())).isNotEmpty();
  }

  @Test
  void plantedFifteenPercentReduction(SparkSession spark) {
    double truth = 0.85;
    MatchedCohortResult r = run(spark, truth);
    Effects.Estimate rr = r.effects().matched().rateRatio();
    assertThat(rr.ciHigh()).isLessThan(1.0);
    assertThat(rr.covers(truth)).isTrue();
    // the naive estimate is pulled towards (or past) 1 by confounding
    assertThat(r.effects().naive().rateRatio().estimate()).isGreaterThan(rr.estimate());
  }
}
