package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.Provenance;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import io.idw.core.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The whole evaluation on the R-reference table: the propensity model agrees with R's glm. */
@SparkTest
class MatchedCohortEvaluationTest {
  static final Path DIR = EffectsTest.DIR;

  static Dataset<Row> psData(SparkSession spark) {
    return spark.read().option("header", "true").option("inferSchema", "true")
        .csv(DIR.resolve("ps_data.csv").toString()).coalesce(1);
  }

  @Test
  void propensityModelAgreesWithRGlm(SparkSession spark) throws IOException {
    JsonNode ref = EffectsTest.reference();
    MatchedCohortSpec spec = MatchedCohortSpec.read(DIR.resolve("ps_spec.yaml"));
    MatchedCohortEvaluation.Outcome out = MatchedCohortEvaluation.of(spec)
        .run(psData(spark), Provenance.builder(spec.hash()).input(Provenance.Input.file("ps_data.csv", null)));
    MatchedCohortResult r = out.result();

    Map<String, Double> coef = r.propensityModel().coefficients();
    JsonNode rc = ref.get("ps_coefficients");
    assertThat(coef.get("(intercept)")).isCloseTo(rc.get("(Intercept)").asDouble(), within(1e-6));
    assertThat(coef.get("age")).isCloseTo(rc.get("age").asDouble(), within(1e-6));
    assertThat(coef.get("female")).isCloseTo(rc.get("female").asDouble(), within(1e-6));
    // R's factor dummies: the first sorted level (a_low) is the reference
    assertThat(coef.get("imd=b_mid")).isCloseTo(rc.get("imdb_mid").asDouble(), within(1e-6));
    assertThat(coef.get("imd=c_high")).isCloseTo(rc.get("imdc_high").asDouble(), within(1e-6));
    assertThat(coef.get("prior_ae")).isCloseTo(rc.get("prior_ae").asDouble(), within(1e-6));
    assertThat(coef).doesNotContainKey("imd=a_low");
    assertThat(r.propensityModel().deviance()).isCloseTo(ref.get("ps_deviance").asDouble(), within(1e-6));
    // the caliper's SD is over all units' propensity scores (R: sd(fitted(ps)))
    assertThat(r.caliper().sdOfDistance()).isCloseTo(ref.get("ps_sd_all_units").asDouble(), within(1e-7));
    assertThat(r.caliper().width()).isCloseTo(0.2 * r.caliper().sdOfDistance(), within(1e-15));

    // naive comparison as R computes it on the whole table
    assertThat(r.effects().naive().differenceInMeans().estimate()).isCloseTo(ref.get("naive_diff").asDouble(), within(1e-9));
    assertThat(r.effects().naive().differenceInMeans().se()).isCloseTo(ref.get("naive_diff_se_hc1").asDouble(), within(1e-9));
    assertThat(Math.log(r.effects().naive().rateRatio().estimate())).isCloseTo(ref.get("naive_log_rr").asDouble(), within(1e-8));

    // sizes and pairs are consistent with each other and with the exact strata
    assertThat(r.sizes().treatedBefore()).isEqualTo(93);
    assertThat(r.sizes().controlBefore()).isEqualTo(307);
    assertThat(r.sizes().treatedMatched() + r.sizes().outsideCaliper() + r.sizes().noControlInStratum()).isEqualTo(93);
    assertThat(r.pairs()).hasSize((int) r.sizes().treatedMatched());
    Set<String> controls = new HashSet<>();
    for (MatchedCohortResult.Pair p : r.pairs()) {
      assertThat(controls.add(p.controlId())).as("without replacement a control is used once").isTrue();
      assertThat(Math.abs(p.treatedDistance() - p.controlDistance())).isLessThanOrEqualTo(r.caliper().width());
    }
    Dataset<Row> sample = out.matchedSample();
    assertThat(sample.count()).isEqualTo(2L * r.sizes().treatedMatched());
    // every matched set lies within one month (the exact variable)
    assertThat(sample.groupBy("subclass").agg(functions.countDistinct("month").as("m")).where("m > 1").count()).isZero();

    // the Poisson fit by Spark GLR equals the closed-form MLE on the matched sample
    Iterator<Row> it = sample.select("treated", "ae_after", "weight", "followup_days").toLocalIterator();
    double[] sy = new double[2];
    double[] se = new double[2];
    while (it.hasNext()) {
      Row row = it.next();
      int g = row.getInt(0);
      sy[g] += row.getDouble(2) * row.getInt(1);
      se[g] += row.getDouble(2) * row.getInt(3);
    }
    assertThat(r.effects().matched().rateRatio().estimate()).isCloseTo((sy[1] / se[1]) / (sy[0] / se[0]), within(1e-7));

    // the distance row and every covariate appear in the balance table; matching improved the distance
    assertThat(r.balance()).extracting(Balance.Row::covariate)
        .containsExactly("distance (propensity)", "age", "female", "imd=a_low", "imd=b_mid", "imd=c_high", "prior_ae");
    Balance.Row dist = r.balance().get(0);
    assertThat(Math.abs(dist.after().smd())).isLessThan(Math.abs(dist.before().smd()));

    // JSON round trip
    Path json = Path.of("target/matched-ps-result.json");
    r.writeJson(json);
    MatchedCohortResult back = MatchedCohortResult.readJson(json);
    assertThat(back).isEqualTo(r);
  }

  /**
   * A table with few covariate patterns (3,000 units, 596 patterns): the fit runs on grouped rows
   * with counts as weights and must still give R's unit-level glm (grouped_reference.R).
   */
  @Test
  void groupedFitAgreesWithRGlmOnUnits(SparkSession spark) throws IOException {
    JsonNode ref = IdwMappers.json().readTree(DIR.resolve("grouped_reference.json").toFile());
    MatchedCohortSpec spec = MatchedCohortSpec.parse(Files.readString(DIR.resolve("ps_spec.yaml"))
        .replace("name: r_reference", "name: r_grouped"), "grouped spec");
    Dataset<Row> data = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(DIR.resolve("grouped_data.csv").toString()).coalesce(1);
    MatchedCohortResult r = MatchedCohortEvaluation.of(spec).run(data, Provenance.builder(spec.hash())).result();
    Map<String, Double> coef = r.propensityModel().coefficients();
    JsonNode rc = ref.get("ps_coefficients");
    Map<String, String> rNames = Map.of("(intercept)", "(Intercept)", "age", "age", "female", "female",
        "imd=b_mid", "imdb_mid", "imd=c_high", "imdc_high", "prior_ae", "prior_ae");
    assertThat(coef.keySet()).isEqualTo(rNames.keySet());
    rNames.forEach((idw, rn) -> assertThat(coef.get(idw)).as(idw).isCloseTo(rc.get(rn).asDouble(), within(1e-6)));
    assertThat(r.propensityModel().deviance()).isCloseTo(ref.get("ps_deviance").asDouble(), within(1e-6));
    assertThat(r.caliper().sdOfDistance()).isCloseTo(ref.get("ps_sd_all_units").asDouble(), within(1e-7));
    assertThat(r.propensityModel().units()).isEqualTo(3000);
  }

  @Test
  void sameInputSameResult(SparkSession spark) {
    MatchedCohortSpec spec = MatchedCohortSpec.read(DIR.resolve("ps_spec.yaml"));
    MatchedCohortResult a = MatchedCohortEvaluation.of(spec).run(psData(spark), Provenance.builder(spec.hash())).result();
    MatchedCohortResult b = MatchedCohortEvaluation.of(spec).run(psData(spark), Provenance.builder(spec.hash())).result();
    assertThat(b.pairs()).isEqualTo(a.pairs());
    assertThat(b.effects()).isEqualTo(a.effects());
    assertThat(b.balance()).isEqualTo(a.balance());
  }

  @Test
  void refusesMissingColumnsAndNonBinaryTreatment(SparkSession spark) {
    MatchedCohortSpec spec = MatchedCohortSpec.read(DIR.resolve("ps_spec.yaml"));
    assertThatThrownBy(() -> MatchedCohortEvaluation.of(spec).run(psData(spark).drop("imd"), Provenance.builder("x")))
        .isInstanceOf(IdwException.class).hasMessageContaining("imd");
    assertThatThrownBy(() -> MatchedCohortEvaluation.of(spec)
        .run(psData(spark).withColumn("treated", functions.col("treated").plus(1)), Provenance.builder("x")))
        .isInstanceOf(IdwException.class).hasMessageContaining("not 0/1");
  }

  /**
   * Declared subgroups flow to the result: a subgroup of everyone reproduces the overall estimate,
   * and a subgroup's rate ratio is the closed form over the matched sets whose treated person is in
   * it (derived here from the matched sample); an impossible subgroup gets a note, not an error.
   */
  @Test
  void subgroupsAreEstimatedOverTheirMatchedSets(SparkSession spark) {
    MatchedCohortSpec base = MatchedCohortSpec.read(DIR.resolve("ps_spec.yaml"));
    MatchedCohortSpec spec = new MatchedCohortSpec(base.name(), base.description(), base.data(), base.matching(),
        base.cohort(), java.util.List.of(
            new MatchedCohortSpec.Subgroup("everyone", null, "true"),
            new MatchedCohortSpec.Subgroup("aged_80_plus", "aged 80 and over", "age >= 80"),
            new MatchedCohortSpec.Subgroup("nobody", null, "age > 1000")));
    MatchedCohortEvaluation.Outcome out = MatchedCohortEvaluation.of(spec).run(psData(spark), Provenance.builder(spec.hash()));
    MatchedCohortResult r = out.result();
    assertThat(r.subgroupList()).extracting(MatchedCohortResult.SubgroupEffects::name)
        .containsExactly("everyone", "aged_80_plus", "nobody");

    MatchedCohortResult.SubgroupEffects all = r.subgroupList().get(0);
    assertThat(all.label()).isEqualTo("everyone");
    assertThat(all.treatedMatched()).isEqualTo(r.sizes().treatedMatched());
    assertThat(all.effects().rateRatio().estimate()).isCloseTo(r.effects().matched().rateRatio().estimate(), within(1e-12));
    assertThat(all.effects().rateRatio().se()).isCloseTo(r.effects().matched().rateRatio().se(), within(1e-12));

    // the closed form over the sets whose treated person is 80+
    java.util.List<Row> rows = out.matchedSample().select("subclass", "treated", "age", "ae_after", "weight", "followup_days")
        .collectAsList();
    Set<Integer> sets = new HashSet<>();
    for (Row row : rows) {
      if (row.getInt(1) == 1 && ((Number) row.get(2)).doubleValue() >= 80) {
        sets.add(row.getInt(0));
      }
    }
    double[] sy = new double[2];
    double[] se = new double[2];
    long[] n = new long[2];
    for (Row row : rows) {
      if (sets.contains(row.getInt(0))) {
        int g = row.getInt(1);
        sy[g] += row.getDouble(4) * row.getInt(3);
        se[g] += row.getDouble(4) * row.getInt(5);
        n[g]++;
      }
    }
    MatchedCohortResult.SubgroupEffects old = r.subgroupList().get(1);
    assertThat(old.label()).isEqualTo("aged 80 and over");
    assertThat(sets).isNotEmpty();
    assertThat(old.treatedMatched()).isEqualTo(n[1]);
    assertThat(old.controlMatched()).isEqualTo(n[0]);
    assertThat(old.effects().rateRatio().estimate()).isCloseTo((sy[1] / se[1]) / (sy[0] / se[0]), within(1e-9));

    MatchedCohortResult.SubgroupEffects none = r.subgroupList().get(2);
    assertThat(none.effects()).isNull();
    assertThat(none.note()).contains("0 matched treated");

    // round trip, and a bad condition is a clear error
    assertThat(MatchedCohortResult.readJson(writeTemp(r))).isEqualTo(r);
    MatchedCohortSpec bad = new MatchedCohortSpec(base.name(), base.description(), base.data(), base.matching(),
        base.cohort(), java.util.List.of(new MatchedCohortSpec.Subgroup("x", null, "no_such_column > 1")));
    assertThatThrownBy(() -> MatchedCohortEvaluation.of(bad).run(psData(spark), Provenance.builder("x")))
        .isInstanceOf(IdwException.class).hasMessageContaining("subgroup");
  }

  private static Path writeTemp(MatchedCohortResult r) {
    Path json = Path.of("target/matched-subgroups-result.json");
    r.writeJson(json);
    return json;
  }
}
