package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.cohort.its.internal.NeweyWestOls;
import org.junit.jupiter.api.Test;

/**
 * Newey-West on a series small enough to check by hand: y = 1, 2, 4, 3, 5 on an intercept. The mean
 * is 3, residuals e = −2, −1, 1, 0, 2: Σe² = 10, Σeₜeₜ₋₁ = 2 − 1 + 0 + 0 = 1, Σeₜeₜ₋₂ = −2 + 0 + 2 = 0;
 * XᵀX = 5, so Var = S / 25.
 */
class NeweyWestOlsTest {
  private static final double[][] X = {{1}, {1}, {1}, {1}, {1}};
  private static final double[] Y = {1, 2, 4, 3, 5};

  @Test
  void lagZeroIsWhite() {
    NeweyWestOls o = NeweyWestOls.fit(X, Y, 0, false);
    assertThat(o.beta[0]).isCloseTo(3.0, within(1e-12));
    assertThat(o.covariance[0][0]).isCloseTo(10.0 / 25, within(1e-12));
  }

  @Test
  void lagOneWeighsTheFirstAutocovarianceByOneHalf() {
    // S = 10 + 2·(1 − 1/2)·1 = 11
    assertThat(NeweyWestOls.fit(X, Y, 1, false).covariance[0][0]).isCloseTo(11.0 / 25, within(1e-12));
    // small-sample adjustment n/(n−k) = 5/4
    assertThat(NeweyWestOls.fit(X, Y, 1, true).covariance[0][0]).isCloseTo(11.0 / 25 * 5 / 4, within(1e-12));
  }

  @Test
  void lagTwoUsesBartlettWeightsTwoThirdsAndOneThird() {
    // S = 10 + 2·(2/3)·1 + 2·(1/3)·0
    assertThat(NeweyWestOls.fit(X, Y, 2, false).covariance[0][0]).isCloseTo((10 + 4.0 / 3) / 25, within(1e-12));
  }

  @Test
  void lagsPairRowsByCalendarTimeWithinASeries() {
    // The same five months split into two series (months 1,2,3 and 4,5): no lag pair crosses the
    // series, and months 3→4 are not adjacent any more. Lag-1 pairs: (1,2): (−1)(−2)=2, (2,3): (1)(−1)=−1,
    // (4,5): (2)(0)=0, so S = 10 + 2·½·1 = 11 again; with series 1,2 | 3,4,5 the (2,3) pair drops:
    // pairs (1,2)=2, (3,4)=0, (4,5)=0 → S = 10 + 2.
    long[] t = {1, 2, 3, 4, 5};
    assertThat(NeweyWestOls.fit(X, Y, t, new int[] {0, 0, 0, 1, 1}, 1, false).covariance[0][0])
        .isCloseTo(11.0 / 25, within(1e-12));
    assertThat(NeweyWestOls.fit(X, Y, t, new int[] {0, 0, 1, 1, 1}, 1, false).covariance[0][0])
        .isCloseTo(12.0 / 25, within(1e-12));
    // a gap: months 1,2,3,5,6 — the pair (3,5) is two months apart, so lag 1 sees (1,2),(2,3),(5,6)
    long[] gap = {1, 2, 3, 5, 6};
    assertThat(NeweyWestOls.fit(X, Y, gap, new int[5], 1, false).covariance[0][0])
        .isCloseTo((10 + (2 - 1 + 0)) / 25.0, within(1e-12));
  }

  @Test
  void slopeRegressionMatchesTheSandwichWrittenOut() {
    // y on (1, t) for t = 1..4, y = 1, 3, 2, 6: derived here from the definition with plain loops.
    double[][] x = {{1, 1}, {1, 2}, {1, 3}, {1, 4}};
    double[] y = {1, 3, 2, 6};
    NeweyWestOls o = NeweyWestOls.fit(x, y, 1, false);
    // OLS: slope = Sxy/Sxx with t̄ = 2.5, ȳ = 3: Sxy = (−1.5)(−2)+(−.5)(0)+(.5)(−1)+(1.5)(3) = 7, Sxx = 5
    assertThat(o.beta[1]).isCloseTo(1.4, within(1e-12));
    assertThat(o.beta[0]).isCloseTo(3 - 1.4 * 2.5, within(1e-12));
    double[] e = new double[4];
    for (int i = 0; i < 4; i++) {
      e[i] = y[i] - o.beta[0] - o.beta[1] * x[i][1];
    }
    double[][] s = new double[2][2];
    for (int i = 0; i < 4; i++) {
      for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
          s[a][b] += e[i] * e[i] * x[i][a] * x[i][b];
          if (i > 0) {
            s[a][b] += 0.5 * e[i] * e[i - 1] * (x[i][a] * x[i - 1][b] + x[i - 1][a] * x[i][b]);
          }
        }
      }
    }
    // (XᵀX)⁻¹ = [[30, −10], [−10, 4]] / 20
    double[][] inv = {{1.5, -0.5}, {-0.5, 0.2}};
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        double v = 0;
        for (int c = 0; c < 2; c++) {
          for (int d = 0; d < 2; d++) {
            v += inv[a][c] * s[c][d] * inv[d][b];
          }
        }
        assertThat(o.covariance[a][b]).isCloseTo(v, within(1e-12));
      }
    }
  }
}
