package io.idw.cli.demo;

import io.idw.governance.sdc.CheckResult;
import io.idw.governance.sdc.CrossTable;
import io.idw.cohort.report.ReportWording;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation result the demo takes through disclosure control, release and a report: its
 * release name, its result JSON (in the analysis work directory), the words its report needs, and
 * what disclosure control checks (tables and extra checks such as regression degrees of freedom).
 * Analysis steps add theirs with {@link #add(DemoContext, EvaluationOutput)}.
 */
public record EvaluationOutput(String name, Path resultJson, ReportWording wording, List<CrossTable> tables,
    List<CheckResult> checks, Protector protector) {
  public static final String KEY = "evaluation_outputs";

  /** Rewrites the result after disclosure control (for example without suppressed cells); returns the file to release. */
  @FunctionalInterface
  public interface Protector {
    Path protect(List<CheckResult> checks);
  }

  public EvaluationOutput {
    tables = List.copyOf(tables);
    checks = List.copyOf(checks);
  }

  public EvaluationOutput(String name, Path resultJson, ReportWording wording, List<CrossTable> tables,
      List<CheckResult> checks) {
    this(name, resultJson, wording, tables, checks, null);
  }

  /** Adds an output to the demo's list. */
  @SuppressWarnings("unchecked")
  public static void add(DemoContext ctx, EvaluationOutput o) {
    List<EvaluationOutput> list = ctx.get(KEY, List.class).orElse(null);
    if (list == null) {
      list = new ArrayList<>();
      ctx.put(KEY, list);
    }
    list.add(o);
  }

  /** The outputs added so far, in order. */
  @SuppressWarnings("unchecked")
  public static List<EvaluationOutput> all(DemoContext ctx) {
    return ctx.get(KEY, List.class).orElse(List.of());
  }
}
