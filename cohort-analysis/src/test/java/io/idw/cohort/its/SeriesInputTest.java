package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdwException;
import io.idw.core.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** Bad series are refused before any model is fitted, with the month and the fix. */
@SparkTest
class SeriesInputTest {
  private static final ItsSpec SPEC = ItsSpec.parse("""
      name: sicily
      columns: {year: year, month: month, outcome: aces, population: stdpop}
      interruption: 2005-01
      model: {family: poisson}
      """, "test");

  private static void assertRefused(Dataset<Row> rows, ItsSpec spec, String code, String fragment) {
    assertThatThrownBy(() -> InterruptedTimeSeries.evaluate(spec).series(rows).run())
        .isInstanceOf(IdwException.class)
        .hasMessageContaining(fragment)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((IdwException) e).code()).isEqualTo(code));
  }

  @Test
  void refusesGapsDuplicatesMissingColumnsAndBadValues(SparkSession spark) {
    Dataset<Row> s = ItsTestData.sicily(spark).cache();
    assertRefused(s.filter("time <> 20"), SPEC, "cohort.its.gap", "2003-08");
    assertRefused(s.union(s.filter("time = 3")), SPEC, "cohort.its.duplicate_month", "2002-03");
    assertRefused(s.drop("stdpop"), SPEC, "cohort.its.columns_missing", "[stdpop]");
    assertRefused(s.withColumn("stdpop", functions.when(functions.col("time").equalTo(5), 0)
        .otherwise(functions.col("stdpop"))), SPEC, "cohort.its.bad_value", "2002-05");
    assertRefused(s.withColumn("aces", functions.when(functions.col("time").equalTo(7), -1)
        .otherwise(functions.col("aces"))), SPEC, "cohort.its.bad_value", "not a non-negative whole count");
    assertRefused(s.filter("time <= 38"), SPEC, "cohort.its.too_short", "2 from it");
    ItsSpec cits = ItsSpec.parse(SPEC.toJson().replace("\"population\" : \"stdpop\"",
        "\"population\" : \"stdpop\", \"group\" : \"grp\"").replace("\"model\"",
        "\"comparison\" : {\"intervention\": \"a\", \"control\": \"b\"}, \"model\""), "test");
    assertRefused(s.withColumn("grp", functions.lit("a")), cits, "cohort.its.groups", "[a, b]");
  }
}
