package io.idw.governance.sdc;

import io.idw.governance.Agreement.DisclosureProfileName;

/**
 * The thresholds outputs are checked against.
 *
 * @param name            profile name
 * @param threshold       counts from 1 to {@code threshold - 1} are suppressed (10: the usual TRE
 *                        minimum cell count; 8: the NHS "suppress 1–7" practice); also the minimum
 *                        number of contributors to a magnitude cell
 * @param roundingBase    published counts are rounded to this base (0: no rounding)
 * @param nkN             the n of the nk-dominance rule
 * @param nkK             the k of the nk-dominance rule (a fraction)
 * @param pPercent        the p of the p% rule (a fraction)
 * @param minResidualDf   the least residual degrees of freedom a regression may have
 */
public record DisclosureProfile(String name, int threshold, int roundingBase, int nkN, double nkK, double pPercent,
    int minResidualDf) {

  /** Minimum cell count 10, no rounding, nk (2, 90%), p% 10%, residual df ≥ 10. */
  public static DisclosureProfile standard() {
    return new DisclosureProfile("standard", 10, 0, 2, 0.90, 0.10, 10);
  }

  /** NHS sub-national practice: suppress 1–7, round to 5; the same dominance and regression rules. */
  public static DisclosureProfile nhs() {
    return new DisclosureProfile("nhs", 8, 5, 2, 0.90, 0.10, 10);
  }

  /** The profile an agreement names. */
  public static DisclosureProfile of(DisclosureProfileName n) {
    return n == DisclosureProfileName.NHS ? nhs() : standard();
  }

  /** True if a count is small enough to disclose (0 is not: it is checked separately). */
  public boolean small(long count) {
    return count > 0 && count < threshold;
  }

  /** A count rounded to the profile's base (half up); unchanged when there is no rounding. */
  public long round(long count) {
    if (roundingBase <= 1) {
      return count;
    }
    return Math.floorDiv(count + roundingBase / 2, roundingBase) * roundingBase;
  }
}
