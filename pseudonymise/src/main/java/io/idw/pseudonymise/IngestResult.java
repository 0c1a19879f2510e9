package io.idw.pseudonymise;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one ingest of a source did: per extract month, rows in, loaded (accepted this run),
 * quarantined and newly inserted (0 on a re-ingest); the table versions written, the key id and
 * the spec hash; the wall seconds of each phase (in order: {@code prepare}, {@code read+validate+profile},
 * {@code pseudonymised}, {@code quarantine}, {@code quality}, {@code record}) and the number of Spark
 * jobs the run started and their seconds from start to end (the rest is driver work). {@code rowsIn == loaded + quarantined} always holds for every month.
 */
public record IngestResult(
    String source,
    String runId,
    List<MonthCounts> months,
    long tableVersion,
    long quarantineVersion,
    String keyId,
    String specHash,
    Map<String, Double> phaseSeconds,
    int sparkJobs,
    double sparkJobSeconds) {

  public IngestResult {
    months = List.copyOf(months);
    phaseSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(phaseSeconds));
  }

  /** A result without timings. */
  public IngestResult(String source, String runId, List<MonthCounts> months, long tableVersion,
      long quarantineVersion, String keyId, String specHash) {
    this(source, runId, months, tableVersion, quarantineVersion, keyId, specHash, Map.of(), 0, 0);
  }

  /** Wall seconds of the whole run (the sum of {@link #phaseSeconds()}). */
  public double seconds() {
    return phaseSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * One line of where the run's wall time went: total, Spark jobs (count and seconds from job start
   * to end; the rest is driver work such as planning and Delta commits), then each phase.
   */
  public String timingLine() {
    StringBuilder b = new StringBuilder(String.format("%-26s %6.1f s; %3d Spark jobs %5.1f s; phases:", source,
        seconds(), sparkJobs, sparkJobSeconds));
    phaseSeconds.forEach((k, v) -> b.append(String.format(" %s %.1f", k, v)));
    return b.toString();
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
