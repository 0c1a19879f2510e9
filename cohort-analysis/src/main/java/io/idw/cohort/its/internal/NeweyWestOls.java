package io.idw.cohort.its.internal;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Ordinary least squares with Newey-West (HAC) covariance: (XᵀX)⁻¹ S (XᵀX)⁻¹ with
 * S = Σₜ eₜ² xₜxₜᵀ + Σ_{l=1..L} w_l Σ_{t>l} eₜe_{t−l}(xₜx_{t−l}ᵀ + x_{t−l}xₜᵀ), Bartlett weights
 * w_l = 1 − l/(L+1), no prewhitening. With the small-sample adjustment the covariance is multiplied
 * by n/(n−k) (Stata {@code newey}, statsmodels {@code use_correction=True}).
 *
 * <p>Lags are taken in calendar time within a series: rows t and s pair at lag l when they belong to
 * the same series and are l months apart (as Stata {@code newey} on panel data). For one gap-free
 * series this is the usual row lag.
 */
public final class NeweyWestOls {
  public final double[] beta;
  public final double[][] covariance;
  public final double[] residuals;
  public final double rss;
  public final int n;
  public final int p;

  private NeweyWestOls(double[] beta, double[][] cov, double[] residuals, double rss, int n, int p) {
    this.beta = beta;
    this.covariance = cov;
    this.residuals = residuals;
    this.rss = rss;
    this.n = n;
    this.p = p;
  }

  /** Fits y on x (x includes any intercept column) for one gap-free series in time order. */
  public static NeweyWestOls fit(double[][] x, double[] y, int lag, boolean smallSample) {
    long[] time = new long[x.length];
    for (int i = 0; i < time.length; i++) {
      time[i] = i;
    }
    return fit(x, y, time, new int[x.length], lag, smallSample);
  }

  /** Fits y on x; {@code time} (months) and {@code series} place each row for the lag pairs. */
  public static NeweyWestOls fit(double[][] x, double[] y, long[] time, int[] series, int lag, boolean smallSample) {
    int n = x.length;
    int p = x[0].length;
    RealMatrix xm = new Array2DRowRealMatrix(x, false);
    QRDecomposition qr = new QRDecomposition(xm, 1e-12);
    double[] beta = qr.getSolver().solve(new org.apache.commons.math3.linear.ArrayRealVector(y, false)).toArray();
    double[] e = new double[n];
    double rss = 0;
    for (int i = 0; i < n; i++) {
      double f = 0;
      for (int j = 0; j < p; j++) {
        f += x[i][j] * beta[j];
      }
      e[i] = y[i] - f;
      rss += e[i] * e[i];
    }
    double[][] s = new double[p][p];
    for (int t = 0; t < n; t++) {
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          s[a][b] += e[t] * e[t] * x[t][a] * x[t][b];
        }
      }
    }
    for (int t = 0; t < n; t++) {
      for (int u = 0; u < n; u++) {
        long l = time[t] - time[u];
        if (series[t] != series[u] || l < 1 || l > lag) {
          continue;
        }
        double ee = (1.0 - l / (lag + 1.0)) * e[t] * e[u];
        for (int a = 0; a < p; a++) {
          for (int b = 0; b < p; b++) {
            s[a][b] += ee * (x[t][a] * x[u][b] + x[u][a] * x[t][b]);
          }
        }
      }
    }
    RealMatrix bread = new QRDecomposition(xm.transpose().multiply(xm), 1e-14).getSolver().getInverse();
    RealMatrix cov = bread.multiply(new Array2DRowRealMatrix(s, false)).multiply(bread);
    if (smallSample) {
      cov = cov.scalarMultiply(n / (double) (n - p));
    }
    return new NeweyWestOls(beta, cov.getData(), e, rss, n, p);
  }

  public double[] standardErrors() {
    double[] se = new double[p];
    for (int j = 0; j < p; j++) {
      se[j] = Math.sqrt(covariance[j][j]);
    }
    return se;
  }
}
