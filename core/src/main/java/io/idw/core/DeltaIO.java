package io.idw.core;

import io.delta.tables.DeltaTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Delta Lake reads and writes for warehouse tables. Every write returns a {@link WriteResult} with
 * the table version it committed, so that jobs can record exactly what they produced.
 */
public final class DeltaIO {
  private DeltaIO() {}

  /** The alias of the target table in {@link #merge}'s condition. */
  public static final String MERGE_TARGET = "t";

  /** True if a Delta table exists at the reference. */
  public static boolean exists(SparkSession spark, TableRef table) {
    return DeltaTable.isDeltaTable(spark, table.location());
  }

  /** The latest version of the table; throws {@code core.table.missing} if absent. */
  public static long latestVersion(SparkSession spark, TableRef table) {
    requireExists(spark, table);
    Row last = DeltaTable.forPath(spark, table.location()).history(1).select("version").first();
    return last.getLong(0);
  }

  /** The latest version of the table. */
  public static Dataset<Row> read(SparkSession spark, TableRef table) {
    requireExists(spark, table);
    return spark.read().format("delta").load(table.location());
  }

  /** The table as of a version (Delta time travel). */
  public static Dataset<Row> read(SparkSession spark, TableRef table, long version) {
    if (version < 0) {
      throw CoreErrors.tableVersionMissing(table.qualifiedName(), version, latestVersion(spark, table));
    }
    // Delta resolves the version when the table is loaded, so the table's history is read only when
    // that fails (to say why)
    try {
      return spark.read().format("delta").option("versionAsOf", version).load(table.location());
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's terms
      throw failedRead(spark, table, version, e);
    }
  }

  private static RuntimeException failedRead(SparkSession spark, TableRef table, long version, Exception e) {
    requireExists(spark, table);
    long latest = latestVersion(spark, table);
    if (version > latest) {
      return CoreErrors.tableVersionMissing(table.qualifiedName(), version, latest);
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  /** Appends rows, creating the table if needed. */
  public static WriteResult append(Dataset<Row> rows, TableRef table) {
    rows.write().format("delta").mode(SaveMode.Append).save(table.location());
    return lastCommit(rows.sparkSession(), table);
  }

  /**
   * Creates the table from {@code rows} with the given table properties, rows and properties in one
   * commit (CREATE TABLE AS SELECT; every column nullable). Throws if the table exists.
   */
  public static WriteResult createAs(Dataset<Row> rows, TableRef table, Map<String, String> properties) {
    var w = rows.writeTo(sqlName(table)).using("delta");
    properties.forEach(w::tableProperty);
    try {
      w.create();
    } catch (Exception e) {
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e);
    }
    return lastCommit(rows.sparkSession(), table);
  }

  /**
   * Inserts {@code rows}, every one of which satisfies {@code predicate} (a SQL condition on the
   * table's columns), into a table that holds no row satisfying it: an overwrite with Delta's
   * {@code replaceWhere}, which replaces nothing but, unlike a blind append, records the predicate as
   * read, so a concurrent writer that commits rows satisfying it first makes this commit fail
   * (ConcurrentAppendException) instead of both adding them; cheaper than a MERGE (no scan of the
   * table for matches). Run again after it committed, it replaces the rows with the same rows.
   */
  public static WriteResult insertWhereNone(Dataset<Row> rows, TableRef table, String predicate) {
    rows.write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", predicate).save(table.location());
    return lastCommit(rows.sparkSession(), table);
  }

  /**
   * {@link #insertWhereNone} for rows whose {@code column} is among {@code values}, when the table
   * exists and holds no row with such a value (Delta's file statistics answer that without reading
   * rows for values no file's range covers); null otherwise, and nothing is written (the caller
   * then merges, e.g. a re-run that finds the rows it inserted before a crash).
   */
  public static WriteResult insertIfNone(Dataset<Row> rows, TableRef table, String column, List<?> values) {
    SparkSession spark = rows.sparkSession();
    if (values.isEmpty() || !exists(spark, table)
        || !read(spark, table).where(org.apache.spark.sql.functions.col(column).isin(values.toArray())).isEmpty()) {
      return null;
    }
    String in = values.stream().map(v -> "'" + String.valueOf(v).replace("'", "''") + "'").collect(Collectors.joining(", "));
    return insertWhereNone(rows, table, "`" + column.replace("`", "``") + "` IN (" + in + ")");
  }

  /** Replaces the table's content (a new version; old versions remain for time travel). */
  public static WriteResult overwrite(Dataset<Row> rows, TableRef table) {
    rows.write().format("delta").mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true").save(table.location());
    return lastCommit(rows.sparkSession(), table);
  }

  /**
   * MERGE on key columns. {@link MergeMode#INSERT_NEW} inserts only rows whose key is new, so
   * re-merging the same rows changes nothing; {@link MergeMode#UPSERT} also updates matched rows.
   * The table is created from {@code rows} if it does not exist. Source keys must be unique.
   */
  public static WriteResult merge(Dataset<Row> rows, TableRef table, List<String> keys, MergeMode mode) {
    return merge(rows, table, keys, mode, null);
  }

  /**
   * As {@link #merge(Dataset, TableRef, List, MergeMode)}, with a condition on the target's columns
   * (qualified with {@link #MERGE_TARGET}, e.g. {@code col("t.extract_month").isin(...)}) that every
   * target row a source row can match satisfies: Delta then reads only the files whose statistics
   * allow it. Null means none.
   */
  public static WriteResult merge(Dataset<Row> rows, TableRef table, List<String> keys, MergeMode mode,
      Column targetFilter) {
    if (keys == null || keys.isEmpty()) {
      throw CoreErrors.mergeKeysMissing(table.qualifiedName());
    }
    SparkSession spark = rows.sparkSession();
    if (!exists(spark, table)) {
      return append(rows, table);
    }
    String cond = keys.stream()
        .map(k -> MERGE_TARGET + ".`" + k + "` <=> s.`" + k + "`")
        .collect(Collectors.joining(" AND "));
    long before = latestVersion(spark, table);
    Column on = org.apache.spark.sql.functions.expr(cond);
    if (targetFilter != null) {
      on = on.and(targetFilter);
    }
    var builder = DeltaTable.forPath(spark, table.location()).as(MERGE_TARGET)
        .merge(rows.as("s"), on);
    if (mode == MergeMode.UPSERT) {
      builder = builder.whenMatched().updateAll();
    }
    builder.whenNotMatched().insertAll().execute();
    WriteResult r = lastCommit(spark, table);
    // Delta commits nothing when an insert-only merge finds nothing new.
    return r.version() == before ? new WriteResult(table, before, "NOOP", Map.of()) : r;
  }

  /** The table property that lets DELETE, UPDATE and MERGE mark changed rows instead of rewriting their files. */
  public static final String DELETION_VECTORS = "delta.enableDeletionVectors";

  /** True when the table has {@value #DELETION_VECTORS} set to true. */
  public static boolean deletionVectorsEnabled(SparkSession spark, TableRef table) {
    // the table's properties only (its metadata), not DESCRIBE DETAIL, which also sums the sizes of
    // every file of the table in a Spark job
    for (Row r : spark.sql("SHOW TBLPROPERTIES " + sqlName(table)).collectAsList()) {
      if (DELETION_VECTORS.equals(r.getString(0))) {
        return "true".equalsIgnoreCase(r.getString(1));
      }
    }
    return false;
  }

  /**
   * Turns deletion vectors on for an existing table (one commit that upgrades the table's protocol;
   * nothing when they are on already): a MERGE that changes a few rows spread over many files then
   * writes those rows and a small vector per file, not the whole files. Rows deleted this way stay
   * in their files until {@link #purgeDeletionVectors} rewrites them; anything that must remove rows
   * physically (erasure) calls it. Returns true when the table changed.
   */
  public static boolean enableDeletionVectors(SparkSession spark, TableRef table) {
    requireExists(spark, table);
    if (deletionVectorsEnabled(spark, table)) {
      return false;
    }
    spark.sql("ALTER TABLE " + sqlName(table) + " SET TBLPROPERTIES ('"
        + DELETION_VECTORS + "' = 'true')");
    return true;
  }

  /**
   * Rewrites every file of the table that has a deletion vector, without the rows it marks (REORG
   * TABLE ... APPLY (PURGE)), so deleted rows are left only in files the table no longer references,
   * which VACUUM deletes after the retention window. Nothing for a table without deletion vectors.
   */
  public static void purgeDeletionVectors(SparkSession spark, TableRef table) {
    requireExists(spark, table);
    if (deletionVectorsEnabled(spark, table)) {
      spark.sql("REORG TABLE " + sqlName(table) + " APPLY (PURGE)");
    }
  }

  /** The table's path as a SQL identifier ({@code delta.`path`}, backquotes doubled). */
  private static String sqlName(TableRef table) {
    return "delta.`" + table.location().replace("`", "``") + "`";
  }

  /** Deletes rows matching a condition. */
  public static WriteResult delete(SparkSession spark, TableRef table, Column condition) {
    requireExists(spark, table);
    DeltaTable.forPath(spark, table.location()).delete(condition);
    return lastCommit(spark, table);
  }

  /**
   * Runs a write to a table other jobs may write at the same time (shared audit and profile
   * tables), retrying it when Delta's optimistic concurrency control refuses the commit because
   * another writer committed first: two processes creating the same table, or appending to it, or
   * replacing disjoint slices of an unpartitioned table. A refused commit wrote nothing, so the
   * write must be safe to run again as a whole (an append of rows not yet there, or a replaceWhere
   * overwrite). After {@code attempts} refusals the last exception is thrown.
   */
  public static <T> T retryingConflicts(int attempts, java.util.function.Supplier<T> write) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    for (int i = 1; ; i++) {
      try {
        return write.get();
      } catch (org.apache.spark.sql.delta.DeltaConcurrentModificationException e) {
        if (i >= attempts) {
          throw e;
        }
        try {
          Thread.sleep(100L * i + java.util.concurrent.ThreadLocalRandom.current().nextLong(100));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** How {@link #merge} treats rows whose key already exists. */
  public enum MergeMode {
    INSERT_NEW,
    UPSERT
  }

  private static void requireExists(SparkSession spark, TableRef table) {
    if (!exists(spark, table)) {
      throw CoreErrors.tableMissing(table.qualifiedName(), table.path());
    }
  }

  /** The table's newest commit as a {@link WriteResult} (version, operation, row metrics). */
  public static WriteResult lastCommitOf(SparkSession spark, TableRef table) {
    requireExists(spark, table);
    return lastCommit(spark, table);
  }

  private static WriteResult lastCommit(SparkSession spark, TableRef table) {
    Row h = DeltaTable.forPath(spark, table.location()).history(1)
        .select("version", "operation", "operationMetrics").first();
    Map<String, Long> metrics = new HashMap<>();
    if (!h.isNullAt(2)) {
      Map<String, String> raw = CollectionConverters.asJava(h.<String, String>getMap(2));
      raw.forEach((k, v) -> {
        try {
          metrics.put(k, Long.parseLong(v));
        } catch (NumberFormatException ignored) {
          // non-numeric metrics (none expected) are left out
        }
      });
    }
    return new WriteResult(table, h.getLong(0), h.getString(1), metrics);
  }
}
