package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;

import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * How far cost per head spreads between practices in one setting, before (crude) and after
 * (adjusted) standardisation, over practices with at least the minimum list size.
 *
 * <p>Fold = highest / lowest practice; P90/P10 = 90th / 10th centile (R type 7, as R's default
 * {@code quantile}); the coefficient of variation is SD / mean across practices. A fold is infinite
 * when the lowest practice has no cost at all in the setting.
 */
public record SettingSpread(String setting, int practices, double overallPerHead, double crudeFold,
    double adjustedFold, double crudeP90P10, double adjustedP90P10, double adjustedCv, double lowestAdjusted,
    double highestAdjusted, String lowestPractice, String highestPractice) {

  /** The spread of one setting's practice rows. */
  public static SettingSpread of(String setting, List<PracticeCost> rows, double overallPerHead) {
    List<PracticeCost> r = rows.stream().filter(p -> p.setting().equals(setting)).toList();
    if (r.size() < 2) {
      throw io.idw.cohort.report.ReportErrors.variationInput("cannot measure variation in " + setting,
          "only " + r.size() + " practice(s) meet the minimum list size",
          "lower --min-list-size or include more practices");
    }
    double[] crude = r.stream().mapToDouble(PracticeCost::crudePerHead).sorted().toArray();
    double[] adj = r.stream().mapToDouble(PracticeCost::adjustedPerHead).sorted().toArray();
    PracticeCost lo = r.stream().min(Comparator.comparingDouble(PracticeCost::adjustedPerHead)
        .thenComparing(PracticeCost::practice)).orElseThrow();
    PracticeCost hi = r.stream().max(Comparator.comparingDouble(PracticeCost::adjustedPerHead)
        .thenComparing(PracticeCost::practice, Comparator.reverseOrder())).orElseThrow();
    double mean = java.util.Arrays.stream(adj).average().orElse(Double.NaN);
    double sd = new org.apache.commons.math3.stat.descriptive.moment.StandardDeviation().evaluate(adj);
    return new SettingSpread(setting, r.size(), overallPerHead, fold(crude[crude.length - 1], crude[0]),
        fold(adj[adj.length - 1], adj[0]), fold(centile(crude, 90), centile(crude, 10)),
        fold(centile(adj, 90), centile(adj, 10)), sd / mean, lo.adjustedPerHead(), hi.adjustedPerHead(),
        lo.practice(), hi.practice());
  }

  /** The setting in words. */
  public String label() {
    return settingLabel(setting);
  }

  static double centile(double[] sorted, double p) {
    return new Percentile(p).withEstimationType(EstimationType.R_7).evaluate(sorted);
  }

  private static double fold(double hi, double lo) {
    return lo > 0 ? hi / lo : Double.POSITIVE_INFINITY;
  }
}
