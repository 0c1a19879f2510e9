package io.idw.cohort.matched;

import io.idw.cohort.CohortErrors;
import io.idw.cohort.matched.MatchedCohortSpec.CovariateType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;

/**
 * The units of an evaluation's input grouped by (treatment value, covariate values), collected to
 * the driver: one row per pattern with its unit count, null counts and outcome sums (the output
 * of one Spark aggregation, see {@code MatchedCohortEvaluation}). The checks, the categorical
 * levels, the propensity model's grouped input and the balance before matching all come from this
 * table, so the units themselves are read only to collect their distances and the matched sample.
 *
 * <p>Row layout: treatment (double, nullable), one key per covariate (double, or string for a
 * categorical; nullable), the unit count (long), a null count per checked column (long), the
 * count of non-positive exposures (long), then Σy, Σy², Σe, Σye, Σe² (double).
 */
final class CovariatePatterns {
  private final int rows;
  private final double[] treatment;
  private final Object[][] covariate;
  private final long[] n;
  private final double[][] outcomeSums;

  private CovariatePatterns(int rows, double[] treatment, Object[][] covariate, long[] n, double[][] outcomeSums) {
    this.rows = rows;
    this.treatment = treatment;
    this.covariate = covariate;
    this.n = n;
    this.outcomeSums = outcomeSums;
  }

  /**
   * Reads the collected rows and throws a clear error for nulls, a non-binary treatment, a
   * non-positive exposure, or an input without treated or without control units.
   *
   * @param checked the spec's columns checked for nulls, in spec order (all but the id)
   */
  static CovariatePatterns of(MatchedCohortSpec spec, List<String> checked, List<Row> in) {
    MatchedCohortSpec.Data d = spec.data();
    int c = d.covariates().size();
    int r = in.size();
    double[] t = new double[r];
    Object[][] cov = new Object[c][r];
    long[] n = new long[r];
    double[][] sums = new double[5][r];
    long[] nulls = new long[checked.size()];
    long nonBinary = 0;
    long nonPositive = 0;
    long treated = 0;
    long all = 0;
    int nAt = 1 + c;
    for (int i = 0; i < r; i++) {
      Row row = in.get(i);
      n[i] = row.getLong(nAt);
      all += n[i];
      boolean complete = !row.isNullAt(0);
      t[i] = complete ? row.getDouble(0) : Double.NaN;
      for (int j = 0; j < c; j++) {
        cov[j][i] = row.get(1 + j);
        complete &= cov[j][i] != null;
      }
      for (int j = 0; j < checked.size(); j++) {
        String col = checked.get(j);
        int key = col.equals(d.treatment()) ? 0 : 1 + covariateIndex(d, col);
        nulls[j] += key > 0 || col.equals(d.treatment()) ? (row.isNullAt(key) ? n[i] : 0) : row.getLong(nAt + 1 + j);
      }
      if (!row.isNullAt(0) && t[i] != 0.0 && t[i] != 1.0) {
        nonBinary += n[i];
      }
      nonPositive += row.getLong(nAt + 1 + checked.size());
      treated += t[i] == 1.0 ? n[i] : 0;
      for (int k = 0; k < 5; k++) {
        int at = nAt + 2 + checked.size() + k;
        sums[k][i] = row.isNullAt(at) ? 0 : row.getDouble(at);
      }
    }
    for (int j = 0; j < checked.size(); j++) {
      if (nulls[j] > 0) {
        throw CohortErrors.nullValues(checked.get(j), nulls[j]);
      }
    }
    if (nonBinary > 0) {
      throw CohortErrors.treatmentNotBinary(d.treatment(), nonBinary + " rows with values other than 0 and 1");
    }
    if (d.exposure() != null && nonPositive > 0) {
      throw CohortErrors.nonPositiveExposure(d.exposure(), nonPositive);
    }
    if (treated == 0 || treated == all) {
      throw CohortErrors.noUnits("the input has " + treated + " treated and " + (all - treated) + " control units");
    }
    return new CovariatePatterns(r, t, cov, n, sums);
  }

  private static int covariateIndex(MatchedCohortSpec.Data d, String col) {
    for (int i = 0; i < d.covariates().size(); i++) {
      if (d.covariates().get(i).name().equals(col)) {
        return i;
      }
    }
    return -1;
  }

  int rows() {
    return rows;
  }

  /** The sorted distinct values of a categorical covariate. */
  List<String> levels(int covariate) {
    TreeSet<String> s = new TreeSet<>();
    for (Object o : this.covariate[covariate]) {
      s.add((String) o);
    }
    return List.copyOf(s);
  }

  /** A covariate's value per pattern, or its dummy for {@code level} (1.0 when equal, else 0.0). */
  double[] values(int covariate, String level) {
    double[] x = new double[rows];
    for (int i = 0; i < rows; i++) {
      Object o = this.covariate[covariate][i];
      x[i] = level == null ? (Double) o : level.equals(o) ? 1.0 : 0.0;
    }
    return x;
  }

  /**
   * The propensity model's input: one entry per distinct pattern of the model terms (in first-seen
   * order), {x, units, fraction treated}.
   */
  List<double[]> modelRows(double[][] modelTerms) {
    Map<List<Double>, double[]> acc = new LinkedHashMap<>();
    for (int i = 0; i < rows; i++) {
      Double[] key = new Double[modelTerms.length];
      for (int j = 0; j < key.length; j++) {
        key[j] = modelTerms[j][i];
      }
      double[] a = acc.computeIfAbsent(Arrays.asList(key), k -> new double[2]);
      a[0] += n[i];
      a[1] += treatment[i] == 1.0 ? n[i] : 0;
    }
    List<double[]> out = new ArrayList<>(acc.size());
    acc.forEach((k, a) -> {
      double[] r = new double[k.size() + 2];
      for (int j = 0; j < k.size(); j++) {
        r[j] = k.get(j);
      }
      r[k.size()] = a[0];
      r[k.size() + 1] = a[1] / a[0];
      out.add(r);
    });
    return out;
  }

  /** Per treatment group (key 1, 0): units, mean and n−1 variance of each term, and the outcome sums. */
  Map<Integer, MatchedCohortEvaluation.GroupSums> groupSums(double[][] terms) {
    Map<Integer, MatchedCohortEvaluation.GroupSums> out = new LinkedHashMap<>();
    for (int g = 1; g >= 0; g--) {
      long nn = 0;
      double[] ys = new double[5];
      double[] mean = new double[terms.length];
      for (int i = 0; i < rows; i++) {
        if (treatment[i] == g) {
          nn += n[i];
          for (int k = 0; k < 5; k++) {
            ys[k] += outcomeSums[k][i];
          }
          for (int j = 0; j < terms.length; j++) {
            mean[j] += n[i] * terms[j][i];
          }
        }
      }
      double[] var = new double[terms.length];
      for (int j = 0; j < terms.length; j++) {
        mean[j] /= nn;
        double ss = 0;
        for (int i = 0; i < rows; i++) {
          if (treatment[i] == g) {
            double dev = terms[j][i] - mean[j];
            ss += n[i] * dev * dev;
          }
        }
        var[j] = nn < 2 ? Double.NaN : ss / (nn - 1);
      }
      out.put(g, new MatchedCohortEvaluation.GroupSums(nn, mean, var, ys));
    }
    return out;
  }

  /** Whether a covariate is categorical (its keys are strings). */
  static boolean categorical(MatchedCohortSpec.Covariate c) {
    return c.type() == CovariateType.CATEGORICAL;
  }
}
