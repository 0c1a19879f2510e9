package io.idw.cohort.its;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a monthly series from a file for the generic {@code idw evaluate its}: CSV with a header row
 * ({@code .csv}, types inferred), Parquet ({@code .parquet}), JSON lines ({@code .json},
 * {@code .jsonl}) or a Delta table directory. The returned {@link ItsResult.Input} records the
 * file's SHA-256 (or the Delta version) and its row count, for provenance.
 */
public final class SeriesFiles {
  private SeriesFiles() {}

  /** A series read from a file, with its provenance record. */
  public record Loaded(Dataset<Row> rows, ItsResult.Input input) {}

  public static Loaded read(SparkSession spark, Path file) {
    Path p = file.toAbsolutePath().normalize();
    if (Files.isDirectory(p.resolve("_delta_log"))) {
      long version = io.delta.tables.DeltaTable.forPath(spark, p.toUri().toString()).history(1)
          .select("version").first().getLong(0);
      Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(p.toUri().toString());
      return new Loaded(rows, new ItsResult.Input(p.toString(), version, null, rows.count()));
    }
    if (!Files.isRegularFile(p)) {
      throw ItsErrors.inputUnreadable(file.toString(), "there is no such file or Delta table directory");
    }
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    Dataset<Row> rows;
    if (name.endsWith(".csv")) {
      rows = spark.read().option("header", "true").option("inferSchema", "true").csv(p.toString());
    } else if (name.endsWith(".parquet")) {
      rows = spark.read().parquet(p.toString());
    } else if (name.endsWith(".json") || name.endsWith(".jsonl")) {
      rows = spark.read().json(p.toString());
    } else {
      throw ItsErrors.inputUnreadable(file.toString(), "its type is not known from the name '" + name + "'");
    }
    return new Loaded(rows, new ItsResult.Input(p.toString(), null, sha256(p), rows.count()));
  }

  /** The spec's own {@code input}, resolved against the spec file's directory. */
  public static Path resolve(Path specFile, String input) {
    Path in = Path.of(input);
    if (in.isAbsolute()) {
      return in;
    }
    Path dir = specFile.toAbsolutePath().getParent();
    return dir == null ? in : dir.resolve(in);
  }

  static String sha256(Path p) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(p), MessageDigest.getInstance("SHA-256"))) {
      byte[] buf = new byte[1 << 16];
      while (in.read(buf) >= 0) {
        // digesting
      }
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw ItsErrors.inputUnreadable(p.toString(), e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
