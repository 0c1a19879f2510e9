package io.idw.governance.sdc;

import java.util.List;

/**
 * The outcome of checking one output: what was checked, pass/review/fail, the reasons (every
 * suppression and every rule that fired), the profile used, and for tables the protected table to
 * publish (null for regressions and statistics).
 */
public record CheckResult(String output, String kind, Status status, List<String> reasons, String profile,
    ProtectedTable table) {
  public CheckResult {
    reasons = List.copyOf(reasons);
  }
}
