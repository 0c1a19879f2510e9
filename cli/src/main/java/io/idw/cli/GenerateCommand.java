package io.idw.cli;

import io.idw.sampledata.DirtRates;
import io.idw.sampledata.GenerateResult;
import io.idw.sampledata.SampleData;
import io.idw.sampledata.Sources;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code idw generate}: writes a seeded synthetic Kent Integrated Dataset with its truth. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate a seeded synthetic Kent Integrated Dataset: monthly provider extracts (raw/), "
        + "source specs (specs/), reference tables (reference/) and the truth the pipeline never reads (truth/).",
        "The same seed and options give byte-identical files."})
public final class GenerateCommand implements Callable<Integer> {
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Option(names = "--people", defaultValue = "20000", description = "Population at the start (default: ${DEFAULT-VALUE}).")
  int people;

  @Option(names = "--months", defaultValue = "36", description = "Monthly extracts (default: ${DEFAULT-VALUE}).")
  int months;

  @Option(names = "--start", defaultValue = "2021-04", paramLabel = "YYYY-MM",
      description = "First extract month (default: ${DEFAULT-VALUE}).")
  YearMonth start;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory: new, empty, or an earlier sample (replaced).")
  Path out;

  @Option(names = "--dirt-scale", defaultValue = "1.0", paramLabel = "X",
      description = "Multiply every default dirt rate by X; 0 gives clean data (default: ${DEFAULT-VALUE}).")
  double dirtScale;

  @Option(names = "--hsv-effect", defaultValue = "0", paramLabel = "CHANGE",
      description = "Planted change in visited people's A&E attendances from home after a home safety visit, e.g. -0.15 (default: ${DEFAULT-VALUE}).")
  double hsvEffect;

  @Option(names = "--hsv-uptake", defaultValue = "1", paramLabel = "X",
      description = "Multiply the home safety visit hazard by X (1: about 10,000 visits a year per 1.5M people), "
          + "for enough visited people in a small sample (default: ${DEFAULT-VALUE}).")
  double hsvUptake;

  @Option(names = "--falls-level", defaultValue = "-0.20", paramLabel = "CHANGE",
      description = "Planted level change in falls non-elective admissions (65+) in launch districts (default: ${DEFAULT-VALUE}).")
  double fallsLevel;

  @Option(names = "--falls-slope", defaultValue = "-0.01", paramLabel = "PER_MONTH",
      description = "Planted slope change, in log rate per month since launch (default: ${DEFAULT-VALUE}).")
  double fallsSlope;

  @Option(names = "--falls-launch", paramLabel = "YYYY-MM", description = "Falls service launch month (default: the middle month).")
  YearMonth fallsLaunch;

  @Option(names = "--falls-districts", split = ",", paramLabel = "DISTRICT",
      description = "Districts where the falls service launches (default: Thanet,Swale,Dover,Maidstone).")
  List<String> fallsDistricts;

  @Option(names = "--gp-cost-spread", defaultValue = "10", paramLabel = "RATIO",
      description = "Highest over lowest practice multiplier of GP activity, independent of deprivation (default: ${DEFAULT-VALUE}).")
  double gpSpread;

  @Option(names = "--pilot-practice", paramLabel = "CODE", description = "Pilot practice code (default: one chosen from the seed).")
  String pilotPractice;

  @Option(names = "--pilot-month", paramLabel = "YYYY-MM", description = "Pilot start month (default: two thirds through).")
  YearMonth pilotMonth;

  @Option(names = "--pilot-change", defaultValue = "-0.20", paramLabel = "CHANGE",
      description = "Planted change in the pilot practice's A&E attendances and non-elective admissions (default: ${DEFAULT-VALUE}).")
  double pilotChange;

  @Override
  public Integer call() {
    SampleData.Builder b = SampleData.generator()
        .people(people).months(months).start(start).seed(seed).out(out)
        .dirt(DirtRates.defaults().scaled(dirtScale))
        .homeSafetyVisitEffect(hsvEffect).homeSafetyVisitUptake(hsvUptake)
        .fallsLevelChange(fallsLevel).fallsSlopeChange(fallsSlope).fallsLaunch(fallsLaunch)
        .gpCostSpread(gpSpread)
        .pilotPractice(pilotPractice).pilotMonth(pilotMonth).pilotAcuteChange(pilotChange);
    if (fallsDistricts != null) {
      b.fallsLaunchDistricts(fallsDistricts);
    }
    SampleData generator = b.build();
    PrintWriter w = spec.commandLine().getOut();
    w.printf("generating %,d people over %d months from %s (seed %d) into %s%n", people, months, start, seed, out);
    w.flush();
    SparkSession spark = sparkOptions.session("idw-generate");
    GenerateResult r = generator.run(spark);
    print(w, r);
    return 0;
  }

  /** Prints what a run wrote (shared with the demo). */
  public static void print(PrintWriter w, GenerateResult r) {
    w.println(r.summary());
    for (String s : Sources.ALL) {
      w.printf("  %-26s %,12d rows  %s%n", s, r.rows(s), r.rawDir(s));
    }
    w.printf("  specs      %s%n  reference  %s%n  truth      %s (never read by the pipeline)%n", r.specsDir(),
        r.referenceDir(), r.truthDir());
    w.flush();
  }
}
