package io.idw.cohort.its;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;

import io.idw.cohort.GovernedReads;
import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.governance.GovernedSession;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The KID falls prevention study as a job: reads {@code linked.apc_admissions} and
 * {@code linked.gp_registrations} through a {@link GovernedSession}, builds the two series with
 * {@link FallsSeries}, fits the controlled ITS of {@link FallsSeries#spec}, and writes
 * {@code analysis.falls_its_series} (see {@link ItsResult#seriesFrame}) and
 * {@code analysis.falls_its_results} (one row per run: {@code evaluation}, {@code spec_sha256},
 * {@code agreement_id}, {@code level_rate_ratio}, {@code level_lower}, {@code level_upper},
 * {@code slope_rate_ratio}, {@code slope_lower}, {@code slope_upper}, {@code events_averted},
 * {@code result_json}). The service districts and launch month come from the reference file
 * {@code districts.csv} (column {@code falls_service_launch}, blank where there is no service);
 * LSOA → district from {@code lsoa_imd.csv}.
 */
public final class FallsItsJob {
  public static final String SERIES_TABLE = "falls_its_series";
  public static final String RESULTS_TABLE = "falls_its_results";

  private FallsItsJob() {}

  /** What the job wrote. */
  public record Outcome(ItsResult result, WriteResult series, WriteResult results) {}

  public static Outcome run(GovernedSession session, Path referenceDir) {
    try (GovernedReads reads = GovernedReads.over(session)) {
      return run(reads, referenceDir);
    }
  }

  /** Runs on reads shared with other evaluations of the session (see {@link GovernedReads}). */
  public static Outcome run(GovernedReads reads, Path referenceDir) {
    GovernedSession session = reads.session();
    SparkSession spark = session.spark();
    Dataset<Row> lsoaDistricts = csv(spark, referenceDir.resolve("lsoa_imd.csv")).select("lsoa", FallsSeries.DISTRICT);
    List<Row> districts = csv(spark, referenceDir.resolve("districts.csv")).collectAsList();
    List<Row> launched = districts.stream().filter(r -> r.getAs("falls_service_launch") != null).toList();
    if (launched.isEmpty()) {
      throw ItsErrors.tooShort("falls_service_cits", "no district in " + referenceDir.resolve("districts.csv")
          + " has a falls_service_launch month");
    }
    List<String> service = launched.stream().map(r -> r.<String>getAs(FallsSeries.DISTRICT)).toList();
    YearMonth launch = launched.stream().map(r -> YearMonth.parse(r.<String>getAs("falls_service_launch").substring(0, 7)))
        .min(YearMonth::compareTo).orElseThrow();

    Dataset<Row> admissions = reads.read("apc_admissions",
        List.of("admission_date", "admission_type", "cause_code", "age_band", "lsoa"));
    Dataset<Row> registrations = reads.read("gp_registrations",
        List.of("person_id", "registration_date", "deregistration_date", "effective_date", "age_band", "lsoa"));
    Row range = admissions.agg(min(date_format(to_date(col("admission_date")), "yyyy-MM")),
        max(date_format(to_date(col("admission_date")), "yyyy-MM"))).first();
    YearMonth from = YearMonth.parse(range.getString(0));
    YearMonth to = YearMonth.parse(range.getString(1));

    Dataset<Row> series = FallsSeries.controlledSeries(
        FallsSeries.fallsAdmissions65(admissions, lsoaDistricts),
        FallsSeries.registeredPopulation65(registrations, "person_id", lsoaDistricts, from, to),
        service);
    ItsSpec spec = FallsSeries.spec(launch, 0);
    InterruptedTimeSeries.Builder b = InterruptedTimeSeries.evaluate(spec).series(series);
    for (GovernedSession.ReadRecord rr : reads.records(List.of("apc_admissions", "gp_registrations"))) {
      b.input(new ItsResult.Input("linked." + rr.dataset(), rr.tableVersion(), null, rr.rows()));
    }
    Map<String, String> p = session.provenance();
    b.agreement(new ItsResult.Agreement(p.get("agreement_id"), p.get("agreement_version"),
        p.get("agreement_sha256"), p.get("purpose")));
    ItsResult r = b.run();

    TableRef seriesTable = session.warehouse().table(Zone.ANALYSIS, SERIES_TABLE);
    WriteResult ws = DeltaIO.overwrite(r.seriesFrame(spark), seriesTable);
    TableRef resultsTable = session.warehouse().table(Zone.ANALYSIS, RESULTS_TABLE);
    WriteResult wr = DeltaIO.append(resultRow(spark, r), resultsTable);
    AuditLog.of(session.warehouse()).append(AuditEvent.builder().action("evaluate.its").decision(AuditEvent.OK)
        .user(session.user()).purpose(session.purpose())
        .agreement(p.get("agreement_id"), p.get("agreement_version"), p.get("agreement_sha256"))
        .resource(resultsTable.qualifiedName()).tableVersion(wr.version()).rows((long) r.series().size())
        .detail("spec_sha256", r.provenance().specSha256())
        .detail("level_change", r.headline()).build());
    return new Outcome(r, ws, wr);
  }

  private static Dataset<Row> resultRow(SparkSession spark, ItsResult r) {
    StructType schema = new StructType()
        .add("evaluation", DataTypes.StringType).add("spec_sha256", DataTypes.StringType)
        .add("agreement_id", DataTypes.StringType)
        .add("level_rate_ratio", DataTypes.DoubleType).add("level_lower", DataTypes.DoubleType)
        .add("level_upper", DataTypes.DoubleType).add("slope_rate_ratio", DataTypes.DoubleType)
        .add("slope_lower", DataTypes.DoubleType).add("slope_upper", DataTypes.DoubleType)
        .add("events_averted", DataTypes.DoubleType).add("result_json", DataTypes.StringType);
    var l = r.levelChange();
    var s = r.slopeChange();
    // not estimable (too few events): null effects, the reason is in result_json
    Row row = RowFactory.create(r.name(), r.provenance().specSha256(),
        r.provenance().agreement() == null ? null : r.provenance().agreement().id(),
        l == null ? null : l.estimate(), l == null ? null : l.lower(), l == null ? null : l.upper(),
        s == null ? null : s.estimate(), s == null ? null : s.lower(), s == null ? null : s.upper(),
        r.events() == null ? null : r.events().averted(), r.toJson());
    return spark.createDataFrame(List.of(row), schema);
  }

  private static Dataset<Row> csv(SparkSession spark, Path p) {
    return spark.read().option("header", "true").csv(p.toString());
  }
}
