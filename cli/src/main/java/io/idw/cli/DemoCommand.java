package io.idw.cli;

import io.idw.cli.demo.DemoContext;
import io.idw.cli.demo.DemoStep;
import io.idw.cli.demo.DemoSteps;
import io.idw.core.IdwVersion;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
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

/**
 * {@code idw demo}: runs the whole pipeline that exists so far on sample data in embedded Spark,
 * printing progress and, at the end, where everything went.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline on synthetic sample data in embedded local Spark, and print where everything went.",
        "Creates the warehouse if it does not exist; its work files go beside it in <warehouse>-work."})
public final class DemoCommand implements Callable<Integer> {
  @Mixin WarehouseOptions wh;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Option(names = "--people", defaultValue = "20000", description = "Synthetic population size (default: ${DEFAULT-VALUE}).")
  int people;

  @Option(names = "--reuse", description = "Reuse the sample data, keys and linked zone of an earlier demo run in the same"
      + " --warehouse, and run only the analyses (governed session onward): for re-running or timing them.")
  boolean reuse;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    out.println("idw " + IdwVersion.get() + " demo: " + people + " synthetic people, seed " + seed);
    List<DemoStep> steps = reuse ? DemoSteps.analyses() : DemoSteps.all();
    int total = steps.size() + 3;
    int n = 1;

    step(out, n++, total, "starting Spark");
    SparkSession spark = sparkOptions.session("idw-demo");
    out.println("      Spark " + spark.version() + ", master " + spark.sparkContext().master());

    step(out, n++, total, "creating the warehouse");
    Warehouse w = wh.create();
    Path work = w.root().resolveSibling(w.root().getFileName() + "-work");
    out.println("      " + w.root());
    DemoContext ctx = new DemoContext(spark, w, work, out, people, seed);

    java.util.Map<String, Double> timings = new java.util.LinkedHashMap<>();
    timings.put("spark and warehouse", (System.nanoTime() - t0) / 1e9);
    for (DemoStep s : steps) {
      step(out, n++, total, s.title());
      long ts = System.nanoTime();
      s.run(ctx);
      double secs = (System.nanoTime() - ts) / 1e9;
      timings.put(s.getClass().getSimpleName(), secs);
      out.printf("      (%.1f s)%n", secs);
    }

    ctx.get(io.idw.cli.demo.GovernedSessionStep.READS, io.idw.cohort.GovernedReads.class)
        .ifPresent(io.idw.cohort.GovernedReads::close);
    step(out, n, total, "verifying the audit log");
    AuditLog audit = AuditLog.of(w);
    audit.append(AuditEvent.builder().action("demo").decision(AuditEvent.OK)
        .detail("people", people).detail("seed", seed).build());
    var v = audit.verify();
    out.println("      " + v.records() + " records, " + (v.intact() ? "chain intact" : "BROKEN: " + v.reason()));

    double totalSecs = (System.nanoTime() - t0) / 1e9;
    out.printf("%ntime by step:%n");
    timings.forEach((k, secs) -> out.printf("  %-24s %7.1f s%n", k, secs));
    writeTimings(work.resolve("demo-timings.json"), timings, totalSecs);
    out.printf("%ndone in %.1f s (timings in %s). Where everything went:%n", totalSecs, work.resolve("demo-timings.json"));
    for (Zone z : Zone.values()) {
      out.printf("  %-16s %s%n", z.dir(), w.zonePath(z));
    }
    out.printf("  %-16s %s%n", "audit log", audit.file());
    ctx.outputs().forEach((label, path) -> out.printf("  %-16s %s%n", label, path));
    out.flush();
    return v.intact() ? 0 : Main.EXIT_FAILURE;
  }

  /** The demo's measured time per step and in total, for benchmarks and the README. */
  private void writeTimings(Path file, java.util.Map<String, Double> timings, double totalSecs) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("people", people);
    m.put("seed", seed);
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("total_seconds", Math.round(totalSecs * 10) / 10.0);
    java.util.Map<String, Double> steps = new java.util.LinkedHashMap<>();
    timings.forEach((k, v) -> steps.put(k, Math.round(v * 10) / 10.0));
    m.put("steps", steps);
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, io.idw.core.IdwMappers.json().writeValueAsString(m) + "\n");
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("idw: could not write " + file + ": " + e.getMessage());
    }
  }

  private static void step(PrintWriter out, int n, int total, String what) {
    out.printf("[%d/%d] %s%n", n, total, what);
    out.flush();
  }
}
