package io.idw.cli.demo;

import io.idw.core.Warehouse;
import io.idw.core.audit.AuditLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What the demo's steps share: Spark, the warehouse, a work directory for files outside the
 * warehouse (raw extracts, keys, agreements, reports), the console, and named results that later
 * steps read (for example the generated data's folder, or the key set).
 */
public final class DemoContext {
  private final SparkSession spark;
  private final Warehouse warehouse;
  private final Path workDir;
  private final PrintWriter out;
  private final int people;
  private final long seed;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final Map<String, Path> outputs = new LinkedHashMap<>();

  public DemoContext(SparkSession spark, Warehouse warehouse, Path workDir, PrintWriter out, int people, long seed) {
    this.spark = spark;
    this.warehouse = warehouse;
    this.workDir = workDir;
    this.out = out;
    this.people = people;
    this.seed = seed;
  }

  public SparkSession spark() { return spark; }
  public Warehouse warehouse() { return warehouse; }
  public AuditLog audit() { return AuditLog.of(warehouse); }
  /** A directory outside the warehouse for the demo's own files. */
  public Path workDir() { return workDir; }
  public int people() { return people; }
  public long seed() { return seed; }

  /** Prints an indented progress line. */
  public void say(String format, Object... args) {
    out.println("      " + String.format(format, args));
    out.flush();
  }

  /** Stores a result for later steps. */
  public void put(String key, Object value) { results.put(key, value); }

  /** A result an earlier step stored. */
  public <T> Optional<T> get(String key, Class<T> type) {
    return Optional.ofNullable(results.get(key)).map(type::cast);
  }

  /** Records a place the demo wrote something, printed at the end. */
  public void output(String label, Path where) { outputs.put(label, where); }

  public Map<String, Path> outputs() { return outputs; }
}
