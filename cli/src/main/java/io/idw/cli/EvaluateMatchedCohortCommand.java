package io.idw.cli;

import io.idw.cohort.Provenance;
import io.idw.cohort.matched.GovernedMatchedCohortJob;
import io.idw.cohort.matched.MatchedCohortEvaluation;
import io.idw.cohort.matched.MatchedCohortInputs;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.cohort.matched.MatchedCohortSpec;
import io.idw.core.IdwException;
import io.idw.core.Warehouse;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.pseudonymise.KeySet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idw evaluate matched-cohort --spec FILE --input FILE}: a matched-cohort evaluation of any
 * table with a treatment column, covariates and an outcome, written as JSON. Or, governed, from the
 * linked zone: {@code --warehouse DIR --agreement FILE --purpose P --user U --spec FILE} opens a
 * {@link GovernedSession} (re-keying person ids with {@code --keyset}/{@code --kek-file}), builds the
 * table with the spec's {@code cohort} section and writes {@code analysis.matched_cohort_results}
 * ({@link GovernedMatchedCohortJob}); every read and refusal is audited. No fallback: a refused
 * session or read is a one-line error (exit 2) and nothing is written.
 */
@Command(name = "matched-cohort", mixinStandardHelpOptions = true,
    description = {"Match treated units to similar controls (propensity score, greedy nearest neighbour, MatchIt defaults),",
        "report covariate balance before and after, and estimate the effect on the outcome with 95% CIs,",
        "beside the naive unmatched comparison. Writes a JSON result with provenance."})
public final class EvaluateMatchedCohortCommand implements Callable<Integer> {
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Option(names = "--spec", required = true, paramLabel = "FILE",
      description = "The evaluation spec (YAML or JSON): data columns, covariates, outcome, matching settings.")
  Path specFile;

  @Option(names = "--input", paramLabel = "FILE",
      description = "The analysis table, one row per unit: a CSV file with a header row, a Parquet file or directory, or a Delta table directory.")
  Path input;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Governed mode: build the table from this warehouse's linked zone (needs --agreement, --purpose, --user).")
  Path warehouse;

  @Option(names = "--agreement", paramLabel = "FILE", description = "Governed mode: the data sharing agreement (YAML/JSON).")
  Path agreement;

  @Option(names = "--purpose", paramLabel = "P", description = "Governed mode: the agreement purpose this evaluation serves.")
  String purpose;

  @Option(names = "--user", paramLabel = "U", description = "Governed mode: the user running it, as named in the agreement.")
  String user;

  @Mixin KeyOptions keys;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Where to write the JSON result (default: <spec name>-matched-cohort.json in the current directory).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    boolean governed = warehouse != null || agreement != null || purpose != null || user != null;
    if (governed == (input != null)) {
      throw new IdwException("cli.matched.mode", governed ? "both --input and governed options were given"
          : "no input was given", "the command reads either a table (--input) or the linked zone under an agreement",
          "pass --input FILE, or --warehouse DIR --agreement FILE --purpose P --user U");
    }
    MatchedCohortSpec s = MatchedCohortSpec.read(specFile);
    MatchedCohortResult r;
    if (governed) {
      List<String> missing = new ArrayList<>();
      if (warehouse == null) {
        missing.add("--warehouse");
      }
      if (agreement == null) {
        missing.add("--agreement");
      }
      if (purpose == null) {
        missing.add("--purpose");
      }
      if (user == null) {
        missing.add("--user");
      }
      if (!missing.isEmpty()) {
        throw new IdwException("cli.matched.governed", "governed mode needs " + String.join(", ", missing),
            "reads of the linked zone are decided by an agreement for a named user and purpose",
            "pass --warehouse DIR --agreement FILE --purpose P --user U");
      }
      if (s.cohort() == null) {
        throw new IdwException("cli.matched.no_cohort", "spec " + s.name() + " cannot be built from the warehouse",
            "it has no 'cohort' section saying how to build the analysis table from the linked zone",
            "add a cohort section (see kid-home-safety-visits.yaml), or pass the table with --input");
      }
      Warehouse w = Warehouse.open(warehouse);
      KeySet keySet = keys.load();
      SparkSession spark = sparkOptions.session("idw-evaluate-matched-cohort");
      GovernedSession session = GovernedSession.builder().spark(spark).warehouse(w).agreement(agreement)
          .user(user).purpose(purpose).rekeying(KeySetRekeying.of(keySet)).open();
      GovernedMatchedCohortJob.Output out = GovernedMatchedCohortJob.run(session, s);
      r = out.result();
      o.printf("governed: user '%s', purpose '%s', agreement %s; read %s%n", user, purpose,
          session.agreement().label(), session.reads().stream().map(x -> x.dataset() + "@v" + x.tableVersion()).toList());
      o.printf("written: analysis.%s_matched_sample (version %d), analysis.%s (version %d)%n", s.name(),
          out.sampleWrite().version(), GovernedMatchedCohortJob.RESULTS_TABLE, out.resultWrite().version());
    } else {
      SparkSession spark = sparkOptions.session("idw-evaluate-matched-cohort");
      Provenance.Builder prov = Provenance.builder(s.hash());
      Dataset<Row> table = MatchedCohortInputs.read(spark, input, prov);
      r = MatchedCohortEvaluation.of(s).run(table, prov).result();
    }
    Path file = out != null ? out : Path.of(s.name() + "-matched-cohort.json");
    r.writeJson(file);
    for (String line : r.summaryLines()) {
      o.println(line);
    }
    o.println("result written to " + file.toAbsolutePath());
    o.flush();
    return 0;
  }
}
