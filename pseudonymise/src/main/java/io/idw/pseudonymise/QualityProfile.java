package io.idw.pseudonymise;

import static io.idw.pseudonymise.internal.ExtractValidation.DUPLICATE;
import static io.idw.pseudonymise.internal.ExtractValidation.MONTH;
import static io.idw.pseudonymise.internal.ExtractValidation.NHS_STATUS;
import static io.idw.pseudonymise.internal.ExtractValidation.REASON;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.idw.core.SourceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The data-quality profile of one source's extract month: rows in, loaded and quarantined (with
 * reasons), completeness per declared column (share of rows with a non-blank value), NHS-number
 * validity, duplicate record ids, and timeliness (event date in, before or after the extract month).
 * It holds counts and column names only, never values.
 */
@JsonPropertyOrder({"source", "extractMonth", "rowsIn", "loaded", "quarantined", "completeness", "nhsStatus",
    "duplicateRecordIds", "timeliness", "quarantineReasons"})
public record QualityProfile(
    String source,
    String extractMonth,
    long rowsIn,
    long loaded,
    long quarantined,
    Map<String, Double> completeness,
    Map<String, Long> nhsStatus,
    long duplicateRecordIds,
    Map<String, Long> timeliness,
    Map<String, Long> quarantineReasons) {

  /** The Delta table's schema (long format: one row per measure). */
  public static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType).add("extract_month", DataTypes.StringType)
      .add("measure", DataTypes.StringType).add("item", DataTypes.StringType)
      .add("count", DataTypes.LongType).add("share", DataTypes.DoubleType);

  /**
   * Computes a profile per extract month from validated rows (the output of ingest's validation:
   * raw columns as {@code _raw_<name>}, typed columns, {@code _reason}, {@code _nhs_status},
   * {@code _duplicate}, {@code _extract_month}). One Spark job: counts are aggregated per month,
   * NHS status and quarantine reason, then folded per month on the driver.
   */
  public static List<QualityProfile> compute(Dataset<Row> validated, SourceSpec spec) {
    List<String> names = new ArrayList<>();
    List<Column> aggs = new ArrayList<>();
    names.add("rows_in");
    aggs.add(count(lit(1)));
    for (SourceSpec.Column c : spec.columns()) {
      Column raw = col("`_raw_" + c.name() + "`");
      names.add("c_" + c.name());
      aggs.add(sum(when(raw.isNotNull().and(functions.trim(raw).notEqual("")), 1L).otherwise(0L)));
    }
    names.add("duplicates");
    aggs.add(sum(when(col(DUPLICATE), 1L).otherwise(0L)));
    List<String> times = List.of("in_month", "before_month", "after_month", "missing");
    if (spec.eventDate() != null) {
      Column ev = functions.date_format(col("`" + spec.eventDate().column() + "`"), "yyyy-MM");
      List<Column> conds = List.of(ev.equalTo(col(MONTH)), ev.lt(col(MONTH)), ev.gt(col(MONTH)), ev.isNull());
      for (int i = 0; i < times.size(); i++) {
        names.add("t_" + times.get(i));
        aggs.add(sum(when(conds.get(i), 1L).otherwise(0L)));
      }
    }
    List<Column> named = new ArrayList<>();
    for (int i = 0; i < aggs.size(); i++) {
      named.add(aggs.get(i).as(names.get(i)));
    }
    Map<String, long[]> totals = new TreeMap<>();
    Map<String, Map<String, Long>> nhs = new TreeMap<>();
    Map<String, Map<String, Long>> reasons = new TreeMap<>();
    for (Row r : validated.groupBy(col(MONTH), col(NHS_STATUS), col(REASON))
        .agg(named.get(0), named.subList(1, named.size()).toArray(new Column[0])).collectAsList()) {
      String month = r.getString(0);
      long[] t = totals.computeIfAbsent(month, k -> new long[names.size()]);
      for (int i = 0; i < names.size(); i++) {
        t[i] += r.getLong(3 + i);
      }
      long n = r.getLong(3);
      if (!r.isNullAt(1)) {
        nhs.computeIfAbsent(month, k -> new TreeMap<>()).merge(r.getString(1), n, Long::sum);
      }
      if (!r.isNullAt(2)) {
        reasons.computeIfAbsent(month, k -> new TreeMap<>()).merge(r.getString(2), n, Long::sum);
      }
    }

    List<QualityProfile> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      long[] t = e.getValue();
      long rowsIn = t[names.indexOf("rows_in")];
      long quarantined = reasons.getOrDefault(e.getKey(), Map.of()).values().stream().mapToLong(Long::longValue).sum();
      Map<String, Double> completeness = new LinkedHashMap<>();
      for (SourceSpec.Column c : spec.columns()) {
        completeness.put(c.name(), rowsIn == 0 ? 0.0 : t[names.indexOf("c_" + c.name())] / (double) rowsIn);
      }
      Map<String, Long> timeliness = new LinkedHashMap<>();
      if (spec.eventDate() != null) {
        for (String x : times) {
          timeliness.put(x, t[names.indexOf("t_" + x)]);
        }
      }
      out.add(new QualityProfile(spec.name(), e.getKey(), rowsIn, rowsIn - quarantined, quarantined, completeness,
          nhs.getOrDefault(e.getKey(), Map.of()), t[names.indexOf("duplicates")], timeliness,
          reasons.getOrDefault(e.getKey(), Map.of())));
    }
    return out;
  }

  /** The profile as rows of {@link #SCHEMA}. */
  public List<Row> rows() {
    List<Row> out = new ArrayList<>();
    double n = Math.max(rowsIn, 1);
    out.add(RowFactory.create(source, extractMonth, "rows", "in", rowsIn, 1.0));
    out.add(RowFactory.create(source, extractMonth, "rows", "loaded", loaded, loaded / n));
    out.add(RowFactory.create(source, extractMonth, "rows", "quarantined", quarantined, quarantined / n));
    completeness.forEach((c, v) -> out.add(RowFactory.create(source, extractMonth, "completeness", c,
        Math.round(v * rowsIn), v)));
    nhsStatus.forEach((s, v) -> out.add(RowFactory.create(source, extractMonth, "nhs_status", s, v, v / n)));
    out.add(RowFactory.create(source, extractMonth, "duplicates", "record_id", duplicateRecordIds, duplicateRecordIds / n));
    timeliness.forEach((t, v) -> out.add(RowFactory.create(source, extractMonth, "timeliness", t, v, v / n)));
    quarantineReasons.forEach((t, v) -> out.add(RowFactory.create(source, extractMonth, "quarantine_reason", t, v, v / n)));
    return out;
  }

  /** All profiles as one Dataset of {@link #SCHEMA}. */
  public static Dataset<Row> toDataset(SparkSession spark, List<QualityProfile> profiles) {
    List<Row> rows = new ArrayList<>();
    profiles.forEach(p -> rows.addAll(p.rows()));
    return spark.createDataFrame(rows, SCHEMA);
  }
}
