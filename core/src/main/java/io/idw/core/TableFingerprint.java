package io.idw.core;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * An order-independent fingerprint of a table's content, for checking that two runs produced the
 * same data (a cluster run against a local one, a re-run after a crash against an uninterrupted
 * run) and that a table holds no duplicate rows.
 *
 * <p>Each value is hashed with Spark's {@code xxhash64}; a column's checksum is the sum of its
 * value hashes and the table's checksum the sum of its row hashes (exact decimal sums, so row
 * order and partitioning do not matter). Doubles and floats are rounded to {@code doubleScale}
 * decimals first, so that summation order on different partitionings does not count as a
 * difference; maps are hashed as JSON. {@code distinctRows} counts distinct row hashes.
 *
 * @param table        qualified table name, {@code zone.name}
 * @param version      the Delta version fingerprinted
 * @param rows         row count
 * @param distinctRows distinct rows (over the columns fingerprinted)
 * @param checksum     sum of row hashes, as a decimal string
 * @param columns      column name → sum of its value hashes, for the columns fingerprinted
 */
public record TableFingerprint(String table, long version, long rows, long distinctRows, String checksum,
    Map<String, String> columns) {

  public TableFingerprint {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(checksum, "checksum");
    columns = Map.copyOf(columns);
  }

  /** Default rounding of doubles and floats before hashing. */
  public static final int DEFAULT_DOUBLE_SCALE = 6;

  /**
   * Fingerprints {@code rows} in one pass, leaving out the columns {@code exclude} accepts (for
   * example load timestamps or run ids that legitimately differ between runs).
   */
  public static TableFingerprint of(String table, long version, Dataset<Row> rows,
      Predicate<String> exclude, int doubleScale) {
    List<String> names = new ArrayList<>();
    List<Column> hashed = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      if (exclude.test(f.name())) {
        continue;
      }
      Column c = col("`" + f.name() + "`");
      if (f.dataType().equals(DataTypes.DoubleType) || f.dataType().equals(DataTypes.FloatType)) {
        c = round(c, doubleScale);
      } else if (f.dataType() instanceof MapType) {
        c = to_json(c);
      }
      names.add(f.name());
      hashed.add(c.as(f.name()));
    }
    if (names.isEmpty()) {
      return new TableFingerprint(table, version, rows.count(), Math.min(1, rows.count()), "0", Map.of());
    }
    Dataset<Row> h = rows.select(hashed.toArray(Column[]::new));
    List<Column> aggs = new ArrayList<>();
    Column rowHash = xxhash64(names.stream().map(n -> col("`" + n + "`")).toArray(Column[]::new));
    aggs.add(count(lit(1)));
    aggs.add(count_distinct(rowHash));
    aggs.add(decimalSum(rowHash));
    for (String n : names) {
      aggs.add(decimalSum(xxhash64(col("`" + n + "`"))));
    }
    Row r = h.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    Map<String, String> cols = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      cols.put(names.get(i), r.get(3 + i).toString());
    }
    return new TableFingerprint(table, version, r.getLong(0), r.getLong(1), r.get(2).toString(), cols);
  }

  private static Column decimalSum(Column hash) {
    return coalesce(sum(hash.cast("decimal(38,0)")), lit(0).cast("decimal(38,0)"));
  }

  /**
   * Fingerprints every Delta table of every zone at its latest version, in zone then name order,
   * except tables whose qualified name {@code excludeTable} accepts.
   */
  public static List<TableFingerprint> ofWarehouse(SparkSession spark, Warehouse w,
      Predicate<String> excludeTable, Predicate<String> exclude, int doubleScale) {
    List<TableFingerprint> out = new ArrayList<>();
    for (Zone z : Zone.values()) {
      for (TableRef t : w.tables(z)) {
        if (excludeTable.test(t.qualifiedName()) || !DeltaIO.exists(spark, t)) {
          continue; // excluded, or a folder whose first write never committed (no version yet)
        }
        long v = DeltaIO.latestVersion(spark, t);
        out.add(of(t.qualifiedName(), v, DeltaIO.read(spark, t, v), exclude, doubleScale));
      }
    }
    return out;
  }

  /**
   * The differences in content between this fingerprint and another of the same table, one line
   * each (rows, duplicates, and which columns differ); empty when they hold the same data. The
   * Delta version is not compared: two runs may reach the same content in different commits.
   */
  public List<String> differences(TableFingerprint other) {
    List<String> d = new ArrayList<>();
    if (rows != other.rows) {
      d.add(table + ": " + rows + " rows vs " + other.rows);
    }
    if (distinctRows != other.distinctRows) {
      d.add(table + ": " + distinctRows + " distinct rows vs " + other.distinctRows);
    }
    TreeSet<String> all = new TreeSet<>(columns.keySet());
    all.addAll(other.columns.keySet());
    List<String> differing = new ArrayList<>();
    for (String c : all) {
      if (!Objects.equals(columns.get(c), other.columns.get(c))) {
        differing.add(c + (columns.containsKey(c) ? other.columns.containsKey(c) ? "" : " (only here)" : " (only there)"));
      }
    }
    if (!differing.isEmpty()) {
      d.add(table + ": columns differ: " + String.join(", ", differing));
    } else if (!checksum.equals(other.checksum)) {
      d.add(table + ": same column sums but rows combine values differently");
    }
    return d;
  }

  /**
   * Compares two warehouse fingerprints table by table; returns one line per difference, including
   * tables present on one side only. Empty means the same content.
   */
  public static List<String> compare(List<TableFingerprint> a, List<TableFingerprint> b) {
    Map<String, TableFingerprint> mb = new LinkedHashMap<>();
    b.forEach(f -> mb.put(f.table(), f));
    List<String> d = new ArrayList<>();
    for (TableFingerprint f : a) {
      TableFingerprint g = mb.remove(f.table());
      if (g == null) {
        d.add(f.table() + ": only in the first");
      } else {
        d.addAll(f.differences(g));
      }
    }
    mb.keySet().forEach(t -> d.add(t + ": only in the second"));
    return d;
  }

  /** True if no row appears twice. */
  public boolean noDuplicates() {
    return rows == distinctRows;
  }
}
