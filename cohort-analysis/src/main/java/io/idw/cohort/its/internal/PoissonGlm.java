package io.idw.cohort.its.internal;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.sql.SparkSession;

/**
 * A Poisson log-link GLM with a log-population offset, fitted by IRLS (as R {@code glm}) on the
 * design's fit rows, with the model-based standard errors, the quasi-Poisson dispersion (Pearson χ²
 * / residual df), deviance, fitted values and the full covariance φ·(XᵀWX)⁻¹ (for delta-method
 * intervals).
 */
public final class PoissonGlm {
  public final double[] beta;
  /** Model-based (φ = 1) standard errors, √diag (XᵀWX)⁻¹. */
  public final double[] se;
  /** (XᵀWX)⁻¹ at the estimates, φ = 1. */
  public final double[][] covariance;
  public final double pearsonChi2;
  public final double deviance;
  public final int n;
  public final int p;
  public final int iterations;

  private PoissonGlm(double[] beta, double[] se, double[][] cov, double pearson, double deviance, int n, int p, int iterations) {
    this.beta = beta;
    this.se = se;
    this.covariance = cov;
    this.pearsonChi2 = pearson;
    this.deviance = deviance;
    this.n = n;
    this.p = p;
    this.iterations = iterations;
  }

  public int residualDf() {
    return n - p;
  }

  /**
   * Fits the design's fit rows by IRLS on the driver, as R {@code glm(poisson)} does: start from
   * μ = y + 0.1, solve XᵀWX β = XᵀWz with W = μ and z = η − offset + (y − μ)/μ, and stop when the
   * relative deviance change |D − D₀|/(|D| + 0.1) is below 1e-14 (at most 100 iterations). The
   * series has at most a few hundred rows, so a Spark job per iteration would cost far more than
   * the arithmetic. {@code spark} is not used (kept for the callers).
   */
  public static PoissonGlm fit(SparkSession spark, Design d, boolean useOffset) {
    int p = d.columns();
    int n = 0;
    for (int i = 0; i < d.rows(); i++) {
      n += d.inFit[i] ? 1 : 0;
    }
    double[][] x = new double[n][];
    double[] y = new double[n];
    double[] off = new double[n];
    for (int i = 0, k = 0; i < d.rows(); i++) {
      if (d.inFit[i]) {
        x[k] = d.x[i];
        y[k] = d.y[i];
        off[k] = useOffset ? d.offset[i] : 0;
        k++;
      }
    }
    double[] mu = new double[n];
    double[] eta = new double[n];
    for (int i = 0; i < n; i++) {
      mu[i] = y[i] + 0.1;
      eta[i] = Math.log(mu[i]);
    }
    double devOld = deviance(y, mu);
    double[] beta = new double[p];
    int iterations = 0;
    for (int it = 1; it <= 100; it++) {
      iterations = it;
      double[][] xtwx = new double[p][p];
      double[] xtwz = new double[p];
      for (int i = 0; i < n; i++) {
        double w = mu[i];
        double z = eta[i] - off[i] + (y[i] - mu[i]) / mu[i];
        for (int a = 0; a < p; a++) {
          xtwz[a] += w * x[i][a] * z;
          for (int b = 0; b < p; b++) {
            xtwx[a][b] += w * x[i][a] * x[i][b];
          }
        }
      }
      beta = new LUDecomposition(new Array2DRowRealMatrix(xtwx, false)).getSolver()
          .solve(new org.apache.commons.math3.linear.ArrayRealVector(xtwz, false)).toArray();
      for (int i = 0; i < n; i++) {
        mu[i] = mean(beta, x[i], off[i]);
        eta[i] = Math.log(mu[i]);
      }
      double dev = deviance(y, mu);
      boolean done = Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-14;
      devOld = dev;
      if (done) {
        break;
      }
    }

    double pearson = 0;
    double dev = 0;
    double[][] xtwx = new double[p][p];
    for (int i = 0; i < n; i++) {
      double m = mean(beta, x[i], off[i]);
      pearson += (y[i] - m) * (y[i] - m) / m;
      dev += unitDeviance(y[i], m);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          xtwx[a][b] += m * x[i][a] * x[i][b];
        }
      }
    }
    RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(xtwx, false)).getSolver().getInverse();
    double[] se = new double[p];
    for (int j = 0; j < p; j++) {
      se[j] = Math.sqrt(inv.getEntry(j, j));
    }
    return new PoissonGlm(beta, se, inv.getData(), pearson, dev, n, p, iterations);
  }

  private static double deviance(double[] y, double[] mu) {
    double d = 0;
    for (int i = 0; i < y.length; i++) {
      d += unitDeviance(y[i], mu[i]);
    }
    return d;
  }

  /** exp(xβ + offset). */
  public static double mean(double[] beta, double[] x, double offset) {
    double eta = offset;
    for (int j = 0; j < beta.length; j++) {
      eta += beta[j] * x[j];
    }
    return Math.exp(eta);
  }

  /** The Poisson unit deviance 2(y log(y/μ) − (y − μ)). */
  public static double unitDeviance(double y, double mu) {
    return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
  }

  /** The deviance residual sign(y − μ)·√(unit deviance). */
  public static double devianceResidual(double y, double mu) {
    return Math.signum(y - mu) * Math.sqrt(Math.max(0, unitDeviance(y, mu)));
  }
}
