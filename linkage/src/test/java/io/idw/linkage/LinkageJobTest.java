package io.idw.linkage;

import static io.idw.linkage.KidRecords.rec;
import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.DeltaIO;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.testing.SparkTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Spine id stability across refreshes, idempotence, merges and conflicts, on small planted tables. */
@SparkTest
class LinkageJobTest {

  @Test
  void monthlyRefreshesKeepIdsAreIdempotentAndRecordMerges(SparkSession spark, Warehouse w) {
    // month 1: GP records with NHS pseudonyms; fire visits without
    KidRecords.write(spark, w, "gp_events", List.of(
        rec("gp_events", "g1", "2024-01", "n1", "ALAN", "BROWN", "1950-12-25", "M", "ME14 5AB"),
        rec("gp_events", "g2", "2024-01", "n1", "ALAN", "BROWN", "1950-12-25", "M", "ME14 5AB"),
        rec("gp_events", "g3", "2024-01", "n2", "CAROL", "DAVIES", "1961-04-02", "F", "CT1 1AA"),
        rec("gp_events", "g4", "2024-01", "n3", "EMMA", "FROST", "1977-08-19", "F", "DA1 2BB"),
        // same pseudonym, different date of birth: a conflict
        rec("gp_events", "g5", "2024-01", "n3", "EMMA", "FROST", "1979-02-03", "F", "DA1 2BB"),
        rec("gp_events", "g6", "2024-01", "n3", "EMMA", "FROST", "1977-08-19", "F", "DA1 2BB")));
    KidRecords.write(spark, w, "fire_home_safety_visits", List.of(
        rec("fire_home_safety_visits", "f1", "2024-01", null, "CAROL", "DAVIES", "1961-04-02", "F", "CT1 1AA"),
        rec("fire_home_safety_visits", "f2", "2024-01", null, "ANN", "SMITH", "1940-01-15", "F", "TN1 1AA"),
        rec("fire_home_safety_visits", "f3", "2024-01", null, "ANN", "JONES", "1940-01-15", "F", "TN2 2BB")));
    LinkageSettings model = KidRecords.handModel();
    LinkageJob.Result r1 = LinkageJob.builder().warehouse(w).month("2024-01").settings(model).build().run(spark);
    assertThat(r1.changed()).isTrue();
    Map<String, String> p1 = persons(spark, w);
    assertThat(p1.get("gp_events/g1")).isEqualTo(p1.get("gp_events/g2"));
    assertThat(p1.get("fire_home_safety_visits/f1")).isEqualTo(p1.get("gp_events/g3"));
    assertThat(p1.get("fire_home_safety_visits/f2")).isNotEqualTo(p1.get("fire_home_safety_visits/f3"));
    assertThat(p1.get("gp_events/g4")).isEqualTo(p1.get("gp_events/g6"));
    assertThat(r1.conflicts()).isEqualTo(1);
    Row conflict = DeltaIO.read(spark, w.table(Zone.LINKED, "link_conflicts")).first();
    assertThat(conflict.<String>getAs("record_key")).isEqualTo("gp_events/g5");
    assertThat(conflict.<String>getAs("conflict")).isEqualTo(DeterministicLinker.DOB_MISMATCH);
    Map<String, String> methods = new HashMap<>();
    DeltaIO.read(spark, w.table(Zone.LINKED, "record_links")).collectAsList()
        .forEach(r -> methods.put(r.getAs("record_id"), r.getAs("method")));
    assertThat(methods).containsEntry("g1", "deterministic").containsEntry("f1", "probabilistic")
        .containsEntry("f2", "singleton");
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "fire_home_safety_visits")).columns()).contains("person_id", "activity");

    // re-running the month changes nothing
    Map<String, Long> versions = KidRecords.linkedVersions(spark, w);
    LinkageJob.Result again = LinkageJob.builder().warehouse(w).month("2024-01").settings(model).build().run(spark);
    assertThat(again.changed()).isFalse();
    assertThat(KidRecords.linkedVersions(spark, w)).isEqualTo(versions);

    // month 2: a new GP record of person n1, a new person, and a visit that bridges f2 and f3
    KidRecords.write(spark, w, "gp_events", List.of(
        rec("gp_events", "g7", "2024-02", "n1", "ALAN", "BROWN", "1950-12-25", "M", "ME14 5AB"),
        rec("gp_events", "g8", "2024-02", "n9", "ZED", "ZULU", "1990-06-30", "M", "BR1 1ZZ")));
    KidRecords.write(spark, w, "fire_home_safety_visits", List.of(
        rec("fire_home_safety_visits", "f4", "2024-02", null, "ANN", "SMITH", "1940-01-15", "F", "TN2 2BB")));
    // a crash after every write but the last (record_links), then the re-run: the same result as one
    // uninterrupted run (checked below: ids, one merge event, one run row per month, no orphan ids)
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LinkageJob.builder().warehouse(w).month("2024-02")
        .settings(model).failAfterWriting("linkage_runs").build().run(spark)).hasMessageContaining("simulated crash");
    LinkageJob.Result r2 = LinkageJob.builder().warehouse(w).month("2024-02").settings(model).build().run(spark);
    assertThat(r2.newRecords()).isEqualTo(3);
    Map<String, String> p2 = persons(spark, w);
    for (Map.Entry<String, String> e : p1.entrySet()) {
      if (!e.getKey().equals("fire_home_safety_visits/f3")) {
        assertThat(p2.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
    }
    assertThat(p2.get("gp_events/g7")).isEqualTo(p1.get("gp_events/g1"));
    assertThat(p2.get("fire_home_safety_visits/f3")).isEqualTo(p1.get("fire_home_safety_visits/f2"));
    assertThat(p2.get("fire_home_safety_visits/f4")).isEqualTo(p1.get("fire_home_safety_visits/f2"));
    assertThat(p1.values()).doesNotContain(p2.get("gp_events/g8"));
    assertThat(r2.merges()).isEqualTo(1);
    Row merged = DeltaIO.read(spark, w.table(Zone.LINKED, "person_spine"))
        .where("person_id = '" + p1.get("fire_home_safety_visits/f3") + "'").first();
    assertThat(merged.<String>getAs("status")).isEqualTo("merged");
    assertThat(merged.<String>getAs("merged_into")).isEqualTo(p1.get("fire_home_safety_visits/f2"));
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "spine_events")).count()).isEqualTo(1);
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "linkage_runs")).count()).isEqualTo(2);
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "person_spine")).where("status = 'active'")
        .select("person_id").collectAsList().stream().map(r -> r.getString(0)).toList())
        .containsExactlyInAnyOrderElementsOf(new java.util.HashSet<>(p2.values()));

    Map<String, Long> v2 = KidRecords.linkedVersions(spark, w);
    assertThat(LinkageJob.builder().warehouse(w).month("2024-02").settings(model).build().run(spark).changed()).isFalse();
    assertThat(KidRecords.linkedVersions(spark, w)).isEqualTo(v2);

    // a late record of an earlier month (the refresh looks for new records in its own month first):
    // no month-2 record is new, yet the run must find and link it
    KidRecords.write(spark, w, "gp_events", List.of(
        rec("gp_events", "g9", "2024-01", "n1", "ALAN", "BROWN", "1950-12-25", "M", "ME14 5AB")));
    LinkageJob.Result late = LinkageJob.builder().warehouse(w).month("2024-02").settings(model).build().run(spark);
    assertThat(late.changed()).isTrue();
    assertThat(late.newRecords()).isEqualTo(1);
    assertThat(persons(spark, w)).containsEntry("gp_events/g9", p1.get("gp_events/g1"));
  }

  private static Map<String, String> persons(SparkSession spark, Warehouse w) {
    Map<String, String> m = new HashMap<>();
    DeltaIO.read(spark, w.table(Zone.LINKED, "record_links")).collectAsList()
        .forEach(r -> m.put(r.getAs("source") + "/" + r.getAs("record_id"), r.getAs("person_id")));
    return m;
  }
}
