package io.idw.cohort.matched;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.idw.cohort.CohortErrors;
import io.idw.cohort.Provenance;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The result of a matched-cohort evaluation, written as JSON: sizes before and after matching,
 * the propensity model, the caliper, the balance table, the effects (matched and naive side by
 * side), the matched pairs and the provenance.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchedCohortResult(
    @JsonProperty("evaluation") String evaluation,
    @JsonProperty("method") String method,
    @JsonProperty("spec") MatchedCohortSpec spec,
    @JsonProperty("sizes") Sizes sizes,
    @JsonProperty("propensity_model") PropensityModel propensityModel,
    @JsonProperty("caliper") Caliper caliper,
    @JsonProperty("balance") List<Balance.Row> balance,
    @JsonProperty("effects") EffectsBlock effects,
    @JsonProperty("subgroups") List<SubgroupEffects> subgroups,
    @JsonProperty("pairs") List<Pair> pairs,
    @JsonProperty("provenance") Provenance provenance) {

  public MatchedCohortResult {
    balance = List.copyOf(balance);
    subgroups = subgroups == null || subgroups.isEmpty() ? null : List.copyOf(subgroups);
    pairs = List.copyOf(pairs);
  }

  /** The declared subgroups' effects (empty when none were declared). */
  public List<SubgroupEffects> subgroupList() {
    return subgroups == null ? List.of() : subgroups;
  }

  /** This result with other subgroups (for example without those disclosure control withheld). */
  public MatchedCohortResult withSubgroups(List<SubgroupEffects> s) {
    return new MatchedCohortResult(evaluation, method, spec, sizes, propensityModel, caliper, balance, effects, s,
        pairs, provenance);
  }

  /**
   * One declared subgroup: the matched sets whose treated unit meets {@code where}, their sizes, and
   * the effects within them ({@code effects} null, with a {@code note}, when the subgroup has no
   * treated or no control units, or no outcome events, to estimate from; sizes null too when
   * disclosure control withheld the subgroup).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SubgroupEffects(
      @JsonProperty("name") String name,
      @JsonProperty("label") String label,
      @JsonProperty("where") String where,
      @JsonProperty("treated_matched") Long treatedMatched,
      @JsonProperty("control_matched") Long controlMatched,
      @JsonProperty("effects") OutcomeEffects effects,
      @JsonProperty("note") String note) {

    /** This subgroup with its sizes and effects withheld, saying why. */
    public SubgroupEffects withheld(String why) {
      return new SubgroupEffects(name, label, where, null, null, null, why);
    }
  }

  /** Units before and after matching, and the treated units lost, by reason. */
  public record Sizes(
      @JsonProperty("treated_before") long treatedBefore,
      @JsonProperty("control_before") long controlBefore,
      @JsonProperty("treated_matched") long treatedMatched,
      @JsonProperty("control_matched") long controlMatched,
      @JsonProperty("treated_unmatched_no_control_in_stratum") long noControlInStratum,
      @JsonProperty("treated_unmatched_outside_caliper") long outsideCaliper,
      @JsonProperty("matched_sets") long matchedSets) {}

  /** The fitted propensity model (logistic regression, IRLS by Spark MLlib GLR). */
  public record PropensityModel(
      @JsonProperty("family") String family,
      @JsonProperty("coefficients") Map<String, Double> coefficients,
      @JsonProperty("iterations") int iterations,
      @JsonProperty("deviance") double deviance,
      @JsonProperty("units") long units) {}

  /** The caliper as given (in SDs) and its width on the distance scale. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Caliper(
      @JsonProperty("distance") String distance,
      @JsonProperty("sd_of_distance") double sdOfDistance,
      @JsonProperty("caliper_sds") Double caliperSds,
      @JsonProperty("width") Double width) {}

  /** One outcome's effects: matched and naive (unmatched) side by side. */
  public record OutcomeEffects(
      @JsonProperty("difference_in_means") Effects.Estimate differenceInMeans,
      @JsonProperty("rate_ratio") Effects.Estimate rateRatio,
      @JsonProperty("mean_treated") double meanTreated,
      @JsonProperty("mean_control") double meanControl) {}

  /** The effects block. */
  public record EffectsBlock(
      @JsonProperty("outcome") String outcome,
      @JsonProperty("estimand") String estimand,
      @JsonProperty("matched") OutcomeEffects matched,
      @JsonProperty("naive") OutcomeEffects naive,
      @JsonProperty("notes") List<String> notes) {}

  /** A matched pair: the matched set (subclass), the treated and control unit ids, their distances. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pair(
      @JsonProperty("subclass") Integer subclass,
      @JsonProperty("stratum") String stratum,
      @JsonProperty("treated_id") String treatedId,
      @JsonProperty("control_id") String controlId,
      @JsonProperty("treated_distance") double treatedDistance,
      @JsonProperty("control_distance") double controlDistance) {}

  /** A few console lines: sizes, the effects with CIs, and how many covariates stay imbalanced. */
  public java.util.List<String> summaryLines() {
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add(String.format(java.util.Locale.ROOT, "%s: %d treated, %d controls before; %d treated matched to %d controls"
        + " (%d lost outside the caliper, %d with no control in their stratum)", evaluation, sizes.treatedBefore(),
        sizes.controlBefore(), sizes.treatedMatched(), sizes.controlMatched(), sizes.outsideCaliper(),
        sizes.noControlInStratum()));
    out.add(line("matched rate ratio", effects.matched().rateRatio()));
    out.add(line("naive rate ratio  ", effects.naive().rateRatio()));
    out.add(line("matched difference", effects.matched().differenceInMeans()));
    out.add(line("naive difference  ", effects.naive().differenceInMeans()));
    for (SubgroupEffects g : subgroupList()) {
      out.add(g.effects() == null || g.effects().rateRatio() == null
          ? String.format(java.util.Locale.ROOT, "subgroup %s: %s", g.label(), g.note())
          : String.format(java.util.Locale.ROOT, "subgroup %s (%d treated, %d controls matched): rate ratio %.4f (95%% CI %.4f to %.4f)",
              g.label(), g.treatedMatched(), g.controlMatched(), g.effects().rateRatio().estimate(),
              g.effects().rateRatio().ciLow(), g.effects().rateRatio().ciHigh()));
    }
    long before = balance.stream().filter(b -> b.before().flag()).count();
    long after = balance.stream().filter(b -> b.after().flag()).count();
    out.add(String.format(java.util.Locale.ROOT, "balance: %d of %d rows with |SMD| > 0.1 before matching, %d after",
        before, balance.size(), after));
    return out;
  }

  private String line(String label, Effects.Estimate e) {
    return String.format(java.util.Locale.ROOT, "%s %s: %.4f (95%% CI %.4f to %.4f)", label, effects.outcome(),
        e.estimate(), e.ciLow(), e.ciHigh());
  }

  /** The result as indented JSON. */
  public String toJson() {
    try {
      return IdwMappers.json().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("result is not serialisable", e);
    }
  }

  /** Writes the JSON to a file (parent directories created). */
  public void writeJson(Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, toJson());
    } catch (IOException e) {
      throw CohortErrors.outputUnwritable(file.toString(), e);
    }
  }

  /** Reads a result back (for tests and reports). */
  public static MatchedCohortResult readJson(Path file) {
    return IdwMappers.readFile(file, MatchedCohortResult.class);
  }
}
