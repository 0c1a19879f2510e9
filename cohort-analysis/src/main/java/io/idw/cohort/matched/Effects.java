package io.idw.cohort.matched;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Effect estimates and their robust standard errors, on arrays. The formulas are those of R's
 * {@code sandwich} package, so results can be checked against {@code lm}/{@code glm} +
 * {@code sandwich::vcovCL}/{@code vcovHC}:
 *
 * <ul>
 *   <li>{@link #differenceInMeans}: the coefficient of treatment in the weighted least squares
 *       fit y ~ 1 + treated (the weighted difference in means). Clustered by matched set: HC1
 *       with the G/(G−1) cluster adjustment, i.e. {@code vcovCL(fit, cluster = ~subclass)} whose
 *       default for an {@code lm} is type HC1 and {@code cadjust = TRUE}: V = G/(G−1) · (n−1)/(n−2)
 *       · B M B. Without clusters (matching with replacement) HC3, as the evaluation notes say.</li>
 *   <li>{@link #poissonRateRatio}: the rate ratio exp(β) of a Poisson log-linear model y ~ 1 +
 *       treated (+ offset log exposure) with prior weights; clustered SE as {@code vcovCL} gives for
 *       a {@code glm}: type HC0 with G/(G−1); without clusters HC0.</li>
 * </ul>
 * 95% intervals are Wald: estimate ± z·SE, with z = Φ⁻¹(0.975) = 1.959964…; the rate ratio's on
 * the log scale, exponentiated.
 */
public final class Effects {
  /** Φ⁻¹(0.975). */
  public static final double Z975 = new NormalDistribution().inverseCumulativeProbability(0.975);

  private Effects() {}

  /** An estimate with its SE and 95% CI (for a ratio, SE is of the log). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Estimate(
      @JsonProperty("estimate") double estimate,
      @JsonProperty("se") double se,
      @JsonProperty("ci_low") double ciLow,
      @JsonProperty("ci_high") double ciHigh,
      @JsonProperty("se_type") String seType,
      @JsonProperty("scale") String scale) {

    /** True if the 95% CI covers {@code value}. */
    public boolean covers(double value) {
      return ciLow <= value && value <= ciHigh;
    }
  }

  /** A difference estimate with a Wald CI on its own scale. */
  public static Estimate additive(double est, double se, String seType) {
    return new Estimate(est, se, est - Z975 * se, est + Z975 * se, seType, "difference");
  }

  /** A ratio from a log-scale coefficient and its SE. */
  public static Estimate ratio(double logEst, double logSe, String seType) {
    return new Estimate(Math.exp(logEst), logSe, Math.exp(logEst - Z975 * logSe),
        Math.exp(logEst + Z975 * logSe), seType, "ratio");
  }

  /**
   * The weighted difference in means of {@code y} (treated minus control) with a cluster-robust
   * SE ({@code cluster} non-null: HC1 × G/(G−1)) or HC3 ({@code cluster} null).
   */
  public static Estimate differenceInMeans(double[] y, boolean[] treated, double[] w, int[] cluster) {
    int n = y.length;
    double[] beta = wlsBinary(y, treated, w);
    // X'WX for X = [1, t]
    double a = 0;
    double b = 0;
    for (int i = 0; i < n; i++) {
      a += w[i];
      if (treated[i]) {
        b += w[i];
      }
    }
    double[][] bread = inverse2(a, b, b);
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      e[i] = y[i] - beta[0] - (treated[i] ? beta[1] : 0);
    }
    double[][] meat = new double[2][2];
    String type;
    if (cluster != null) {
      Map<Integer, double[]> sums = new HashMap<>();
      for (int i = 0; i < n; i++) {
        double[] s = sums.computeIfAbsent(cluster[i], k -> new double[2]);
        double u = w[i] * e[i];
        s[0] += u;
        s[1] += treated[i] ? u : 0;
      }
      for (double[] s : sums.values()) {
        addOuter(meat, s, 1.0);
      }
      int g = sums.size();
      double adj = (double) g / (g - 1) * (n - 1.0) / (n - 2.0);
      scale(meat, adj);
      type = "cluster-robust by matched set (HC1, G/(G-1)), as sandwich::vcovCL";
    } else {
      for (int i = 0; i < n; i++) {
        double[] x = {1, treated[i] ? 1 : 0};
        double h = w[i] * quad(bread, x);
        double u = w[i] * e[i] / (1 - h);
        addOuter(meat, new double[] {u * x[0], u * x[1]}, 1.0);
      }
      type = "HC3 (matching with replacement: no matched sets)";
    }
    double var = sandwich(bread, meat)[1][1];
    return additive(beta[1], Math.sqrt(var), type);
  }

  /**
   * The Poisson rate ratio for treated vs control given the fitted coefficients {@code beta =
   * (intercept, treated)} (from Spark GLR, or the closed form), with a cluster-robust SE (HC0 ×
   * G/(G−1)) or, with {@code cluster} null, HC0.
   *
   * @param offset log exposure per unit, or null for none
   */
  public static Estimate poissonRateRatio(double[] y, boolean[] treated, double[] w, double[] offset,
      double[] beta, int[] cluster) {
    int n = y.length;
    double[] mu = new double[n];
    double a = 0;
    double b = 0;
    for (int i = 0; i < n; i++) {
      double eta = beta[0] + (treated[i] ? beta[1] : 0) + (offset == null ? 0 : offset[i]);
      mu[i] = Math.exp(eta);
      a += w[i] * mu[i];
      if (treated[i]) {
        b += w[i] * mu[i];
      }
    }
    double[][] bread = inverse2(a, b, b);
    double[][] meat = new double[2][2];
    String type;
    if (cluster != null) {
      Map<Integer, double[]> sums = new HashMap<>();
      for (int i = 0; i < n; i++) {
        double[] s = sums.computeIfAbsent(cluster[i], k -> new double[2]);
        double u = w[i] * (y[i] - mu[i]);
        s[0] += u;
        s[1] += treated[i] ? u : 0;
      }
      for (double[] s : sums.values()) {
        addOuter(meat, s, 1.0);
      }
      int g = sums.size();
      scale(meat, (double) g / (g - 1));
      type = "cluster-robust by matched set (HC0, G/(G-1)), as sandwich::vcovCL on a glm";
    } else {
      for (int i = 0; i < n; i++) {
        double u = w[i] * (y[i] - mu[i]);
        addOuter(meat, new double[] {u, treated[i] ? u : 0}, 1.0);
      }
      type = "HC0 robust (sandwich::vcovHC type HC0)";
    }
    double var = sandwich(bread, meat)[1][1];
    return ratio(beta[1], Math.sqrt(var), type);
  }

  /**
   * The closed-form Poisson MLE of y ~ 1 + treated (+ offset): intercept = log(Σwy/Σwe) of the
   * controls, treated = log of the rate ratio. Equal to what an IRLS fit converges to.
   */
  public static double[] poissonClosedForm(double[] y, boolean[] treated, double[] w, double[] offset) {
    double[] sy = new double[2];
    double[] se = new double[2];
    for (int i = 0; i < y.length; i++) {
      int g = treated[i] ? 1 : 0;
      sy[g] += w[i] * y[i];
      se[g] += w[i] * (offset == null ? 1 : Math.exp(offset[i]));
    }
    double b0 = Math.log(sy[0] / se[0]);
    return new double[] {b0, Math.log(sy[1] / se[1]) - b0};
  }

  /**
   * The naive (unmatched) comparison from per-group sums {n, Σy, Σy², Σe, Σye, Σe²} (e the
   * exposure, 1 without one): the difference in means with an HC1 SE (R: {@code lm(y ~ t)} +
   * {@code vcovHC(type = "HC1")}) and the Poisson rate ratio (Σy₁/Σe₁)/(Σy₀/Σe₀), the MLE of
   * {@code glm(y ~ t + offset(log(e)), poisson)}, with an HC0 SE: var log RR = Σ over groups of
   * Σ(y − r·e)² / (Σy)².
   */
  public static MatchedCohortResult.OutcomeEffects naive(double[] treated, double[] control) {
    double n1 = treated[0];
    double n0 = control[0];
    double m1 = treated[1] / n1;
    double m0 = control[1] / n0;
    double ss1 = treated[2] - treated[1] * treated[1] / n1;
    double ss0 = control[2] - control[1] * control[1] / n0;
    double nn = n1 + n0;
    double var = (ss1 / (n1 * n1) + ss0 / (n0 * n0)) * nn / (nn - 2);
    Estimate diff = additive(m1 - m0, Math.sqrt(var), "HC1 robust (sandwich::vcovHC type HC1)");
    double r1 = treated[1] / treated[3];
    double r0 = control[1] / control[3];
    double v1 = (treated[2] - 2 * r1 * treated[4] + r1 * r1 * treated[5]) / (treated[1] * treated[1]);
    double v0 = (control[2] - 2 * r0 * control[4] + r0 * r0 * control[5]) / (control[1] * control[1]);
    Estimate rr = ratio(Math.log(r1 / r0), Math.sqrt(v1 + v0), "HC0 robust (sandwich::vcovHC type HC0)");
    return new MatchedCohortResult.OutcomeEffects(diff, rr, m1, m0);
  }

  /** Weighted least squares of y on [1, t]: (control mean, treated − control mean). */
  static double[] wlsBinary(double[] y, boolean[] treated, double[] w) {
    double[] sw = new double[2];
    double[] swy = new double[2];
    for (int i = 0; i < y.length; i++) {
      int g = treated[i] ? 1 : 0;
      sw[g] += w[i];
      swy[g] += w[i] * y[i];
    }
    double m0 = swy[0] / sw[0];
    return new double[] {m0, swy[1] / sw[1] - m0};
  }

  /** Inverse of the symmetric 2×2 [[a, b], [b, d]] (here d = b since x = [1, t] with t ∈ {0,1}). */
  private static double[][] inverse2(double a, double b, double d) {
    double det = a * d - b * b;
    return new double[][] {{d / det, -b / det}, {-b / det, a / det}};
  }

  private static double quad(double[][] m, double[] x) {
    return x[0] * (m[0][0] * x[0] + m[0][1] * x[1]) + x[1] * (m[1][0] * x[0] + m[1][1] * x[1]);
  }

  private static void addOuter(double[][] m, double[] s, double f) {
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < 2; c++) {
        m[r][c] += f * s[r] * s[c];
      }
    }
  }

  private static void scale(double[][] m, double f) {
    for (double[] row : m) {
      for (int c = 0; c < row.length; c++) {
        row[c] *= f;
      }
    }
  }

  private static double[][] sandwich(double[][] bread, double[][] meat) {
    double[][] t = mul(mul(bread, meat), bread);
    return t;
  }

  private static double[][] mul(double[][] x, double[][] y) {
    double[][] r = new double[2][2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        r[i][j] = x[i][0] * y[0][j] + x[i][1] * y[1][j];
      }
    }
    return r;
  }
}
