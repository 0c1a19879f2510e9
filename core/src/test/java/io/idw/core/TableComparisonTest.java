package io.idw.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

@SparkTest
class TableComparisonTest {
  private static final TableComparison.Options OPTIONS = new TableComparison.Options(c -> c.equals("run_id"),
      c -> c.endsWith("_json"), TableComparison.DEFAULT_RELATIVE, TableComparison.DEFAULT_ABSOLUTE);

  private static Dataset<Row> sample(SparkSession spark) {
    // a value on a 6-decimal rounding boundary (0.1234565), so rounding would call a 1e-15 change a difference
    return spark.range(0, 100).toDF("id")
        .withColumn("person_id", functions.concat(lit("p"), col("id").cast("string")))
        .withColumn("weight", when(col("id").equalTo(0), lit(0.1234565)).otherwise(col("id").cast("double").divide(7)))
        .withColumn("run_id", functions.uuid())
        .withColumn("result_json", functions.concat(lit("{\"n\": "), col("id").cast("string"),
            lit(", \"em\": {\"m\": 0.25, \"iterations\": [1, 2]}, \"created_at\": \""),
            functions.current_timestamp().cast("string"), lit("\", \"wall_seconds\": 3.5}")));
  }

  private static TableComparison.Result compare(Dataset<Row> a, Dataset<Row> b) {
    return TableComparison.compare("analysis.t", a, b, OPTIONS);
  }

  @Test
  void sameRowsInAnotherOrderAreIdenticalAndRunIdsAreLeftOut(SparkSession spark) {
    Dataset<Row> d = sample(spark).localCheckpoint();
    TableComparison.Result r = compare(d.repartition(1), d.orderBy(col("id").desc()).repartition(3)
        .withColumn("run_id", functions.uuid()));
    assertThat(r.differences()).isEmpty();
    assertThat(r.identical()).isTrue();
  }

  @Test
  void floatingPointWithinRelativeToleranceIsEqualWhereRoundingWouldDiffer(SparkSession spark) {
    Dataset<Row> d = sample(spark).localCheckpoint();
    Dataset<Row> nudged = d.withColumn("weight", col("weight").multiply(1 - 1e-15))
        .withColumn("result_json", functions.regexp_replace(col("result_json"), "0\\.25", "0.2500000000001"));
    assertThat(TableFingerprint.of("t", 0, d, c -> !c.equals("weight"), 6)
        .differences(TableFingerprint.of("t", 0, nudged, c -> !c.equals("weight"), 6)))
        .as("rounding to 6 decimals flips the boundary value").isNotEmpty();
    TableComparison.Result r = compare(d, nudged);
    assertThat(r.differences()).isEmpty();
    assertThat(r.identical()).isFalse();

    Dataset<Row> off = d.withColumn("weight", when(col("id").equalTo(3), col("weight").multiply(1 + 1e-6))
        .otherwise(col("weight")));
    assertThat(compare(d, off).differences()).singleElement().asString()
        .contains("column weight: 1 of 100 rows differ beyond relative 1.0E-9");
  }

  @Test
  void jsonNumbersAndStructureCountButTimesDoNot(SparkSession spark) {
    Dataset<Row> d = sample(spark).localCheckpoint();
    Dataset<Row> later = d.withColumn("result_json", functions.regexp_replace(col("result_json"), "3\\.5", "9.75"));
    assertThat(compare(d, later).differences()).isEmpty();
    Dataset<Row> other = d.withColumn("result_json", when(col("id").equalTo(4),
        functions.regexp_replace(col("result_json"), "\\[1, 2\\]", "[1, 3]")).otherwise(col("result_json")));
    assertThat(compare(d, other).differences()).singleElement().asString().contains("column result_json: 1 of 100");
  }

  @Test
  void exactColumnsStayStrict(SparkSession spark) {
    Dataset<Row> d = sample(spark).localCheckpoint();
    Dataset<Row> renamed = d.withColumn("person_id", when(col("id").equalTo(9), lit("p9 ")).otherwise(col("person_id")));
    assertThat(compare(d, renamed).differences()).containsExactly("analysis.t: columns differ: person_id");
    assertThat(compare(d, d.drop("weight")).differences()).containsExactly("analysis.t: column weight only in the first");
  }
}
