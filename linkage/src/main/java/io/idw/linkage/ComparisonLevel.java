package io.idw.linkage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.idw.core.SpecViolation;

/**
 * One comparison level, in Splink's vocabulary: a Spark SQL condition over the {@code <col>_l} and
 * {@code <col>_r} columns of a record pair, a chart label, and its m and u probabilities. A level
 * with {@code is_null_level} true carries no evidence (weight 0). The condition {@code ELSE} matches
 * every pair no earlier level matched.
 *
 * @param sqlCondition Spark SQL boolean expression, or {@code ELSE}
 * @param label label_for_charts
 * @param nullLevel is_null_level
 * @param m m_probability, P(level | match), or null when not yet trained
 * @param u u_probability, P(level | non-match), or null when not yet trained
 * @param fixM fix_m_probability: EM leaves m as given
 * @param fixU fix_u_probability: random sampling leaves u as given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"sql_condition", "label_for_charts", "is_null_level", "m_probability", "u_probability"})
public record ComparisonLevel(
    @JsonProperty("sql_condition") String sqlCondition,
    @JsonProperty("label_for_charts") String label,
    @JsonProperty("is_null_level") Boolean nullLevel,
    @JsonProperty("m_probability") Double m,
    @JsonProperty("u_probability") Double u,
    @JsonProperty("fix_m_probability") Boolean fixM,
    @JsonProperty("fix_u_probability") Boolean fixU) {

  public static final String ELSE = "ELSE";

  @JsonCreator
  public ComparisonLevel {
    SpecViolation.require(sqlCondition != null && !sqlCondition.isBlank(), "sql_condition",
        "a comparison level needs a condition", "give a Spark SQL condition over <col>_l and <col>_r, or ELSE");
    if (label == null || label.isBlank()) {
      label = sqlCondition;
    }
    requireProbability(m, "m_probability");
    requireProbability(u, "u_probability");
    if (Boolean.FALSE.equals(nullLevel)) {
      nullLevel = null;
    }
    if (Boolean.FALSE.equals(fixM)) {
      fixM = null;
    }
    if (Boolean.FALSE.equals(fixU)) {
      fixU = null;
    }
  }

  private static void requireProbability(Double p, String field) {
    SpecViolation.require(p == null || (p >= 0 && p <= 1 && !p.isNaN()), field,
        "must be a probability between 0 and 1, is " + p, "give a value in [0, 1] or leave it out to train it");
  }

  /** A level; m and u are left for training. */
  public static ComparisonLevel of(String sqlCondition, String label) {
    return new ComparisonLevel(sqlCondition, label, null, null, null, null, null);
  }

  /** The null level: no evidence either way. */
  public static ComparisonLevel nullLevel(String sqlCondition) {
    return new ComparisonLevel(sqlCondition, "Null", true, null, null, null, null);
  }

  /** True for the null level. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isNull() {
    return Boolean.TRUE.equals(nullLevel);
  }

  /** True if this is the {@code ELSE} level. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isElse() {
    return ELSE.equalsIgnoreCase(sqlCondition.trim());
  }

  public ComparisonLevel withM(double value) {
    return new ComparisonLevel(sqlCondition, label, nullLevel, value, u, fixM, fixU);
  }

  public ComparisonLevel withU(double value) {
    return new ComparisonLevel(sqlCondition, label, nullLevel, m, value, fixM, fixU);
  }

  /** The partial match weight log2(m/u), or 0 for the null level or while untrained. */
  public double partialWeight() {
    if (isNull() || m == null || u == null || u == 0 || m == 0) {
      return 0;
    }
    return Math.log(m / u) / Math.log(2);
  }
}
