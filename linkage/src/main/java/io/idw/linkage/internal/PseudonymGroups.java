package io.idw.linkage.internal;

import static org.apache.spark.sql.functions.col;

import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.WriteResult;
import io.idw.linkage.DeterministicLinker;
import io.idw.linkage.LinkColumns;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The linked zone's {@code pseudonym_groups} table: one row per valid NHS pseudonym of the linked
 * records ({@link DeterministicLinker.Result#groups()}: {@code nhs_pseudonym, tokens, mode_dob,
 * mode_sex, n_verified, hub}), so a refresh verifies a new record against its group's counts
 * instead of reading the group. Written before record_links; a run interrupted after writing it
 * leaves counts that no longer add up to the linked records, and the next run derives the table
 * again from them ({@link #counted}: the refresh compares the count with the linked records).
 */
public final class PseudonymGroups {
  /** The table's name in the linked zone. */
  public static final String TABLE = "pseudonym_groups";
  /** Its columns, in order. */
  public static final List<String> COLUMNS = List.of(LinkColumns.NHS_PSEUDONYM, DeterministicLinker.TOKENS,
      DeterministicLinker.MODE_DOB, DeterministicLinker.MODE_SEX, DeterministicLinker.N_VERIFIED, DeterministicLinker.HUB);

  private PseudonymGroups() {}

  /** The rows in the table's column order. */
  public static Dataset<Row> select(Dataset<Row> groups) {
    return groups.select(COLUMNS.stream().map(functions::col).toArray(Column[]::new));
  }

  /** The table's rows and the records they count (the sum of their tokens' counts). */
  public record Counted(Dataset<Row> rows, long total) {}

  /** The table as the last run left it with its record count, or null when it is absent. */
  public static Counted counted(SparkSession spark, TableRef table) {
    if (!DeltaIO.exists(spark, table)) {
      return null;
    }
    Dataset<Row> rows = select(DeltaIO.read(spark, table));
    Row sum = rows.agg(functions.sum(functions.aggregate(col(DeterministicLinker.TOKENS + "." + DeterministicLinker.N),
        functions.lit(0L), (a, x) -> a.plus(x)))).first();
    return new Counted(rows, sum.isNullAt(0) ? 0 : sum.getLong(0));
  }

  /** Replaces the whole table with {@code groups} (a full derivation); nothing is committed when equal. */
  public static WriteResult replace(Dataset<Row> groups, TableRef table) {
    Dataset<Row> rows = select(groups).localCheckpoint();
    SparkSession spark = rows.sparkSession();
    if (!DeltaIO.exists(spark, table)) {
      return DeltaIO.append(rows, table);
    }
    Dataset<Row> existing = select(DeltaIO.read(spark, table));
    if (rows.exceptAll(existing).isEmpty() && existing.exceptAll(rows).isEmpty()) {
      return null;
    }
    return DeltaIO.overwrite(rows, table);
  }

  /** Upserts the rows of the groups a refresh changed; nothing is committed when none differ. */
  public static WriteResult upsert(Dataset<Row> groups, TableRef table) {
    return ChangedRows.upsert(select(groups), table, List.of(LinkColumns.NHS_PSEUDONYM), COLUMNS);
  }
}
