package io.idw.cli;

import io.idw.cohort.its.FallsItsJob;
import io.idw.cohort.matched.GovernedMatchedCohortJob;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.cohort.matched.MatchedCohortSpec;
import io.idw.core.DeltaIO;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.governance.GovernanceColumns;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.governance.OptOutList;
import io.idw.pseudonymise.KeySet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idw evaluate kid}: the KID evaluations (home safety visits matched cohort, falls service
 * ITS) on a warehouse's linked zone, read through a governed session under an approved agreement.
 */
@Command(name = "kid", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the KID evaluations on a warehouse's linked zone through a governed session: the matched cohort "
        + "of home safety visits and A&E attendances, and the falls service interrupted time series.",
        "The agreement must be approved in the warehouse ('idw policy approve'); every read is decided and audited. "
            + "Results go to the analysis zone and, as JSON, to --out (for 'idw release')."})
public final class EvaluateKidCommand implements Callable<Integer> {
  @Mixin WarehouseOptions wh;
  @Mixin SparkOptions sparkOptions;
  @Mixin KeyOptions keys;
  @Spec CommandSpec spec;

  @Option(names = "--agreement", required = true, paramLabel = "FILE", description = "The data sharing agreement.")
  Path agreement;

  @Option(names = "--user", required = true, paramLabel = "U", description = "The analyst's user id.")
  String user;

  @Option(names = "--purpose", required = true, paramLabel = "P", description = "The purpose id in the agreement.")
  String purpose;

  @Option(names = "--reference", paramLabel = "DIR",
      description = "The reference folder (practices.csv etc.) the ITS needs; without it only the matched cohort runs.")
  Path reference;

  @Option(names = "--opt-out", paramLabel = "CSV",
      description = "Load this national data opt-out list (column nhs_number) first, if the warehouse has none.")
  Path optOut;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
      description = "Where to write the JSON results (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    Warehouse w = wh.open();
    KeySet keySet = keys.load();
    SparkSession spark = sparkOptions.session("idw-evaluate-kid");
    if (optOut != null && !DeltaIO.exists(spark, w.table(Zone.PSEUDONYMISED, GovernanceColumns.OPT_OUT_TABLE))) {
      OptOutList.Result oo = OptOutList.loadCsv(spark, w, keySet, optOut);
      o.printf("national data opt-out: %,d read, %,d valid, %,d invalid%n", oo.read(), oo.valid(), oo.invalid());
    }
    GovernedSession session = GovernedSession.builder().spark(spark).warehouse(w).agreement(agreement).user(user)
        .purpose(purpose).rekeying(KeySetRekeying.of(keySet)).open();
    o.println("session " + session.sessionId() + " under " + session.agreement().label() + " (sha256 "
        + session.agreementFile().sha256() + ")");

    MatchedCohortSpec mspec = GovernedMatchedCohortJob.kidSpec();
    GovernedMatchedCohortJob.Output m = GovernedMatchedCohortJob.run(session, mspec);
    MatchedCohortResult mr = m.result();
    mr.summaryLines().forEach(o::println);
    Path mjson = out.resolve(mspec.name() + "-matched-cohort.json");
    mr.writeJson(mjson);
    o.println("matched cohort -> " + mjson.toAbsolutePath() + " and analysis." + GovernedMatchedCohortJob.RESULTS_TABLE
        + " (version " + m.resultWrite().version() + ")");

    if (reference != null) {
      FallsItsJob.Outcome its = FallsItsJob.run(session, reference);
      Path ijson = out.resolve(ReleaseCommand.ITS_FILE);
      its.result().writeJson(ijson);
      o.printf("%s: level change %s; %s version %d%n", its.result().name(), its.result().headline(),
          its.results().table().qualifiedName(), its.results().version());
      o.println("falls ITS -> " + ijson.toAbsolutePath());
    } else {
      o.println("falls ITS not run: give --reference DIR");
    }
    o.flush();
    return 0;
  }
}
