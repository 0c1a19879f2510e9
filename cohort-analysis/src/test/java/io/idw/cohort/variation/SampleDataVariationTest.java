package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.Provenance;
import io.idw.core.IdwMappers;
import io.idw.core.testing.SparkTest;
import io.idw.sampledata.GenerateResult;
import io.idw.sampledata.SampleData;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Practice variation on small generated sample data recovers the planted GP cost spread
 * ({@code truth/effects.json} gp_practice_cost.multiplier_by_practice). The truth's record-to-person
 * table stands in for linkage, and the truth people's attributes for ingest's derived columns.
 */
@SparkTest
class SampleDataVariationTest {
  @TempDir Path tmp;

  private static Dataset<Row> raw(SparkSession spark, GenerateResult g, String source) {
    return spark.read().option("header", "true").csv(g.rawDir(source).toString() + "/*/*.csv");
  }

  @Test
  void recoversThePlantedSpreadOnSampleData(SparkSession spark) throws Exception {
    GenerateResult g = SampleData.generator().people(3000).months(24).start(YearMonth.of(2022, 4)).seed(5)
        .out(tmp.resolve("sample")).build().run(spark);
    Dataset<Row> rp = spark.read().option("header", "true").csv(g.recordPersonFile().toString());
    Dataset<Row> people = spark.read().option("header", "true").csv(g.peopleFile().toString())
        .select(col("person_id"), col("sex"), col("imd_decile").cast("int").as(IMD_DECILE),
            functions.floor(functions.months_between(functions.lit("2022-04-01"), functions.to_date(col("date_of_birth"))).divide(60))
                .multiply(5).cast("int").as("lo"))
        .withColumn(AGE_BAND, functions.concat(col("lo"), functions.lit("-"), col("lo").plus(4))).drop("lo");
    Dataset<Row> regs = raw(spark, g, "gp_registrations")
        .join(rp.filter(col("source").equalTo("gp_registrations")).withColumnRenamed("record_id", "extract_row_id"), "extract_row_id")
        .select(col("person_id"), col("practice_code"), col("effective_date"), col("extract_row_id").as("record_id"))
        .join(people, "person_id");
    Dataset<Row> events = raw(spark, g, "gp_events")
        .join(rp.filter(col("source").equalTo("gp_events")).withColumnRenamed("record_id", "event_id"), "event_id");
    Dataset<Row> ae = raw(spark, g, "ae_attendances")
        .join(rp.filter(col("source").equalTo("ae_attendances")).withColumnRenamed("record_id", "attendance_id"), "attendance_id");

    Dataset<Row> population = KidVariationInputs.population(regs).cache();
    assertThat(population.count()).isEqualTo(population.select("person_id").distinct().count());
    Dataset<Row> costs = KidVariationInputs.costs(Map.of("gp_events", events, "ae_attendances", ae),
        KidVariationInputs.UnitCosts.defaults());
    VariationResult r = VariationAnalysis.builder().population(population).costs(costs).months(24).minListSize(30)
        .provenance(new Provenance(List.of(), "test", null, "test", "now")).run();

    JsonNode mult = IdwMappers.json().readTree(g.effectsFile().toFile()).path("gp_practice_cost").path("multiplier_by_practice");
    List<PracticeCost> gp = r.practices().stream()
        .filter(p -> p.setting().equals(PRIMARY_CARE) && p.nPeople() >= 30).toList();
    assertThat(gp).hasSizeGreaterThanOrEqualTo(8);
    double[] truth = gp.stream().mapToDouble(p -> mult.path(p.practice()).asDouble()).toArray();
    double[] ratio = gp.stream().mapToDouble(PracticeCost::ratioToExpected).toArray();
    double[] sorted = truth.clone();
    Arrays.sort(sorted);
    double truthFold = sorted[sorted.length - 1] / sorted[0];
    SettingSpread s = r.spread(PRIMARY_CARE).orElseThrow();
    System.out.printf("sample-data variation: %d practices, GP adjusted fold %.2f (truth %.2f), crude %.2f;"
        + " P90/P10 adjusted %.2f%n", gp.size(), s.adjustedFold(), truthFold, s.crudeFold(), s.adjustedP90P10());
    for (int i = 0; i < gp.size(); i++) {
      System.out.printf("  %s n=%d truth %.3f ratio %.3f crude %.1f%n", gp.get(i).practice(), gp.get(i).nPeople(), truth[i], ratio[i], gp.get(i).crudePerHead());
    }
    // the planted spread among the practices compared, within sampling noise
    assertThat(s.adjustedFold()).isCloseTo(truthFold, within(0.25 * truthFold));
    assertThat(new SpearmansCorrelation().correlation(truth, ratio)).isGreaterThan(0.9);
    // A&E has no practice effect planted: its adjusted spread is far narrower than GP's
    assertThat(r.spread(AE).orElseThrow().adjustedP90P10()).isLessThan(s.adjustedP90P10());
  }
}
