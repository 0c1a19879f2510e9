package io.idw.cohort;

import io.idw.governance.GovernedSession;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads through a {@link GovernedSession} once per dataset and keeps what it read, so that several
 * evaluations in one session (the demo runs three) do not re-read, re-filter for opt-outs and
 * re-key the same linked table again and again. Each dataset is read with all the columns the
 * agreement grants ({@link GovernedSession#read(String)}: decided, audited and recorded for
 * provenance once) and persisted; a read of named columns selects them from it. A column the first
 * read did not return is asked of the session itself, so a request beyond the grant is still
 * decided, refused and audited there: this class never widens access.
 *
 * <p>Call {@link #close()} to unpersist. Returned Datasets have the session's columns for the
 * dataset (see {@link GovernedSession#read(String)}).
 */
public final class GovernedReads implements Function<String, Dataset<Row>>, AutoCloseable {
  private final GovernedSession session;
  private final Map<String, Dataset<Row>> read = new LinkedHashMap<>();

  private GovernedReads(GovernedSession session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  /** Reads through {@code session}. */
  public static GovernedReads over(GovernedSession session) {
    return new GovernedReads(session);
  }

  public GovernedSession session() {
    return session;
  }

  /** The dataset with every granted column, read once and persisted. */
  public Dataset<Row> read(String dataset) {
    Dataset<Row> d = read.get(dataset);
    if (d == null) {
      d = session.read(dataset).persist(StorageLevel.MEMORY_AND_DISK());
      read.put(dataset, d);
    }
    return d;
  }

  /** The named columns of a dataset (all granted ones when {@code columns} is empty). */
  public Dataset<Row> read(String dataset, List<String> columns) {
    if (columns.isEmpty()) {
      return read(dataset);
    }
    Dataset<Row> all = read(dataset);
    if (!new HashSet<>(Arrays.asList(all.columns())).containsAll(columns)) {
      return session.read(dataset, columns); // decided (and refused) by the session
    }
    return all.select(columns.stream().map(functions::col).toArray(Column[]::new));
  }

  /**
   * The session's read records of the given datasets (the first read of each), for the provenance
   * of a result that used only those.
   */
  public List<GovernedSession.ReadRecord> records(java.util.Collection<String> datasets) {
    Map<String, GovernedSession.ReadRecord> first = new LinkedHashMap<>();
    for (GovernedSession.ReadRecord r : session.reads()) {
      if (datasets.contains(r.dataset())) {
        first.putIfAbsent(r.dataset(), r);
      }
    }
    return List.copyOf(first.values());
  }

  @Override
  public Dataset<Row> apply(String dataset) {
    return read(dataset);
  }

  /** Unpersists everything read. */
  @Override
  public void close() {
    read.values().forEach(Dataset::unpersist);
    read.clear();
  }
}
