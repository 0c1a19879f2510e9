package io.idw.cohort.matched;

import io.idw.cohort.CohortErrors;
import io.idw.cohort.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads a generic analysis table from a file for {@code idw evaluate matched-cohort --input}. */
public final class MatchedCohortInputs {
  private MatchedCohortInputs() {}

  /**
   * Reads a CSV file (header row, types inferred), a Parquet file or directory, or a Delta table
   * directory, and records it in the provenance: a Delta table with the version read, a single
   * file with the SHA-256 of its bytes.
   */
  public static Dataset<Row> read(SparkSession spark, Path input, Provenance.Builder provenance) {
    if (!Files.exists(input)) {
      throw CohortErrors.inputUnreadable(input.toString(), new IOException("no such file or directory"));
    }
    String name = input.getFileName().toString().toLowerCase();
    try {
      if (Files.isDirectory(input.resolve("_delta_log"))) {
        long version = spark.sql("DESCRIBE HISTORY delta.`" + input.toAbsolutePath() + "` LIMIT 1").first().getLong(0);
        provenance.input(Provenance.Input.table(input.toAbsolutePath().toString(), version));
        return spark.read().format("delta").option("versionAsOf", version).load(input.toAbsolutePath().toString());
      }
      Dataset<Row> d;
      if (name.endsWith(".csv")) {
        // one partition keeps the file's row order as the data order used for ties
        d = spark.read().option("header", "true").option("inferSchema", "true").csv(input.toString()).coalesce(1);
      } else if (name.endsWith(".parquet") || Files.isDirectory(input)) {
        d = spark.read().parquet(input.toString());
      } else {
        throw CohortErrors.inputUnreadable(input.toString(),
            new IOException("the file type is not known (expected .csv, .parquet or a Delta table directory)"));
      }
      provenance.input(Provenance.Input.file(input.toAbsolutePath().toString(),
          Files.isRegularFile(input) ? sha256(input) : null));
      return d;
    } catch (io.idw.core.IdwException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw CohortErrors.inputUnreadable(input.toString(), e);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      MessageDigest md = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
