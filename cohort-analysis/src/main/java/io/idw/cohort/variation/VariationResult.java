package io.idw.cohort.variation;

import io.idw.cohort.Provenance;
import java.util.List;
import java.util.Optional;

/**
 * The result of a practice-variation analysis: the spread per setting and every practice's cost per
 * head, crude and adjusted.
 *
 * @param id the evaluation id (names the report)
 * @param strata the standardisation strata
 * @param months the months the costs cover
 * @param minListSize practices with smaller lists are left out of the spread (kept in {@code practices})
 * @param spreads one per setting, then {@code all_settings}
 * @param practices every practice and setting
 * @param provenance where the figures came from
 */
public record VariationResult(String id, List<String> strata, int months, int minListSize, List<SettingSpread> spreads,
    List<PracticeCost> practices, Provenance provenance) {
  public VariationResult {
    strata = List.copyOf(strata);
    spreads = List.copyOf(spreads);
    practices = List.copyOf(practices);
  }

  /**
   * The result without some practice-and-setting cells (those disclosure control suppressed), with
   * the spreads recomputed over what remains; keys are {@code practice_code|setting}.
   */
  public VariationResult without(java.util.Set<String> cells) {
    List<PracticeCost> kept = practices.stream().filter(p -> !cells.contains(p.practice() + "|" + p.setting())).toList();
    return VariationAnalysis.of(id, strata, months, minListSize, kept, provenance);
  }

  /** The spread of a setting. */
  public Optional<SettingSpread> spread(String setting) {
    return spreads.stream().filter(s -> s.setting().equals(setting)).findFirst();
  }
}
