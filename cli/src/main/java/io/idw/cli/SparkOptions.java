package io.idw.cli;

import io.idw.core.IdwSpark;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The {@code --master} option; with none, idw runs embedded local Spark or joins spark-submit's. */
public final class SparkOptions {
  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master URL (default: the one spark-submit gives, else embedded local[*]).")
  String master;

  public SparkSession session(String appName) {
    return IdwSpark.builder().appName(appName).master(master).getOrCreate();
  }
}
