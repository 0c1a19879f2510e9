package io.idw.cli;

import io.idw.core.Warehouse;
import io.idw.linkage.KidQuality;
import io.idw.linkage.LinkageErrors;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idw link quality}: pairwise precision, recall and F1 of a warehouse's linked zone against a
 * record-to-person truth ({@link KidQuality}), overall, per source and per method, with link rates by
 * source, age band, sex and IMD decile. Reads only; writes the report files when {@code --out} is given.
 */
@Command(name = "quality", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure the linked zone against a record-to-person truth (synthetic data: the truth/record_person.csv "
        + "'idw generate' writes): pairwise precision, recall and F1 overall, per source and per method, and link rates "
        + "by source, age band, sex and IMD decile. Records not yet linked are left out."})
public final class LinkQualityCommand implements Callable<Integer> {
  @Mixin SparkOptions sparkOptions;
  @Mixin WarehouseOptions warehouseOptions;
  @Spec CommandSpec spec;

  @Option(names = "--truth", paramLabel = "FILE", required = true,
      description = "The truth: a CSV with source, record_id, person_id (e.g. <generate out>/truth/record_person.csv).")
  Path truth;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Write linkage_quality.json and linkage_quality.csv here.")
  Path out;

  @Override
  public Integer call() {
    Warehouse wh = warehouseOptions.open();
    if (!Files.isRegularFile(truth)) {
      throw LinkageErrors.truthMissing(truth.toString());
    }
    SparkSession spark = sparkOptions.session("idw-link-quality");
    KidQuality.Report q = KidQuality.evaluate(spark, wh, truth);
    PrintWriter w = spec.commandLine().getOut();
    w.print(q.summary());
    if (out != null) {
      q.write(out);
      w.println("wrote " + out.toAbsolutePath().resolve("linkage_quality.json"));
    }
    w.flush();
    return 0;
  }
}
