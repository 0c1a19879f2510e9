package io.idw.cohort.matched;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Covariate balance arithmetic for the ATT, as R MatchIt's {@code summary()} reports it.
 *
 * <ul>
 *   <li>Means and variances are weighted (weights 1 before matching, the matching weights after).
 *       The weighted variance is Σw(x−m)² / (Σw − Σw²/Σw), which is the usual n−1 variance when
 *       all weights are 1.</li>
 *   <li>Standardised mean difference (SMD) = (mean<sub>treated</sub> − mean<sub>control</sub>) /
 *       s, where s is the treated group's SD in the <em>unmatched</em> sample (the ATT
 *       denominator, MatchIt's {@code s.d.denom = "treated"}), the same s before and after
 *       matching. For a binary covariate (every dummy of a categorical one included) s =
 *       sqrt(p(1−p)) with p the unmatched treated proportion. This is not the pooled SD that
 *       OHDSI CohortMethod uses.</li>
 *   <li>Variance ratio = var<sub>treated</sub> / var<sub>control</sub>, for continuous covariates
 *       only (null for binary ones).</li>
 *   <li>A covariate is flagged when |SMD| &gt; {@link #SMD_THRESHOLD}.</li>
 * </ul>
 */
public final class Balance {
  /** The conventional imbalance threshold for |SMD|. */
  public static final double SMD_THRESHOLD = 0.1;

  private Balance() {}

  /** Weighted summary of one covariate in one group. */
  public record GroupStats(double sumWeights, double mean, double variance) {}

  /** Weighted mean and variance of {@code x} over units with {@code select[i]} and w &gt; 0. */
  public static GroupStats stats(double[] x, double[] w, boolean[] select, boolean want) {
    double sw = 0;
    double sw2 = 0;
    double swx = 0;
    for (int i = 0; i < x.length; i++) {
      if (select[i] == want && w[i] > 0) {
        sw += w[i];
        sw2 += w[i] * w[i];
        swx += w[i] * x[i];
      }
    }
    double mean = swx / sw;
    double ss = 0;
    for (int i = 0; i < x.length; i++) {
      if (select[i] == want && w[i] > 0) {
        double d = x[i] - mean;
        ss += w[i] * d * d;
      }
    }
    double denom = sw - sw2 / sw;
    return new GroupStats(sw, mean, denom > 0 ? ss / denom : Double.NaN);
  }

  /** One side (before or after matching) of a covariate's balance row. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Side(
      @JsonProperty("mean_treated") double meanTreated,
      @JsonProperty("mean_control") double meanControl,
      @JsonProperty("smd") Double smd,
      @JsonProperty("variance_ratio") Double varianceRatio,
      @JsonProperty("flag") boolean flag) {}

  /** A covariate's balance before and after matching. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(
      @JsonProperty("covariate") String covariate,
      @JsonProperty("type") String type,
      @JsonProperty("sd_denominator") double sdDenominator,
      @JsonProperty("before") Side before,
      @JsonProperty("after") Side after) {}

  /** The SMD denominator: the unmatched treated SD, or sqrt(p(1−p)) for a binary covariate. */
  public static double denominator(boolean binary, GroupStats treatedBefore) {
    if (binary) {
      double p = treatedBefore.mean();
      return Math.sqrt(p * (1 - p));
    }
    return Math.sqrt(treatedBefore.variance());
  }

  /** One side of a row from the group statistics and the (unmatched treated) denominator. */
  public static Side side(boolean binary, GroupStats treated, GroupStats control, double denominator) {
    double diff = treated.mean() - control.mean();
    // Boxed on purpose: a mixed double/null conditional would unbox null and throw.
    Double smd;
    if (denominator > 0) {
      smd = diff / denominator;
    } else {
      smd = diff == 0 ? Double.valueOf(0.0) : null;
    }
    Double vr = binary || !(control.variance() > 0) ? null : treated.variance() / control.variance();
    return new Side(treated.mean(), control.mean(), smd, vr, smd != null && Math.abs(smd) > SMD_THRESHOLD
        || smd == null);
  }

  /** The balance row of one covariate, from its values, treatment and weights before/after. */
  public static Row row(String name, boolean binary, double[] x, boolean[] treated, double[] after) {
    double[] ones = new double[x.length];
    java.util.Arrays.fill(ones, 1.0);
    GroupStats tb = stats(x, ones, treated, true);
    GroupStats cb = stats(x, ones, treated, false);
    return row(name, binary, tb, cb, stats(x, after, treated, true), stats(x, after, treated, false));
  }

  /** The balance row from precomputed group statistics (before: unweighted over all units). */
  public static Row row(String name, boolean binary, GroupStats treatedBefore, GroupStats controlBefore,
      GroupStats treatedAfter, GroupStats controlAfter) {
    double denom = denominator(binary, treatedBefore);
    return new Row(name, binary ? "binary" : "continuous", denom,
        side(binary, treatedBefore, controlBefore, denom),
        side(binary, treatedAfter, controlAfter, denom));
  }
}
