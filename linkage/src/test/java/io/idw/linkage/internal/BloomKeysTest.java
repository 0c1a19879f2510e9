package io.idw.linkage.internal;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.sketch.BloomFilter;
import org.junit.jupiter.api.Test;

/**
 * {@link BloomKeys#flags}: one call per row sets bit i exactly when a value at filter i's indexes is
 * a member (no false negatives), checked against membership derived in the test; false positives
 * stay near the filters' rate.
 */
@SparkTest
class BloomKeysTest {
  @Test
  void flagsSetEveryMembersBitAndFewOthers(SparkSession spark) {
    Random rnd = new Random(11);
    StructType schema = new StructType().add("a", DataTypes.LongType).add("b", DataTypes.LongType)
        .add("c", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      rows.add(RowFactory.create(rnd.nextInt(20_000) * 1L, rnd.nextBoolean() ? null : rnd.nextInt(20_000) * 1L,
          rnd.nextInt(20_000) * 1L));
    }
    Dataset<Row> d = spark.createDataFrame(rows, schema);
    // filter 0: multiples of 7 (tested on a); filter 1: multiples of 11 (tested on b and c); filter 2: empty
    List<Row> sevens = multiplesOf(7);
    List<Row> elevens = multiplesOf(11);
    StructType one = new StructType().add("v", DataTypes.LongType);
    Broadcast<BloomFilter> f7 = BloomKeys.of(spark.createDataFrame(sevens, one), col("v"), sevens.size());
    Broadcast<BloomFilter> f11 = BloomKeys.of(spark.createDataFrame(elevens, one), col("v"), elevens.size());
    Broadcast<BloomFilter> none = BloomKeys.of(spark.createDataFrame(List.of(), one), col("v"), 0);
    Column flags = BloomKeys.flags(List.of(f7, f11, none), List.of(new int[] {0}, new int[] {1, 2}, new int[] {0, 1, 2}), new int[] {-1, -1, -1},
        List.of(col("a"), col("b"), col("c")));
    List<Row> out = d.select(col("a"), col("b"), col("c"), flags.as("f")).collectAsList();
    assertThat(out).hasSize(rows.size());
    int falsePositives = 0;
    for (Row r : out) {
      int f = r.getInt(3);
      boolean in7 = r.getLong(0) % 7 == 0;
      boolean in11 = (!r.isNullAt(1) && r.getLong(1) % 11 == 0) || r.getLong(2) % 11 == 0;
      if (in7) {
        assertThat(f & 1).as("member of filter 0: %s", r).isEqualTo(1);
      }
      if (in11) {
        assertThat(f & 2).as("member of filter 1: %s", r).isEqualTo(2);
      }
      assertThat(f & 4).as("the empty filter holds nothing").isZero();
      falsePositives += (!in7 && (f & 1) != 0 ? 1 : 0) + (!in11 && (f & 2) != 0 ? 1 : 0);
    }
    // sized for a 1e-4 rate: a handful at most among 10,000 tests
    assertThat(falsePositives).isLessThan(10);
  }
  @Test
  void aFilterThatRequiresAnotherIsTestedOnlyWhereThatOneHits(SparkSession spark) {
    Random rnd = new Random(12);
    StructType schema = new StructType().add("a", DataTypes.LongType).add("c", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      rows.add(RowFactory.create(rnd.nextInt(20_000) * 1L, rnd.nextInt(20_000) * 1L));
    }
    StructType one = new StructType().add("v", DataTypes.LongType);
    List<Row> sevens = multiplesOf(7);
    List<Row> fourteens = multiplesOf(14);
    List<Row> elevens = multiplesOf(11);
    // filter 0: multiples of 7 on a; 1: multiples of 14 on a (a subset of 0's), requires 0;
    // 2: multiples of 11 on c, requires 0
    Column flags = BloomKeys.flags(List.of(BloomKeys.of(spark.createDataFrame(sevens, one), col("v"), sevens.size()),
            BloomKeys.of(spark.createDataFrame(fourteens, one), col("v"), fourteens.size()),
            BloomKeys.of(spark.createDataFrame(elevens, one), col("v"), elevens.size())),
        List.of(new int[] {0}, new int[] {0}, new int[] {1}), new int[] {-1, 0, 0}, List.of(col("a"), col("c")));
    List<Row> out = spark.createDataFrame(rows, schema).select(col("a"), col("c"), flags.as("f")).collectAsList();
    assertThat(out).hasSize(rows.size());
    int bothSevenAndEleven = 0;
    for (Row r : out) {
      int f = r.getInt(2);
      boolean in7 = r.getLong(0) % 7 == 0;
      boolean in14 = r.getLong(0) % 14 == 0;
      boolean in11 = r.getLong(1) % 11 == 0;
      if (in7) {
        assertThat(f & 1).as("member of filter 0: %s", r).isEqualTo(1);
      }
      if (in14) {
        assertThat(f & 2).as("member of the subset filter 1: %s", r).isEqualTo(2);
      }
      if (in7 && in11) {
        assertThat(f & 4).as("member of filter 2 where filter 0 hits: %s", r).isEqualTo(4);
        bothSevenAndEleven++;
      }
      if ((f & 1) == 0) {
        assertThat(f & 6).as("no bit without its required bit: %s", r).isZero();
      }
    }
    assertThat(bothSevenAndEleven).as("the case occurs in the sample").isPositive();
  }

  @Test
  void aFilterCanRequireOnlyAnEarlierOne(SparkSession spark) {
    StructType one = new StructType().add("v", DataTypes.LongType);
    Broadcast<BloomFilter> f = BloomKeys.of(spark.createDataFrame(List.of(RowFactory.create(1L)), one), col("v"), 1);
    assertThatThrownBy(() -> BloomKeys.flags(List.of(f, f), List.of(new int[] {0}, new int[] {0}), new int[] {1, -1},
        List.of(col("v")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("earlier filter");
  }

  /** One-column rows ({@code v}) of the multiples of {@code k} below 20,000. */
  private static List<Row> multiplesOf(long k) {
    List<Row> out = new ArrayList<>();
    for (long v = 0; v < 20_000; v += k) {
      out.add(RowFactory.create(v));
    }
    return out;
  }
}
