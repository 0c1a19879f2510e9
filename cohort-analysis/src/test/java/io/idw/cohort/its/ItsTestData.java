package io.idw.cohort.its;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Finds the shared data beside the repo and the test resources. */
final class ItsTestData {
  private ItsTestData() {}

  /** {@code shared/data/<rel>}: walks up from the working directory until a {@code shared/data} sibling appears. */
  static Path shared(String rel) {
    Path d = Path.of("").toAbsolutePath();
    while (d != null) {
      Path cand = d.resolveSibling("shared").resolve("data");
      if (Files.isDirectory(cand)) {
        return cand.resolve(rel);
      }
      Path inside = d.resolve("shared").resolve("data");
      if (Files.isDirectory(inside)) {
        return inside.resolve(rel);
      }
      d = d.getParent();
    }
    throw new IllegalStateException("no shared/data directory beside the repo (looked upwards from "
        + Path.of("").toAbsolutePath() + ")");
  }

  static Path resource(String rel) {
    try {
      return Path.of(ItsTestData.class.getResource("/its/" + rel).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource its/" + rel, e);
    }
  }

  static JsonNode golden(String name) {
    try {
      return IdwMappers.json().readTree(resource("golden/" + name + ".json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dataset<Row> csv(SparkSession spark, Path file) {
    return spark.read().option("header", "true").option("inferSchema", "true").csv(file.toString());
  }

  static Dataset<Row> sicily(SparkSession spark) {
    return spark.read().option("header", "true")
        .schema("year int, month int, aces int, time int, smokban int, pop double, stdpop double")
        .csv(shared("its/sicily.csv").toString());
  }
}
