package io.idw.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Pending person moves: reads apply them, a newer move of a record replaces its older one, and
 * writing them into the tables gives the rows the reads gave, with none left pending.
 */
@SparkTest
class PersonMovesTest {
  private static final StructType ACTIVITY = new StructType().add("source", "string").add("record_id", "string")
      .add("person_id", "string").add("extract_month", "string");
  private static final StructType MOVES = new StructType().add("source", "string").add("record_id", "string")
      .add("person_id", "string");

  @Test
  void readsApplyPendingMovesAndMaterialisingWritesThem(SparkSession spark, Warehouse w) {
    List<Row> gp = new ArrayList<>();
    List<Row> ae = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      gp.add(RowFactory.create("gp_events", "g" + i, "P" + (i % 5), "2024-01"));
      ae.add(RowFactory.create("ae_attendances", "a" + i, "P" + (i % 4), "2024-02"));
    }
    TableRef gpRef = w.table(Zone.LINKED, "gp_events");
    TableRef aeRef = w.table(Zone.LINKED, "ae_attendances");
    DeltaIO.createAs(spark.createDataFrame(gp, ACTIVITY), gpRef, Map.of(DeltaIO.DELETION_VECTORS, "true"));
    DeltaIO.createAs(spark.createDataFrame(ae, ACTIVITY), aeRef, Map.of(DeltaIO.DELETION_VECTORS, "true"));
    // record_links holds current persons: moves never apply to it
    DeltaIO.createAs(spark.createDataFrame(List.of(RowFactory.create("gp_events", "g1", "P1", "2024-01")), ACTIVITY),
        w.table(Zone.LINKED, "record_links"), Map.of());
    assertThat(PersonMoves.pending(spark, w)).isZero();
    assertThat(PersonMoves.resolve(spark, w, "gp_events", DeltaIO.read(spark, gpRef)).collectAsList())
        .containsExactlyInAnyOrderElementsOf(gp);

    // month 1: two gp records and one A&E record (same record id as a gp one) move
    long first = PersonMoves.record(moves(spark, "gp_events/g1/P9", "gp_events/g2/P9", "ae_attendances/g1/P7"), w, "run1");
    assertThat(first).isEqualTo(3);
    // month 2: g2 moves again, a6 moves; re-recording g1's move changes nothing
    long second = PersonMoves.record(moves(spark, "gp_events/g2/P8", "ae_attendances/a6/P0", "gp_events/g1/P9"), w, "run2");
    assertThat(second).isEqualTo(2);
    assertThat(PersonMoves.pending(spark, w)).isEqualTo(4);

    // what the reads must give, derived here from the rows and the latest move of each record
    Map<String, String> latest = new TreeMap<>(Map.of("gp_events/g1", "P9", "gp_events/g2", "P8",
        "ae_attendances/g1", "P7", "ae_attendances/a6", "P0"));
    List<Row> gpNow = applied(gp, latest);
    List<Row> aeNow = applied(ae, latest);
    Dataset<Row> gpRead = PersonMoves.resolve(spark, w, "gp_events", DeltaIO.read(spark, gpRef));
    assertThat(gpRead.columns()).containsExactly(ACTIVITY.fieldNames());
    assertThat(gpRead.collectAsList()).containsExactlyInAnyOrderElementsOf(gpNow);
    assertThat(PersonMoves.resolve(spark, w, "ae_attendances", DeltaIO.read(spark, aeRef)).collectAsList())
        .containsExactlyInAnyOrderElementsOf(aeNow);
    // a table without a source column takes its own source's moves, by record id
    Dataset<Row> noSource = DeltaIO.read(spark, aeRef).drop("source");
    assertThat(PersonMoves.resolve(spark, w, "ae_attendances", noSource).collectAsList())
        .containsExactlyInAnyOrderElementsOf(aeNow.stream().map(r -> RowFactory.create(r.get(1), r.get(2), r.get(3))).toList());
    assertThat(PersonMoves.resolve(spark, w, "record_links", DeltaIO.read(spark, w.table(Zone.LINKED, "record_links")))
        .first().getString(2)).isEqualTo("P1");

    Map<String, Long> updated = PersonMoves.materialise(spark, w);
    assertThat(updated).isEqualTo(Map.of("gp_events", differing(gp, gpNow), "ae_attendances", differing(ae, aeNow)));
    assertThat(PersonMoves.pending(spark, w)).isZero();
    assertThat(DeltaIO.read(spark, gpRef).collectAsList()).containsExactlyInAnyOrderElementsOf(gpNow);
    assertThat(DeltaIO.read(spark, aeRef).collectAsList()).containsExactlyInAnyOrderElementsOf(aeNow);
    // nothing pending: materialising again writes nothing
    long version = DeltaIO.latestVersion(spark, gpRef);
    assertThat(PersonMoves.materialise(spark, w)).isEmpty();
    assertThat(DeltaIO.latestVersion(spark, gpRef)).isEqualTo(version);
  }

  private static Dataset<Row> moves(SparkSession spark, String... sourceRecordPerson) {
    List<Row> rows = new ArrayList<>();
    for (String s : sourceRecordPerson) {
      String[] p = s.split("/");
      rows.add(RowFactory.create(p[0], p[1], p[2]));
    }
    return spark.createDataFrame(rows, MOVES);
  }

  private static long differing(List<Row> before, List<Row> after) {
    long n = 0;
    for (int i = 0; i < before.size(); i++) {
      n += before.get(i).getString(2).equals(after.get(i).getString(2)) ? 0 : 1;
    }
    return n;
  }

  private static List<Row> applied(List<Row> rows, Map<String, String> latest) {
    return rows.stream().map(r -> RowFactory.create(r.get(0), r.get(1),
        latest.getOrDefault(r.getString(0) + "/" + r.getString(1), r.getString(2)), r.get(3))).toList();
  }
}
