package io.idw.cli;

import io.idw.core.Warehouse;
import io.idw.linkage.FileLinkSettings;
import io.idw.linkage.FileLinker;
import io.idw.linkage.LinkageJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code idw link}: probabilistic linkage of any CSV/Parquet/Delta input on encoded fields only, or
 * with {@code --warehouse} the monthly warehouse job ({@link LinkageJob}).
 */
@Command(name = "link", mixinStandardHelpOptions = true, sortOptions = false, subcommands = LinkQualityCommand.class,
    description = {"Link records of any tabular input (CSV, Parquet or Delta) with Fellegi-Sunter on encodings only.",
        "With --warehouse DIR instead: link the warehouse's pseudonymised tables into its linked zone (person spine, "
            + "record links, linked.<source>), incrementally; re-running a month changes nothing.",
        "Clear fields are encoded on the way in under a fresh in-memory key (never written), so linkage sees only "
            + "Bloom filters and keyed tokens. Writes model.json (Splink vocabulary), training.json, predictions/, "
            + "clusters/ (Delta), quality.json and quality.csv (when the settings name a truth column)."})
public final class LinkCommand implements Callable<Integer> {
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Option(names = "--settings", paramLabel = "FILE",
      description = "Settings (YAML/JSON): input encoding and Splink-style linkage settings; see linkage/settings/.")
  Path settings;

  @Option(names = "--input", paramLabel = "PATH",
      description = "An input file or Delta directory; repeat for several inputs (each becomes a source).")
  List<String> inputs;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Link this warehouse's pseudonymised record tables into its linked zone (instead of files).")
  Path warehouse;

  @Option(names = "--month", paramLabel = "YYYY-MM",
      description = "With --warehouse: link records of extract months up to this one (default: all).")
  String month;

  @Option(names = "--rebuild", description = "With --warehouse: re-score every pair and re-derive every cluster.")
  boolean rebuild;

  @Option(names = "--retrain", description = "With --warehouse: train the model again instead of reusing the last run's.")
  boolean retrain;

  @Override
  public Integer call() {
    if (warehouse != null) {
      return linkWarehouse();
    }
    if (settings == null || inputs == null || inputs.isEmpty() || out == null) {
      throw new ParameterException(spec.commandLine(),
          "give --settings, --input and --out to link files, or --warehouse DIR to link a warehouse");
    }
    FileLinkSettings s = FileLinkSettings.read(settings);
    PrintWriter w = spec.commandLine().getOut();
    SparkSession spark = sparkOptions.session("idw-link");
    FileLinker.run(spark, s, inputs, out, null, w);
    w.println("wrote " + out.toAbsolutePath());
    w.flush();
    return 0;
  }

  private Integer linkWarehouse() {
    if (settings != null || inputs != null || out != null) {
      throw new ParameterException(spec.commandLine(), "--warehouse links the warehouse: drop --settings, --input and --out");
    }
    Warehouse wh = Warehouse.open(warehouse);
    PrintWriter w = spec.commandLine().getOut();
    SparkSession spark = sparkOptions.session("idw-link-warehouse");
    LinkageJob.Result r = LinkageJob.builder().warehouse(wh).month(month).rebuild(rebuild).retrain(retrain).build()
        .run(spark);
    w.printf("%s: %,d records (%,d new) -> %,d people; %,d deterministic edges, %,d probabilistic links, "
            + "%d merges, %d splits, %d conflicts; %s%n", r.linkRun(), r.records(), r.newRecords(), r.people(),
        r.deterministicEdges(), r.acceptedLinks(), r.merges(), r.splits(), r.conflicts(),
        r.changed() ? "rows written " + r.rowsWritten() : "nothing changed");
    if (r.changed()) {
      w.println(r.workSetRecords() == LinkageJob.FULL_PATH ? "full path: every record linked"
          : String.format("incremental refresh: work set %,d of %,d records, %,d of them scored", r.workSetRecords(),
              r.records(), r.scoredRecords()));
      w.println("seconds " + r.seconds());
    }
    w.flush();
    return 0;
  }
}
