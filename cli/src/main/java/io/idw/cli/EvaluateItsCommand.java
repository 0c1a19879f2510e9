package io.idw.cli;

import io.idw.cohort.its.InterruptedTimeSeries;
import io.idw.cohort.its.ItsErrors;
import io.idw.cohort.its.ItsResult;
import io.idw.cohort.its.ItsSpec;
import io.idw.cohort.its.SeriesFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idw evaluate its --spec FILE [--input FILE] [--out FILE]}: an interrupted time series (or a
 * controlled ITS) on any monthly series table, declared in a YAML/JSON spec, written as JSON.
 */
@Command(name = "its", mixinStandardHelpOptions = true,
    description = {"Interrupted time series / controlled ITS on a monthly series, declared in a YAML or JSON spec.",
        "Poisson or quasi-Poisson with a log-population offset (Spark MLlib GLR), or OLS on rates with Newey-West SEs.",
        "Writes the level change, slope change, observed/fitted/counterfactual series, events averted,",
        "residual diagnostics and provenance as JSON."})
public final class EvaluateItsCommand implements Callable<Integer> {
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The ITS spec (YAML or JSON).")
  Path specFile;

  @Option(names = "--input", paramLabel = "FILE",
      description = "The monthly series: CSV with a header, Parquet, JSON lines or a Delta table directory "
          + "(default: the spec's input, relative to the spec file).")
  Path input;

  @Option(names = "--out", paramLabel = "FILE", description = "Where to write the JSON result (default: <spec name>.its.json).")
  Path out;

  @Override
  public Integer call() {
    ItsSpec its = ItsSpec.read(specFile);
    Path in = input != null ? input
        : its.input() != null ? SeriesFiles.resolve(specFile, its.input()) : null;
    if (in == null) {
      throw ItsErrors.noInput(its.name(), specFile.toString());
    }
    Path target = out != null ? out : Path.of(its.name() + ".its.json");
    var spark = sparkOptions.session("idw-evaluate-its");
    SeriesFiles.Loaded loaded = SeriesFiles.read(spark, in);
    ItsResult r = InterruptedTimeSeries.evaluate(its).series(loaded.rows()).input(loaded.input()).run();
    r.writeJson(target);
    PrintWriter pw = spec.commandLine().getOut();
    pw.printf(Locale.ROOT, "%s (%s, %s, %d months fitted): level change %s%n", r.name(), r.analysis(),
        r.method().family(), r.fit().observations(), r.headline());
    if (r.slopeChange() != null) {
      var s = r.slopeChange();
      pw.printf(Locale.ROOT, "  slope change %s %.4f (%.4f–%.4f)%n", s.scale(), s.estimate(), s.lower(), s.upper());
    }
    var e = r.events();
    if (e != null) { // null when too few events to estimate (the headline says so)
      pw.printf(Locale.ROOT, "  post period (%d months): observed %.0f, fitted %.1f, counterfactual %.1f, "
          + "events %s %.1f (95%% CI %.1f to %.1f)%n", e.months(), e.observed(), e.fitted(), e.counterfactual(),
          e.averted() >= 0 ? "averted" : "added", Math.abs(e.averted()), e.avertedLower(), e.avertedUpper());
    }
    for (var d : r.diagnostics()) {
      pw.printf(Locale.ROOT, "  residuals%s: Durbin-Watson %.2f, Breusch-Godfrey(%d) p = %.3f%n",
          d.group() == null ? "" : " (" + d.group() + ")", d.durbinWatson(), d.breuschGodfreyOrder(),
          d.breuschGodfreyPValue());
    }
    pw.println("  wrote " + target.toAbsolutePath());
    pw.flush();
    return 0;
  }

}
