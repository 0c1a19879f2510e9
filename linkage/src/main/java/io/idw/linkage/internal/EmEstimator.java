package io.idw.linkage.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Expectation maximisation for the Fellegi-Sunter model on aggregated comparison patterns. Spark
 * reduces the blocked pairs to distinct comparison vectors and their counts; the iterations run
 * here, exactly, on those counts (a few thousand patterns at most), so each iteration costs
 * microseconds instead of a pass over the pairs.
 *
 * <p>Gamma values are Splink's: -1 null (no evidence), 0..K-1 the non-null levels. {@code m[c][g]}
 * and {@code u[c][g]} are indexed by gamma value. u stays fixed; m of comparisons marked trainable
 * and λ are re-estimated. Comparisons marked inactive are left out of the likelihood entirely (as
 * Splink deactivates the comparisons a training blocking rule uses).
 */
public final class EmEstimator {
  /** Probabilities below this are floored, so no level has an infinite weight. */
  public static final double FLOOR = 1e-9;

  private EmEstimator() {}

  /** The outcome of one EM session. */
  public record Result(double[][] m, double lambda, int iterations, boolean converged,
      List<Double> lambdaHistory, double expectedMatches) {}

  /**
   * Runs EM.
   *
   * @param gammas pattern x comparison gamma values
   * @param counts pairs per pattern
   * @param mInit starting m per comparison and gamma value (copied)
   * @param u fixed u per comparison and gamma value
   * @param active comparisons in the likelihood
   * @param trainM comparisons whose m is re-estimated (subset of active)
   * @param lambdaInit starting λ within these pairs
   * @param trainLambda whether λ is re-estimated
   */
  public static Result run(int[][] gammas, long[] counts, double[][] mInit, double[][] u, boolean[] active,
      boolean[] trainM, double lambdaInit, boolean trainLambda, int maxIterations, double tolerance) {
    int nc = u.length;
    double[][] m = new double[nc][];
    for (int c = 0; c < nc; c++) {
      m[c] = mInit[c].clone();
    }
    double lambda = lambdaInit;
    List<Double> history = new ArrayList<>();
    boolean converged = false;
    int it = 0;
    double expected = 0;
    double[] post = new double[gammas.length];
    while (it < maxIterations) {
      it++;
      // E step
      double sumN = 0;
      double sumNp = 0;
      for (int p = 0; p < gammas.length; p++) {
        double lm = Math.log(clamp(lambda));
        double lu = Math.log(clamp(1 - lambda));
        for (int c = 0; c < nc; c++) {
          int g = gammas[p][c];
          if (!active[c] || g < 0) {
            continue;
          }
          lm += Math.log(clamp(m[c][g]));
          lu += Math.log(clamp(u[c][g]));
        }
        post[p] = 1.0 / (1.0 + Math.exp(lu - lm));
        sumN += counts[p];
        sumNp += counts[p] * post[p];
      }
      expected = sumNp;
      // M step
      double maxDelta = 0;
      double newLambda = trainLambda ? sumNp / sumN : lambda;
      maxDelta = Math.max(maxDelta, Math.abs(newLambda - lambda));
      lambda = newLambda;
      for (int c = 0; c < nc; c++) {
        if (!trainM[c]) {
          continue;
        }
        double[] num = new double[m[c].length];
        double den = 0;
        for (int p = 0; p < gammas.length; p++) {
          int g = gammas[p][c];
          if (g < 0) {
            continue;
          }
          double w = counts[p] * post[p];
          num[g] += w;
          den += w;
        }
        if (den <= 0) {
          continue;
        }
        for (int g = 0; g < num.length; g++) {
          double v = Math.max(num[g] / den, FLOOR);
          maxDelta = Math.max(maxDelta, Math.abs(v - m[c][g]));
          m[c][g] = v;
        }
      }
      history.add(lambda);
      if (maxDelta < tolerance) {
        converged = true;
        break;
      }
    }
    return new Result(m, lambda, it, converged, List.copyOf(history), expected);
  }

  /** The posterior match probability of one pattern under given parameters. */
  public static double posterior(int[] gamma, double[][] m, double[][] u, double lambda) {
    double lm = Math.log(clamp(lambda));
    double lu = Math.log(clamp(1 - lambda));
    for (int c = 0; c < gamma.length; c++) {
      if (gamma[c] >= 0) {
        lm += Math.log(clamp(m[c][gamma[c]]));
        lu += Math.log(clamp(u[c][gamma[c]]));
      }
    }
    return 1.0 / (1.0 + Math.exp(lu - lm));
  }

  static double clamp(double p) {
    return Math.min(Math.max(p, FLOOR), 1 - FLOOR);
  }
}
