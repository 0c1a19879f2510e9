package io.idw.linkage.internal;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * Pre-filters of a large frame by a Spark {@link BloomFilter} of a small frame's 64-bit values,
 * broadcast to the tasks: the large frame is read in one scan with no shuffle, and only rows that
 * may match go on (false positives are possible and must be harmless or removed by an exact join;
 * there are no false negatives).
 */
public final class BloomKeys {
  /** The false-positive rate the filters are sized for. */
  public static final double FPP = 1e-4;
  private static final String V = "__bloom_v";

  private BloomKeys() {}

  /**
   * A filter of every non-null value of the long {@code value} expression over {@code rows}, sized
   * for {@code expected} values.
   */
  public static Broadcast<BloomFilter> of(Dataset<Row> rows, Column value, long expected) {
    Dataset<Row> values = rows.select(value.as(V)).where(col(V).isNotNull());
    // Spark's aggregate yields no filter for no rows: an empty filter then
    BloomFilter bf = values.isEmpty() ? BloomFilter.create(1, FPP) : values.stat().bloomFilter(V, Math.max(1, expected), FPP);
    return JavaSparkContext.fromSparkContext(rows.sparkSession().sparkContext()).broadcast(bf);
  }

  /** True when some non-null value among {@code values} (long expressions) may be in the filter. */
  public static Column mightContainAny(Broadcast<BloomFilter> filter, List<Column> values) {
    UserDefinedFunction f = functions.udf((UDF1<Long, Boolean>) v -> v != null && filter.value().mightContainLong(v),
        DataTypes.BooleanType);
    Column any = functions.lit(false);
    for (Column v : values) {
      any = any.or(f.apply(v));
    }
    return any;
  }

  /**
   * The rows of {@code big} whose {@code cols} equal some row of {@code small}'s (a left semi join),
   * computed by first keeping the rows whose hashed {@code cols} may be in a Bloom filter of
   * {@code small}'s, so that only those are shuffled for the exact join.
   *
   * @return {@code big}'s columns
   */
  public static Dataset<Row> semiJoin(Dataset<Row> big, Dataset<Row> small, List<String> cols) {
    Dataset<Row> keys = small.select(cols.stream().map(functions::col).toArray(Column[]::new)).distinct().localCheckpoint();
    return prefilter(big, keys, cols).join(keys, scala.jdk.javaapi.CollectionConverters.asScala(cols).toSeq(), "left_semi");
  }

  /**
   * The rows of {@code big} whose hashed {@code cols} may be among {@code small}'s: a superset of the
   * matching rows (about {@link #FPP} of the others pass), for an exact join to follow.
   *
   * @return {@code big}'s columns
   */
  public static Dataset<Row> prefilter(Dataset<Row> big, Dataset<Row> small, List<String> cols) {
    Column[] c = cols.stream().map(functions::col).toArray(Column[]::new);
    Dataset<Row> values = small.select(functions.xxhash64(c).as(V));
    Broadcast<BloomFilter> bf = of(values, col(V), values.count());
    return big.where(mightContainAny(bf, List.of(functions.xxhash64(c))));
  }
}
