package io.idw.cohort.its.internal;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A Poisson log-link GLM with a log-population offset, fitted by Spark MLlib
 * {@link GeneralizedLinearRegression} (IRLS, no regularisation, tolerance 1e-12), on the design's fit
 * rows. The coefficients and their model-based standard errors come from Spark; the quasi-Poisson
 * dispersion (Pearson χ² / residual df), deviance, fitted values and the full covariance
 * φ·(XᵀWX)⁻¹ at Spark's estimates (for delta-method intervals) are computed here.
 */
public final class PoissonGlm {
  public final double[] beta;
  /** Model-based (φ = 1) standard errors, from Spark's summary. */
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

  /** Fits the design's fit rows. Column 0 of the design is the intercept, which Spark fits itself. */
  public static PoissonGlm fit(SparkSession spark, Design d, boolean useOffset) {
    int p = d.columns();
    StructType schema = new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("offset", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < d.rows(); i++) {
      if (d.inFit[i]) {
        double[] f = new double[p - 1];
        System.arraycopy(d.x[i], 1, f, 0, p - 1);
        rows.add(RowFactory.create(d.y[i], d.offset[i], Vectors.dense(f)));
      }
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
    GeneralizedLinearRegression glr = new GeneralizedLinearRegression()
        .setFamily("poisson").setLink("log")
        .setFitIntercept(true).setRegParam(0.0)
        .setMaxIter(100).setTol(1e-12)
        .setLabelCol("label").setFeaturesCol("features");
    if (useOffset) {
      glr.setOffsetCol("offset");
    }
    GeneralizedLinearRegressionModel model = glr.fit(df);
    var summary = model.summary();
    double[] coef = model.coefficients().toArray();
    double[] beta = new double[p];
    beta[0] = model.intercept();
    System.arraycopy(coef, 0, beta, 1, p - 1);
    double[] sparkSe = summary.coefficientStandardErrors();
    double[] se = new double[p];
    se[0] = sparkSe[p - 1];
    System.arraycopy(sparkSe, 0, se, 1, p - 1);

    int n = rows.size();
    double pearson = 0;
    double dev = 0;
    double[][] xtwx = new double[p][p];
    for (int i = 0; i < d.rows(); i++) {
      if (!d.inFit[i]) {
        continue;
      }
      double mu = mean(beta, d.x[i], useOffset ? d.offset[i] : 0);
      double y = d.y[i];
      pearson += (y - mu) * (y - mu) / mu;
      dev += unitDeviance(y, mu);
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          xtwx[a][b] += mu * d.x[i][a] * d.x[i][b];
        }
      }
    }
    RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(xtwx, false)).getSolver().getInverse();
    return new PoissonGlm(beta, se, inv.getData(), pearson, dev, n, p, summary.numIterations());
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
