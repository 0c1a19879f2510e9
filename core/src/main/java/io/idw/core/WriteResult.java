package io.idw.core;

import java.util.Map;
import java.util.Objects;

/**
 * What a Delta write produced: the table, the version it committed, the operation and its row
 * metrics as Delta recorded them in the commit ({@code numOutputRows}, {@code
 * numTargetRowsInserted}, ...).
 */
public record WriteResult(TableRef table, long version, String operation, Map<String, Long> metrics) {
  public WriteResult {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(operation, "operation");
    metrics = Map.copyOf(metrics);
  }

  /** Rows written by an append/overwrite, or inserted by a merge. */
  public long rowsInserted() {
    if (metrics.containsKey("numTargetRowsInserted")) {
      return metrics.get("numTargetRowsInserted");
    }
    return metrics.getOrDefault("numOutputRows", 0L);
  }

  /** Rows updated by a merge; 0 for other operations. */
  public long rowsUpdated() {
    return metrics.getOrDefault("numTargetRowsUpdated", 0L);
  }

  /** Rows deleted by a delete or merge; 0 for other operations. */
  public long rowsDeleted() {
    return metrics.getOrDefault("numTargetRowsDeleted", metrics.getOrDefault("numDeletedRows", 0L));
  }
}
