package io.idw.cohort.matched;


import io.idw.cohort.CohortErrors;
import io.idw.cohort.GovernedReads;
import io.idw.cohort.Provenance;
import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.TableRef;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.governance.GovernedSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The job that runs a matched-cohort spec with a {@code cohort} section on the linked zone through
 * a {@link GovernedSession}: reads the datasets {@link KidCohortBuilder} needs (each read decided
 * and audited by governance), builds the analysis table, runs the evaluation, and writes to the
 * analysis zone:
 * <ul>
 *   <li>{@code analysis.<name>_matched_sample}: the matched sample (overwritten);</li>
 *   <li>{@code analysis.matched_cohort_results}: one row per run, appended: {@code evaluation},
 *       {@code created_at}, {@code spec_hash}, {@code agreement_id}, {@code result_json}.</li>
 * </ul>
 * The result's provenance lists the linked tables at the versions read, the agreement (id,
 * version, SHA-256, purpose), the spec hash and the idw version.
 */
public final class GovernedMatchedCohortJob {
  /** The table of results, one JSON document per run. */
  public static final String RESULTS_TABLE = "matched_cohort_results";
  /** The built-in KID spec (a classpath resource). */
  public static final String KID_SPEC_RESOURCE = "/io/idw/cohort/matched/kid-home-safety-visits.yaml";

  private GovernedMatchedCohortJob() {}

  /** What the job produced. */
  public record Output(MatchedCohortResult result, WriteResult sampleWrite, WriteResult resultWrite) {}

  /** The built-in KID home-safety-visit spec. */
  public static MatchedCohortSpec kidSpec() {
    try (InputStream in = GovernedMatchedCohortJob.class.getResourceAsStream(KID_SPEC_RESOURCE)) {
      return MatchedCohortSpec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), KID_SPEC_RESOURCE);
    } catch (IOException | NullPointerException e) {
      throw CohortErrors.inputUnreadable(KID_SPEC_RESOURCE, new IOException("the built-in spec is missing", e));
    }
  }

  /** Runs the spec under the session and writes the results to the analysis zone. */
  public static Output run(GovernedSession session, MatchedCohortSpec spec) {
    try (GovernedReads reads = GovernedReads.over(session)) {
      return run(reads, spec);
    }
  }

  /** Runs the spec on reads shared with other evaluations of the session (see {@link GovernedReads}). */
  public static Output run(GovernedReads reads, MatchedCohortSpec spec) {
    GovernedSession session = reads.session();
    if (spec.cohort() == null) {
      throw new IdwException("cohort.spec.no_cohort", "spec " + spec.name() + " cannot be built from the warehouse",
          "it has no 'cohort' section saying how to build the analysis table",
          "add a cohort section (see KidCohortSettings), or pass the table with --input");
    }
    Dataset<Row> table = KidCohortBuilder.of(spec.cohort()).build(reads).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Provenance.Builder prov = Provenance.builder(spec.hash());
      MatchedCohortEvaluation.Outcome out = MatchedCohortEvaluation.of(spec).run(table, prov);
      // reads happen lazily inside the evaluation; record them once it has run
      for (GovernedSession.ReadRecord r : reads.records(KidCohortBuilder.DATASETS)) {
        prov.input(Provenance.Input.table("linked." + r.dataset(), r.tableVersion()));
      }
      prov.agreement(new Provenance.Agreement(session.agreement().id(), session.agreement().version(),
          session.agreementFile().sha256(), session.purpose()));
      Provenance p = prov.build();
      MatchedCohortResult result = new MatchedCohortResult(out.result().evaluation(), out.result().method(),
          out.result().spec(), out.result().sizes(), out.result().propensityModel(), out.result().caliper(),
          out.result().balance(), out.result().effects(), out.result().subgroups(), out.result().pairs(), p);

      TableRef sampleRef = session.warehouse().table(Zone.ANALYSIS, spec.name() + "_matched_sample");
      WriteResult sw = DeltaIO.overwrite(out.matchedSample(), sampleRef);
      TableRef resultsRef = session.warehouse().table(Zone.ANALYSIS, RESULTS_TABLE);
      StructType schema = new StructType().add("evaluation", DataTypes.StringType)
          .add("created_at", DataTypes.StringType).add("spec_hash", DataTypes.StringType)
          .add("agreement_id", DataTypes.StringType).add("result_json", DataTypes.StringType);
      Dataset<Row> row = session.spark().createDataFrame(List.of(RowFactory.create(spec.name(), p.createdAt(),
          p.specHash(), session.agreement().id(), result.toJson())), schema);
      WriteResult rw = DeltaIO.append(row, resultsRef);
      AuditLog.of(session.warehouse()).append(AuditEvent.builder().action("cohort.matched.evaluate")
          .decision(AuditEvent.OK).user(session.user()).purpose(session.purpose())
          .agreement(session.agreement().id(), session.agreement().version(), session.agreementFile().sha256())
          .resource(resultsRef.qualifiedName()).tableVersion(rw.version()).rows(result.sizes().treatedMatched())
          .detail("spec_hash", p.specHash()).detail("evaluation", spec.name()).build());
      return new Output(result, sw, rw);
    } finally {
      table.unpersist();
    }
  }
}
