package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.idw.cohort.report.Effect;
import io.idw.cohort.report.ReportErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Comparator practices for a pilot practice, chosen on demographic and socio-economic similarity,
 * and the pilot's change in acute use after its start month compared against theirs.
 *
 * <p>Similarity: each practice is profiled by list size (log), the share of its list aged 65+ and
 * 80+, the share female and the mean IMD decile of its patients. Each feature is standardised to
 * z-scores across practices, and the comparators are the {@code k} practices nearest the pilot in
 * Euclidean distance (ties by practice code).
 *
 * <p>The comparison is a ratio of rate ratios: the pilot's acute events per person-month after the
 * start over before, divided by the same ratio for the comparators pooled. Its 95% CI is Wald on the
 * log scale with SE sqrt(1/a + 1/b + 1/c + 1/d) over the four event counts (Poisson, no allowance
 * for overdispersion, and the list treated as constant over the period).
 */
public final class ComparatorPractices {
  private ComparatorPractices() {}

  public static final String LIST_SIZE = "list_size";
  public static final String SHARE_65 = "share_65_plus";
  public static final String SHARE_80 = "share_80_plus";
  public static final String SHARE_FEMALE = "share_female";
  public static final String MEAN_IMD = "mean_imd_decile";
  static final List<String> FEATURES = List.of(LIST_SIZE, SHARE_65, SHARE_80, SHARE_FEMALE, MEAN_IMD);

  /** The lower bound of an age band such as "65-74", "85+" or "age_65_74" (null if none). */
  static Column ageLower(Column ageBand) {
    return functions.regexp_extract(ageBand, "(\\d+)", 1).cast("int");
  }

  /**
   * The practice profile step.
   *
   * @param population {@code person_id, practice_code, age_band, sex, imd_decile}
   * @return {@code practice_code, list_size, share_65_plus, share_80_plus, share_female, mean_imd_decile}
   */
  public static Dataset<Row> profiles(Dataset<Row> population) {
    PracticeVariation.require(population, "population", List.of(PERSON_ID, PRACTICE, AGE_BAND, SEX, IMD_DECILE));
    Column age = ageLower(col(AGE_BAND));
    Column female = functions.lower(col(SEX).cast("string")).isin("f", "female", "2");
    return population.groupBy(PRACTICE).agg(
            count(lit(1)).as(LIST_SIZE),
            avg(when(age.geq(65), 1.0).otherwise(0.0)).as(SHARE_65),
            avg(when(age.geq(80), 1.0).otherwise(0.0)).as(SHARE_80),
            avg(when(female, 1.0).otherwise(0.0)).as(SHARE_FEMALE),
            avg(col(IMD_DECILE).cast("double")).as(MEAN_IMD))
        .orderBy(PRACTICE);
  }

  /** A comparator practice and its distance from the pilot (in pooled z-score units). */
  public record Comparator(String practice, double distance) {}

  /** The {@code k} practices most like the pilot. */
  public static List<ComparatorPractices.Comparator> choose(Dataset<Row> profiles, String pilot, int k) {
    List<Row> rows = profiles.collectAsList();
    Map<String, double[]> x = new TreeMap<>();
    for (Row r : rows) {
      double[] f = new double[FEATURES.size()];
      for (int i = 0; i < f.length; i++) {
        Object v = r.getAs(FEATURES.get(i));
        double d = v == null ? Double.NaN : ((Number) v).doubleValue();
        f[i] = FEATURES.get(i).equals(LIST_SIZE) ? Math.log(Math.max(1, d)) : d;
      }
      x.put(r.getAs(PRACTICE), f);
    }
    if (!x.containsKey(pilot)) {
      throw ReportErrors.variationInput("pilot practice " + pilot + " is not in the data",
          "no registered patients were found for it", "check the practice code against reference/practices.csv");
    }
    if (k < 1 || k > x.size() - 1) {
      throw ReportErrors.variationInput("cannot choose " + k + " comparator practices",
          "there are " + (x.size() - 1) + " other practices", "choose k between 1 and " + (x.size() - 1));
    }
    int nf = FEATURES.size();
    double[] mean = new double[nf];
    double[] sd = new double[nf];
    for (int i = 0; i < nf; i++) {
      final int j = i;
      double[] col = x.values().stream().mapToDouble(f -> f[j]).filter(Double::isFinite).toArray();
      mean[i] = java.util.Arrays.stream(col).average().orElse(0);
      sd[i] = new org.apache.commons.math3.stat.descriptive.moment.StandardDeviation().evaluate(col);
    }
    double[] p = x.get(pilot);
    List<ComparatorPractices.Comparator> out = new ArrayList<>();
    x.forEach((code, f) -> {
      if (!code.equals(pilot)) {
        double d2 = 0;
        for (int i = 0; i < nf; i++) {
          if (sd[i] > 0 && Double.isFinite(f[i]) && Double.isFinite(p[i])) {
            double z = (f[i] - p[i]) / sd[i];
            d2 += z * z;
          }
        }
        out.add(new ComparatorPractices.Comparator(code, Math.sqrt(d2)));
      }
    });
    out.sort(java.util.Comparator.comparingDouble(ComparatorPractices.Comparator::distance)
        .thenComparing(ComparatorPractices.Comparator::practice));
    return List.copyOf(out.subList(0, k));
  }

  /**
   * Acute events (A&E attendances and non-elective admissions) and person-months per practice and
   * period, before and from the pilot month.
   *
   * @param population {@code person_id, practice_code}
   * @param events {@code person_id, month} (YYYY-MM), one row per acute event
   * @param firstMonth the first month of the window (YYYY-MM)
   * @param pilotMonth the pilot's start month; earlier months are {@code before}, it and later {@code after}
   * @param lastMonth the last month of the window
   * @return {@code practice_code, period, events, person_months}
   */
  public static Dataset<Row> acuteUse(Dataset<Row> population, Dataset<Row> events, String firstMonth, String pilotMonth,
      String lastMonth) {
    PracticeVariation.require(events, "acute events", List.of(PERSON_ID, MONTH));
    int before = monthsBetween(firstMonth, pilotMonth);
    int after = monthsBetween(pilotMonth, lastMonth) + 1;
    if (before < 1 || after < 1) {
      throw ReportErrors.variationInput("the pilot month " + pilotMonth + " is not inside the data",
          "the data run from " + firstMonth + " to " + lastMonth, "pick a pilot month with data before and after it");
    }
    Dataset<Row> lists = population.groupBy(PRACTICE).agg(count(lit(1)).as(LIST_SIZE));
    Dataset<Row> ev = events.filter(col(MONTH).geq(firstMonth).and(col(MONTH).leq(lastMonth)))
        .join(population.select(PERSON_ID, PRACTICE), PERSON_ID)
        .withColumn(PERIOD, when(col(MONTH).lt(pilotMonth), "before").otherwise("after"))
        .groupBy(PRACTICE, PERIOD).agg(count(lit(1)).as(EVENTS));
    Dataset<Row> periods = population.sparkSession().createDataset(List.of("before", "after"),
        org.apache.spark.sql.Encoders.STRING()).toDF(PERIOD);
    return lists.crossJoin(periods)
        .join(ev, PracticeVariation.cols(List.of(PRACTICE), List.of(PERIOD)).stream().collect(PracticeVariation.scalaSeq()), "left")
        .select(col(PRACTICE), col(PERIOD), functions.coalesce(col(EVENTS), lit(0L)).as(EVENTS),
            col(LIST_SIZE).multiply(when(col(PERIOD).equalTo("before"), before).otherwise(after)).as(PERSON_MONTHS))
        .orderBy(PRACTICE, PERIOD);
  }

  /** Events and person-months of a group of practices before and after. */
  public record Counts(long eventsBefore, long personMonthsBefore, long eventsAfter, long personMonthsAfter) {
    /** Acute events per 1,000 people per month before. */
    public double rateBefore() { return 1000.0 * eventsBefore / personMonthsBefore; }
    /** Acute events per 1,000 people per month after. */
    public double rateAfter() { return 1000.0 * eventsAfter / personMonthsAfter; }
  }

  /** The comparison of the pilot's change against its comparators'. */
  public record Comparison(String pilot, String pilotMonth, List<ComparatorPractices.Comparator> comparators, Counts pilotCounts,
      Counts comparatorCounts, Effect ratioOfRateRatios, Effect pilotRateRatio, Effect comparatorRateRatio) {}

  /** Compares the pilot's change in acute use with the pooled comparators' ({@link #acuteUse} rows). */
  public static Comparison compare(Dataset<Row> acuteUse, String pilot, String pilotMonth,
      List<ComparatorPractices.Comparator> comparators) {
    List<String> codes = comparators.stream().map(ComparatorPractices.Comparator::practice).collect(Collectors.toList());
    List<Row> rows = acuteUse.collectAsList();
    Counts p = counts(rows, List.of(pilot));
    Counts c = counts(rows, codes);
    if (p.eventsBefore() == 0 || p.eventsAfter() == 0 || c.eventsBefore() == 0 || c.eventsAfter() == 0) {
      throw ReportErrors.variationInput("cannot compare acute use of " + pilot + " with its comparators",
          "a period has no acute events (pilot " + p + ", comparators " + c + ")",
          "use a longer window or more comparator practices");
    }
    double lp = Math.log(p.rateAfter() / p.rateBefore());
    double lc = Math.log(c.rateAfter() / c.rateBefore());
    double sep = Math.sqrt(1.0 / p.eventsBefore() + 1.0 / p.eventsAfter());
    double sec = Math.sqrt(1.0 / c.eventsBefore() + 1.0 / c.eventsAfter());
    double se = Math.sqrt(sep * sep + sec * sec);
    double z = 1.959964;
    Effect rrr = Effect.ratio("ratio of rate ratios (pilot change / comparators' change)", Math.exp(lp - lc),
        Math.exp(lp - lc - z * se), Math.exp(lp - lc + z * se));
    Effect rp = Effect.ratio("pilot rate ratio, after / before", Math.exp(lp), Math.exp(lp - z * sep), Math.exp(lp + z * sep));
    Effect rc = Effect.ratio("comparators' rate ratio, after / before", Math.exp(lc), Math.exp(lc - z * sec),
        Math.exp(lc + z * sec));
    return new Comparison(pilot, pilotMonth, comparators, p, c, rrr, rp, rc);
  }

  private static Counts counts(List<Row> rows, List<String> practices) {
    long eb = 0, pb = 0, ea = 0, pa = 0;
    for (Row r : rows) {
      if (!practices.contains(r.<String>getAs(PRACTICE))) {
        continue;
      }
      long e = r.<Long>getAs(EVENTS);
      long pm = ((Number) r.getAs(PERSON_MONTHS)).longValue();
      if ("before".equals(r.getAs(PERIOD))) {
        eb += e;
        pb += pm;
      } else {
        ea += e;
        pa += pm;
      }
    }
    return new Counts(eb, pb, ea, pa);
  }

  static int monthsBetween(String from, String to) {
    java.time.YearMonth a = java.time.YearMonth.parse(from);
    java.time.YearMonth b = java.time.YearMonth.parse(to);
    return (int) a.until(b, java.time.temporal.ChronoUnit.MONTHS);
  }

}
