package io.idw.core;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The person moves a monthly refresh has not yet written into the linked zone's activity tables.
 *
 * <p>When a refresh merges or splits persons, a few hundred old records a month change {@code
 * person_id}. Rewriting their rows in place costs a Delta MERGE per activity table (it reads every
 * file holding a moved row). Instead, the refresh upserts each moved record's new person into the
 * linked table {@value #TABLE} ({@code source, record_id, person_id, link_run}, one row per
 * record), and every read of an activity table applies it ({@link #resolve}): merge on read, as
 * Delta's deletion vectors are. {@code record_links} always holds every record's current person.
 *
 * <p>{@link #materialise} writes the pending moves into the activity tables and empties the table.
 * It runs before anything that depends on the stored {@code person_id} itself: the full linkage path
 * (it compares with the previous links), erasure (it deletes by person), and a refresh that finds
 * more than its bound of pending moves (so the table stays small enough to broadcast). Every state
 * between its steps reads the same through {@link #resolve}.
 */
public final class PersonMoves {
  private PersonMoves() {}

  /** The linked-zone table of pending moves. */
  public static final String TABLE = "person_moves";

  public static final String SOURCE = "source";
  public static final String RECORD_ID = "record_id";
  public static final String PERSON_ID = "person_id";
  public static final String LINK_RUN = "link_run";

  /** The linked tables whose person_id is always current, so moves are never applied to them. */
  private static final Set<String> CURRENT = Set.of(TABLE, "record_links");

  /** The pending moves table of a warehouse. */
  public static TableRef table(Warehouse w) {
    return w.table(Zone.LINKED, TABLE);
  }

  /** True when a linked table's rows take pending moves: it has record_id and person_id, and is not record_links or the moves table. */
  public static boolean applies(String tableName, String[] columns) {
    List<String> c = List.of(columns);
    return !CURRENT.contains(tableName) && c.contains(RECORD_ID) && c.contains(PERSON_ID);
  }

  /** Pending moves (0 when the table does not exist). */
  public static long pending(SparkSession spark, Warehouse w) {
    TableRef t = table(w);
    return DeltaIO.exists(spark, t) ? DeltaIO.read(spark, t).count() : 0;
  }

  /** The latest version of the moves table, or -1 when it does not exist. */
  public static long version(SparkSession spark, Warehouse w) {
    TableRef t = table(w);
    return DeltaIO.exists(spark, t) ? DeltaIO.latestVersion(spark, t) : -1;
  }

  /**
   * {@code rows} of the linked table {@code tableName} with each moved record's current person: the
   * same columns in the same order, {@code person_id} replaced where a pending move names the
   * record (matched on {@code source} and {@code record_id} when the rows have a source column, else
   * on {@code record_id} among the moves of source {@code tableName}). Rows of tables moves do not
   * apply to ({@link #applies}) and warehouses without pending moves come back unchanged.
   */
  public static Dataset<Row> resolve(SparkSession spark, Warehouse w, String tableName, Dataset<Row> rows) {
    return resolve(spark, w, tableName, rows, -1);
  }

  /**
   * {@link #resolve(SparkSession, Warehouse, String, Dataset)} with the moves as of {@code
   * movesVersion} ({@link #version}; -1: the latest), so a caller that records the version it read
   * reads exactly that one.
   */
  public static Dataset<Row> resolve(SparkSession spark, Warehouse w, String tableName, Dataset<Row> rows, long movesVersion) {
    TableRef t = table(w);
    if (!applies(tableName, rows.columns()) || !DeltaIO.exists(spark, t)) {
      return rows;
    }
    boolean bySource = List.of(rows.columns()).contains(SOURCE);
    Dataset<Row> moves = movesVersion < 0 ? DeltaIO.read(spark, t) : DeltaIO.read(spark, t, movesVersion);
    if (!bySource) {
      moves = moves.where(col(SOURCE).equalTo(tableName));
    }
    moves = moves.select(col(SOURCE).as("__move_s"), col(RECORD_ID).as("__move_r"), col(PERSON_ID).as("__move_p"));
    Column on = rows.col(RECORD_ID).equalTo(col("__move_r"));
    if (bySource) {
      on = on.and(rows.col(SOURCE).equalTo(col("__move_s")));
    }
    List<Column> out = new ArrayList<>();
    for (String c : rows.columns()) {
      out.add(c.equals(PERSON_ID) ? coalesce(col("__move_p"), rows.col(PERSON_ID)).as(PERSON_ID) : rows.col(c));
    }
    return rows.join(broadcast(moves), on, "left").select(out.toArray(Column[]::new));
  }

  /**
   * Upserts moves ({@code source, record_id, person_id}: each record's new person) with the run that
   * made them; a record already pending takes its newer person. Re-recording the same moves changes
   * nothing. Returns the rows inserted or updated.
   */
  public static long record(Dataset<Row> moves, Warehouse w, String linkRun) {
    SparkSession spark = moves.sparkSession();
    Dataset<Row> rows = moves.select(col(SOURCE), col(RECORD_ID), col(PERSON_ID), lit(linkRun).as(LINK_RUN));
    TableRef t = table(w);
    if (!DeltaIO.exists(spark, t)) {
      return DeltaIO.createAs(rows, t, Map.of()).rowsInserted();
    }
    long before = DeltaIO.latestVersion(spark, t);
    DeltaTable.forPath(spark, t.location()).as("t")
        .merge(broadcast(rows).as("s"), "t.source = s.source AND t.record_id = s.record_id")
        .whenMatched("NOT (t.person_id <=> s.person_id)").updateAll()
        .whenNotMatched().insertAll()
        .execute();
    WriteResult r = DeltaIO.lastCommitOf(spark, t);
    return r.version() == before ? 0 : r.rowsInserted() + r.rowsUpdated();
  }

  /**
   * Writes every pending move into the linked tables it applies to (a MERGE per table that updates
   * only rows whose person differs), then empties the moves table. Idempotent: interrupted at any
   * point, running it again finishes the job, and reads through {@link #resolve} see the same rows
   * in every state between. Returns the rows updated per table (tables with none left out).
   */
  public static Map<String, Long> materialise(SparkSession spark, Warehouse w) {
    TableRef t = table(w);
    Map<String, Long> updated = new LinkedHashMap<>();
    if (!DeltaIO.exists(spark, t)) {
      return updated;
    }
    Dataset<Row> moves = DeltaIO.read(spark, t).select(SOURCE, RECORD_ID, PERSON_ID).localCheckpoint();
    if (moves.isEmpty()) {
      return updated;
    }
    for (TableRef a : w.tables(Zone.LINKED)) {
      String[] cols = DeltaIO.read(spark, a).columns();
      if (!applies(a.name(), cols)) {
        continue;
      }
      boolean bySource = List.of(cols).contains(SOURCE);
      Dataset<Row> s = bySource ? moves : moves.where(col(SOURCE).equalTo(a.name()));
      String on = "t.record_id = s.record_id AND NOT (t.person_id <=> s.person_id)" + (bySource ? " AND t.source = s.source" : "");
      long before = DeltaIO.latestVersion(spark, a);
      DeltaTable.forPath(spark, a.location()).as("t")
          .merge(broadcast(s).as("s"), on)
          .whenMatched().updateExpr(Map.of(PERSON_ID, "s." + PERSON_ID))
          .execute();
      WriteResult r = DeltaIO.lastCommitOf(spark, a);
      if (r.version() != before && r.rowsUpdated() > 0) {
        updated.put(a.name(), r.rowsUpdated());
      }
    }
    DeltaIO.delete(spark, t, lit(true));
    return updated;
  }
}
