package io.idw.governance.sdc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Output statistical disclosure control (SACRO/ACRO and NHS practice):
 * <ul>
 *   <li>frequency tables: counts 1 to threshold−1 suppressed (primary); secondary suppression until
 *       no suppressed cell can be recovered exactly from the published margins; NHS profile rounds
 *       published counts to 5 and computes totals from the rounded cells; a small margin fails;
 *       a cell holding 100% of a row or column of several cells needs review;</li>
 *   <li>magnitude tables: a cell with fewer contributors than the threshold, or failing the nk rule
 *       (top n ≥ k of the total) or the p% rule ((total − top1 − top2) / top1 &lt; p), is suppressed;
 *       a margin failing them fails;</li>
 *   <li>regressions: residual degrees of freedom below the minimum fail;</li>
 *   <li>statistics: min and max of individual values fail.</li>
 * </ul>
 */
public final class DisclosureControl {
  private final DisclosureProfile profile;

  private DisclosureControl(DisclosureProfile profile) {
    this.profile = profile;
  }

  public static DisclosureControl with(DisclosureProfile profile) {
    return new DisclosureControl(profile);
  }

  public DisclosureProfile profile() {
    return profile;
  }

  /** Checks and protects a frequency or magnitude table. */
  public CheckResult check(CrossTable t) {
    int nr = t.rows().size();
    int nc = t.cols().size();
    List<String> reasons = new ArrayList<>();
    Status status = Status.PASS;
    String[][] why = new String[nr][nc];
    boolean[][] sup = new boolean[nr][nc];
    int primary = 0;
    for (int i = 0; i < nr; i++) {
      for (int j = 0; j < nc; j++) {
        String rule = primaryRule(t.count(i, j), t.magnitude() ? t.contributions(i, j) : null);
        if (rule != null) {
          sup[i][j] = true;
          why[i][j] = "primary: " + rule;
          primary++;
          reasons.add("cell (" + t.rows().get(i) + ", " + t.cols().get(j) + ") suppressed: " + rule);
        }
      }
    }
    // margins cannot be suppressed cell by cell: a disclosive margin fails the table
    for (int i = 0; i < nr && nc > 1; i++) {
      String rule = primaryRule(sumCount(t, i, -1), t.magnitude() ? t.contributionsOf(i, -1) : null);
      if (rule != null) {
        status = Status.FAIL;
        reasons.add("row total of " + t.rows().get(i) + " discloses: " + rule + "; merge it with another row");
      }
    }
    for (int j = 0; j < nc && nr > 1; j++) {
      String rule = primaryRule(sumCount(t, -1, j), t.magnitude() ? t.contributionsOf(-1, j) : null);
      if (rule != null) {
        status = Status.FAIL;
        reasons.add("column total of " + t.cols().get(j) + " discloses: " + rule + "; merge it with another column");
      }
    }
    String grand = primaryRule(sumCount(t, -1, -1), t.magnitude() ? t.contributionsOf(-1, -1) : null);
    if (grand != null) {
      status = Status.FAIL;
      reasons.add("the grand total discloses: " + grand);
    }
    double[][] values = new double[nr][nc];
    for (int i = 0; i < nr; i++) {
      for (int j = 0; j < nc; j++) {
        values[i][j] = t.value(i, j);
      }
    }
    int secondary = 0;
    if (primary > 0) {
      SecondarySuppression.Result sec = SecondarySuppression.protect(sup, values, nr > 1, nc > 1);
      if (!sec.complete()) {
        status = Status.FAIL;
        reasons.add("suppressed cells would still be recoverable from the totals and no complementary "
            + "suppression protects them; merge categories");
      }
      for (int[] cell : sec.added()) {
        why[cell[0]][cell[1]] = "secondary";
        secondary++;
        reasons.add("cell (" + t.rows().get(cell[0]) + ", " + t.cols().get(cell[1])
            + ") suppressed so the suppressed cells cannot be recovered from the totals (secondary)");
      }
      sup = sec.suppressed();
    }
    if (!t.magnitude()) {
      for (int i = 0; i < nr; i++) {
        for (int j = 0; j < nc; j++) {
          long v = t.count(i, j);
          boolean fullRow = nc > 1 && v > 0 && v == sumCount(t, i, -1);
          boolean fullCol = nr > 1 && v > 0 && v == sumCount(t, -1, j);
          if ((fullRow || fullCol) && !sup[i][j]) {
            status = status.worst(Status.REVIEW);
            reasons.add("cell (" + t.rows().get(i) + ", " + t.cols().get(j) + ") holds 100% of its "
                + (fullRow ? "row" : "column") + ": it discloses an attribute of the whole group; review it");
          }
        }
      }
    }
    ProtectedTable pt = publish(t, sup, why, values);
    if (primary == 0 && status == Status.PASS) {
      reasons.add("no cell below " + profile.threshold() + (t.magnitude() ? " contributors and none dominated" : ""));
    } else if (primary > 0) {
      reasons.add(primary + " cell(s) suppressed by primary rules, " + secondary + " by secondary suppression");
    }
    if (profile.roundingBase() > 1 && !t.magnitude()) {
      reasons.add("counts rounded to the nearest " + profile.roundingBase() + "; totals computed from the rounded cells");
    }
    return new CheckResult(t.title(), t.magnitude() ? "magnitude_table" : "frequency_table", status, reasons,
        profile.name(), pt);
  }

  /**
   * Checks a fitted regression: {@code observations − parameters} residual degrees of freedom must
   * reach the profile's minimum.
   */
  public CheckResult checkRegression(String output, long observations, int parameters) {
    long df = observations - parameters;
    boolean ok = df >= profile.minResidualDf();
    return new CheckResult(output, "regression", ok ? Status.PASS : Status.FAIL,
        List.of("residual degrees of freedom " + df + (ok ? " ≥ " : " < ") + profile.minResidualDf()
            + " (" + observations + " observations, " + parameters + " parameters)"), profile.name(), null);
  }

  /** Checks the summary statistics an output reports: min and max of individual values fail. */
  public CheckResult checkStatistics(String output, List<String> statistics) {
    List<String> bad = statistics.stream()
        .filter(s -> s.toLowerCase(Locale.ROOT).matches("min(imum)?|max(imum)?|range")).toList();
    return new CheckResult(output, "statistics", bad.isEmpty() ? Status.PASS : Status.FAIL,
        bad.isEmpty() ? List.of("no min or max of individual values")
            : List.of("reports " + bad + " of individual values, which disclose a single person's value; "
                + "report percentiles of at least " + profile.threshold() + " people instead"),
        profile.name(), null);
  }

  /** The primary rule a cell fails, or null. {@code contributions} is null for frequency cells. */
  String primaryRule(long count, double[] contributions) {
    if (contributions == null) {
      return profile.small(count) ? "count " + count + " is below " + profile.threshold() : null;
    }
    if (contributions.length == 0) {
      return null;
    }
    if (contributions.length < profile.threshold()) {
      return contributions.length + " contributors, fewer than " + profile.threshold();
    }
    double[] s = contributions.clone();
    Arrays.sort(s);
    double total = 0;
    for (double v : s) {
      total += Math.abs(v);
    }
    if (total <= 0) {
      return null;
    }
    double top1 = Math.abs(s[s.length - 1]);
    double topN = 0;
    for (int k = 0; k < profile.nkN() && k < s.length; k++) {
      topN += Math.abs(s[s.length - 1 - k]);
    }
    if (topN / total >= profile.nkK()) {
      return String.format(Locale.ROOT, "nk rule: the top %d contributors hold %.1f%% (≥ %.0f%%)", profile.nkN(),
          100 * topN / total, 100 * profile.nkK());
    }
    double top2 = s.length > 1 ? Math.abs(s[s.length - 2]) : 0;
    double rest = total - top1 - top2;
    if (top1 > 0 && rest / top1 < profile.pPercent()) {
      return String.format(Locale.ROOT, "p%% rule: the others hold %.1f%% of the largest (< %.0f%%)",
          100 * rest / top1, 100 * profile.pPercent());
    }
    return null;
  }

  private static long sumCount(CrossTable t, int r, int c) {
    long s = 0;
    for (int i = 0; i < t.rows().size(); i++) {
      for (int j = 0; j < t.cols().size(); j++) {
        if ((r < 0 || r == i) && (c < 0 || c == j)) {
          s += t.count(i, j);
        }
      }
    }
    return s;
  }

  private ProtectedTable publish(CrossTable t, boolean[][] sup, String[][] why, double[][] values) {
    int nr = t.rows().size();
    int nc = t.cols().size();
    boolean round = profile.roundingBase() > 1 && !t.magnitude();
    Double[][] cells = new Double[nr][nc];
    double[] rowT = new double[nr];
    double[] colT = new double[nc];
    double grand = 0;
    for (int i = 0; i < nr; i++) {
      for (int j = 0; j < nc; j++) {
        double v = round ? profile.round((long) values[i][j]) : values[i][j];
        cells[i][j] = sup[i][j] ? null : v;
        rowT[i] += v;
        colT[j] += v;
        grand += v;
      }
    }
    return new ProtectedTable(t.title(), t.rows(), t.cols(), cells, rowT, colT, grand, why);
  }
}
