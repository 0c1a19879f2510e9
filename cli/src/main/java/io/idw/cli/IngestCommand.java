package io.idw.cli;

import io.idw.core.Warehouse;
import io.idw.pseudonymise.Ingest;
import io.idw.pseudonymise.IngestResult;
import io.idw.pseudonymise.Pseudonymiser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code idw ingest}: raw extracts to pseudonymised Delta tables, with quarantine and a quality profile. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Pseudonymise raw provider extracts into the warehouse.",
        "Reads <input>/raw/<source>/<YYYY-MM>/ per <input>/specs/<source>.yaml, quarantines bad rows with a reason,",
        "replaces identifiers with keyed pseudonyms and encodings, drops them, and MERGEs on record id + extract month",
        "(re-ingesting an extract changes nothing). Prints rows in = loaded + quarantined per month."})
public final class IngestCommand implements Callable<Integer> {
  @Mixin WarehouseOptions wh;
  @Mixin SparkOptions sparkOptions;
  @Mixin KeyOptions keys;
  @Spec CommandSpec spec;

  @Option(names = {"--input", "--data"}, paramLabel = "DIR", required = true,
      description = "The folder holding raw/, specs/ and optionally reference/ (as 'idw generate' writes).")
  Path input;

  @Option(names = "--source", paramLabel = "NAME", description = "The source to ingest (default: every source in --input).")
  String source;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "Extract month(s) to ingest (repeatable; default: all months).")
  List<String> months = new ArrayList<>();

  @Option(names = "--from", paramLabel = "YYYY-MM", description = "Only extract months from this one on.")
  String from;

  @Option(names = "--to", paramLabel = "YYYY-MM", description = "Only extract months up to this one.")
  String to;

  @Option(names = "--bits", defaultValue = "128", description = "Pseudonym length in bits: 128 (default) or 64 (the KID's; prints the collision risk).")
  int bits;

  @Option(names = "--population", defaultValue = "1500000", description = "Population size used for the printed collision risk (default: ${DEFAULT-VALUE}).")
  long population;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "" + Ingest.DEFAULT_PARALLELISM,
      description = "Sources ingested at once (default: ${DEFAULT-VALUE}); each source is one pass over its months.")
  int parallel;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var keySet = keys.load(); // refuses before Spark starts if the key or KEK is missing or wrong
    if (bits != Pseudonymiser.DEFAULT_BITS) {
      out.println("warning: " + Pseudonymiser.collisionWarning(population, bits));
    }
    Warehouse w = wh.create();
    SparkSession spark = sparkOptions.session("idw-ingest");
    Ingest ingest = Ingest.builder().warehouse(w).keySet(keySet).input(input).pseudonymBits(bits)
        .parallelism(parallel).build();
    java.util.Map<String, List<String>> chosenBySource = new java.util.LinkedHashMap<>();
    for (String s : source == null ? ingest.sources() : List.of(source)) {
      List<String> available = ingest.months(s);
      List<String> chosen = new ArrayList<>();
      for (String m : months.isEmpty() ? available : months) {
        boolean inRange = (from == null || m.compareTo(from) >= 0) && (to == null || m.compareTo(to) <= 0);
        // with every source, a month a source lacks is skipped; with --source it is an error
        if (inRange && (source != null || available.contains(m))) {
          chosen.add(m);
        }
      }
      if (!chosen.isEmpty()) {
        chosenBySource.put(s, chosen);
      } else if (source != null) {
        throw new ParameterException(spec.commandLine(), "no extract months of " + s + " match --month/--from/--to");
      }
    }
    long t0 = System.nanoTime();
    List<IngestResult> results = ingest.run(spark, chosenBySource);
    double wall = (System.nanoTime() - t0) / 1e9;
    long in = 0;
    long loaded = 0;
    long quarantined = 0;
    for (IngestResult r : results) {
      r.lines().forEach(out::println);
      in += r.rowsIn();
      loaded += r.loaded();
      quarantined += r.quarantined();
    }
    out.printf("total: rows in %,d = loaded %,d + quarantined %,d; key %s; recorded in audit.ingest_runs and the audit log%n",
        in, loaded, quarantined, keySet.primaryId());
    out.printf("time: %.1f s wall for %d source(s); per source (phases in seconds):%n", wall, results.size());
    results.forEach(r -> out.println("  " + r.timingLine()));
    out.flush();
    return in == loaded + quarantined ? 0 : Main.EXIT_FAILURE;
  }
}
