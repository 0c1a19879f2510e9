package io.idw.cohort.its.internal;

/**
 * Fourier seasonality terms for monthly data: for j = 1..k, sin(2πj·m/12) and cos(2πj·m/12) of the
 * calendar month m (1..12). This is k = 1..n, which equals R {@code tsModel::harmonic(month, n, 12)}
 * (frequencies 1, 2, 4, …) only for n ≤ 2.
 */
public final class Harmonics {
  private Harmonics() {}

  /** The 2k values [sin1, cos1, sin2, cos2, …] for calendar month {@code month}. */
  public static double[] terms(int month, int k) {
    double[] out = new double[2 * k];
    for (int j = 1; j <= k; j++) {
      double a = 2 * Math.PI * j * month / 12.0;
      out[2 * (j - 1)] = Math.sin(a);
      out[2 * (j - 1) + 1] = Math.cos(a);
    }
    return out;
  }

  /** The names of those terms: sin1, cos1, sin2, cos2, …. */
  public static String[] names(int k) {
    String[] out = new String[2 * k];
    for (int j = 1; j <= k; j++) {
      out[2 * (j - 1)] = "sin" + j;
      out[2 * (j - 1) + 1] = "cos" + j;
    }
    return out;
  }
}
