package io.idw.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

@SparkTest
class TableFingerprintTest {

  private static Dataset<Row> sample(SparkSession spark) {
    return spark.range(0, 200).toDF("id")
        .withColumn("name", functions.concat(lit("p"), col("id").cast("string")))
        .withColumn("weight", col("id").cast("double").divide(7))
        .withColumn("loaded_at", functions.current_timestamp())
        .withColumn("nullable", when(col("id").mod(3).equalTo(0), lit(null)).otherwise(col("id")));
  }

  private static TableFingerprint fp(Dataset<Row> d) {
    return TableFingerprint.of("analysis.t", 0, d, c -> c.equals("loaded_at"), TableFingerprint.DEFAULT_DOUBLE_SCALE);
  }

  @Test
  void orderAndPartitioningDoNotMatter(SparkSession spark) {
    Dataset<Row> d = sample(spark);
    TableFingerprint a = fp(d.repartition(1));
    TableFingerprint b = fp(d.orderBy(col("id").desc()).repartition(5));
    assertThat(a.differences(b)).isEmpty();
    assertThat(a).isEqualTo(b);
    assertThat(a.rows()).isEqualTo(200);
    assertThat(a.noDuplicates()).isTrue();
    assertThat(a.columns()).containsOnlyKeys("id", "name", "weight", "nullable");
  }

  @Test
  void aChangedValueNamesItsColumn(SparkSession spark) {
    Dataset<Row> d = sample(spark);
    Dataset<Row> changed = d.withColumn("name",
        when(col("id").equalTo(17), lit("someone else")).otherwise(col("name")));
    List<String> diff = fp(d).differences(fp(changed));
    assertThat(diff).containsExactly("analysis.t: columns differ: name");
  }

  @Test
  void aDuplicateRowIsCounted(SparkSession spark) {
    Dataset<Row> d = sample(spark);
    Dataset<Row> withDup = d.union(d.filter(col("id").equalTo(5)));
    TableFingerprint f = fp(withDup);
    assertThat(f.rows()).isEqualTo(201);
    assertThat(f.distinctRows()).isEqualTo(200);
    assertThat(f.noDuplicates()).isFalse();
    assertThat(fp(d).differences(f)).anyMatch(s -> s.contains("200 rows vs 201"));
  }

  @Test
  void doublesAreComparedAtTheGivenScale(SparkSession spark) {
    Dataset<Row> d = sample(spark);
    Dataset<Row> noise = d.withColumn("weight", col("weight").plus(1e-9));
    Dataset<Row> real = d.withColumn("weight", col("weight").plus(1e-3));
    assertThat(fp(d).differences(fp(noise))).isEmpty();
    assertThat(fp(d).differences(fp(real))).containsExactly("analysis.t: columns differ: weight");
  }

  @Test
  void swappedValuesBetweenRowsAreCaughtByTheRowChecksum(SparkSession spark) {
    Dataset<Row> d = sample(spark);
    // swap the names of ids 1 and 2: every column sum is unchanged, the rows are not
    Dataset<Row> swapped = d.withColumn("name", when(col("id").equalTo(1), lit("p2"))
        .when(col("id").equalTo(2), lit("p1")).otherwise(col("name")));
    assertThat(fp(d).differences(fp(swapped)))
        .containsExactly("analysis.t: same column sums but rows combine values differently");
  }

  @Test
  void compareReportsTablesOnOneSideOnly(SparkSession spark) {
    TableFingerprint a = fp(sample(spark));
    TableFingerprint other = new TableFingerprint("linked.x", 0, 0, 0, "0", java.util.Map.of());
    assertThat(TableFingerprint.compare(List.of(a), List.of(a))).isEmpty();
    assertThat(TableFingerprint.compare(List.of(a, other), List.of(a)))
        .containsExactly("linked.x: only in the first");
  }
}
