package io.idw.cli;

import io.idw.core.IdentifierType;
import io.idw.core.Warehouse;
import io.idw.governance.Erasure;
import io.idw.pseudonymise.Kek;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.KeySetStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code idw erase}: the right to erasure, by Delta DELETE from every zone, audited. */
@Command(name = "erase", mixinStandardHelpOptions = true,
    description = {"Remove every row of the people whose NHS numbers (or council social care ids) are given, "
        + "one a line on stdin or in --file, from every zone of the warehouse (Delta DELETE), and audit it "
        + "with counts only. The ids are pseudonymised with the warehouse key set to find the people.",
        "Old file versions keep the rows until VACUUM runs after the Delta retention window (7 days): "
            + "run 'idw erase --vacuum' then."})
public final class EraseCommand implements Callable<Integer> {
  @Mixin WarehouseOptions wh;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--file", paramLabel = "FILE", description = "Read the ids from this file (default: stdin).")
  Path file;

  @Option(names = "--id-type", paramLabel = "TYPE", defaultValue = "nhs_number",
      description = "nhs_number (default) or social_care_id.")
  String idType;

  @Option(names = "--keys", paramLabel = "FILE", description = "The warehouse key set file (required unless --vacuum only).")
  Path keys;

  @Option(names = "--kek-file", paramLabel = "FILE",
      description = "The key-encryption key file (default: the IDW_KEK environment variable).")
  Path kekFile;

  @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "erasure request",
      description = "Why (recorded in the audit log; never put identifiers here).")
  String reason;

  @Option(names = "--vacuum", description = "Only VACUUM every table (after the retention window has passed).")
  boolean vacuum;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Warehouse w = wh.open();
    PrintWriter out = spec.commandLine().getOut();
    String user = System.getProperty("user.name");
    if (vacuum) {
      SparkSession spark = sparkOptions.session("idw-vacuum");
      List<String> tables = Erasure.vacuum(spark, w, user);
      out.println("vacuumed " + tables.size() + " table(s): files older than the retention window are gone");
      return 0;
    }
    if (keys == null) {
      throw new io.idw.core.IdwException("governance.key.missing", "no key set given",
          "the ids must be pseudonymised with the warehouse key set to find the people",
          "pass --keys FILE (and --kek-file FILE or set IDW_KEK)");
    }
    IdentifierType type = switch (idType) {
      case "nhs_number" -> IdentifierType.NHS_NUMBER;
      case "social_care_id" -> IdentifierType.SOCIAL_CARE_ID;
      default -> throw new io.idw.core.IdwException("governance.input", "unknown --id-type '" + idType + "'",
          "erasure finds people by NHS number or council social care id", "use nhs_number or social_care_id");
    };
    List<String> ids = new ArrayList<>();
    try (BufferedReader r = file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
        : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          ids.add(line.strip());
        }
      }
    }
    KeySet keySet = load();
    SparkSession spark = sparkOptions.session("idw-erase");
    Erasure.Result res = Erasure.of(spark, w, keySet).erase(type, ids, user, reason);
    out.printf("%d id(s) read: %d valid, %d invalid (not found, reported only); %d person(s) found%n",
        res.ids(), res.valid(), res.invalid(), res.people());
    res.deletedByTable().forEach((t, n) -> out.printf("  %-36s %,d row(s) deleted%n", t, n));
    out.printf("%,d row(s) deleted in total; run 'idw erase --vacuum' after the 7-day retention window%n", res.deleted());
    return 0;
  }

  private KeySet load() {
    return KeySetStore.read(keys, Kek.resolve(kekFile));
  }
}
