package io.idw.pseudonymise.internal;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.idw.core.IdentifierType;
import io.idw.core.SourceSpec;
import io.idw.pseudonymise.NhsNumber;
import io.idw.pseudonymise.NhsStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The validation steps of ingest, on raw extracts read as strings. Internal column names start
 * with an underscore and never reach the pseudonymised zone.
 */
public final class ExtractValidation {
  private ExtractValidation() {}

  /**
   * Input order within one split of a file ({@code monotonically_increasing_id()} of the scan):
   * consecutive within a split, but its values depend on how Spark split and packed the files, so
   * file order is ({@link #FILE}, {@link #SPLIT}, {@link #ROW}) and a line number needs
   * {@link #withLineNumbers}.
   */
  public static final String ROW = "_row";
  /** The file a row was read from ({@code input_file_name()}). */
  public static final String FILE = "_file";
  /** The byte offset in {@link #FILE} where the row's split starts ({@code input_file_block_start()}). */
  public static final String SPLIT = "_split";
  /** The row's record number in its file (see {@link #withLineNumbers}). */
  public static final String LINE = "_line";
  /** The extract month the file belongs to. */
  public static final String MONTH = "_extract_month";
  /** The replacement character a reader puts where the input's bytes were not valid text. */
  public static final String UNDECODABLE = "\uFFFD";

  /** Spark's malformed-line column. */
  public static final String CORRUPT = "_corrupt_record";
  /** Why a row is quarantined; null for rows that load. */
  public static final String REASON = "_reason";
  /** True for the second and later rows of a record id within an extract month. */
  public static final String DUPLICATE = "_duplicate";
  /** NHS number status computed before encoding. */
  public static final String NHS_STATUS = "_nhs_status";

  /**
   * Adds {@link #REASON} (null if the row is good), {@link #NHS_STATUS}, {@link #DUPLICATE} and a
   * typed copy of each declared column under its own name (the raw strings are kept as
   * {@code _raw_<name>}). Input: the declared columns as strings, {@link #ROW}, {@link #MONTH},
   * optionally {@link #CORRUPT}; other input columns pass through. Two projections (not a chain of
   * {@code withColumn}s), so the plan stays small however many columns a source declares.
   */
  public static Dataset<Row> validate(Dataset<Row> raw, SourceSpec spec) {
    List<String> inCols = List.of(raw.columns());
    List<String> declared = spec.columns().stream().map(SourceSpec.Column::name).toList();
    List<Column> typedSel = new ArrayList<>();
    for (String c : inCols) {
      if (!declared.contains(c)) {
        typedSel.add(col(q(c)));
      }
    }
    for (SourceSpec.Column c : spec.columns()) {
      Column rawCol = col(q(c.name()));
      Column blank = rawCol.isNull().or(functions.trim(rawCol).equalTo(""));
      typedSel.add(rawCol.as("_raw_" + c.name()));
      typedSel.add(when(blank, lit(null).cast(c.sparkType())).otherwise(typed(functions.trim(rawCol), c, spec)).as(c.name()));
    }
    var nhs = spec.identifierColumns().stream().filter(c -> c.identifier() == IdentifierType.NHS_NUMBER).findFirst();
    typedSel.add(nhs.isPresent()
        ? functions.udf((UDF1<String, String>) v -> NhsNumber.status(v).wire(), DataTypes.StringType)
            .apply(col(q(nhs.get().name()))).as(NHS_STATUS)
        : lit(null).cast("string").as(NHS_STATUS));
    Column recordId = col(q(spec.recordId()));
    // the first in file order: by file, split and order within the split, whatever the split sizes
    Column[] fileOrder = inCols.contains(FILE) && inCols.contains(SPLIT)
        ? new Column[] {col(FILE), col(SPLIT), col(ROW)} : new Column[] {col(ROW)};
    Column dupRank = functions.row_number().over(Window.partitionBy(col(MONTH), recordId).orderBy(fileOrder));
    typedSel.add(recordId.isNotNull().and(dupRank.gt(1)).as(DUPLICATE));
    Dataset<Row> df = raw.select(typedSel.toArray(new Column[0]));

    List<Column> reasons = new ArrayList<>();
    if (inCols.contains(CORRUPT)) {
      reasons.add(when(col(CORRUPT).isNotNull(), lit("malformed line (wrong number of fields or bad quoting)")));
    }
    for (SourceSpec.Column c : spec.columns()) {
      String n = c.name();
      Column rawCol = col(q("_raw_" + n));
      Column blank = rawCol.isNull().or(functions.trim(rawCol).equalTo(""));
      if (c.required() || n.equals(spec.recordId())) {
        reasons.add(when(blank, lit("required column " + n + " is missing")));
      }
      // the CSV reader turns bytes that are not valid in the file's charset into U+FFFD
      reasons.add(when(rawCol.contains(UNDECODABLE), lit("column " + n + " holds bytes that are not valid "
          + spec.options().getOrDefault("encoding", "UTF-8") + " text")));
      if (!c.sparkType().equals("string")) {
        reasons.add(when(functions.not(blank).and(col(q(n)).isNull()),
            lit("column " + n + " is not a valid " + c.sparkType() + (c.format() != null ? " (" + c.format() + ")" : ""))));
      }
    }
    if (nhs.isPresent() && spec.onInvalidIdentifier() == SourceSpec.InvalidIdentifierAction.QUARANTINE) {
      reasons.add(when(col(NHS_STATUS).isin(NhsStatus.INVALID_CHECK_DIGIT.wire(), NhsStatus.PLACEHOLDER.wire(),
          NhsStatus.BAD_FORMAT.wire()), functions.concat(lit("nhs_number is "), col(NHS_STATUS))));
    }
    reasons.add(when(col(DUPLICATE), lit("duplicate record id " + spec.recordId() + " in the extract (the first is kept)")));
    Column reason = functions.concat_ws("; ", reasons.toArray(new Column[0]));
    List<Column> out = new ArrayList<>();
    for (String c : df.columns()) {
      out.add(col(q(c)));
    }
    out.add(when(reason.equalTo(""), lit(null).cast("string")).otherwise(reason).as(REASON));
    return df.select(out.toArray(new Column[0]));
  }

  /**
   * Adds {@link #LINE} (long) to {@code rows}: each row's record number in its source file,
   * counting the CSV header (when {@code headerRecords} is 1) as record 1, so the first data row of a
   * CSV file is 2; for Parquet ({@code headerRecords} 0) the first row is 1. It is the physical line
   * number when no record spans lines and the file has no blank or comment lines (the CSV reader
   * skips those; a quoted field holding line breaks, read with {@code multiLine}, is one record).
   * The same for any split of the files: per ({@link #FILE}, {@link #SPLIT}) the rows before the
   * split are counted from {@code all} (every row read, e.g. the persisted validated rows, of which
   * {@code rows} is a subset with the same {@link #ROW} values), one small aggregate broadcast back.
   */
  public static Dataset<Row> withLineNumbers(Dataset<Row> rows, Dataset<Row> all, int headerRecords) {
    Dataset<Row> splits = all.groupBy(col(FILE), col(SPLIT))
        .agg(functions.min(col(ROW)).as("_first"), functions.count(lit(1)).as("_n"));
    Column before = functions.coalesce(functions.sum(col("_n")).over(Window.partitionBy(col(FILE)).orderBy(col(SPLIT))
        .rowsBetween(Window.unboundedPreceding(), -1)), lit(0L));
    Dataset<Row> base = splits.select(col(FILE), col(SPLIT),
        before.minus(col("_first")).plus(lit(headerRecords + 1L)).as("_base"));
    Dataset<Row> joined = rows.join(functions.broadcast(base),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(FILE, SPLIT)).toSeq());
    return joined.withColumn(LINE, col(ROW).plus(col("_base"))).drop("_base");
  }

  private static Column typed(Column v, SourceSpec.Column c, SourceSpec spec) {
    String t = c.sparkType();
    String fmt = c.format();
    if (fmt == null && spec.eventDate() != null && spec.eventDate().column().equals(c.name())) {
      fmt = spec.eventDate().format();
    }
    return switch (t) {
      case "string" -> v;
      case "date" -> fmt == null ? functions.try_to_date(v) : functions.try_to_date(v, fmt);
      case "timestamp" -> fmt == null ? functions.try_to_timestamp(v) : functions.try_to_timestamp(v, lit(fmt));
      case "boolean" -> booleanOf(v);
      default -> v.try_cast(t.toLowerCase(Locale.ROOT));
    };
  }

  private static Column booleanOf(Column v) {
    Column l = functions.lower(v);
    return when(l.isin("true", "t", "yes", "y", "1"), lit(true))
        .when(l.isin("false", "f", "no", "n", "0"), lit(false))
        .otherwise(lit(null).cast("boolean"));
  }

  private static String q(String c) {
    return "`" + c.replace("`", "``") + "`";
  }
}
