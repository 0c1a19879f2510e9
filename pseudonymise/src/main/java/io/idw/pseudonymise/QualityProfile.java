package io.idw.pseudonymise;

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
   * {@code _extract_month}).
   */
  public static List<QualityProfile> compute(Dataset<Row> validated, SourceSpec spec) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("rows_in"));
    aggs.add(sum(when(col(REASON).isNull(), 1).otherwise(0)).as("loaded"));
    for (SourceSpec.Column c : spec.columns()) {
      Column raw = col("`_raw_" + c.name() + "`");
      aggs.add(sum(when(raw.isNotNull().and(functions.trim(raw).notEqual("")), 1).otherwise(0)).as("c_" + c.name()));
    }
    aggs.add(functions.countDistinct(col("`" + spec.recordId() + "`")).as("distinct_ids"));
    aggs.add(sum(when(col("`" + spec.recordId() + "`").isNotNull(), 1).otherwise(0)).as("with_id"));
    if (spec.eventDate() != null) {
      Column ev = functions.date_format(col("`" + spec.eventDate().column() + "`"), "yyyy-MM");
      aggs.add(sum(when(ev.isNull(), 1).otherwise(0)).as("t_missing"));
      aggs.add(sum(when(ev.equalTo(col(MONTH)), 1).otherwise(0)).as("t_in_month"));
      aggs.add(sum(when(ev.lt(col(MONTH)), 1).otherwise(0)).as("t_before_month"));
      aggs.add(sum(when(ev.gt(col(MONTH)), 1).otherwise(0)).as("t_after_month"));
    }
    Map<String, Row> byMonth = new TreeMap<>();
    for (Row r : validated.groupBy(col(MONTH)).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
        .collectAsList()) {
      byMonth.put(r.getString(0), r);
    }
    Map<String, Map<String, Long>> nhs = nested(validated.where(col(NHS_STATUS).isNotNull())
        .groupBy(col(MONTH), col(NHS_STATUS)).count().collectAsList());
    Map<String, Map<String, Long>> reasons = nested(validated.where(col(REASON).isNotNull())
        .groupBy(col(MONTH), col(REASON)).count().collectAsList());

    List<QualityProfile> out = new ArrayList<>();
    for (Map.Entry<String, Row> e : byMonth.entrySet()) {
      Row r = e.getValue();
      long rowsIn = r.getLong(r.fieldIndex("rows_in"));
      long loaded = r.getLong(r.fieldIndex("loaded"));
      Map<String, Double> completeness = new LinkedHashMap<>();
      for (SourceSpec.Column c : spec.columns()) {
        completeness.put(c.name(), rowsIn == 0 ? 0.0 : r.getLong(r.fieldIndex("c_" + c.name())) / (double) rowsIn);
      }
      Map<String, Long> timeliness = new LinkedHashMap<>();
      if (spec.eventDate() != null) {
        for (String t : List.of("in_month", "before_month", "after_month", "missing")) {
          timeliness.put(t, r.getLong(r.fieldIndex("t_" + t)));
        }
      }
      long dups = r.getLong(r.fieldIndex("with_id")) - r.getLong(r.fieldIndex("distinct_ids"));
      out.add(new QualityProfile(spec.name(), e.getKey(), rowsIn, loaded, rowsIn - loaded, completeness,
          nhs.getOrDefault(e.getKey(), Map.of()), dups, timeliness, reasons.getOrDefault(e.getKey(), Map.of())));
    }
    return out;
  }

  private static Map<String, Map<String, Long>> nested(List<Row> rows) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    for (Row r : rows) {
      m.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
    }
    return m;
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
