package io.idw.cohort.matched;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Logistic regression (binomial family, logit link) by iteratively reweighted least squares, the
 * way R's {@code glm.fit} does it: start from μ = (y + 0.5)/2, solve the weighted least squares
 * step XᵀWX β = XᵀWz with W = μ(1−μ) and z = η + (y − μ)/W, keep η inside R's ±36.04 (so μ stays
 * off 0 and 1), and stop when the relative deviance change |D − D₀|/(|D| + 0.1) falls below
 * {@value #EPSILON} (R's default is 1e-8; tighter so agreement with R is to many digits), after at
 * most {@value #MAX_ITERATIONS} iterations. The step is solved by SVD (commons-math3), so an aliased
 * covariate (constant, or a copy of another) does not fail the fit: it gets the minimum-norm share
 * and the fitted probabilities are those of the model without it. Runs on the driver: the matched
 * cohort's units are already there for matching.
 *
 * @param beta coefficients, the intercept first (column 0 of the design is 1)
 * @param iterations IRLS iterations taken
 * @param deviance the residual deviance at {@code beta}
 * @param converged false if {@value #MAX_ITERATIONS} iterations did not converge (for example
 *     under complete separation, where R warns that fitted probabilities of 0 or 1 occurred)
 */
public record LogisticIrls(double[] beta, int iterations, double deviance, boolean converged) {
  public static final double EPSILON = 1e-12;
  public static final int MAX_ITERATIONS = 100;
  /** R's binomial()$linkinv bound: −log(.Machine$double.eps). */
  static final double ETA_MAX = -Math.log(Math.ulp(1.0));

  /**
   * Fits y ~ X.
   *
   * @param x the design, one row per unit, column 0 the intercept (1)
   * @param y the 0/1 outcome
   */
  public static LogisticIrls fit(double[][] x, boolean[] y) {
    int n = x.length;
    int p = x[0].length;
    double[] eta = new double[n];
    double[] mu = new double[n];
    for (int i = 0; i < n; i++) {
      mu[i] = ((y[i] ? 1 : 0) + 0.5) / 2;
      eta[i] = Math.log(mu[i] / (1 - mu[i]));
    }
    double devOld = deviance(y, mu);
    double[] beta = new double[p];
    for (int it = 1; it <= MAX_ITERATIONS; it++) {
      double[][] xtwx = new double[p][p];
      double[] xtwz = new double[p];
      for (int i = 0; i < n; i++) {
        double w = mu[i] * (1 - mu[i]);
        double z = eta[i] + ((y[i] ? 1 : 0) - mu[i]) / w;
        double[] xi = x[i];
        for (int a = 0; a < p; a++) {
          double wa = w * xi[a];
          xtwz[a] += wa * z;
          for (int b = 0; b <= a; b++) {
            xtwx[a][b] += wa * xi[b];
          }
        }
      }
      for (int a = 0; a < p; a++) {
        for (int b = a + 1; b < p; b++) {
          xtwx[a][b] = xtwx[b][a];
        }
      }
      RealVector sol = new SingularValueDecomposition(new Array2DRowRealMatrix(xtwx, false)).getSolver()
          .solve(new ArrayRealVector(xtwz, false));
      beta = sol.toArray();
      for (int i = 0; i < n; i++) {
        eta[i] = clamp(dot(beta, x[i]));
        mu[i] = 1 / (1 + Math.exp(-eta[i]));
      }
      double dev = deviance(y, mu);
      if (!Double.isFinite(dev)) {
        throw new IllegalStateException("the deviance is not finite after iteration " + it);
      }
      if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < EPSILON) {
        return new LogisticIrls(beta, it, dev, true);
      }
      devOld = dev;
    }
    return new LogisticIrls(beta, MAX_ITERATIONS, devOld, false);
  }

  /** xβ for one design row. */
  public double linearPredictor(double[] x) {
    return dot(beta, x);
  }

  private static double dot(double[] b, double[] x) {
    double s = 0;
    for (int j = 0; j < b.length; j++) {
      s += b[j] * x[j];
    }
    return s;
  }

  private static double clamp(double eta) {
    return Math.max(-ETA_MAX, Math.min(ETA_MAX, eta));
  }

  private static double deviance(boolean[] y, double[] mu) {
    double d = 0;
    for (int i = 0; i < y.length; i++) {
      d -= 2 * (y[i] ? Math.log(mu[i]) : Math.log1p(-mu[i]));
    }
    return d;
  }
}
