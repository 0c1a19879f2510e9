package io.idw.governance.sdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisclosureControlTest {
  static final DisclosureControl STANDARD = DisclosureControl.with(DisclosureProfile.standard());
  static final DisclosureControl NHS = DisclosureControl.with(DisclosureProfile.nhs());

  /**
   * An attacker's check, independent of the suppression code: with the published cells and margins
   * known, a suppressed cell is exactly recoverable iff its unit vector lies in the row space of
   * the margin equations restricted to the suppressed cells (Gaussian elimination).
   */
  static List<int[]> recoverable(boolean[][] sup, boolean rowEq, boolean colEq) {
    int nr = sup.length;
    int nc = sup[0].length;
    List<int[]> cells = new ArrayList<>();
    for (int i = 0; i < nr; i++) {
      for (int j = 0; j < nc; j++) {
        if (sup[i][j]) {
          cells.add(new int[] {i, j});
        }
      }
    }
    List<double[]> eqs = new ArrayList<>();
    if (rowEq) {
      for (int i = 0; i < nr; i++) {
        double[] e = new double[cells.size()];
        for (int k = 0; k < cells.size(); k++) {
          e[k] = cells.get(k)[0] == i ? 1 : 0;
        }
        eqs.add(e);
      }
    }
    if (colEq) {
      for (int j = 0; j < nc; j++) {
        double[] e = new double[cells.size()];
        for (int k = 0; k < cells.size(); k++) {
          e[k] = cells.get(k)[1] == j ? 1 : 0;
        }
        eqs.add(e);
      }
    }
    int rank = rank(eqs);
    List<int[]> out = new ArrayList<>();
    for (int k = 0; k < cells.size(); k++) {
      double[] unit = new double[cells.size()];
      unit[k] = 1;
      List<double[]> with = new ArrayList<>(eqs);
      with.add(unit);
      if (rank(with) == rank) {
        out.add(cells.get(k));
      }
    }
    return out;
  }

  static int rank(List<double[]> rows) {
    if (rows.isEmpty() || rows.get(0).length == 0) {
      return 0;
    }
    double[][] m = rows.stream().map(double[]::clone).toArray(double[][]::new);
    int rank = 0;
    for (int c = 0; c < m[0].length && rank < m.length; c++) {
      int p = -1;
      for (int r = rank; r < m.length; r++) {
        if (Math.abs(m[r][c]) > 1e-9) {
          p = r;
          break;
        }
      }
      if (p < 0) {
        continue;
      }
      double[] t = m[p];
      m[p] = m[rank];
      m[rank] = t;
      for (int r = 0; r < m.length; r++) {
        if (r != rank && Math.abs(m[r][c]) > 1e-9) {
          double f = m[r][c] / m[rank][c];
          for (int k = 0; k < m[0].length; k++) {
            m[r][k] -= f * m[rank][k];
          }
        }
      }
      rank++;
    }
    return rank;
  }

  static boolean[][] suppressed(ProtectedTable t) {
    boolean[][] s = new boolean[t.rows().size()][t.cols().size()];
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s[0].length; j++) {
        s[i][j] = t.suppressed(i, j);
      }
    }
    return s;
  }

  @Test
  void aSmallCellAndItsComplementsAreSuppressedSoMarginsRecoverNothing() {
    long[][] counts = {{5, 20, 30}, {25, 40, 12}};
    CrossTable t = CrossTable.counts("falls by area", List.of("A", "B"), List.of("X", "Y", "Z"), counts);
    CheckResult r = STANDARD.check(t);
    assertThat(r.status()).isEqualTo(Status.PASS);
    ProtectedTable p = r.table();
    assertThat(p.suppressed(0, 0)).isTrue();
    // primary-only publication would leak the 5 through the row total (the ACRO #198 failure)
    boolean[][] primaryOnly = {{true, false, false}, {false, false, false}};
    assertThat(recoverable(primaryOnly, true, true)).hasSize(1);
    assertThat(recoverable(suppressed(p), true, true)).isEmpty();
    // margins are the true totals (no rounding in the standard profile)
    assertThat(p.rowTotals()).containsExactly(55, 77);
    assertThat(p.colTotals()).containsExactly(30, 60, 42);
    assertThat(p.grandTotal()).isEqualTo(132);
    // every published cell is its true count
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        if (!p.suppressed(i, j)) {
          assertThat(p.cells()[i][j]).isEqualTo((double) counts[i][j]);
        }
      }
    }
    assertThat(p.toCsv()).contains("[c]");
  }

  @Test
  void aOneWayTableWithATotalGetsASecondSuppression() {
    long[][] counts = {{4}, {50}, {35}, {60}};
    CheckResult r = STANDARD.check(CrossTable.counts("by age band", List.of("18-64", "65-74", "75-84", "85+"),
        List.of("n"), counts));
    boolean[][] s = suppressed(r.table());
    assertThat(s[0][0]).isTrue();
    assertThat(r.table().suppressedCount()).isEqualTo(2);
    assertThat(s[2][0]).as("the smallest other cell, 35, is the complement").isTrue();
    assertThat(recoverable(s, false, true)).isEmpty();
  }

  @Test
  void largerTablesWithSeveralSmallCellsStayUnrecoverable() {
    long[][] counts = {
        {3, 40, 55, 61, 12},
        {44, 2, 38, 70, 90},
        {51, 66, 9, 48, 33},
        {80, 71, 64, 59, 101}};
    CheckResult r = STANDARD.check(CrossTable.counts("t", List.of("a", "b", "c", "d"),
        List.of("v", "w", "x", "y", "z"), counts));
    assertThat(r.status()).isEqualTo(Status.PASS);
    boolean[][] s = suppressed(r.table());
    assertThat(s[0][0] && s[1][1] && s[2][2]).isTrue();
    assertThat(recoverable(s, true, true)).isEmpty();
  }

  @Test
  void aSmallMarginFailsTheTable() {
    CheckResult r = STANDARD.check(CrossTable.counts("t", List.of("A", "B"), List.of("X", "Y"),
        new long[][] {{3, 4}, {30, 40}}));
    assertThat(r.status()).isEqualTo(Status.FAIL);
    assertThat(r.reasons()).anyMatch(s -> s.contains("row total of A discloses"));
  }

  @Test
  void aCellHoldingAWholeRowNeedsReview() {
    CheckResult r = STANDARD.check(CrossTable.counts("t", List.of("A", "B"), List.of("X", "Y"),
        new long[][] {{30, 0}, {30, 40}}));
    assertThat(r.status()).isEqualTo(Status.REVIEW);
    assertThat(r.reasons()).anyMatch(s -> s.contains("100% of its row"));
  }

  @Test
  void nhsProfileSuppressesOneToSevenAndRoundsToFive() {
    long[][] counts = {{3}, {12}, {48}, {7}, {100}, {8}};
    CheckResult r = NHS.check(CrossTable.counts("by practice", List.of("p1", "p2", "p3", "p4", "p5", "p6"),
        List.of("n"), counts));
    ProtectedTable p = r.table();
    assertThat(p.suppressed(0, 0)).isTrue();
    assertThat(p.suppressed(3, 0)).isTrue();
    assertThat(p.suppressed(5, 0)).as("8 is above the NHS 1-7 band").isFalse();
    long roundedSum = 0;
    for (int i = 0; i < counts.length; i++) {
      long rounded = Math.round(counts[i][0] / 5.0) * 5;
      roundedSum += rounded;
      if (!p.suppressed(i, 0)) {
        assertThat(p.cells()[i][0]).isEqualTo((double) rounded);
      }
    }
    assertThat(p.grandTotal()).isEqualTo((double) roundedSum);
    assertThat(recoverable(suppressed(p), false, true)).isEmpty();
  }

  @Test
  void magnitudeCellsFailNkAndFewContributors() {
    double[] spread = {100, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};     // top two hold 105/150 = 70%
    double[] dominated = {1000, 50, 1, 1, 1, 1, 1, 1, 1, 1, 1}; // top two hold 1050/1059
    double[] few = {10, 10, 10};
    double[][][] cells = {{spread, dominated}, {spread, few}, {spread, spread}};
    CheckResult r = STANDARD.check(CrossTable.magnitudes("cost", List.of("a", "b", "c"), List.of("x", "y"), cells));
    ProtectedTable p = r.table();
    assertThat(p.why()[0][1]).startsWith("primary: nk rule");
    assertThat(p.why()[1][1]).startsWith("primary: 3 contributors");
    assertThat(p.why()[0][0]).isEqualTo("secondary");
    assertThat(p.why()[2][0]).isNull();
    assertThat(recoverable(suppressed(p), true, true)).isEmpty();
    assertThat(r.status()).isEqualTo(Status.FAIL)
        .as("column y's total is itself dominated by the 1000 contributor");
  }

  @Test
  void pPercentFiresWhereNkDoesNot() {
    double[] cell = {100, 50, 1, 1, 1, 1, 1, 1, 1, 1};  // top two hold 150/158 = 94.9%; others 8% of the top
    DisclosureControl loose = DisclosureControl.with(new DisclosureProfile("loose-nk", 10, 0, 2, 0.95, 0.10, 10));
    assertThat(loose.primaryRule(cell.length, cell)).startsWith("p% rule");
    // with k = 90% the nk rule already catches it: p% (10%) is implied by nk (2, 90%)
    assertThat(STANDARD.primaryRule(cell.length, cell)).startsWith("nk rule");
  }

  @Test
  void regressionsNeedTenResidualDegreesOfFreedom() {
    assertThat(STANDARD.checkRegression("its", 15, 6).status()).isEqualTo(Status.FAIL);
    assertThat(STANDARD.checkRegression("its", 16, 6).status()).isEqualTo(Status.PASS);
  }

  @Test
  void minAndMaxFail() {
    assertThat(STANDARD.checkStatistics("summary", List.of("mean", "Max")).status()).isEqualTo(Status.FAIL);
    assertThat(STANDARD.checkStatistics("summary", List.of("mean", "median", "p25")).status()).isEqualTo(Status.PASS);
  }
}
