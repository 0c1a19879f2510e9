package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;

import io.idw.cohort.report.ChartData;
import io.idw.cohort.report.EvaluationKind;
import io.idw.cohort.report.EvaluationSummary;
import io.idw.cohort.Provenance;
import io.idw.cohort.report.VariationSpread;
import io.idw.cohort.report.Wording;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Turns variation and comparator-practice results into report summaries. */
public final class VariationReports {
  private VariationReports() {}

  /** The released table ids the report's figures come from (disclosure control checks these). */
  public static final String PRACTICE_COSTS = "practice_costs";
  public static final String SETTING_SPREAD = "setting_spread";
  public static final String ACUTE_USE = "acute_use";

  /** The report summary of a variation result; the headline is the spread of all settings together. */
  public static EvaluationSummary summary(VariationResult r) {
    SettingSpread all = r.spread(ALL_SETTINGS).orElseThrow();
    SettingSpread widest = r.spreads().stream().filter(s -> !s.setting().equals(ALL_SETTINGS))
        .filter(s -> Double.isFinite(s.adjustedP90P10()))
        .max(Comparator.comparingDouble(SettingSpread::adjustedP90P10)).orElse(all);
    String adjustment = adjustmentText(r.strata());
    EvaluationSummary.Builder b = EvaluationSummary.builder()
        .id(r.id())
        .kind(EvaluationKind.PRACTICE_VARIATION)
        .title("Variation in cost per head between GP practices")
        .intervention("GP practice")
        .outcome("cost per head across GP practice care, adult social care, community care, A&E, non-elective admissions and out of hours")
        .population("registered patients of practices that share data")
        .spread(new VariationSpread(all.practices(), all.crudeFold(), all.adjustedFold(), all.crudeP90P10(),
            all.adjustedP90P10(), all.overallPerHead(), all.lowestAdjusted(), all.highestAdjusted(), adjustment))
        .provenance(r.provenance());
    for (SettingSpread s : r.spreads()) {
      b.keyFigure(SETTING_SPREAD, cap(s.label()) + ": adjusted spread, highest / lowest practice (P90 / P10)",
          String.format(Locale.UK, "%s-fold (%s); crude %s-fold (%s); %s per head a year overall",
              fold(s.adjustedFold()), fold(s.adjustedP90P10()), fold(s.crudeFold()), fold(s.crudeP90P10()),
              Wording.pounds(s.overallPerHead())));
    }
    b.figure(caterpillar("caterpillar_all", r, ALL_SETTINGS, true));
    if (!widest.setting().equals(ALL_SETTINGS)) {
      b.figure(caterpillar("caterpillar_" + widest.setting(), r, widest.setting(), true));
    }
    b.figure(caterpillar("caterpillar_all_crude", r, ALL_SETTINGS, false));
    funnel("funnel_all", r, ALL_SETTINGS).ifPresent(b::figure);
    b.method("Cost per registered patient per year over " + r.months() + " months, by GP practice and care setting;"
        + " people are counted against the practice they are registered with.");
    b.method("Adjusted by indirect standardisation for " + adjustment + ": each practice's cost is compared with what"
        + " its own list would cost at the average rates of people in the same strata across all practices.");
    b.method("Spread is the highest over the lowest practice, and the 90th over the 10th centile, among practices"
        + " with at least " + r.minListSize() + " registered patients; 95% CIs are normal intervals on the mean cost per person.");
    b.limitation("Community and out-of-hours contacts are costed at unit costs, not billed prices.");
    b.limitation("Only practices that share data are included; the list is treated as constant over the period.");
    b.limitation("The adjustment covers deprivation and age only; differences in illness (case mix) beyond them remain in the spread.");
    b.limitation("The highest-over-lowest ratio grows with chance in small practices; the 90th/10th centile ratio is the steadier figure.");
    return b.build();
  }

  private static io.idw.cohort.report.Figure caterpillar(String id, VariationResult r, String setting, boolean adjusted) {
    List<ChartData.Unit> units = new ArrayList<>();
    for (PracticeCost p : r.practices()) {
      if (p.setting().equals(setting) && p.nPeople() >= r.minListSize()) {
        units.add(adjusted
            ? new ChartData.Unit(p.practice(), p.adjustedPerHead(), p.adjustedLower(), p.adjustedUpper())
            : new ChartData.Unit(p.practice(), p.crudePerHead(), p.crudeLower(), p.crudeUpper()));
      }
    }
    SettingSpread s = r.spread(setting).orElseThrow();
    String what = adjusted ? "adjusted for " + adjustmentText(r.strata()) : "crude, before adjustment";
    return new io.idw.cohort.report.Figure(id, "Cost per head a year by practice, " + settingLabel(setting) + " (" + what + ")",
        String.format(Locale.UK, "Each dot is a practice with its 95%% CI, ranked; the dashed line is all practices"
            + " together (%s). Highest over lowest: %s-fold.", Wording.pounds(s.overallPerHead()),
            fold(adjusted ? s.adjustedFold() : s.crudeFold())),
        new ChartData.Caterpillar("\u00a3 per head per year", s.overallPerHead(), units, List.of()));
  }

  /**
   * A funnel plot of the adjusted cost per head against list size. The limits use one person-level
   * SD pooled over practices from their own 95% CIs (half-width / 1.959964 × √n, pooled with n − 1
   * weights), so a practice outside the 99.8% limits differs by more than its list size explains.
   * Empty when fewer than two practices have a CI.
   */
  static java.util.Optional<io.idw.cohort.report.Figure> funnel(String id, VariationResult r, String setting) {
    List<ChartData.FunnelPoint> points = new ArrayList<>();
    double ss = 0;
    double df = 0;
    for (PracticeCost p : r.practices()) {
      if (p.setting().equals(setting) && p.nPeople() >= r.minListSize() && Double.isFinite(p.adjustedPerHead())) {
        points.add(new ChartData.FunnelPoint(p.practice(), p.nPeople(), p.adjustedPerHead()));
        double half = (p.adjustedUpper() - p.adjustedLower()) / 2;
        if (Double.isFinite(half) && p.nPeople() > 1) {
          double sd = half / 1.959964 * Math.sqrt(p.nPeople());
          ss += (p.nPeople() - 1) * sd * sd;
          df += p.nPeople() - 1;
        }
      }
    }
    if (points.size() < 2 || df <= 0) {
      return java.util.Optional.empty();
    }
    double sigma = Math.sqrt(ss / df);
    SettingSpread s = r.spread(setting).orElseThrow();
    long outside = points.stream().filter(p -> Math.abs(p.value() - s.overallPerHead()) > 3.090232 * sigma / Math.sqrt(p.size()))
        .count();
    return java.util.Optional.of(new io.idw.cohort.report.Figure(id,
        "Funnel plot: cost per head a year against list size, " + settingLabel(setting) + " (adjusted for "
            + adjustmentText(r.strata()) + ")",
        String.format(Locale.UK, "Each dot is a practice; the solid line is all practices together (%s); the dashed"
            + " lines are 95%% and 99.8%% control limits, which narrow as lists grow. %d of %d practices lie outside"
            + " the 99.8%% limits: more than chance and list size explain.", Wording.pounds(s.overallPerHead()),
            outside, points.size()),
        new ChartData.Funnel("\u00a3 per head per year", "Registered patients (list size)", s.overallPerHead(), sigma,
            List.of(1.959964, 3.090232), points)));
  }

  /** The report summary of a comparator-practice comparison. */
  public static EvaluationSummary summary(String id, ComparatorPractices.Comparison c, Provenance provenance) {
    String comps = String.join(", ", c.comparators().stream().map(ComparatorPractices.Comparator::practice).toList());
    ComparatorPractices.Counts p = c.pilotCounts();
    ComparatorPractices.Counts q = c.comparatorCounts();
    return EvaluationSummary.builder()
        .id(id)
        .kind(EvaluationKind.COMPARATOR_PRACTICES)
        .title("The pilot at practice " + c.pilot() + " against " + c.comparators().size() + " comparator practices")
        .intervention("the pilot at practice " + c.pilot())
        .outcome("acute use (A&E attendances and non-elective admissions)")
        .population("the practice's registered patients, against similar practices")
        .question("Did acute use by patients of practice " + c.pilot() + " change after the pilot began in " + c.pilotMonth()
            + ", compared with the change at similar practices?")
        .headline(c.ratioOfRateRatios())
        .otherEffect("Pilot practice, after / before", c.pilotRateRatio())
        .otherEffect("Comparator practices, after / before", c.comparatorRateRatio())
        .keyFigure(ACUTE_USE, "Pilot practice: acute events before / after", p.eventsBefore() + " / " + p.eventsAfter())
        .keyFigure(ACUTE_USE, "Comparator practices: acute events before / after", q.eventsBefore() + " / " + q.eventsAfter())
        .keyFigure(ACUTE_USE, "Comparator practices", comps)
        .figure("acute_use_by_group", "Acute events per 1,000 patients per month", "Before and after " + c.pilotMonth()
                + "; the comparators are pooled.",
            new ChartData.GroupOutcomes("events per 1,000 per month", List.of(
                new ChartData.GroupValue("pilot " + c.pilot(), "before", p.rateBefore(), Double.NaN, Double.NaN),
                new ChartData.GroupValue("pilot " + c.pilot(), "after", p.rateAfter(), Double.NaN, Double.NaN),
                new ChartData.GroupValue("comparators", "before", q.rateBefore(), Double.NaN, Double.NaN),
                new ChartData.GroupValue("comparators", "after", q.rateAfter(), Double.NaN, Double.NaN))))
        .method("Comparators: the " + c.comparators().size() + " practices nearest the pilot on list size, share aged 65+"
            + " and 80+, share female and mean IMD decile (standardised, Euclidean distance).")
        .method("Effect: the pilot's rate ratio (after over before) divided by the comparators' pooled rate ratio; 95% CI"
            + " Wald on the log scale from the four event counts.")
        .limitation("Poisson variance only: clustering of events within people and practices would widen the interval.")
        .limitation("Comparators are similar on the measured profile only; other changes at the pilot practice in the"
            + " same months cannot be separated from the pilot.")
        .provenance(provenance)
        .build();
  }

  static String adjustmentText(List<String> strata) {
    List<String> words = strata.stream().map(s -> switch (s) {
      case IMD_DECILE -> "deprivation (IMD decile)";
      case AGE_BAND -> "age band";
      case SEX -> "sex";
      default -> s;
    }).toList();
    return words.size() == 1 ? words.get(0) : String.join(", ", words.subList(0, words.size() - 1)) + " and "
        + words.get(words.size() - 1);
  }

  private static String fold(double v) {
    return Double.isFinite(v) ? Wording.fold(v) : "unbounded";
  }

  private static String cap(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
