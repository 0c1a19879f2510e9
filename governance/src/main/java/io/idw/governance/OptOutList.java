package io.idw.governance;

import static io.idw.governance.GovernanceColumns.NHS_KEY_ID;
import static io.idw.governance.GovernanceColumns.NHS_PSEUDONYM;
import static io.idw.governance.GovernanceColumns.OPT_OUT_TABLE;

import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.pseudonymise.KeySet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Loads the national data opt-out list: clear NHS numbers in, table {@code
 * pseudonymised.national_opt_out} ({@code nhs_pseudonym} string, {@code nhs_key_id} string) out,
 * one row per number and enabled master key, replacing the previous list (a new Delta version).
 * Clear numbers are never written; invalid ones are counted and reported.
 */
public final class OptOutList {
  private OptOutList() {}

  /** What was loaded: numbers read, valid, invalid, rows written and the table version. */
  public record Result(int read, int valid, int invalid, long rows, long version) {}

  /** Reads a CSV with a header and an {@code nhs_number} column (the sample data's reference file). */
  public static Result loadCsv(SparkSession spark, Warehouse w, KeySet keys, Path csv) {
    List<String> numbers = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        throw GovernanceErrors.badInput("the opt-out file " + csv + " is empty", "it has no header",
            "give a CSV with an nhs_number column");
      }
      List<String> header = List.of(lines.get(0).replace("\"", "").split(","));
      int col = header.indexOf("nhs_number");
      if (col < 0) {
        throw GovernanceErrors.badInput("the opt-out file " + csv + " has no nhs_number column",
            "its columns are " + header, "give a CSV with an nhs_number column");
      }
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isBlank()) {
          String[] f = line.split(",", -1);
          numbers.add(col < f.length ? f[col].replace("\"", "") : null);
        }
      }
    } catch (IOException e) {
      throw GovernanceErrors.ioFailure("read " + csv, e);
    }
    return load(spark, w, keys, numbers, csv.toString());
  }

  public static Result load(SparkSession spark, Warehouse w, KeySet keys, List<String> clearNumbers, String origin) {
    NhsPseudonyms.Result p = NhsPseudonyms.of(keys, clearNumbers);
    List<Row> rows = new ArrayList<>();
    for (NhsPseudonyms.Pseudonym x : p.pseudonyms()) {
      rows.add(RowFactory.create(x.nhsPseudonym(), x.keyId()));
    }
    StructType schema = new StructType().add(NHS_PSEUDONYM, DataTypes.StringType).add(NHS_KEY_ID, DataTypes.StringType);
    TableRef t = w.table(Zone.PSEUDONYMISED, OPT_OUT_TABLE);
    WriteResult wr = DeltaIO.overwrite(spark.createDataFrame(rows, schema).distinct(), t);
    AuditLog.of(w).append(AuditEvent.builder().action("governance.optout.load").decision(AuditEvent.OK)
        .resource(t.qualifiedName()).rows((long) rows.size()).tableVersion(wr.version())
        .detail("numbers_read", clearNumbers.size()).detail("invalid", p.invalid()).detail("origin", origin).build());
    return new Result(clearNumbers.size(), p.valid(), p.invalid(), rows.size(), wr.version());
  }
}
