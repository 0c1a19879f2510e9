package io.idw.cohort.report;

import io.idw.cohort.report.Effect.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-language rules of commissioner reports. A finding whose 95% confidence interval
 * includes no effect is reported as "no evidence that ... changed ...", with the interval, and is
 * never dropped or softened into a trend; an interval that excludes no effect is reported as a
 * reduction or an increase. Whether a change is good is decided by the evaluation's
 * {@code lowerIsBetter}.
 *
 * <p>The decision rule for commissioning: evidence of harm, or no evidence of benefit overall or in
 * any declared subgroup, supports decommissioning (or redesign); benefit in some declared subgroups
 * and not others supports scaling down to those who benefit; benefit overall supports continuing,
 * and benefit overall and in every declared subgroup supports expanding.
 */
public final class Wording {
  private Wording() {}

  /** The default question: "Did home safety visits change A&E attendances from home among ...?" */
  public static String defaultQuestion(EvaluationKind kind, String intervention, String outcome, String population) {
    String pop = population == null || population.isBlank() ? "" : " among " + population;
    if (kind == EvaluationKind.PRACTICE_VARIATION) {
      return "How much does " + outcome + " vary between GP practices" + pop
          + ", once the deprivation of the people they serve is taken into account?";
    }
    return "Did " + intervention + " change " + outcome + pop + "?";
  }

  /** The headline finding in one or two sentences. */
  public static String headline(EvaluationSummary s) {
    if (s.kind() == EvaluationKind.PRACTICE_VARIATION) {
      return variationHeadline(s);
    }
    Effect e = s.headline();
    String who = s.population().isBlank() ? "" : " among " + s.population();
    if (e == null) {
      return "There were too few events to estimate whether " + s.intervention() + " changed " + s.outcome() + who
          + detail(s.notEstimable()) + ". No effect estimate is reported.";
    }
    return switch (e.direction()) {
      case NO_EVIDENCE -> "There is no evidence that " + s.intervention() + " changed " + s.outcome() + who
          + ": " + estimateText(e) + ", an interval that includes no change.";
      case DECREASE -> capitalise(s.intervention()) + " reduced " + s.outcome() + who + magnitude(e) + ": "
          + estimateText(e) + ".";
      case INCREASE -> capitalise(s.intervention()) + " increased " + s.outcome() + who + magnitude(e) + ": "
          + estimateText(e) + ".";
    };
  }

  /** What the interval means: which effects it rules in and out. */
  public static String interpretation(EvaluationSummary s) {
    if (s.kind() == EvaluationKind.PRACTICE_VARIATION) {
      VariationSpread v = s.spread();
      String explains = v.adjustedP90P10() < 0.8 * v.crudeP90P10()
          ? "so the deprivation and age of practices' lists explain part, but not all, of the difference"
          : "so the deprivation and age of practices' lists explain little of the difference";
      return String.format(Locale.UK,
          "Before adjustment the highest-spending practice spent %s times as much per head as the lowest"
              + " (%s times between the 90th and 10th centiles). After adjusting for %s the ratio is %s"
              + " (%s between the 90th and 10th centiles), %s.",
          fold(v.crudeFold()), fold(v.crudeP90P10()), v.adjustment(), fold(v.adjustedFold()), fold(v.adjustedP90P10()),
          explains);
    }
    Effect e = s.headline();
    if (e == null) {
      return "With so few events any estimate would mostly reflect chance, so none is shown. The evaluation needs more"
          + " data (a longer period, or more people or areas) before it can say whether there was an effect.";
    }
    String range = rangeText(e, s.outcome());
    boolean good = favourable(e, s.lowerIsBetter());
    return switch (e.direction()) {
      case NO_EVIDENCE -> "The data are compatible with " + range
          + ". Effects within that range cannot be ruled out; effects outside it are unlikely.";
      default -> "The data are compatible with " + range + ", so the change is "
          + (good ? "a benefit" : "a harm") + " at any point in that range.";
    };
  }

  /** The decision the evidence supports. */
  public static Recommendation recommendation(EvaluationSummary s) {
    if (s.kind() == EvaluationKind.PRACTICE_VARIATION) {
      return Recommendation.INVESTIGATE_VARIATION;
    }
    Effect e = s.headline();
    if (e == null) {
      return Recommendation.NO_DECISION_YET;
    }
    boolean overallBenefit = benefit(e, s.lowerIsBetter());
    boolean overallHarm = e.direction() != Direction.NO_EVIDENCE && !overallBenefit;
    if (overallHarm) {
      return Recommendation.DECOMMISSION;
    }
    List<NamedEffect> helped = benefiting(s);
    if (!s.subgroups().isEmpty() && !helped.isEmpty() && helped.size() < s.subgroups().size()) {
      return Recommendation.SCALE_DOWN_TO_THOSE_WHO_BENEFIT;
    }
    if (overallBenefit) {
      return !s.subgroups().isEmpty() && helped.size() == s.subgroups().size()
          ? Recommendation.EXPAND : Recommendation.CONTINUE;
    }
    return helped.isEmpty() ? Recommendation.DECOMMISSION : Recommendation.SCALE_DOWN_TO_THOSE_WHO_BENEFIT;
  }

  /** The commissioning paragraph: the decision and why, including for whom it worked. */
  public static String commissioning(EvaluationSummary s) {
    Recommendation r = recommendation(s);
    String what = s.intervention();
    List<NamedEffect> helped = benefiting(s);
    List<String> notHelped = new ArrayList<>();
    s.subgroups().stream().filter(g -> !helped.contains(g)).forEach(g -> notHelped.add(g.label()));
    List<String> helpedLabels = helped.stream().map(NamedEffect::label).toList();
    return switch (r) {
      case EXPAND -> "The evidence supports continuing " + what + " and offering them more widely: they "
          + (s.lowerIsBetter() ? "reduced " : "increased ") + s.outcome()
          + " overall and in every declared subgroup (" + join(helpedLabels) + ").";
      case CONTINUE -> "The evidence supports continuing to commission " + what + ": they "
          + (s.lowerIsBetter() ? "reduced " : "increased ") + s.outcome() + "."
          + (s.subgroups().isEmpty() ? " No subgroups were declared before the analysis, so the report does not say for whom it worked best." : "");
      case SCALE_DOWN_TO_THOSE_WHO_BENEFIT -> "The evidence supports targeting " + what + " at the groups in which they worked ("
          + join(helpedLabels) + "). There is no evidence of benefit for " + join(notHelped) + ".";
      case DECOMMISSION -> benefit(s.headline(), s.lowerIsBetter()) || s.headline().direction() == Direction.NO_EVIDENCE
          ? "There is no evidence that " + what + " changed " + s.outcome()
              + (s.subgroups().isEmpty() ? "" : ", overall or in any declared subgroup")
              + ". Unless they are justified by other outcomes, the evidence supports decommissioning or redesigning them"
              + " rather than continuing them to reduce " + s.outcome() + "."
          : "The evidence supports decommissioning " + what + ": " + s.outcome() + " got worse, not better.";
      case NO_DECISION_YET -> "The evidence cannot support a commissioning decision yet: there were too few events to"
          + " estimate whether " + what + " changed " + s.outcome() + ". Re-run the evaluation when more data are available"
          + " (a longer period, or more people or areas) before deciding to continue, expand or stop " + what + ".";
      case INVESTIGATE_VARIATION -> "Practices at the extremes of the chart spend very differently on people with similar"
          + " deprivation. Commissioners should look at what the highest- and lowest-spending practices do differently"
          + " (referral, admission and care-package patterns) before setting budgets or targets; the adjusted figures,"
          + " not the crude ones, are the fair comparison.";
    };
  }

  /** The part of a "too few events to estimate: ..." reason after the colon, as ": ...", or "". */
  private static String detail(String reason) {
    if (reason == null) {
      return "";
    }
    int colon = reason.indexOf(": ");
    return colon < 0 ? "" : reason.substring(colon);
  }

  /** "rate ratio 0.85 (95% CI 0.78 to 0.93)". */
  public static String estimateText(Effect e) {
    return e.measure() + " " + number(e.estimate()) + " (95% CI " + number(e.lower()) + " to " + number(e.upper()) + ")";
  }

  /** True when the interval excludes no effect in the good direction. */
  public static boolean benefit(Effect e, boolean lowerIsBetter) {
    return e.direction() == (lowerIsBetter ? Direction.DECREASE : Direction.INCREASE);
  }

  /** Formats a number with sensible significant figures for reports (3 s.f., at most 3 decimals). */
  public static String number(double v) {
    if (v == 0) {
      return "0";
    }
    double a = Math.abs(v);
    String s;
    if (a >= 1000) {
      s = String.format(Locale.UK, "%,.0f", v);
    } else if (a >= 100) {
      s = String.format(Locale.UK, "%.0f", v);
    } else if (a >= 10) {
      s = String.format(Locale.UK, "%.1f", v);
    } else if (a >= 0.1) {
      s = String.format(Locale.UK, "%.2f", v);
    } else {
      s = String.format(Locale.UK, "%.3f", v);
    }
    return s.startsWith("-") ? "\u2212" + s.substring(1) : s;
  }

  /** A fold ratio, "10.4". */
  public static String fold(double v) {
    return Double.isFinite(v) ? String.format(Locale.UK, "%.1f", v) : "unbounded";
  }

  /** Money, "£1,234". */
  public static String pounds(double v) {
    return String.format(Locale.UK, "\u00a3%,.0f", v);
  }

  private static boolean favourable(Effect e, boolean lowerIsBetter) {
    double n = e.scale().nullValue();
    return lowerIsBetter ? e.estimate() < n : e.estimate() > n;
  }

  private static List<NamedEffect> benefiting(EvaluationSummary s) {
    return s.subgroups().stream().filter(g -> benefit(g.effect(), s.lowerIsBetter())).toList();
  }

  private static String magnitude(Effect e) {
    if (e.scale() == Effect.Scale.RATIO) {
      return " by " + String.format(Locale.UK, "%.0f%%", Math.abs(e.percentChange()));
    }
    return " by " + number(Math.abs(e.estimate()));
  }

  private static String rangeText(Effect e, String outcome) {
    if (e.scale() == Effect.Scale.RATIO) {
      return "anything from " + relative(e.lower(), outcome) + " to " + relative(e.upper(), outcome);
    }
    return "a difference of anything from " + number(e.lower()) + " to " + number(e.upper()) + " (" + e.measure() + ")";
  }

  private static String relative(double ratio, String outcome) {
    double pct = (ratio - 1) * 100;
    if (Math.abs(pct) < 0.5) {
      return "no change in " + outcome;
    }
    return String.format(Locale.UK, "%.0f%% %s %s", Math.abs(pct), pct < 0 ? "fewer" : "more", outcome);
  }

  private static String variationHeadline(EvaluationSummary s) {
    VariationSpread v = s.spread();
    return String.format(Locale.UK,
        "%s varies %s-fold between the %d GP practices compared, after adjusting for %s: from %s to %s per head"
            + " a year, against %s for all practices together.",
        capitalise(s.outcome()), fold(v.adjustedFold()), v.practices(), v.adjustment(), pounds(v.lowestAdjusted()),
        pounds(v.highestAdjusted()), pounds(v.meanCostPerHead()));
  }

  private static String join(List<String> items) {
    if (items.isEmpty()) {
      return "none";
    }
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
