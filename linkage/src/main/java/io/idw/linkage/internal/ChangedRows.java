package io.idw.linkage.internal;

import static org.apache.spark.sql.functions.col;

import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.WriteResult;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Delta MERGE of only the rows that are new or differ (null-safely) from the table, so that
 * re-running a refresh that changes nothing commits nothing.
 */
public final class ChangedRows {
  private ChangedRows() {}

  /**
   * @param compare the columns whose difference makes a row changed (others, like the run id, are
   *     carried but not compared)
   * @return the write, or null when nothing changed
   */
  public static WriteResult upsert(Dataset<Row> rows, TableRef table, List<String> keys, List<String> compare) {
    if (!DeltaIO.exists(rows.sparkSession(), table)) {
      return rows.isEmpty() ? null : DeltaIO.append(rows, table);
    }
    Dataset<Row> existing = DeltaIO.read(rows.sparkSession(), table)
        .select(compare.stream().map(c -> col(c).as("__e_" + c)).toArray(Column[]::new));
    Column same = null;
    for (String c : compare) {
      Column eq = rows.col(c).eqNullSafe(existing.col("__e_" + c));
      same = same == null ? eq : same.and(eq);
    }
    Dataset<Row> changed = rows.join(existing, same, "left_anti").localCheckpoint();
    if (changed.isEmpty()) {
      return null;
    }
    return DeltaIO.merge(changed, table, keys, DeltaIO.MergeMode.UPSERT);
  }
}
