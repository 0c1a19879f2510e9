package io.idw.cohort.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * An effect estimate with its 95% confidence interval, on a ratio scale (no effect = 1, such as a
 * rate ratio) or a difference scale (no effect = 0, such as a difference in means).
 *
 * @param measure what the number is, in words, for example "rate ratio" or "difference in A&E
 *     attendances per person per year"
 * @param estimate the point estimate
 * @param lower the lower 95% confidence limit
 * @param upper the upper 95% confidence limit
 * @param scale ratio or difference
 */
public record Effect(String measure, double estimate, double lower, double upper, Scale scale) {

  /** The scale an effect is on, which fixes the value that means "no effect". */
  public enum Scale {
    RATIO(1.0),
    DIFFERENCE(0.0);

    private final double nullValue;

    Scale(double nullValue) {
      this.nullValue = nullValue;
    }

    public double nullValue() {
      return nullValue;
    }
  }

  /** Which way the estimate points, judged by its confidence interval. */
  public enum Direction {
    /** The interval lies wholly above no effect. */
    INCREASE,
    /** The interval lies wholly below no effect. */
    DECREASE,
    /** The interval includes no effect. */
    NO_EVIDENCE
  }

  @JsonCreator
  public Effect(@JsonProperty("measure") String measure, @JsonProperty("estimate") double estimate,
      @JsonProperty("lower") double lower, @JsonProperty("upper") double upper,
      @JsonProperty("scale") Scale scale) {
    this.measure = Objects.requireNonNull(measure, "measure");
    this.scale = Objects.requireNonNull(scale, "scale");
    if (!Double.isFinite(estimate) || !Double.isFinite(lower) || !Double.isFinite(upper)) {
      throw ReportErrors.invalid("effect '" + measure + "' is not a finite number",
          "estimate " + estimate + ", CI " + lower + " to " + upper,
          "report only effects the model could estimate; a model that did not converge has no effect to report");
    }
    if (!(lower <= estimate && estimate <= upper)) {
      throw ReportErrors.invalid("effect '" + measure + "' has an estimate outside its CI",
          "estimate " + estimate + ", CI " + lower + " to " + upper,
          "pass the lower limit, the estimate and the upper limit in that order");
    }
    if (scale == Scale.RATIO && lower <= 0) {
      throw ReportErrors.invalid("ratio effect '" + measure + "' has a CI reaching zero or below",
          "lower limit " + lower, "ratios are positive; pass exp() of the log-scale limits");
    }
    this.estimate = estimate;
    this.lower = lower;
    this.upper = upper;
  }

  /** A ratio effect (no effect = 1). */
  public static Effect ratio(String measure, double estimate, double lower, double upper) {
    return new Effect(measure, estimate, lower, upper, Scale.RATIO);
  }

  /** A difference effect (no effect = 0). */
  public static Effect difference(String measure, double estimate, double lower, double upper) {
    return new Effect(measure, estimate, lower, upper, Scale.DIFFERENCE);
  }

  /** Increase or decrease when the 95% CI excludes no effect; otherwise no evidence. */
  @JsonIgnore
  public Direction direction() {
    double n = scale.nullValue();
    if (lower > n) {
      return Direction.INCREASE;
    }
    if (upper < n) {
      return Direction.DECREASE;
    }
    return Direction.NO_EVIDENCE;
  }

  /** The estimate as a relative change in percent (ratio scale only): 0.85 gives -15. */
  @JsonIgnore
  public double percentChange() {
    return (estimate - 1.0) * 100.0;
  }
}
