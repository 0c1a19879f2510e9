package io.idw.pseudonymise;

import java.util.List;

/**
 * What one ingest of a source did: per extract month, rows in, loaded (accepted this run),
 * quarantined and newly inserted (0 on a re-ingest); the table versions written, the key id and
 * the spec hash. {@code rowsIn == loaded + quarantined} always holds for every month.
 */
public record IngestResult(
    String source,
    String runId,
    List<MonthCounts> months,
    long tableVersion,
    long quarantineVersion,
    String keyId,
    String specHash) {

  public IngestResult {
    months = List.copyOf(months);
  }

  /** Counts of one extract month. */
  public record MonthCounts(String month, long rowsIn, long loaded, long quarantined, long inserted) {}

  public long rowsIn() {
    return months.stream().mapToLong(MonthCounts::rowsIn).sum();
  }

  public long loaded() {
    return months.stream().mapToLong(MonthCounts::loaded).sum();
  }

  public long quarantined() {
    return months.stream().mapToLong(MonthCounts::quarantined).sum();
  }

  public long inserted() {
    return months.stream().mapToLong(MonthCounts::inserted).sum();
  }

  /** One line per month for the console. */
  public List<String> lines() {
    return months.stream().map(m -> String.format("%-26s %s  rows in %,9d = loaded %,9d + quarantined %,7d  (new %,d)",
        source, m.month(), m.rowsIn(), m.loaded(), m.quarantined(), m.inserted())).toList();
  }
}
