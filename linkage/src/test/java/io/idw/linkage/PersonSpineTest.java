package io.idw.linkage;

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
 * Person ids kept across runs: a hand-worked case of the rules (most records keep an id, a merged
 * id, a split id, new ids after the largest in cluster order), and the driver's computation equal
 * to Spark's on seeded random clusterings with weights and ties.
 */
@SparkTest
class PersonSpineTest {
  private static final StructType CLUSTERS = new StructType().add(LinkColumns.RECORD_KEY, DataTypes.StringType)
      .add(LinkColumns.CLUSTER_ID, DataTypes.StringType).add(PersonSpine.WEIGHT, DataTypes.LongType);
  private static final StructType PREVIOUS = new StructType().add(LinkColumns.RECORD_KEY, DataTypes.StringType)
      .add(LinkColumns.PERSON_ID, DataTypes.StringType);

  @Test
  void rulesByHand(SparkSession spark) {
    // c1 holds P1's 3 records and P2's 1: P1 keeps c1, P2 (all its records in c1) is merged into it.
    // P3 has 2 records in c2 and 1 in c3: it keeps c2 and its record in c3 is a split. c3 and c4
    // had no id of their own: new ids after P000000007, in cluster order (c3, c4)
    Dataset<Row> clusters = spark.createDataFrame(List.of(
        RowFactory.create("a", "c1", 3L), RowFactory.create("b", "c1", 1L), RowFactory.create("c", "c2", 2L),
        RowFactory.create("d", "c3", 1L), RowFactory.create("e", "c4", 1L)), CLUSTERS);
    Dataset<Row> previous = spark.createDataFrame(List.of(RowFactory.create("a", "P000000001"),
        RowFactory.create("b", "P000000002"), RowFactory.create("c", "P000000003"), RowFactory.create("d", "P000000003")),
        PREVIOUS);
    for (boolean driver : List.of(false, true)) {
      PersonSpine.Assignment a = driver ? PersonSpine.assignOnDriver(clusters, previous, 7)
          : PersonSpine.assign(clusters, previous, 7);
      Map<String, String> ids = new HashMap<>();
      a.records().collectAsList().forEach(r -> ids.put(r.getString(0), r.getString(1)));
      assertThat(ids).as("driver=%s", driver).containsEntry("a", "P000000001").containsEntry("b", "P000000001")
          .containsEntry("c", "P000000003").containsEntry("d", "P000000008").containsEntry("e", "P000000009").hasSize(5);
      assertThat(a.events().collectAsList()).extracting(r -> r.getString(0) + " " + r.getString(1) + "->" + r.getString(2)
          + " " + r.getLong(3)).containsExactlyInAnyOrder("merge P000000002->P000000001 1", "split P000000003->P000000008 1");
    }
  }

  @Test
  void driverEqualsSpark(SparkSession spark) {
    for (long seed = 1; seed <= 4; seed++) {
      Random rnd = new Random(seed);
      List<Row> clusters = new ArrayList<>();
      List<Row> previous = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String key = "k" + i;
        // few clusters and previous ids, small weights: many ties
        clusters.add(RowFactory.create(key, "c" + rnd.nextInt(60), 1L + rnd.nextInt(3)));
        if (rnd.nextDouble() < 0.7) {
          previous.add(RowFactory.create(key, String.format("P%09d", 1 + rnd.nextInt(80))));
        }
      }
      Dataset<Row> c = spark.createDataFrame(clusters, CLUSTERS);
      Dataset<Row> p = spark.createDataFrame(previous, PREVIOUS);
      PersonSpine.Assignment s = PersonSpine.assign(c, p, 80);
      PersonSpine.Assignment d = PersonSpine.assignOnDriver(c, p, 80);
      assertThat(d.records().count()).isEqualTo(400);
      assertThat(d.records().exceptAll(s.records()).count()).as("seed %s", seed).isZero();
      assertThat(s.records().exceptAll(d.records()).count()).as("seed %s", seed).isZero();
      assertThat(s.events().count()).as("seed %s: events happen", seed).isPositive();
      assertThat(d.events().exceptAll(s.events()).count()).as("seed %s", seed).isZero();
      assertThat(s.events().exceptAll(d.events()).count()).as("seed %s", seed).isZero();
    }
  }

  @Test
  void driverOrderIsUtf8ByteOrder(SparkSession spark) {
    // strings mixing ASCII, U+00E9, U+FF21 (above the surrogates in UTF-16) and U+1F600 (a
    // surrogate pair): the comparison's sign equals that of the strings' UTF-8 bytes, and sorting
    // by it gives Spark's order
    String[] parts = {"a", "b", "\u00e9", "\uff21", "\ud83d\ude00", "0"};
    Random rnd = new Random(11);
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = rnd.nextInt(5); n > 0; n--) {
        b.append(parts[rnd.nextInt(parts.length)]);
      }
      strings.add(b.toString());
    }
    for (String a : strings) {
      for (String b : strings) {
        int bytes = java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Integer.signum(PersonSpine.compareUtf8(a, b))).as("%s vs %s", a, b).isEqualTo(Integer.signum(bytes));
      }
    }
    List<String> sorted = new ArrayList<>(strings);
    sorted.sort(PersonSpine::compareUtf8);
    List<String> bySpark = spark.createDataset(strings, org.apache.spark.sql.Encoders.STRING()).orderBy("value")
        .collectAsList();
    assertThat(sorted).isEqualTo(bySpark);
  }
}
