package io.idw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class WarehouseDeltaTest {

  @Test
  void createMakesEveryZoneAndOpenRefusesNonWarehouses(@TempDir Path tmp) {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    for (Zone z : Zone.values()) {
      assertThat(w.zonePath(z)).isDirectory();
    }
    assertThat(Warehouse.open(tmp.resolve("wh")).root()).isEqualTo(w.root());
    assertThatThrownBy(() -> Warehouse.open(tmp.resolve("nope")))
        .isInstanceOf(IdwException.class)
        .hasMessageContaining("idw warehouse init")
        .extracting(e -> ((IdwException) e).code()).isEqualTo("core.warehouse.missing");
  }

  @Test
  void createRefusesANonEmptyForeignDirectory(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("something.txt"), "x");
    assertThatThrownBy(() -> Warehouse.create(tmp)).isInstanceOf(IdwException.class)
        .extracting(e -> ((IdwException) e).code()).isEqualTo("core.warehouse.not_a_directory");
  }

  @Test
  void tableNamesAreValidated(Warehouse w) {
    assertThatThrownBy(() -> w.table(Zone.LINKED, "Bad-Name")).isInstanceOf(IdwException.class);
    assertThat(w.table(Zone.LINKED, "person_spine").qualifiedName()).isEqualTo("linked.person_spine");
  }

  @Test
  void writesReturnTheVersionTheyMadeAndReadsSeeIt(SparkSession spark, Warehouse w) {
    TableRef t = w.table(Zone.ANALYSIS, "numbers");
    assertThat(DeltaIO.exists(spark, t)).isFalse();
    WriteResult first = DeltaIO.append(spark.range(0, 100).toDF("id"), t);
    assertThat(first.version()).isZero();
    assertThat(first.rowsInserted()).isEqualTo(100);
    WriteResult second = DeltaIO.append(spark.range(100, 150).toDF("id"), t);
    assertThat(second.version()).isEqualTo(1);
    assertThat(second.rowsInserted()).isEqualTo(50);
    assertThat(DeltaIO.latestVersion(spark, t)).isEqualTo(1);
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(150);
    assertThat(DeltaIO.read(spark, t, 0).count()).isEqualTo(100);
    assertThat(w.tables(Zone.ANALYSIS)).extracting(TableRef::name).containsExactly("numbers");
    assertThatThrownBy(() -> DeltaIO.read(spark, t, 7)).isInstanceOf(IdwException.class)
        .hasMessageContaining("latest version is 1");
  }

  @Test
  void insertWhereNoneAddsRowsKeepsTheRestAndARepeatAddsNothing(SparkSession spark, Warehouse w) {
    TableRef t = w.table(Zone.LINKED, "monthly");
    DeltaIO.append(spark.range(0, 100).selectExpr("id", "'2024-01' AS m"), t);
    Dataset<Row> march = spark.range(100, 130).selectExpr("id", "'2024-03' AS m");
    WriteResult r = DeltaIO.insertWhereNone(march, t, "m IN ('2024-03')");
    assertThat(r.version()).isEqualTo(1);
    assertThat(r.rowsInserted()).isEqualTo(30);
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(130);
    // run again (a re-run after a crash that followed the commit): the same rows, not twice
    DeltaIO.insertWhereNone(march, t, "m IN ('2024-03')");
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(130);
    assertThat(DeltaIO.read(spark, t).where("m = '2024-01'").count()).isEqualTo(100);
    // rows outside the predicate are refused, not written
    assertThatThrownBy(() -> DeltaIO.insertWhereNone(spark.range(0, 1).selectExpr("id", "'2024-04' AS m"), t,
        "m IN ('2024-03')")).isInstanceOf(Exception.class);
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(130);
  }

  @Test
  void insertIfNoneInsertsOnlyValuesNoFileHoldsAndOtherwiseWritesNothing(SparkSession spark, Warehouse w) {
    TableRef t = w.table(Zone.LINKED, "months");
    Dataset<Row> march = spark.range(100, 130).selectExpr("id", "'2024-03' AS m");
    assertThat(DeltaIO.insertIfNone(march, t, "m", List.of("2024-03"))).as("no table yet").isNull();
    DeltaIO.append(spark.range(0, 100).selectExpr("id", "'2024-01' AS m"), t);
    WriteResult r = DeltaIO.insertIfNone(march, t, "m", List.of("2024-03"));
    assertThat(r.rowsInserted()).isEqualTo(30);
    long version = DeltaIO.latestVersion(spark, t);
    assertThat(DeltaIO.insertIfNone(march, t, "m", List.of("2024-03"))).as("the month is held now").isNull();
    assertThat(DeltaIO.insertIfNone(march, t, "m", List.of("2024-01", "2024-03"))).isNull();
    assertThat(DeltaIO.latestVersion(spark, t)).isEqualTo(version);
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(130);
  }

  @Test
  void deletionVectorsAreTurnedOnOnceAndAPurgeLeavesNoDeletedRowInTheTablesFiles(SparkSession spark, Warehouse w) {
    TableRef t = w.table(Zone.LINKED, "legacy");
    DeltaIO.append(spark.range(0, 1000).toDF("id").repartition(1), t);
    assertThat(DeltaIO.deletionVectorsEnabled(spark, t)).isFalse();
    assertThat(DeltaIO.enableDeletionVectors(spark, t)).isTrue();
    assertThat(DeltaIO.latestVersion(spark, t)).isEqualTo(1);
    assertThat(DeltaIO.deletionVectorsEnabled(spark, t)).isTrue();
    assertThat(DeltaIO.enableDeletionVectors(spark, t)).isFalse();
    assertThat(DeltaIO.latestVersion(spark, t)).isEqualTo(1);
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(1000);

    DeltaIO.delete(spark, t, functions.col("id").lt(10));
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(990);
    // the deleted rows are only marked: the table's one file still holds them
    assertThat(rawIds(spark, t).where("id < 10").count()).isEqualTo(10);
    DeltaIO.purgeDeletionVectors(spark, t);
    assertThat(rawIds(spark, t).where("id < 10").count()).isZero();
    assertThat(rawIds(spark, t).count()).isEqualTo(990);
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(990);
  }

  /** Every row of the files the table's current version references, read as plain Parquet. */
  private static Dataset<Row> rawIds(SparkSession spark, TableRef t) {
    return spark.read().parquet(DeltaIO.read(spark, t).inputFiles());
  }

    @Test
  void insertNewMergeIsIdempotentAndUpsertUpdates(SparkSession spark, Warehouse w) {
    TableRef t = w.table(Zone.PSEUDONYMISED, "events");
    Dataset<Row> batch = spark.range(0, 20).toDF("id")
        .withColumn("extract", functions.lit("2024-01"))
        .withColumn("value", functions.col("id").multiply(2));
    WriteResult created = DeltaIO.merge(batch, t, List.of("id", "extract"), DeltaIO.MergeMode.INSERT_NEW);
    assertThat(created.rowsInserted()).isEqualTo(20);
    WriteResult again = DeltaIO.merge(batch, t, List.of("id", "extract"), DeltaIO.MergeMode.INSERT_NEW);
    assertThat(again.rowsInserted()).isZero();
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(20);

    Dataset<Row> changed = batch.withColumn("value", functions.lit(-1L));
    WriteResult up = DeltaIO.merge(changed.limit(5), t, List.of("id", "extract"), DeltaIO.MergeMode.UPSERT);
    assertThat(up.rowsUpdated()).isEqualTo(5);
    assertThat(DeltaIO.read(spark, t).filter("value = -1").count()).isEqualTo(5);
  }

  @Test
  void readingAMissingTableSaysWhatToDo(SparkSession spark, Warehouse w) {
    assertThatThrownBy(() -> DeltaIO.read(spark, w.table(Zone.LINKED, "person_spine")))
        .isInstanceOf(IdwException.class)
        .hasMessageContaining("linked.person_spine")
        .hasMessageContaining("Fix:");
  }
}
