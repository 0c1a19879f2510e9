package io.idw.linkage.internal;

import static org.apache.spark.sql.functions.col;

import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.WriteResult;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Delta MERGE of only the rows that are new or differ (null-safely) from the table, so that
 * re-running a refresh that changes nothing commits nothing.
 */
public final class ChangedRows {
  /** The most changed rows broadcast to the MERGE (a refresh's groups and spine rows are up to a few hundred bytes each). */
  static final long MAX_BROADCAST = 500_000;

  private ChangedRows() {}

  /**
   * @param keys the MERGE keys, among {@code compare}
   * @param compare the columns whose difference makes a row changed (others, like the run id, are
   *     carried but not compared)
   * @return the write, or null when nothing changed
   */
  public static WriteResult upsert(Dataset<Row> rows, TableRef table, List<String> keys, List<String> compare) {
    if (!compare.containsAll(keys)) {
      throw new IllegalArgumentException("the keys " + keys + " must be among the compared columns " + compare);
    }
    if (!DeltaIO.exists(rows.sparkSession(), table)) {
      return rows.isEmpty() ? null : DeltaIO.append(rows, table);
    }
    // a table row equal to some row has that row's key: a Bloom filter of the rows' keys keeps the
    // table's other rows out of the comparison's shuffle (a refresh changes few of them)
    rows = rows.localCheckpoint();
    Dataset<Row> existing = BloomKeys.prefilter(DeltaIO.read(rows.sparkSession(), table), rows, keys)
        .select(compare.stream().map(c -> col(c).as("__e_" + c)).toArray(Column[]::new));
    Column same = null;
    for (String c : compare) {
      Column eq = rows.col(c).eqNullSafe(existing.col("__e_" + c));
      same = same == null ? eq : same.and(eq);
    }
    Dataset<Row> changed = rows.join(existing, same, "left_anti").localCheckpoint();
    long n = changed.count();
    if (n == 0) {
      return null;
    }
    // a few changed rows are broadcast: the MERGE's scans for matched rows then join without
    // shuffling the table (its insert pass still shuffles)
    return DeltaIO.merge(n <= MAX_BROADCAST ? functions.broadcast(changed) : changed, table, keys, DeltaIO.MergeMode.UPSERT);
  }
}
