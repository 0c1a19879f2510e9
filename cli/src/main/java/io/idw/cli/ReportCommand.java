package io.idw.cli;

import io.idw.cohort.report.CommissionerReport;
import io.idw.cohort.report.EvaluationResults;
import io.idw.cohort.report.EvaluationSummary;
import io.idw.cohort.report.ReleaseZone;
import io.idw.cohort.report.ReportErrors;
import io.idw.cohort.report.ReportWording;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code idw report}: renders a commissioner report (one standalone HTML file) from a released
 * evaluation result. Refuses anything outside the warehouse's release zone, never released, or
 * that failed disclosure control.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Render a standalone HTML report for commissioners from a released evaluation result.",
        "The result must be a file released by disclosure control into the warehouse's release zone."})
public final class ReportCommand implements Callable<Integer> {
  @Mixin WarehouseOptions wh;
  @Spec CommandSpec spec;

  @Option(names = "--evaluation", required = true, paramLabel = "RESULT",
      description = "The released result JSON (matched cohort, ITS, variation or report-ready summary).")
  Path evaluation;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write <evaluation>.html.")
  Path out;

  @Option(names = "--intervention", description = "The intervention in words, e.g. \"home safety visits\".")
  String intervention;

  @Option(names = "--outcome", description = "The outcome in words, e.g. \"A&E attendances from home\".")
  String outcome;

  @Option(names = "--population", description = "Who the evaluation covers, e.g. \"people aged 65 and over\".")
  String population;

  @Option(names = "--title", description = "The report title (default: from the result).")
  String title;

  @Option(names = "--higher-is-better", description = "A higher outcome is the good direction (default: lower is better).")
  boolean higherIsBetter;

  @Override
  public Integer call() {
    Warehouse w = wh.open();
    Path file = evaluation.toAbsolutePath().normalize();
    Path zone = w.zonePath(Zone.RELEASE).toAbsolutePath().normalize();
    if (!file.startsWith(zone)) {
      throw ReportErrors.notReleased(evaluation.toString(), "it is not in the warehouse's release zone " + zone);
    }
    ReportWording words = new ReportWording(null, title, intervention, outcome, population, higherIsBetter ? Boolean.FALSE : null);
    EvaluationSummary s = EvaluationResults.read(file, words);
    AuditLog audit = AuditLog.of(w);
    CommissionerReport.ReportFile f;
    try {
      f = CommissionerReport.builder().evaluation(s).resultFile(file).release(ReleaseZone.registry()).build().writeTo(out);
    } catch (RuntimeException e) {
      audit.append(AuditEvent.builder().action("report.render").decision(AuditEvent.DENY)
          .resource(zone.relativize(file).toString()).reason(e.getMessage()).build());
      throw e;
    }
    audit.append(AuditEvent.builder().action("report.render").decision(AuditEvent.OK)
        .resource(zone.relativize(file).toString()).detail("report", f.path().toString()).detail("sha256", f.sha256()).build());
    PrintWriter o = spec.commandLine().getOut();
    o.println("report written to " + f.path() + " (" + f.bytes() + " bytes, SHA-256 " + f.sha256() + ")");
    o.flush();
    return 0;
  }
}
