package io.idw.cohort.variation;

import java.util.HashMap;
import java.util.Map;

/**
 * A log-linear model with categorical main effects, mu = n · Π_f a_f[level_f], fitted by iterative
 * proportional fitting: each factor's level parameters are rescaled in turn so that the fitted
 * totals of every level match the observed totals. For this model the fixed point is the Poisson
 * maximum-likelihood estimate (the sufficient statistics are the one-way margins).
 */
final class LogLinear {
  static final int MAX_ITERATIONS = 500;
  static final double TOLERANCE = 1e-10;

  private LogLinear() {}

  /**
   * Fits the model and returns, for every cell, its parameter of each factor.
   *
   * @param level level[cell][factor]: the cell's level of each factor
   * @param n the cell sizes (the exposure)
   * @param obs the observed totals (non-negative)
   * @param factors the number of factors
   */
  static double[][] fit(String[][] level, double[] n, double[] obs, int factors) {
    int cells = n.length;
    @SuppressWarnings("unchecked")
    Map<String, Double>[] param = new Map[factors];
    for (int f = 0; f < factors; f++) {
      param[f] = new HashMap<>();
      for (int i = 0; i < cells; i++) {
        param[f].put(level[i][f], 1.0);
      }
    }
    double[] mu = new double[cells];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      double maxChange = 0;
      for (int f = 0; f < factors; f++) {
        for (int i = 0; i < cells; i++) {
          double m = n[i];
          for (int g = 0; g < factors; g++) {
            m *= param[g].get(level[i][g]);
          }
          mu[i] = m;
        }
        Map<String, double[]> margin = new HashMap<>();
        for (int i = 0; i < cells; i++) {
          double[] t = margin.computeIfAbsent(level[i][f], k -> new double[2]);
          t[0] += obs[i];
          t[1] += mu[i];
        }
        for (var e : margin.entrySet()) {
          double o = e.getValue()[0];
          double m = e.getValue()[1];
          double scale = m > 0 ? o / m : 0;
          maxChange = Math.max(maxChange, Math.abs(scale - 1));
          param[f].put(e.getKey(), param[f].get(e.getKey()) * scale);
        }
      }
      if (maxChange < TOLERANCE) {
        break;
      }
    }
    double[][] out = new double[cells][factors];
    for (int i = 0; i < cells; i++) {
      for (int f = 0; f < factors; f++) {
        out[i][f] = param[f].get(level[i][f]);
      }
    }
    return out;
  }
}
