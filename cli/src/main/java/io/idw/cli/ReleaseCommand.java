package io.idw.cli;

import io.idw.cli.demo.EvaluationOutput;
import io.idw.cli.demo.KnownOutputs;
import io.idw.cli.demo.OutputRelease;
import io.idw.cohort.its.ItsResult;
import io.idw.cohort.matched.GovernedMatchedCohortJob;
import io.idw.core.IdwException;
import io.idw.core.Warehouse;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.governance.AgreementApprovals;
import io.idw.governance.AgreementFile;
import io.idw.governance.Agreements;
import io.idw.governance.GovernanceErrors;
import io.idw.governance.PolicyDecisionPoint;
import io.idw.governance.sdc.DisclosureControl;
import io.idw.governance.sdc.DisclosureProfile;
import io.idw.governance.sdc.Release;
import io.idw.governance.sdc.ReviewException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idw release}: takes what {@code idw evaluate kid --out DIR} wrote through statistical
 * disclosure control into the warehouse's release zone, under the disclosure profile of the
 * approved agreement the evaluations ran under. The same checks and protection as the demo
 * ({@link KnownOutputs}, {@link OutputRelease}): matched pairs never leave, suppressed ITS periods
 * lose their observed counts; a "fail" is never released, a "review" only with a named checker's
 * exception ({@code --checker}, {@code --reason}). Every release and refusal is audited.
 */
@Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Check the KID evaluation results in --results (what 'idw evaluate kid --out' wrote) under the "
        + "agreement's disclosure profile, protect them (no person-level rows; suppressed cells withheld) and release "
        + "those that pass into the warehouse's release zone.",
        "An output whose worst check is 'review' is released only with a named checker's exception (--checker, "
            + "--reason); a 'fail' never. Refused outputs are listed in NOT-RELEASED.txt. Exit 0 when it ran."})
public final class ReleaseCommand implements Callable<Integer> {
  /** The falls ITS result file {@code idw evaluate kid} writes into its --out (an {@link ItsResult} JSON). */
  public static final String ITS_FILE = "falls-its.json";
  /** Where the protected copies are written, inside --results. */
  public static final String PROTECTED_DIR = "disclosure-control";

  @Mixin WarehouseOptions wh;
  @Spec CommandSpec spec;

  @Option(names = "--agreement", required = true, paramLabel = "FILE",
      description = "The approved data sharing agreement the evaluations ran under; its disclosure profile governs.")
  Path agreement;

  @Option(names = "--results", required = true, paramLabel = "DIR", description = "What 'idw evaluate kid --out DIR' wrote.")
  Path results;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who releases (recorded in the audit log).")
  String by;

  @Option(names = "--checker", paramLabel = "NAME",
      description = "A named output checker (not the releaser) who reviewed the outputs needing review.")
  String checker;

  @Option(names = {"--reason", "--exception"}, paramLabel = "TEXT",
      description = "The checker's justification for releasing outputs needing review.")
  String reason;

  @Option(names = "--reports", paramLabel = "DIR",
      description = "Render a commissioner HTML report of each released output here.")
  Path reports;

  /** The matched-cohort result file {@code idw evaluate kid} writes into its --out. */
  public static String matchedFile() {
    return GovernedMatchedCohortJob.kidSpec().name() + "-matched-cohort.json";
  }

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    KnownOutputs.Messages say = (format, args) -> {
      o.println(String.format(format, args));
      o.flush();
    };
    if ((checker == null) != (reason == null)) {
      throw new IdwException("cli.release.exception", "--checker and --reason go together",
          checker == null ? "a reason was given without the checker who reviewed" : "a checker was given without a reason",
          "give both (--checker NAME --reason TEXT), or neither to refuse every output needing review");
    }
    Warehouse w = wh.open();
    AgreementFile af = approved(w);
    if (!Files.isDirectory(results)) {
      throw new IdwException("cli.release.no_results", "no results directory " + results,
          "it does not exist or is not a directory",
          "run 'idw evaluate kid ... --out " + results + "' first, or give --results the directory it wrote");
    }
    DisclosureControl dc = DisclosureControl.with(DisclosureProfile.of(af.agreement().outputs().disclosureProfile()));
    o.printf("releasing under %s (sha256 %s), disclosure profile '%s', by %s%n", af.agreement().label(), af.sha256(),
        dc.profile().name(), by);
    Path work = results.resolve(PROTECTED_DIR);
    List<EvaluationOutput> outputs = new ArrayList<>();
    Path matched = results.resolve(matchedFile());
    if (Files.isRegularFile(matched)) {
      outputs.add(KnownOutputs.matched(matched, dc, work, say));
    }
    Path its = results.resolve(ITS_FILE);
    if (Files.isRegularFile(its)) {
      outputs.add(KnownOutputs.its(ItsResult.readJson(its), dc, work, say,
          "The falls counts are too small to publish; the output is withheld"));
    }
    if (outputs.isEmpty()) {
      throw new IdwException("cli.release.nothing", "no evaluation results in " + results,
          "neither " + matchedFile() + " nor " + ITS_FILE + " is there",
          "give --results the directory 'idw evaluate kid --out DIR' wrote (with --reference for the falls ITS)");
    }
    ReviewException ex = checker == null ? null : ReviewException.of(checker, reason);
    OutputRelease.Outcome r = OutputRelease.of(dc, Release.into(w, af, by), AuditLog.of(w), say)
        .reviewException(() -> ex).reports(reports).run(outputs, reports != null ? reports : results);
    if (r.notReleasedFile() != null) {
      o.printf("%d output(s) NOT released, listed with reasons in %s%n", r.notReleased().size(),
          r.notReleasedFile().toAbsolutePath());
    }
    o.flush();
    return 0;
  }

  /** The agreement file, if it is the one approved in this warehouse and in force today; otherwise refused and audited. */
  private AgreementFile approved(Warehouse w) {
    AuditEvent.Builder ev = AuditEvent.builder().action("governance.release").user(by).resource("release");
    AgreementFile af;
    try {
      af = Agreements.load(agreement);
    } catch (IdwException e) {
      AuditLog.of(w).append(ev.decision(AuditEvent.DENY).reason("the agreement " + agreement + " cannot be used: "
          + e.reason()).build());
      throw e;
    }
    ev.agreement(af.agreement().id(), af.agreement().version(), af.sha256());
    AgreementApprovals.Check c = AgreementApprovals.of(w).check(af);
    if (!c.approved()) {
      AuditLog.of(w).append(ev.decision(AuditEvent.DENY).reason(c.reason()).build());
      throw GovernanceErrors.agreementNotApproved(af.origin(), c.reason());
    }
    // an expired, suspended or overdue agreement releases nothing, as it reads nothing
    String state = PolicyDecisionPoint.of(af.agreement()).agreementState(LocalDate.now(ZoneOffset.UTC));
    if (state != null) {
      AuditLog.of(w).append(ev.decision(AuditEvent.DENY).reason(state).build());
      throw GovernanceErrors.denied("releasing under " + af.agreement().label(), state);
    }
    return af;
  }
}
