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
    // one partial filter per core, not per input partition: each is sized for every value, and
    // merging a hundred of them on one task cost more than building them
    int cores = Math.max(1, rows.sparkSession().sparkContext().defaultParallelism());
    Dataset<Row> values = rows.select(value.as(V)).where(col(V).isNotNull()).coalesce(cores);
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
   * Several filters tested in one call per row: bit {@code i} of the result is set when some
   * non-null value of {@code values} at an index in {@code indexes.get(i)} may be in {@code
   * filters.get(i)}. One UDF call per row (rather than one per value and filter) makes a scan that
   * tests many values against many filters several times cheaper; it is marked non-deterministic
   * so Spark evaluates it once per row even when both a filter and a projection use its result.
   *
   * <p>Filter {@code i} is tested only when bit {@code requires[i]} (an earlier filter; -1 for none)
   * is set, so bit i is set only with that bit. That loses nothing where bit i is used only together
   * with its required bit, or where filter i holds a subset of its required filter's values tested
   * at the same indexes (a value the required filter rejects is in neither). Each probe costs a few
   * random memory reads, so a row that fails a broad filter is spared the narrower ones.
   *
   * @param values long expressions
   * @return an int column of flags
   */
  public static Column flags(List<Broadcast<BloomFilter>> filters, List<int[]> indexes, int[] requires, List<Column> values) {
    if (filters.size() != indexes.size() || filters.size() != requires.length || filters.size() > 31) {
      throw new IllegalArgumentException("one index list and one requirement per filter, at most 31 filters");
    }
    for (int i = 0; i < requires.length; i++) {
      if (requires[i] >= i) {
        throw new IllegalArgumentException("filter " + i + " can only require an earlier filter, not " + requires[i]);
      }
    }
    int[] req = requires.clone();
    UserDefinedFunction f = functions.udf((UDF1<Row, Integer>) r -> {
      int out = 0;
      for (int i = 0; i < filters.size(); i++) {
        if (req[i] >= 0 && (out & (1 << req[i])) == 0) {
          continue;
        }
        BloomFilter bf = filters.get(i).value();
        for (int at : indexes.get(i)) {
          if (!r.isNullAt(at) && bf.mightContainLong(r.getLong(at))) {
            out |= 1 << i;
            break;
          }
        }
      }
      return out;
    }, DataTypes.IntegerType).asNondeterministic();
    Column[] named = new Column[values.size()];
    for (int i = 0; i < named.length; i++) {
      named[i] = values.get(i).cast("long").as("v" + i);
    }
    return f.apply(functions.struct(named));
  }

  /** True when bit {@code bit} of a {@link #flags} column is set. */
  public static Column hasFlag(Column flags, int bit) {
    return flags.bitwiseAND(1 << bit).notEqual(0);
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
