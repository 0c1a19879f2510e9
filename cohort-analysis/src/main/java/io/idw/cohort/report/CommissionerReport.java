package io.idw.cohort.report;

import io.idw.cohort.Provenance;
import io.idw.core.IdwVersion;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A commissioner report: one standalone HTML page per evaluation, rendered by Pebble (with HTML
 * autoescaping) and holding its charts as embedded SVG images. Built only from a released output:
 * {@link Builder#build()} refuses an output that was never released, that failed disclosure
 * control, that has a figure in review without a recorded exception, or whose file no longer
 * matches the checksum recorded at release.
 *
 * <pre>{@code
 * ReportFile f = CommissionerReport.builder()
 *     .evaluation(summary)            // from EvaluationResults.read(resultFile)
 *     .resultFile(resultFile)         // the released result JSON
 *     .release(registry)              // the release zone's records
 *     .build()
 *     .writeTo(outDir);
 * }</pre>
 */
public final class CommissionerReport {
  private static final PebbleEngine PEBBLE = new PebbleEngine.Builder()
      .loader(classpathLoader())
      .autoEscaping(true)
      .strictVariables(true)
      .newLineTrimming(false)
      .build();

  private final EvaluationSummary summary;
  private final ReleasedOutput release;

  private CommissionerReport(EvaluationSummary summary, ReleasedOutput release) {
    this.summary = summary;
    this.release = release;
  }

  public static Builder builder() {
    return new Builder();
  }

  public EvaluationSummary summary() {
    return summary;
  }

  public ReleasedOutput release() {
    return release;
  }

  /** The file name the report is written under: {@code <evaluation id>.html}. */
  public String fileName() {
    return summary.id() + ".html";
  }

  /** The report page. The same summary and release give the same bytes. */
  public String html() {
    try {
      PebbleTemplate t = PEBBLE.getTemplate("io/idw/cohort/report/evaluation.peb");
      StringWriter w = new StringWriter();
      t.evaluate(w, model());
      return w.toString();
    } catch (IOException | RuntimeException e) {
      throw ReportErrors.renderFailed("the report for " + summary.id(), e);
    }
  }

  /** Writes the page to {@code dir/<id>.html} (creating the directory) and returns where, with its SHA-256. */
  public ReportFile writeTo(Path dir) {
    String html = html();
    Path file = dir.resolve(fileName());
    try {
      Files.createDirectories(dir);
      byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
      Files.write(file, bytes);
      return new ReportFile(summary.id(), file, sha256(bytes), bytes.length);
    } catch (IOException e) {
      throw ReportErrors.renderFailed(file.toString(), e);
    }
  }

  /** A written report. */
  public record ReportFile(String evaluationId, Path path, String sha256, long bytes) {}

  private Map<String, Object> model() {
    Map<String, Object> m = new LinkedHashMap<>();
    EvaluationSummary s = summary;
    m.put("title", s.title());
    m.put("question", s.question());
    m.put("headline", Wording.headline(s));
    m.put("interpretation", Wording.interpretation(s));
    m.put("nullResult", s.headline() != null && s.headline().direction() == Effect.Direction.NO_EVIDENCE);
    Recommendation r = Wording.recommendation(s);
    m.put("recommendation", r.label());
    m.put("recommendationCode", r.name().toLowerCase());
    m.put("commissioning", Wording.commissioning(s));
    m.put("kind", s.kind().name().toLowerCase().replace('_', ' '));
    m.put("population", s.population());
    List<Map<String, Object>> effects = new ArrayList<>();
    if (s.headline() != null) {
      effects.add(effectRow("Primary: " + s.outcome(), s.headline(), s));
    } else if (s.notEstimable() != null) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", "Primary: " + s.outcome());
      row.put("measure", "");
      row.put("estimate", "too few events to estimate");
      row.put("ci", "\u2013");
      row.put("verdict", "not estimated");
      effects.add(row);
    }
    s.otherEffects().forEach(e -> effects.add(effectRow(e.label(), e.effect(), s)));
    m.put("effects", effects);
    List<Map<String, Object>> subgroups = new ArrayList<>();
    s.subgroups().forEach(e -> subgroups.add(effectRow(e.label(), e.effect(), s)));
    m.put("subgroups", subgroups);
    List<Map<String, Object>> keys = new ArrayList<>();
    for (KeyFigure k : s.keyFigures()) {
      keys.add(Map.of("label", k.label(), "value", k.value(), "status", statusText(k.id())));
    }
    m.put("keyFigures", keys);
    List<Map<String, Object>> figures = new ArrayList<>();
    for (Figure f : s.figures()) {
      String svg = Charts.svg(f);
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("id", f.id());
      fm.put("title", f.title());
      fm.put("caption", f.caption());
      fm.put("src", "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.getBytes(StandardCharsets.UTF_8)));
      fm.put("status", statusText(f.id()));
      figures.add(fm);
    }
    m.put("figures", figures);
    m.put("methods", s.methods());
    m.put("limitations", s.limitations());
    Provenance p = s.provenance();
    List<Map<String, Object>> tables = new ArrayList<>();
    for (Provenance.Input in : p.inputs()) {
      tables.add(Map.of("table", in.name(), "version",
          in.version() != null ? "version " + in.version() : in.sha256() != null ? "file, SHA-256 " + in.sha256() : "file"));
    }
    m.put("tables", tables);
    Provenance.Agreement a = p.agreement();
    m.put("agreement", a == null ? "none recorded (the inputs were not read through a governed session)"
        : a.id() + " version " + nz(a.version()));
    m.put("agreementHash", a == null ? "not recorded" : nz(a.hash()));
    m.put("purpose", a == null ? "not recorded" : nz(a.purpose()));
    m.put("specHash", nz(p.specHash()));
    m.put("idwVersion", p.idwVersion());
    m.put("createdAt", nz(p.createdAt()));
    m.put("reportIdwVersion", IdwVersion.get());
    m.put("outputId", release.outputId());
    m.put("outputSha256", release.sha256());
    m.put("outputStatus", release.status().name().toLowerCase());
    m.put("releasedAt", nz(release.releasedAt()));
    m.put("releasedBy", nz(release.releasedBy()));
    List<Map<String, Object>> checks = new ArrayList<>();
    for (String id : s.figureIds()) {
      checks.add(Map.of("id", id, "status", statusText(id)));
    }
    for (DisclosureCheck c : release.checks()) {
      if (!s.figureIds().contains(c.id())) {
        checks.add(Map.of("id", c.id(), "status", statusText(c.id())));
      }
    }
    m.put("checks", checks);
    return m;
  }

  private Map<String, Object> effectRow(String label, Effect e, EvaluationSummary s) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("label", label);
    row.put("measure", e.measure());
    row.put("estimate", Wording.number(e.estimate()));
    row.put("ci", Wording.number(e.lower()) + " to " + Wording.number(e.upper()));
    row.put("verdict", switch (e.direction()) {
      case NO_EVIDENCE -> "no evidence of a change";
      case DECREASE -> s.lowerIsBetter() ? "reduction (benefit)" : "reduction (harm)";
      case INCREASE -> s.lowerIsBetter() ? "increase (harm)" : "increase (benefit)";
    });
    return row;
  }

  private String statusText(String id) {
    return release.check(id)
        .map(c -> c.status().name().toLowerCase()
            + (c.status() == DisclosureStatus.REVIEW ? " (exception recorded by " + c.exceptionBy()
                + (c.exceptionReason() == null ? "" : ": " + c.exceptionReason()) + ")" : "")
            + (c.reasons().isEmpty() ? "" : "; " + String.join("; ", c.reasons())))
        .orElse(release.status().name().toLowerCase() + " (checked as part of output " + release.outputId() + ")");
  }

  private static String nz(String s) {
    return s == null || s.isBlank() ? "not recorded" : s;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ClasspathLoader classpathLoader() {
    ClasspathLoader l = new ClasspathLoader(CommissionerReport.class.getClassLoader());
    return l;
  }

  /** Builder: the evaluation, the released result file and the release registry; {@link #build()} enforces release. */
  public static final class Builder {
    private EvaluationSummary summary;
    private Path resultFile;
    private ReleaseRegistry registry;

    public Builder evaluation(EvaluationSummary v) { this.summary = v; return this; }
    /** The released result file the summary was read from (its checksum is verified). */
    public Builder resultFile(Path v) { this.resultFile = v; return this; }
    public Builder release(ReleaseRegistry v) { this.registry = v; return this; }

    /**
     * Checks that the result was released and passed disclosure control, then returns the report.
     *
     * @throws io.idw.core.IdwException {@code cohort.report.not_released}, {@code cohort.report.disclosure_failed}
     *     or {@code cohort.report.checksum}
     */
    public CommissionerReport build() {
      Objects.requireNonNull(summary, "evaluation");
      Objects.requireNonNull(resultFile, "resultFile");
      Objects.requireNonNull(registry, "release");
      String name = resultFile.getFileName().toString();
      ReleasedOutput r = registry.lookup(resultFile).orElseThrow(() -> ReportErrors.notReleased(name,
          "the release zone has no record of it"));
      List<String> failed = new ArrayList<>();
      if (r.status() == DisclosureStatus.FAIL) {
        failed.add("output " + r.outputId() + " failed");
      }
      r.checks().stream().filter(c -> c.status() == DisclosureStatus.FAIL)
          .forEach(c -> failed.add(c.id() + ": " + (c.reasons().isEmpty() ? "fail" : String.join("; ", c.reasons()))));
      if (!failed.isEmpty()) {
        throw ReportErrors.failedDisclosure(name, String.join(", ", failed));
      }
      List<String> unexcepted = r.checks().stream().filter(c -> !c.releasable()).map(DisclosureCheck::id)
          .collect(Collectors.toList());
      if (r.status() == DisclosureStatus.REVIEW && r.checks().stream().noneMatch(c -> c.status() == DisclosureStatus.REVIEW)) {
        unexcepted.add(r.outputId());
      }
      if (!unexcepted.isEmpty()) {
        throw ReportErrors.notReleased(name, "disclosure control put " + unexcepted
            + " in review and no exception from a named checker is recorded");
      }
      String actual;
      try {
        actual = sha256(Files.readAllBytes(resultFile));
      } catch (IOException e) {
        throw ReportErrors.unreadableResult(resultFile, String.valueOf(e.getMessage()));
      }
      if (!actual.equalsIgnoreCase(r.sha256())) {
        throw ReportErrors.checksumMismatch(name, r.sha256(), actual);
      }
      return new CommissionerReport(summary, r);
    }
  }
}
