package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.linkage.internal.EmEstimator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** EM recovers m and λ planted in simulated comparison vectors (u fixed at its planted value). */
class EmEstimatorTest {
  // three comparisons: 3, 2 and 4 non-null levels (gamma 0 = least similar)
  static final double[][] M = {{0.05, 0.15, 0.80}, {0.10, 0.90}, {0.02, 0.08, 0.20, 0.70}};
  static final double[][] U = {{0.90, 0.08, 0.02}, {0.50, 0.50}, {0.85, 0.10, 0.04, 0.01}};
  static final double LAMBDA = 0.2;
  static final double NULL_RATE = 0.05;

  @Test
  void recoversPlantedMAndLambda() {
    Random rnd = new Random(7);
    Map<String, long[]> agg = new HashMap<>();
    Map<String, int[]> vec = new HashMap<>();
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      boolean match = rnd.nextDouble() < LAMBDA;
      int[] g = new int[M.length];
      for (int c = 0; c < M.length; c++) {
        g[c] = rnd.nextDouble() < NULL_RATE ? -1 : draw(match ? M[c] : U[c], rnd);
      }
      String key = java.util.Arrays.toString(g);
      agg.computeIfAbsent(key, k -> new long[1])[0]++;
      vec.putIfAbsent(key, g);
    }
    List<String> keys = new ArrayList<>(agg.keySet());
    int[][] gammas = new int[keys.size()][];
    long[] counts = new long[keys.size()];
    for (int p = 0; p < keys.size(); p++) {
      gammas[p] = vec.get(keys.get(p));
      counts[p] = agg.get(keys.get(p))[0];
    }
    double[][] mInit = {{0.1, 0.1, 0.8}, {0.1, 0.9}, {0.05, 0.05, 0.1, 0.8}};
    boolean[] all = {true, true, true};
    EmEstimator.Result r = EmEstimator.run(gammas, counts, mInit, U, all, all, 0.5, true, 200, 1e-7);
    assertThat(r.converged()).isTrue();
    assertThat(r.lambda()).isCloseTo(LAMBDA, within(0.01));
    for (int c = 0; c < M.length; c++) {
      for (int g = 0; g < M[c].length; g++) {
        assertThat(r.m()[c][g]).as("m[%d][%d]", c, g).isCloseTo(M[c][g], within(0.015));
      }
    }
  }

  @Test
  void inactiveComparisonKeepsItsM() {
    int[][] gammas = {{1, 1}, {0, 0}, {1, 0}, {0, 1}};
    long[] counts = {100, 900, 50, 50};
    double[][] m = {{0.3, 0.7}, {0.4, 0.6}};
    double[][] u = {{0.9, 0.1}, {0.9, 0.1}};
    EmEstimator.Result r = EmEstimator.run(gammas, counts, m, u, new boolean[] {true, false},
        new boolean[] {true, false}, 0.1, true, 50, 1e-9);
    assertThat(r.m()[1]).containsExactly(0.4, 0.6);
    // with comparison 1 out of the likelihood, λ and m[0] follow from comparison 0 alone
    assertThat(r.m()[0][0] + r.m()[0][1]).isCloseTo(1.0, within(1e-9));
  }

  private static int draw(double[] p, Random rnd) {
    double x = rnd.nextDouble();
    double acc = 0;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (x < acc) {
        return i;
      }
    }
    return p.length - 1;
  }
}
