package io.idw.cli;

import io.idw.linkage.FileLinkSettings;
import io.idw.linkage.FileLinker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code idw link}: probabilistic linkage of any CSV/Parquet/Delta input on encoded fields only. */
@Command(name = "link", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Link records of any tabular input (CSV, Parquet or Delta) with Fellegi-Sunter on encodings only.",
        "Clear fields are encoded on the way in under a fresh in-memory key (never written), so linkage sees only "
            + "Bloom filters and keyed tokens. Writes model.json (Splink vocabulary), training.json, predictions/, "
            + "clusters/ (Delta), quality.json and quality.csv (when the settings name a truth column)."})
public final class LinkCommand implements Callable<Integer> {
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Option(names = "--settings", required = true, paramLabel = "FILE",
      description = "Settings (YAML/JSON): input encoding and Splink-style linkage settings; see linkage/settings/.")
  Path settings;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "An input file or Delta directory; repeat for several inputs (each becomes a source).")
  List<String> inputs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Override
  public Integer call() {
    FileLinkSettings s = FileLinkSettings.read(settings);
    PrintWriter w = spec.commandLine().getOut();
    SparkSession spark = sparkOptions.session("idw-link");
    FileLinker.run(spark, s, inputs, out, null, w);
    w.println("wrote " + out.toAbsolutePath());
    w.flush();
    return 0;
  }
}
