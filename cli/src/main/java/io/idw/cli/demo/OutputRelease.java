package io.idw.cli.demo;

import io.idw.cohort.report.CommissionerReport;
import io.idw.cohort.report.EvaluationResults;
import io.idw.cohort.report.EvaluationSummary;
import io.idw.cohort.report.ReleaseZone;
import io.idw.core.IdwException;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.governance.sdc.CheckResult;
import io.idw.governance.sdc.CrossTable;
import io.idw.governance.sdc.DisclosureControl;
import io.idw.governance.sdc.Release;
import io.idw.governance.sdc.ReviewException;
import io.idw.governance.sdc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Takes {@link EvaluationOutput}s through disclosure control into the release zone: each output's
 * tables and extra checks are checked, its protector writes the copy to release, and
 * {@link Release} releases it or refuses it (a "fail" always; a "review" unless a named checker's
 * {@link ReviewException} is given). With a reports directory, a commissioner report is rendered
 * from each released file only, and audited. Outputs not released are listed in
 * {@code NOT-RELEASED.txt}. Used by the demo and by {@code idw release}.
 */
public final class OutputRelease {
  /** A released file's name inside its release directory. */
  public static final String RESULT_FILE = "result.json";
  public static final String NOT_RELEASED_FILE = "NOT-RELEASED.txt";

  private final DisclosureControl dc;
  private final Release release;
  private final AuditLog audit;
  private final KnownOutputs.Messages say;
  private Supplier<ReviewException> review = () -> null;
  private Path reports;
  private BiConsumer<String, Path> outputs = (label, path) -> { };

  private OutputRelease(DisclosureControl dc, Release release, AuditLog audit, KnownOutputs.Messages say) {
    this.dc = dc;
    this.release = release;
    this.audit = audit;
    this.say = say;
  }

  /** Releases through {@code release}, checking with {@code dc}, auditing reports to {@code audit}. */
  public static OutputRelease of(DisclosureControl dc, Release release, AuditLog audit, KnownOutputs.Messages say) {
    return new OutputRelease(dc, release, audit, say);
  }

  /** The named checker's exception for outputs whose worst status is "review" (null: none, so they are refused). */
  public OutputRelease reviewException(Supplier<ReviewException> v) {
    this.review = v;
    return this;
  }

  /** Renders a commissioner report of each released output into this directory (null: no reports). */
  public OutputRelease reports(Path dir) {
    this.reports = dir;
    return this;
  }

  /** Told each file written (label, path). */
  public OutputRelease outputs(BiConsumer<String, Path> v) {
    this.outputs = v;
    return this;
  }

  /** What happened: released names, reports written, and each refused output with its reason. */
  public record Outcome(List<String> released, int reports, List<String> notReleased, Path notReleasedFile) {}

  /**
   * Checks, protects and releases each output in order; the list of refused outputs goes to
   * {@code NOT-RELEASED.txt} in {@code notReleasedDir} when there are any.
   */
  public Outcome run(List<EvaluationOutput> list, Path notReleasedDir) {
    String noReport = reports == null ? "" : ", so no report";
    List<String> released = new ArrayList<>();
    int written = 0;
    List<String> notReleased = new ArrayList<>();
    for (EvaluationOutput o : list) {
      List<CheckResult> checks = new ArrayList<>();
      for (CrossTable t : o.tables()) {
        checks.add(dc.check(t));
      }
      checks.addAll(o.checks());
      Status worst = Status.PASS;
      for (CheckResult c : checks) {
        worst = worst.worst(c.status());
        say.say("%-28s %-22s %-6s %s", o.name(), c.output(), c.status().wire(),
            c.reasons().isEmpty() ? "" : c.reasons().get(c.reasons().size() - 1));
      }
      Path file;
      try {
        // protecting can itself show the output cannot be released (e.g. too few practices left)
        file = o.protector() == null ? o.resultJson() : o.protector().protect(checks);
      } catch (IdwException e) {
        say.say("%-28s NOT released%s: after disclosure control %s", o.name(), noReport, e.getMessage());
        notReleased.add(o.name() + ": not released" + noReport + ". After disclosure control: " + e.getMessage());
        continue;
      }
      ReviewException ex = worst == Status.REVIEW ? review.get() : null;
      Path releasedFile;
      try {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(RESULT_FILE, Files.readAllBytes(file));
        Release.Result r = release.release(o.name(), checks, files, ex);
        releasedFile = r.directory().resolve(RESULT_FILE);
        released.add(o.name());
        say.say("%-28s released (%s%s) -> %s", o.name(), r.status().wire(),
            ex == null ? "" : ", exception recorded by '" + ex.checker() + "'", r.directory());
      } catch (IdwException e) {
        String m = e.getMessage();
        say.say("%-28s NOT released%s: %s", o.name(), noReport, m.length() > 240 ? m.substring(0, 240) + " ..." : m);
        notReleased.add(o.name() + ": not released" + noReport + ". " + m);
        continue;
      } catch (IOException e) {
        throw new IdwException("demo.io", "cannot read " + file, String.valueOf(e.getMessage()),
            "run the evaluation again to rewrite it", e);
      }
      if (reports == null) {
        outputs.accept("released " + o.name(), releasedFile);
        continue;
      }
      EvaluationSummary summary = EvaluationResults.read(releasedFile, o.wording());
      CommissionerReport.ReportFile f = CommissionerReport.builder().evaluation(summary).resultFile(releasedFile)
          .release(ReleaseZone.registry()).build().writeTo(reports);
      written++;
      say.say("%-28s report %s", o.name(), f.path());
      outputs.accept("report " + o.name(), f.path());
      outputs.accept("released " + o.name(), releasedFile);
      audit.append(AuditEvent.builder().action("report.render").decision(AuditEvent.OK)
          .resource("release." + o.name()).detail("report", f.path().getFileName()).detail("sha256", f.sha256()).build());
    }
    say.say("%d of %d outputs released, %d reports written", released.size(), list.size(), written);
    Path note = null;
    if (!notReleased.isEmpty()) {
      note = notReleasedDir.resolve(NOT_RELEASED_FILE);
      try {
        Files.createDirectories(notReleasedDir);
        Files.writeString(note, (reports == null ? "Outputs that were not released" : "Outputs that failed disclosure"
            + " control, so have no report") + " (their results stay in the analysis zone):\n\n"
            + String.join("\n\n", notReleased) + "\n");
      } catch (IOException e) {
        throw new IdwException("demo.io", "cannot write " + note, String.valueOf(e.getMessage()),
            "check the directory is writable", e);
      }
      outputs.accept("not released", note);
    }
    return new Outcome(List.copyOf(released), written, List.copyOf(notReleased), note);
  }
}
