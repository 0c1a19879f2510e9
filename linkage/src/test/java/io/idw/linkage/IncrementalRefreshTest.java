package io.idw.linkage;

import static io.idw.linkage.KidRecords.rec;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.DeltaIO;
import io.idw.core.PersonMoves;
import io.idw.core.TableComparison;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.testing.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental monthly refresh writes exactly what the full-history refresh writes: a seeded
 * population with dirt (typos, transposed dates of birth, moves, NHS numbers with a contradicting
 * date of birth, records without NHS numbers) and planted cases (a person split in two in the
 * history whom new records join, a new record linking probabilistically to an old person, conflicts
 * in the history and in the refresh, an old record that becomes a conflict when new records change
 * its group's modes) is linked for a history month, copied, and refreshed for one
 * month once on each path (the incremental one crashing once first); every linked table must be
 * equal row for row on every column. Only {@code linkage_runs} has
 * run-specific columns: {@code created_at} (a clock time) and {@code result_json} (counts of the
 * work each path did, and timings), left out; its run id, month, model and settings hash must match.
 */
@SparkTest
class IncrementalRefreshTest {
  private static final List<String> MONTHS = List.of("2024-01", "2024-02");
  private static final String[] GIVEN = {"ALAN", "BRIAN", "CAROL", "DIANA", "EDWARD", "FIONA", "GRAHAM", "HELEN", "IAN",
      "JANET", "KEVIN", "LINDA", "MARTIN", "NORA", "OLIVER", "PAULA", "QUENTIN", "RUTH", "SIMON", "TRACY"};
  private static final String[] FAMILY = {"SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES",
      "ROBINSON", "WRIGHT", "THOMPSON", "EVANS", "WALKER", "WHITE", "ROBERTS", "GREEN", "HALL", "WOOD", "JACKSON", "CLARKE"};
  private static final String[] POSTCODES = {"ME14 5AB", "ME15 6CD", "CT1 1AA", "CT2 7EF", "DA1 2BB", "DA11 0GH",
      "TN1 1AA", "TN23 4JK", "BR1 1ZZ", "ME7 2LM"};
  private static final String[] SOURCES = {"gp_events", "ae_attendances", "fire_home_safety_visits"};

  @Test
  void incrementalRefreshEqualsFullRefresh(SparkSession spark, Warehouse inc, @TempDir Path dir) throws IOException {
    Map<String, List<Row>> byMonth = records(new Random(20241));
    LinkageSettings model = KidRecords.handModel();
    String history = MONTHS.get(0);
    String month = MONTHS.get(1);
    // the history is linked once (the first run takes the full path) and the warehouse copied, so
    // both refreshes start from the same linked zone
    write(spark, inc, byMonth.get(history));
    LinkageJob.Result rh = LinkageJob.builder().warehouse(inc).month(history).settings(model).build().run(spark);
    assertThat(rh.workSetRecords()).isEqualTo(LinkageJob.FULL_PATH);
    Warehouse full = Warehouse.open(copy(inc.root(), dir.resolve("full")));
    Map<String, String[]> before = links(spark, inc);
    for (Warehouse w : List.of(inc, full)) {
      write(spark, w, byMonth.get(month));
    }
    // a crash on the incremental path after the spine, then its re-run
    assertThatThrownBy(() -> LinkageJob.builder().warehouse(inc).month(month).settings(model).failAfterWriting("person_spine")
        .build().run(spark)).hasMessageContaining("simulated crash");
    LinkageJob.Result ri = LinkageJob.builder().warehouse(inc).month(month).settings(model).build().run(spark);
    LinkageJob.Result rf = LinkageJob.builder().warehouse(full).month(month).settings(model).fullRefresh(true).build().run(spark);
    assertThat(rf.workSetRecords()).isEqualTo(LinkageJob.FULL_PATH);
    assertThat(ri.linkRun()).isEqualTo(rf.linkRun());
    assertThat(ri.newRecords()).isEqualTo(rf.newRecords()).isPositive();
    // the refresh took the incremental path and left part of the history out of its work
    assertThat(ri.workSetRecords()).isGreaterThanOrEqualTo(ri.newRecords()).isLessThan(ri.records());
    // the refresh left its moved records pending (reads apply them), the full path wrote them in place
    long pending = PersonMoves.pending(spark, inc);
    assertThat(pending).as("records the refresh moved to another person").isPositive();
    assertThat(PersonMoves.pending(spark, full)).isZero();
    assertSameLinkedZone(spark, inc, full, true);
    // written into the activity tables, the moves leave the same tables as stored, none pending
    Map<String, Long> updated = PersonMoves.materialise(spark, inc);
    assertThat(updated.values().stream().mapToLong(Long::longValue).sum()).isPositive().isLessThanOrEqualTo(pending);
    assertThat(PersonMoves.pending(spark, inc)).isZero();
    assertSameLinkedZone(spark, inc, full, false);

    // what the refresh did, so the comparison is not vacuous: new records linked to old persons
    long probToOld = 0;
    long detToOld = 0;
    Set<String> oldPersons = new HashSet<>();
    before.values().forEach(v -> oldPersons.add(v[0]));
    for (Map.Entry<String, String[]> e : links(spark, inc).entrySet()) {
      String[] v = e.getValue();
      if (!before.containsKey(e.getKey()) && oldPersons.contains(v[0])) {
        probToOld += v[1].equals(LinkColumns.PROBABILISTIC) ? 1 : 0;
        detToOld += v[1].equals(LinkColumns.DETERMINISTIC) ? 1 : 0;
      }
    }
    assertThat(probToOld).as("new records linked probabilistically to an existing person").isPositive();
    assertThat(detToOld).as("new records linked deterministically to an existing person").isPositive();
    assertThat(DeltaIO.read(spark, inc.table(Zone.LINKED, "spine_events")).where(col("event").equalTo("merge")).count())
        .as("persons merged by the refresh").isPositive();
    assertThat(DeltaIO.read(spark, inc.table(Zone.LINKED, "link_conflicts")).select("record_key").collectAsList())
        .as("conflicts of the history and of the refresh").extracting(r -> r.getString(0))
        .contains("gp_events/q3", "ae_attendances/z3", "gp_events/w1");

    // re-running the month on the incremental path commits nothing
    Map<String, Long> v = KidRecords.linkedVersions(spark, inc);
    assertThat(LinkageJob.builder().warehouse(inc).month(month).settings(model).build().run(spark).changed()).isFalse();
    assertThat(KidRecords.linkedVersions(spark, inc)).isEqualTo(v);
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    return to;
  }

  /**
   * Every linked table equal, row for row, the pending moves left out (as read through {@link
   * PersonMoves#resolve} when {@code resolved}, else as stored); in linkage_runs the clock time and
   * the work counts are left out.
   */
  private static void assertSameLinkedZone(SparkSession spark, Warehouse a, Warehouse b, boolean resolved) {
    Set<String> names = new TreeSet<>();
    a.tables(Zone.LINKED).forEach(t -> names.add(t.name()));
    Set<String> other = new TreeSet<>();
    b.tables(Zone.LINKED).forEach(t -> other.add(t.name()));
    names.remove(PersonMoves.TABLE);
    other.remove(PersonMoves.TABLE);
    assertThat(names).isEqualTo(other).contains("person_spine", "record_links", "gp_events", "fire_home_safety_visits",
        "pseudonym_groups");
    for (String name : names) {
      Set<String> runSpecific = name.equals("linkage_runs") ? Set.of("created_at", "result_json") : Set.of();
      TableComparison.Options o = new TableComparison.Options(runSpecific::contains, c -> c.equals("model_json"),
          TableComparison.DEFAULT_RELATIVE, TableComparison.DEFAULT_ABSOLUTE);
      Dataset<Row> ra = DeltaIO.read(spark, a.table(Zone.LINKED, name));
      Dataset<Row> rb = DeltaIO.read(spark, b.table(Zone.LINKED, name));
      if (resolved) {
        ra = PersonMoves.resolve(spark, a, name, ra);
        rb = PersonMoves.resolve(spark, b, name, rb);
      }
      TableComparison.Result r = TableComparison.compare(name, ra, rb, o);
      assertThat(r.differences()).as(name).isEmpty();
    }
  }

  /**
   * The records per month: a seeded population of 100 people, each seen in a month with chance 0.45
   * (1 or 2 records in random sources), with dirt, plus the planted cases.
   */
  private static Map<String, List<Row>> records(Random rnd) {
    Map<String, List<Row>> out = new LinkedHashMap<>();
    MONTHS.forEach(m -> out.put(m, new ArrayList<>()));
    int[] next = {0};
    for (int p = 0; p < 100; p++) {
      String given = GIVEN[rnd.nextInt(GIVEN.length)];
      String family = FAMILY[rnd.nextInt(FAMILY.length)];
      String dob = String.format("%d-%02d-%02d", 1930 + rnd.nextInt(75), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
      String sex = rnd.nextBoolean() ? "M" : "F";
      String postcode = POSTCODES[rnd.nextInt(POSTCODES.length)];
      String nhs = "n" + p;
      for (String m : MONTHS) {
        if (rnd.nextDouble() >= 0.45) {
          continue;
        }
        if (rnd.nextDouble() < 0.1) {
          postcode = POSTCODES[rnd.nextInt(POSTCODES.length)]; // moved house
        }
        int k = 1 + rnd.nextInt(2);
        for (int i = 0; i < k; i++) {
          String source = SOURCES[rnd.nextInt(SOURCES.length)];
          String g = given;
          String d = dob;
          if (rnd.nextDouble() < 0.1) {
            int at = rnd.nextInt(g.length());
            g = g.substring(0, at) + (char) ('A' + rnd.nextInt(26)) + g.substring(at + 1); // typo
          }
          if (rnd.nextDouble() < 0.05 && Integer.parseInt(dob.substring(8)) <= 12) {
            d = dob.substring(0, 5) + dob.substring(8) + "-" + dob.substring(5, 7); // day and month swapped
          } else if (rnd.nextDouble() < 0.04) {
            d = String.format("%d-%s", 1930 + rnd.nextInt(75), dob.substring(5)); // wrong year
          }
          String n = source.equals("fire_home_safety_visits") || rnd.nextDouble() < 0.1 ? null : nhs;
          out.get(m).add(rec(source, "r" + next[0]++, m, n, g, family, d, sex, postcode));
        }
      }
    }
    // planted: one woman recorded under her maiden and married names at two addresses (two persons
    // in the history), whom a GP and an A&E record of the refresh month join
    out.get("2024-01").add(rec("fire_home_safety_visits", "x1", "2024-01", null, "MARGARET", "OSBORNE", "1948-03-17", "F", "ME14 5AB"));
    out.get("2024-01").add(rec("fire_home_safety_visits", "x2", "2024-01", null, "MARGARET", "PEMBERTON", "1948-03-17", "F", "TN23 4JK"));
    out.get("2024-02").add(rec("gp_events", "x3", "2024-02", "m1", "MARGARET", "PEMBERTON", "1948-03-17", "F", "ME14 5AB"));
    out.get("2024-02").add(rec("ae_attendances", "x4", "2024-02", "m1", "MARGARET", "PEMBERTON", "1948-03-17", "F", "ME14 5AB"));
    // planted: an NHS number whose new record contradicts its date of birth (a conflict in a refresh)
    out.get("2024-01").add(rec("gp_events", "z1", "2024-01", "z9", "WINIFRED", "ASHCOMBE", "1955-02-20", "F", "CT2 7EF"));
    out.get("2024-01").add(rec("gp_events", "z2", "2024-01", "z9", "WINIFRED", "ASHCOMBE", "1955-02-20", "F", "CT2 7EF"));
    out.get("2024-02").add(rec("ae_attendances", "z3", "2024-02", "z9", "WINIFRED", "ASHCOMBE", "1965-02-20", "F", "CT2 7EF"));
    // planted: an NHS number with a conflict in the history, whose person a new record without an
    // NHS number joins (its group is verified again though it has no new record)
    out.get("2024-01").add(rec("gp_events", "q1", "2024-01", "q9", "CUTHBERT", "ALDERTON", "1944-07-09", "M", "TN1 1AA"));
    out.get("2024-01").add(rec("gp_events", "q2", "2024-01", "q9", "CUTHBERT", "ALDERTON", "1944-07-09", "M", "TN1 1AA"));
    out.get("2024-01").add(rec("gp_events", "q3", "2024-01", "q9", "CUTHBERT", "ALDERTON", "1954-07-09", "M", "TN1 1AA"));
    out.get("2024-02").add(rec("fire_home_safety_visits", "q4", "2024-02", null, "CUTHBERT", "ALDERTON", "1944-07-09", "M",
        "TN1 1AA"));
    // planted: an NHS number seen once in the history, then twice with another date of birth: its
    // group's mode changes, so the history's record becomes a conflict (its group verified again)
    out.get("2024-01").add(rec("gp_events", "w1", "2024-01", "w9", "HORACE", "WAINWRIGHT", "1950-05-05", "M", "BR1 1ZZ"));
    out.get("2024-02").add(rec("gp_events", "w2", "2024-02", "w9", "HORACE", "WAINWRIGHT", "1951-06-06", "M", "BR1 1ZZ"));
    out.get("2024-02").add(rec("ae_attendances", "w3", "2024-02", "w9", "HORACE", "WAINWRIGHT", "1951-06-06", "M", "BR1 1ZZ"));
    // planted: a man seen once by the fire service, then at A&E without his NHS number
    out.get("2024-01").add(rec("fire_home_safety_visits", "y1", "2024-01", null, "REGINALD", "FOTHERINGHAM", "1939-11-05", "M", "DA11 0GH"));
    out.get("2024-02").add(rec("ae_attendances", "y2", "2024-02", null, "REGINALD", "FOTHERINGHAM", "1939-11-05", "M", "DA11 0GH"));
    return out;
  }

  private static void write(SparkSession spark, Warehouse w, List<Row> rows) {
    Map<String, List<Row>> bySource = new LinkedHashMap<>();
    rows.forEach(r -> bySource.computeIfAbsent(r.getString(0), s -> new ArrayList<>()).add(r));
    bySource.forEach((s, rs) -> KidRecords.write(spark, w, s, rs));
  }

  /** record key -> {person_id, method}. */
  private static Map<String, String[]> links(SparkSession spark, Warehouse w) {
    Map<String, String[]> m = new HashMap<>();
    for (Row r : DeltaIO.read(spark, w.table(Zone.LINKED, "record_links")).collectAsList()) {
      m.put(r.getAs("source") + "/" + r.getAs("record_id"), new String[] {r.getAs("person_id"), r.getAs("method")});
    }
    return m;
  }
}
