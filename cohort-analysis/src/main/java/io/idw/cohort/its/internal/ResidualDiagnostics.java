package io.idw.cohort.its.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Autocorrelation diagnostics of a residual series in time order.
 *
 * <ul>
 *   <li>ACF: r_k = Σ(e_t − ē)(e_{t+k} − ē) / Σ(e_t − ē)² (the biased estimator of R {@code acf} and
 *       statsmodels {@code acf}).
 *   <li>PACF: Durbin-Levinson on that ACF (R {@code pacf}; statsmodels {@code method="ldb"}).
 *   <li>Durbin-Watson: Σ(e_t − e_{t−1})² / Σe_t².
 *   <li>Breusch-Godfrey LM: n·R² of the regression of e_t on the model's design and e_{t−1..t−h}
 *       (missing lags set to 0), χ²(h) (statsmodels {@code acorr_breusch_godfrey}). Columns of the
 *       design that are constant or collinear within the series are dropped by pivoted
 *       Gram-Schmidt.
 * </ul>
 */
public final class ResidualDiagnostics {
  private ResidualDiagnostics() {}

  public static double[] acf(double[] e, int maxLag) {
    int n = e.length;
    double mean = 0;
    for (double v : e) {
      mean += v;
    }
    mean /= n;
    double c0 = 0;
    for (double v : e) {
      c0 += (v - mean) * (v - mean);
    }
    double[] r = new double[maxLag];
    for (int k = 1; k <= maxLag; k++) {
      double ck = 0;
      for (int t = 0; t + k < n; t++) {
        ck += (e[t] - mean) * (e[t + k] - mean);
      }
      r[k - 1] = ck / c0;
    }
    return r;
  }

  /** PACF at lags 1..maxLag from the ACF, by the Durbin-Levinson recursion. */
  public static double[] pacf(double[] e, int maxLag) {
    double[] r = acf(e, maxLag);
    double[] out = new double[maxLag];
    double[] phi = new double[maxLag + 1];
    double[] prev = new double[maxLag + 1];
    double v = 1;
    for (int k = 1; k <= maxLag; k++) {
      double num = r[k - 1];
      for (int j = 1; j < k; j++) {
        num -= prev[j] * r[k - j - 1];
      }
      double a = num / v;
      phi[k] = a;
      for (int j = 1; j < k; j++) {
        phi[j] = prev[j] - a * prev[k - j];
      }
      v *= 1 - a * a;
      out[k - 1] = a;
      System.arraycopy(phi, 0, prev, 0, k + 1);
    }
    return out;
  }

  public static double durbinWatson(double[] e) {
    double num = 0;
    double den = e[0] * e[0];
    for (int t = 1; t < e.length; t++) {
      num += (e[t] - e[t - 1]) * (e[t] - e[t - 1]);
      den += e[t] * e[t];
    }
    return num / den;
  }

  /** Breusch-Godfrey LM statistic, its df and its χ² p-value. */
  public record BreuschGodfrey(int order, double lm, double pValue) {}

  public static BreuschGodfrey breuschGodfrey(double[] e, double[][] design, int order) {
    int n = e.length;
    List<double[]> cols = new ArrayList<>();
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1);
    cols.add(ones);
    for (int j = 0; j < design[0].length; j++) {
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = design[i][j];
      }
      cols.add(c);
    }
    for (int l = 1; l <= order; l++) {
      double[] c = new double[n];
      for (int t = l; t < n; t++) {
        c[t] = e[t - l];
      }
      cols.add(c);
    }
    double rss = residualSumOfSquares(cols, e);
    double mean = 0;
    for (double v : e) {
      mean += v;
    }
    mean /= n;
    double tss = 0;
    for (double v : e) {
      tss += (v - mean) * (v - mean);
    }
    double lm = n * (1 - rss / tss);
    double p = new ChiSquaredDistribution(null, order).cumulativeProbability(lm);
    return new BreuschGodfrey(order, lm, 1 - p);
  }

  /** RSS of y on the span of the columns; near-dependent columns are skipped (modified Gram-Schmidt). */
  static double residualSumOfSquares(List<double[]> cols, double[] y) {
    List<double[]> basis = new ArrayList<>();
    for (double[] c0 : cols) {
      double[] c = c0.clone();
      double norm0 = norm(c);
      if (norm0 == 0) {
        continue;
      }
      for (int pass = 0; pass < 2; pass++) {
        for (double[] q : basis) {
          double d = dot(q, c);
          for (int i = 0; i < c.length; i++) {
            c[i] -= d * q[i];
          }
        }
      }
      double nrm = norm(c);
      if (nrm > 1e-9 * norm0) {
        for (int i = 0; i < c.length; i++) {
          c[i] /= nrm;
        }
        basis.add(c);
      }
    }
    double[] r = y.clone();
    for (double[] q : basis) {
      double d = dot(q, r);
      for (int i = 0; i < r.length; i++) {
        r[i] -= d * q[i];
      }
    }
    return dot(r, r);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }
}
