package io.idw.linkage;

import java.util.ArrayList;
import java.util.List;

/**
 * A small comparison library in the manner of Splink's {@code comparison_library}, over idw's
 * encoded columns only (Bloom filters compared by Dice, keyed tokens compared for equality). Every
 * comparison starts with a null level and ends with {@code ELSE}; levels are ordered from most to
 * least similar. Dice conditions use the {@code dice(a, b)} SQL function registered by {@link
 * LinkageFunctions#register}.
 */
public final class Comparisons {
  private Comparisons() {}

  /** Null, exact equality of {@code column}, else. */
  public static Comparison exact(String name, String column) {
    return Comparison.of(name, "exact match on " + column, List.of(
        ComparisonLevel.nullLevel(nullSql(column)),
        ComparisonLevel.of(column + "_l = " + column + "_r", "Exact match"),
        ComparisonLevel.of(ComparisonLevel.ELSE, "All other comparisons")));
  }

  /**
   * Null, optionally an exact keyed-token level, then one level per Dice threshold (descending) on
   * a Bloom-filter column, else.
   *
   * @param token a keyed exact token of the same field, or null for none
   */
  public static Comparison diceBands(String name, String bloom, String token, double... thresholds) {
    List<ComparisonLevel> levels = new ArrayList<>();
    levels.add(ComparisonLevel.nullLevel(nullSql(bloom)));
    if (token != null) {
      levels.add(ComparisonLevel.of(token + "_l = " + token + "_r", "Exact match (token)"));
    }
    double prev = Double.MAX_VALUE;
    for (double t : thresholds) {
      if (t >= prev) {
        throw new IllegalArgumentException("Dice thresholds must descend: " + t + " after " + prev);
      }
      levels.add(ComparisonLevel.of("dice(" + bloom + "_l, " + bloom + "_r) >= " + t, "Dice >= " + t));
      prev = t;
    }
    levels.add(ComparisonLevel.of(ComparisonLevel.ELSE, "All other comparisons"));
    return Comparison.of(name, "Dice similarity bands of " + bloom, levels);
  }

  /**
   * Date of birth on tokens: exact, day and month transposed ({@code tok_dob} of one side equals
   * {@code tok_dob_swapped} of the other), same year and month, optionally a Dice band on the DOB
   * Bloom filter (typos in the day or year), else.
   *
   * @param bloom the DOB Bloom filter column, or null for no Dice level
   */
  public static Comparison dateOfBirth(String name, String tok, String tokSwapped, String tokYm, String bloom,
      double diceThreshold) {
    List<ComparisonLevel> levels = new ArrayList<>();
    levels.add(ComparisonLevel.nullLevel(nullSql(tok)));
    levels.add(ComparisonLevel.of(tok + "_l = " + tok + "_r", "Exact match"));
    levels.add(ComparisonLevel.of("(" + tok + "_l = " + tokSwapped + "_r OR " + tokSwapped + "_l = " + tok + "_r)",
        "Day and month transposed"));
    levels.add(ComparisonLevel.of(tokYm + "_l = " + tokYm + "_r", "Same year and month"));
    if (bloom != null) {
      levels.add(ComparisonLevel.of("dice(" + bloom + "_l, " + bloom + "_r) >= " + diceThreshold,
          "Dice >= " + diceThreshold));
    }
    levels.add(ComparisonLevel.of(ComparisonLevel.ELSE, "All other comparisons"));
    return Comparison.of(name, "date of birth: exact, transposed, year-month" + (bloom == null ? "" : ", Dice"),
        levels);
  }

  /** Postcode on tokens: full postcode, sector, district, else. */
  public static Comparison postcode(String name, String tokPostcode, String tokSector, String tokDistrict) {
    return Comparison.of(name, "postcode: full, sector, district", List.of(
        ComparisonLevel.nullLevel(nullSql(tokPostcode) + " OR " + nullSql(tokDistrict)),
        ComparisonLevel.of(tokPostcode + "_l = " + tokPostcode + "_r", "Exact postcode"),
        ComparisonLevel.of(tokSector + "_l = " + tokSector + "_r", "Same sector"),
        ComparisonLevel.of(tokDistrict + "_l = " + tokDistrict + "_r", "Same district"),
        ComparisonLevel.of(ComparisonLevel.ELSE, "All other comparisons")));
  }

  private static String nullSql(String column) {
    return column + "_l IS NULL OR " + column + "_r IS NULL";
  }
}
