package io.idw.cohort.matched;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.idw.core.SpecViolation;

/**
 * How {@link KidCohortBuilder} builds the home-safety-visit analysis table from the linked zone
 * (the {@code cohort} section of a {@link MatchedCohortSpec}). Every field has a default:
 *
 * <pre>
 * cohort:
 *   min_age: 65                 # eligible at the index month
 *   registered_months: 12       # registered with a GP at least this long before the index month
 *   lookback_months: 12         # covariates over the months before the index month
 *   follow_up_months: 12        # outcome over the months after the index month
 *   controls_per_treated: 20    # size of the sampled risk set per treated unit, per index month
 *   outcome_arrival_source: home
 *   seed: 42                    # for sampling the risk sets
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KidCohortSettings(
    @JsonProperty("min_age") int minAge,
    @JsonProperty("registered_months") int registeredMonths,
    @JsonProperty("lookback_months") int lookbackMonths,
    @JsonProperty("follow_up_months") int followUpMonths,
    @JsonProperty("controls_per_treated") int controlsPerTreated,
    @JsonProperty("outcome_arrival_source") String outcomeArrivalSource,
    @JsonProperty("seed") long seed) {

  @JsonCreator
  public static KidCohortSettings of(
      @JsonProperty("min_age") Integer minAge,
      @JsonProperty("registered_months") Integer registeredMonths,
      @JsonProperty("lookback_months") Integer lookbackMonths,
      @JsonProperty("follow_up_months") Integer followUpMonths,
      @JsonProperty("controls_per_treated") Integer controlsPerTreated,
      @JsonProperty("outcome_arrival_source") String outcomeArrivalSource,
      @JsonProperty("seed") Long seed) {
    return new KidCohortSettings(minAge == null ? 65 : minAge, registeredMonths == null ? 12 : registeredMonths,
        lookbackMonths == null ? 12 : lookbackMonths, followUpMonths == null ? 12 : followUpMonths,
        controlsPerTreated == null ? 20 : controlsPerTreated,
        outcomeArrivalSource == null ? "home" : outcomeArrivalSource, seed == null ? 42L : seed);
  }

  public KidCohortSettings {
    SpecViolation.require(minAge >= 0 && minAge < 120, "min_age", "min_age " + minAge + " is out of range",
        "give an age in years, such as 65");
    SpecViolation.require(registeredMonths >= 0, "registered_months", "registered_months is negative", "give 0 or more");
    SpecViolation.require(lookbackMonths >= 1, "lookback_months", "lookback_months must be at least 1", "give 1 or more");
    SpecViolation.require(followUpMonths >= 1, "follow_up_months", "follow_up_months must be at least 1",
        "give 1 or more");
    SpecViolation.require(controlsPerTreated >= 1, "controls_per_treated", "controls_per_treated must be at least 1",
        "give the risk-set size per treated unit, such as 20");
  }

  /** The defaults. */
  public static KidCohortSettings defaults() {
    return of(null, null, null, null, null, null, null);
  }
}
