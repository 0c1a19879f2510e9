package io.idw.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession factory. {@code IdwSpark.builder().getOrCreate()} gives:
 * <ul>
 *   <li>under spark-submit (a {@code spark.master} is already set, or a session is active): the
 *       session Spark provides, with the Delta extensions added if the conf lacks them;</li>
 *   <li>otherwise an embedded {@code local[*]} session bound to 127.0.0.1, with the Delta
 *       extensions and small-machine settings (few shuffle partitions, no UI in tests).</li>
 * </ul>
 * Explicit {@link Builder#master(String)} or {@link Builder#config(String, String)} values win.
 */
public final class IdwSpark {
  public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  private IdwSpark() {}

  public static Builder builder() {
    return new Builder();
  }

  /** True when this JVM was started by spark-submit or already has a Spark master configured. */
  public static boolean providedBySparkSubmit() {
    return System.getProperty("spark.master") != null
        || SparkSession.getActiveSession().isDefined()
        || SparkSession.getDefaultSession().isDefined();
  }

  /** Builds or joins a SparkSession; see the class comment for the defaults. */
  public static final class Builder {
    private String appName = "idw";
    private String master;
    private boolean quiet = Boolean.getBoolean("idw.test");
    private final Map<String, String> conf = new LinkedHashMap<>();

    private Builder() {}

    public Builder appName(String name) {
      this.appName = Objects.requireNonNull(name);
      return this;
    }

    /** A Spark master URL such as {@code local[2]} or {@code spark://127.0.0.1:7077}. */
    public Builder master(String master) {
      this.master = master;
      return this;
    }

    public Builder config(String key, String value) {
      conf.put(key, value);
      return this;
    }

    /** No UI and no console progress bar: for tests and scripted runs. */
    public Builder quiet(boolean quiet) {
      this.quiet = quiet;
      return this;
    }

    public SparkSession getOrCreate() {
      try {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        boolean provided = master == null && providedBySparkSubmit();
        if (!provided) {
          b.master(master == null ? "local[*]" : master);
          if (master == null || master.startsWith("local")) {
            IdwSpark.localDefaults(System.getProperties()).forEach(b::config);
          }
        }
        b.config("spark.sql.extensions", DELTA_EXTENSION);
        b.config("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
        if (quiet) {
          b.config("spark.ui.enabled", "false");
          b.config("spark.ui.showConsoleProgress", "false");
        }
        conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        if (!provided) {
          spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
      } catch (RuntimeException e) {
        if (e instanceof IdwException) {
          throw e;
        }
        throw CoreErrors.sparkStart(e);
      }
    }

    static Map<String, String> localDefaults() {
      Map<String, String> m = new LinkedHashMap<>();
      int cores = Runtime.getRuntime().availableProcessors();
      m.put("spark.driver.host", "127.0.0.1");
      m.put("spark.driver.bindAddress", "127.0.0.1");
      m.put("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, Math.min(8, cores * 2))));
      m.put("spark.default.parallelism", String.valueOf(Math.max(2, cores)));
      m.put("spark.databricks.delta.snapshotPartitions", "2");
      m.put("spark.sql.session.timeZone", "UTC");
      m.put("spark.sql.adaptive.enabled", "true");
      m.put("spark.databricks.delta.retentionDurationCheck.enabled", "false");
      // a driver GC every 5 minutes (Spark's default: 30) lets the context cleaner delete the shuffle
      // files and checkpoint blocks of steps already done: a Kent-scale link otherwise keeps tens of GB
      m.put("spark.cleaner.periodicGC.interval", "5min");
      return m;
    }
  }

  /** The configuration a default local session would use, for display and for tests. */
  public static Map<String, String> localDefaults() {
    return Builder.localDefaults();
  }

  /**
   * The local defaults an operator has not set: a {@code spark.*} JVM system property (for example
   * {@code JAVA_TOOL_OPTIONS=-Dspark.sql.shuffle.partitions=64} for a Kent-scale run on a big
   * machine) wins over the small-machine default for its key.
   */
  public static Map<String, String> localDefaults(java.util.Properties system) {
    Map<String, String> m = new LinkedHashMap<>(Builder.localDefaults());
    m.keySet().removeIf(system::containsKey);
    return m;
  }

  /** Reads a value from the running session's SparkConf, or null. */
  public static String conf(SparkSession spark, String key) {
    SparkConf c = spark.sparkContext().getConf();
    return c.contains(key) ? c.get(key) : null;
  }
}
