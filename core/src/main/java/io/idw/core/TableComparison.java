package io.idw.core;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Compares two versions of a table (for example the same table written by a local run and by a
 * cluster run) row by row: strict for every column except floating-point results, whose last bits
 * follow the order Spark summed them in.
 *
 * <ul>
 *   <li>Exact columns (everything but doubles, floats and the JSON columns): compared as
 *       multisets through {@link TableFingerprint} (row count, distinct rows, per-column checksums),
 *       byte for byte; strings, integers, pseudonyms and person ids must be identical.</li>
 *   <li>Double and float columns: rows are paired by the hash of their exact columns (then by the
 *       tolerant values, for rows whose exact columns are alike) and each pair must agree within
 *       {@code |a - b| <= max(relative * max(|a|, |b|), absolute)}; nulls and NaNs only with
 *       themselves. A relative bound is independent of the values' magnitude, unlike rounding to a
 *       fixed number of decimals, which also fails whenever two close values straddle a rounding
 *       boundary.</li>
 *   <li>JSON columns (strings holding a JSON document, e.g. a run's {@code result_json}): parsed
 *       and compared structurally, numbers within the same tolerance, object keys that hold times
 *       ({@link #TIME_KEYS}: creation times, wall seconds, timings) left out.</li>
 * </ul>
 */
public final class TableComparison {
  private TableComparison() {}

  /** Default relative tolerance (ample for sums of up to millions of terms in another order). */
  public static final double DEFAULT_RELATIVE = 1e-9;
  /** Default absolute tolerance, for values that should be zero. */
  public static final double DEFAULT_ABSOLUTE = 1e-12;
  /** Keys of JSON objects holding times or durations, left out of a JSON comparison. */
  public static final Pattern TIME_KEYS = Pattern.compile("^(generatedAt|created_at|.*_at|.*[Ss]econds|.*_ms|timings?|.*_time)$");

  /**
   * How to compare.
   *
   * @param excludeColumn columns left out altogether (run ids, load times)
   * @param jsonColumn    string columns holding JSON, compared structurally
   * @param relative      relative tolerance for floating-point numbers
   * @param absolute      absolute tolerance for floating-point numbers near zero
   */
  public record Options(Predicate<String> excludeColumn, Predicate<String> jsonColumn, double relative, double absolute) {}

  /**
   * The result for one table.
   *
   * @param table       qualified table name
   * @param differences one line per difference; empty when the table is equal
   * @param identical   true when even the floating-point and JSON columns are equal bit for bit
   */
  public record Result(String table, List<String> differences, boolean identical) {
    public boolean equal() {
      return differences.isEmpty();
    }
  }

  /** Compares {@code a} (first) with {@code b} (second). */
  public static Result compare(String table, Dataset<Row> a, Dataset<Row> b, Options o) {
    List<String> d = new ArrayList<>();
    List<String> exact = new ArrayList<>();
    List<String> tolerantNames = new ArrayList<>();
    List<Boolean> isJson = new ArrayList<>();
    TreeSet<String> onlyA = new TreeSet<>();
    TreeSet<String> onlyB = new TreeSet<>(List.of(b.columns()));
    for (StructField f : a.schema().fields()) {
      String n = f.name();
      if (o.excludeColumn().test(n)) {
        onlyB.remove(n);
        continue;
      }
      if (!onlyB.remove(n)) {
        onlyA.add(n);
        continue;
      }
      StructField g = b.schema().apply(n);
      if (!g.dataType().equals(f.dataType())) {
        d.add(table + ": column " + n + " is " + f.dataType().simpleString() + " vs " + g.dataType().simpleString());
        continue;
      }
      boolean floating = f.dataType().equals(DataTypes.DoubleType) || f.dataType().equals(DataTypes.FloatType);
      boolean json = f.dataType().equals(DataTypes.StringType) && o.jsonColumn().test(n);
      if (floating || json) {
        tolerantNames.add(n);
        isJson.add(json);
      } else {
        exact.add(n);
      }
    }
    onlyB.removeIf(o.excludeColumn());
    onlyA.forEach(n -> d.add(table + ": column " + n + " only in the first"));
    onlyB.forEach(n -> d.add(table + ": column " + n + " only in the second"));
    if (!d.isEmpty()) {
      return new Result(table, d, false);
    }
    Predicate<String> notExact = n -> !exact.contains(n);
    TableFingerprint fa = TableFingerprint.of(table, 0, a, notExact, TableFingerprint.DEFAULT_DOUBLE_SCALE);
    TableFingerprint fb = TableFingerprint.of(table, 0, b, notExact, TableFingerprint.DEFAULT_DOUBLE_SCALE);
    d.addAll(fa.differences(fb));
    if (!d.isEmpty() || tolerantNames.isEmpty()) {
      return new Result(table, d, d.isEmpty());
    }
    // pair the rows: same exact columns (by hash), then in order of the tolerant values
    Dataset<Row> ka = keyed(a, exact, tolerantNames, "l");
    Dataset<Row> kb = keyed(b, exact, tolerantNames, "r");
    Dataset<Row> j = ka.join(kb, scala.jdk.javaapi.CollectionConverters.asScala(List.of("_k", "_rn")).toSeq(), "full_outer");
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(when(col("_l").isNull().or(col("_r").isNull()), 1).otherwise(0)));
    double rel = o.relative();
    double abs = o.absolute();
    var jsonSame = functions.udf((UDF2<String, String, Boolean>) (x, y) -> sameJson(x, y, rel, abs), DataTypes.BooleanType);
    for (int i = 0; i < tolerantNames.size(); i++) {
      Column l = col("l" + i);
      Column r = col("r" + i);
      Column within;
      Column relDiff;
      if (isJson.get(i)) {
        within = l.eqNullSafe(r).or(coalesce(jsonSame.apply(l, r), lit(false)));
        relDiff = lit(null).cast("double");
      } else {
        Column scale = greatest(abs(l), abs(r));
        within = l.eqNullSafe(r).or(coalesce(abs(l.minus(r)).leq(greatest(scale.multiply(rel), lit(abs))), lit(false)));
        relDiff = when(scale.gt(0), abs(l.minus(r)).divide(scale));
      }
      aggs.add(sum(when(functions.not(within), 1).otherwise(0)));
      aggs.add(sum(when(functions.not(l.eqNullSafe(r)), 1).otherwise(0)));
      aggs.add(max(relDiff));
    }
    Row r = j.agg(count(lit(1)), aggs.toArray(Column[]::new)).first();
    long unpaired = r.getLong(1);
    if (unpaired > 0) {
      d.add(table + ": " + unpaired + " rows do not pair up by their exact columns");
    }
    boolean identical = unpaired == 0;
    for (int i = 0; i < tolerantNames.size(); i++) {
      long beyond = r.getLong(2 + 3 * i);
      long notBitwise = r.getLong(3 + 3 * i);
      Object maxRel = r.get(4 + 3 * i);
      identical &= notBitwise == 0;
      if (beyond > 0) {
        d.add(table + ": column " + tolerantNames.get(i) + ": " + beyond + " of " + r.getLong(0) + " rows differ beyond "
            + (isJson.get(i) ? "JSON equality (numbers within " + rel + ", times left out)" : "relative " + rel)
            + (maxRel == null ? "" : " (largest relative difference " + maxRel + ")"));
      }
    }
    return new Result(table, d, identical);
  }

  private static Dataset<Row> keyed(Dataset<Row> t, List<String> exact, List<String> tolerant, String side) {
    List<Column> sel = new ArrayList<>();
    sel.add((exact.isEmpty() ? lit(0L) : xxhash64(exact.stream().map(n -> hashable(t, n))
        .toArray(Column[]::new))).as("_k"));
    List<Column> order = new ArrayList<>();
    for (int i = 0; i < tolerant.size(); i++) {
      Column c = col(q(tolerant.get(i)));
      if (t.schema().apply(tolerant.get(i)).dataType().equals(DataTypes.FloatType)) {
        c = c.cast("double");
      }
      sel.add(c.as(side + i));
      order.add(col(side + i));
    }
    sel.add(lit(true).as("_" + side));
    Dataset<Row> k = t.select(sel.toArray(Column[]::new));
    return k.withColumn("_rn", row_number().over(Window.partitionBy(col("_k")).orderBy(order.toArray(Column[]::new))));
  }

  /** xxhash64 cannot hash maps: they are hashed as JSON, as in {@link TableFingerprint}. */
  private static Column hashable(Dataset<Row> t, String n) {
    return t.schema().apply(n).dataType() instanceof org.apache.spark.sql.types.MapType ? functions.to_json(col(q(n))) : col(q(n));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** True when two JSON documents are equal up to numbers within tolerance and time keys. */
  public static boolean sameJson(String x, String y, double rel, double abs) {
    if (x == null || y == null) {
      return x == null && y == null;
    }
    try {
      return same(JSON.readTree(x), JSON.readTree(y), rel, abs);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  private static boolean same(JsonNode a, JsonNode b, double rel, double abs) {
    if (a.isNumber() && b.isNumber()) {
      double x = a.asDouble();
      double y = b.asDouble();
      return x == y || Math.abs(x - y) <= Math.max(rel * Math.max(Math.abs(x), Math.abs(y)), abs)
          || (Double.isNaN(x) && Double.isNaN(y));
    }
    if (a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (TIME_KEYS.matcher(k).matches()) {
          continue;
        }
        if (!a.has(k) || !b.has(k) || !same(a.get(k), b.get(k), rel, abs)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<JsonNode> i = a.elements();
      Iterator<JsonNode> k = b.elements();
      while (i.hasNext()) {
        if (!same(i.next(), k.next(), rel, abs)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static String q(String c) {
    return "`" + c.replace("`", "``") + "`";
  }
}
