package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Verified pseudonym groups: the modes, verified counts and hubs of small hand-counted groups, and
 * the property the monthly refresh rests on: a group's summary from its old summary's token counts
 * plus the new records' equals the summary of all its records.
 */
@SparkTest
class DeterministicLinkerTest {
  private static final StructType SCHEMA = new StructType().add(LinkColumns.RECORD_KEY, DataTypes.StringType)
      .add(LinkColumns.SOURCE, DataTypes.StringType).add(LinkColumns.RECORD_ID, DataTypes.StringType)
      .add(LinkColumns.NHS_PSEUDONYM, DataTypes.StringType).add(LinkColumns.NHS_STATUS, DataTypes.StringType)
      .add(LinkColumns.TOK_DOB, DataTypes.StringType).add(LinkColumns.TOK_SEX, DataTypes.StringType);

  private static Row r(String id, String pseudonym, String status, String dob, String sex) {
    return RowFactory.create("s/" + id, "s", id, pseudonym, status, dob, sex);
  }

  @Test
  void groupsHoldModesVerifiedCountsAndHubsAsCountedByHand(SparkSession spark) {
    Dataset<Row> recs = spark.createDataFrame(List.of(
        // p1: DOB A twice, B once; sex M: A and M are the modes, a3 contradicts
        r("a1", "p1", "valid", "A", "M"), r("a2", "p1", "valid", "A", "M"), r("a3", "p1", "valid", "B", "M"),
        // p2: one each: the modes are the least values (A, F), and each record contradicts one
        r("b1", "p2", "valid", "A", "M"), r("b2", "p2", "valid", "B", "F"),
        // p3: missing tokens contradict nothing
        r("c1", "p3", "valid", null, null), r("c2", "p3", "valid", "C", "F"),
        // p4: one record; x1 is not valid and is in no group
        r("d1", "p4", "valid", "D", "M"), r("x1", "p5", "invalid", "D", "M")), SCHEMA);
    DeterministicLinker.Result det = DeterministicLinker.link(recs);
    Map<String, Row> g = new HashMap<>();
    det.groups().collectAsList().forEach(x -> g.put(x.getString(0), x));
    assertThat(g).containsOnlyKeys("p1", "p2", "p3", "p4");
    assertGroup(g.get("p1"), "A", "M", 2, "s/a1");
    assertGroup(g.get("p2"), "A", "F", 0, null);
    assertGroup(g.get("p3"), "C", "F", 2, "s/c1");
    assertGroup(g.get("p4"), "D", "M", 1, null);
    assertThat(g.get("p1").<scala.collection.Seq<Row>>getAs(DeterministicLinker.TOKENS).size()).isEqualTo(2);
    Map<String, Boolean> resolved = new HashMap<>();
    det.resolved().collectAsList().forEach(x -> resolved.put(x.getString(0), x.getBoolean(1)));
    assertThat(resolved).containsEntry("s/a1", true).containsEntry("s/a2", true).containsEntry("s/a3", false)
        .containsEntry("s/b1", false).containsEntry("s/b2", false).containsEntry("s/c1", true).containsEntry("s/c2", true)
        .containsEntry("s/d1", false).containsEntry("s/x1", false);
    assertThat(det.conflicts().collectAsList()).extracting(x -> x.getString(0) + ":" + x.getString(4))
        .containsExactlyInAnyOrder("s/a3:dob_mismatch", "s/b1:sex_mismatch", "s/b2:dob_mismatch");
  }

  private static void assertGroup(Row g, String dob, String sex, long verified, String hub) {
    assertThat(g.<String>getAs(DeterministicLinker.MODE_DOB)).isEqualTo(dob);
    assertThat(g.<String>getAs(DeterministicLinker.MODE_SEX)).isEqualTo(sex);
    assertThat(g.<Long>getAs(DeterministicLinker.N_VERIFIED)).isEqualTo(verified);
    assertThat(g.<String>getAs(DeterministicLinker.HUB)).isEqualTo(hub);
  }

  @Test
  void summaryOfOldCountsPlusNewRecordsEqualsSummaryOfAllRecords(SparkSession spark) {
    Random rnd = new Random(7);
    String[] dobs = {"A", "B", "C", null};
    String[] sexes = {"F", "M", null};
    List<Row> old = new ArrayList<>();
    List<Row> fresh = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      Row x = r("r" + i, "p" + rnd.nextInt(80), "valid", dobs[rnd.nextInt(dobs.length)], sexes[rnd.nextInt(sexes.length)]);
      (rnd.nextDouble() < 0.3 ? fresh : old).add(x);
    }
    Dataset<Row> oldRecs = spark.createDataFrame(old, SCHEMA);
    Dataset<Row> freshRecs = spark.createDataFrame(fresh, SCHEMA);
    // as a refresh does: the old groups' token counts exploded, the new records' added
    Dataset<Row> oldCombos = DeterministicLinker.link(oldRecs).groups()
        .select(col(LinkColumns.NHS_PSEUDONYM), org.apache.spark.sql.functions.explode(col(DeterministicLinker.TOKENS)).as("t"))
        .select(col(LinkColumns.NHS_PSEUDONYM), col("t.tok_dob").as(LinkColumns.TOK_DOB), col("t.tok_sex").as(LinkColumns.TOK_SEX),
            col("t.n").as(DeterministicLinker.N));
    Dataset<Row> freshCombos = freshRecs.groupBy(LinkColumns.NHS_PSEUDONYM, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX)
        .agg(count(lit(1)).as(DeterministicLinker.N));
    Dataset<Row> merged = DeterministicLinker.summarise(oldCombos.unionByName(freshCombos)
        .groupBy(LinkColumns.NHS_PSEUDONYM, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX)
        .agg(org.apache.spark.sql.functions.sum(DeterministicLinker.N).as(DeterministicLinker.N)));
    Dataset<Row> all = DeterministicLinker.link(oldRecs.unionByName(freshRecs)).groups().drop(DeterministicLinker.HUB);
    assertThat(all.count()).isEqualTo(old.stream().map(x -> x.getString(3)).distinct().count()
        + fresh.stream().map(x -> x.getString(3)).filter(q -> old.stream().noneMatch(o -> o.getString(3).equals(q))).distinct()
            .count());
    assertThat(merged.exceptAll(all).count()).isZero();
    assertThat(all.exceptAll(merged).count()).isZero();
    // and the verified counts add up to what the records say, derived here record by record
    Map<String, Map<String, Integer>> dobCounts = new HashMap<>();
    List<Row> everything = new ArrayList<>(old);
    everything.addAll(fresh);
    everything.forEach(x -> {
      if (x.getString(5) != null) {
        dobCounts.computeIfAbsent(x.getString(3), k -> new HashMap<>()).merge(x.getString(5), 1, Integer::sum);
      }
    });
    for (Row g : all.collectAsList()) {
      Map<String, Integer> c = dobCounts.getOrDefault(g.getString(0), Map.of());
      int best = c.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      String expected = c.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).sorted().findFirst()
          .orElse(null);
      assertThat(g.<String>getAs(DeterministicLinker.MODE_DOB)).as(g.getString(0)).isEqualTo(expected);
    }
  }
}
