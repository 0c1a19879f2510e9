package io.idw.core.testing;

import io.idw.core.IdwSpark;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession shared by every test in a JVM: {@code local[2]}, Delta enabled, no
 * UI, two shuffle partitions. Started lazily and stopped when the JVM exits.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = IdwSpark.builder()
          .appName("idw-tests")
          .master("local[2]")
          .quiet(true)
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.driver.memory", "1g")
          .config("spark.sql.adaptive.enabled", "false")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop(), "idw-test-spark-stop"));
    }
    return session;
  }
}
