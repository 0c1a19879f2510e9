package io.idw.cli.demo;

import io.idw.cohort.GovernedReads;
import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.Zone;
import io.idw.governance.AgreementApprovals;
import io.idw.governance.AgreementFile;
import io.idw.governance.AgreementValidator;
import io.idw.governance.Agreements;
import io.idw.governance.DatasetCatalog;
import io.idw.governance.GovernanceColumns;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.governance.OptOutList;
import io.idw.governance.Problem;
import io.idw.pseudonymise.KeySet;
import io.idw.sampledata.GenerateResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Opens the governed session the demo's analysis steps read through: the demo agreement ({@code
 * kid-falls-evaluation}, a service evaluation, written to {@code <work>/agreements/}), as user
 * {@code analyst} under purpose {@code falls-service-evaluation}. Loads the national data opt-out
 * list from the sample data's reference file first (pseudonymised with the warehouse key set), so
 * the opt-out applies. Needs the key set an earlier step stored as {@value #KEYS} (a {@link KeySet})
 * and the sample data ({@link SampleDataStep#RESULT}); stores the session as {@value #SESSION}.
 */
public final class GovernedSessionStep implements DemoStep {
  /** Where an earlier step (ingest) leaves the warehouse key set. */
  public static final String KEYS = "keys";
  /** Where this step leaves the {@link GovernedSession}. */
  public static final String SESSION = "governed_session";
  /** Where this step leaves the session's shared {@link GovernedReads} (each dataset read once for all analyses). */
  public static final String READS = "governed_reads";
  public static final String AGREEMENT_RESOURCE = "/io/idw/governance/demo-agreement.yaml";
  public static final String USER = "analyst";
  public static final String PURPOSE = "falls-service-evaluation";
  /** The governance officer who approves the demo agreement (its SHA-256 is pinned in the warehouse). */
  public static final String OFFICER = "demo-governance-officer";

  @Override
  public String title() {
    return "opening a governed session under the falls service-evaluation agreement";
  }

  @Override
  public void run(DemoContext ctx) {
    KeySet keys = ctx.get(KEYS, KeySet.class).orElse(null);
    if (keys == null) {
      // no ingest in this build: nothing was pseudonymised, so there is no linked zone to govern
      ctx.say("skipped: no warehouse key set (the ingest step did not run in this build)");
      return;
    }
    Path agreement = writeAgreement(ctx.workDir().resolve("agreements"));
    boolean linked = !ctx.warehouse().tables(Zone.LINKED).isEmpty();
    AgreementValidator.Report report = AgreementValidator.validate(agreement,
        linked ? DatasetCatalog.linkedZone(ctx.warehouse()) : null, LocalDate.now(ZoneOffset.UTC));
    for (Problem p : report.errors()) {
      ctx.say("agreement error: %s", p);
    }
    if (!linked) {
      ctx.say("the linked zone is empty: the agreement's datasets and columns are checked at each read");
    }
    AgreementFile af = Agreements.load(agreement);
    ctx.say("agreement %s (sha256 %s...) at %s", af.agreement().label(), af.sha256().substring(0, 12), agreement);
    AgreementApprovals.Approval approval = AgreementApprovals.of(ctx.warehouse()).approve(af, OFFICER);
    ctx.say("approved for this warehouse by '%s' (audit record %d): sessions open only under this exact file",
        approval.approvedBy(), approval.sequence());

    var optOutTable = ctx.warehouse().table(Zone.PSEUDONYMISED, GovernanceColumns.OPT_OUT_TABLE);
    if (!DeltaIO.exists(ctx.spark(), optOutTable)) {
      GenerateResult sample = ctx.get(SampleDataStep.RESULT, GenerateResult.class).orElseThrow(() ->
          new IdwException("demo.sample.missing", "no sample data", "the sample-data step did not run",
              "run the demo from the start"));
      OptOutList.Result oo = OptOutList.loadCsv(ctx.spark(), ctx.warehouse(), keys, sample.optOutFile());
      ctx.say("national data opt-out: %,d NHS numbers read, %,d valid, %,d invalid -> %s (pseudonymised)",
          oo.read(), oo.valid(), oo.invalid(), optOutTable.qualifiedName());
    }
    GovernedSession session = GovernedSession.builder().spark(ctx.spark()).warehouse(ctx.warehouse())
        .agreement(af).user(USER).purpose(PURPOSE).rekeying(KeySetRekeying.of(keys)).open();
    ctx.say("session %s: user '%s', purpose '%s', roles %s, opt-out %s; person ids re-keyed into '%s'",
        session.sessionId().substring(0, 8), USER, PURPOSE, session.roles(),
        session.optOutApplies() ? "applied" : "not applied", af.agreement().linkage().pseudonymDomain());
    ctx.put(SESSION, session);
    ctx.put(READS, GovernedReads.over(session));
    ctx.output("agreement", agreement);
  }

  /** The session's shared reads (made on first use when an older step stored only the session). */
  static GovernedReads reads(DemoContext ctx, GovernedSession session) {
    GovernedReads r = ctx.get(READS, GovernedReads.class).orElse(null);
    if (r == null || r.session() != session) {
      r = GovernedReads.over(session);
      ctx.put(READS, r);
    }
    return r;
  }

  static Path writeAgreement(Path dir) {
    try (InputStream in = GovernedSessionStep.class.getResourceAsStream(AGREEMENT_RESOURCE)) {
      Files.createDirectories(dir);
      Path out = dir.resolve("kid-falls-evaluation.yaml");
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
      return out;
    } catch (IOException e) {
      throw new IdwException("demo.io", "cannot write the demo agreement", String.valueOf(e.getMessage()),
          "check the work directory is writable", e);
    }
  }
}
