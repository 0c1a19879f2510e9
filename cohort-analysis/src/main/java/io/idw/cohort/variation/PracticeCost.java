package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;

import org.apache.spark.sql.Row;

/** One practice's cost per head per year in one setting, crude and adjusted, with 95% CIs. */
public record PracticeCost(String setting, String practice, long nPeople, double crudePerHead, double crudeLower,
    double crudeUpper, double ratioToExpected, double adjustedPerHead, double adjustedLower, double adjustedUpper) {

  /** From a row of {@link PracticeVariation#perCapita}. */
  public static PracticeCost of(Row r) {
    return new PracticeCost(r.getAs(SETTING), r.getAs(PRACTICE), r.<Long>getAs(N_PEOPLE), d(r, CRUDE_PER_HEAD),
        d(r, CRUDE_LOWER), d(r, CRUDE_UPPER), d(r, RATIO_TO_EXPECTED), d(r, ADJUSTED_PER_HEAD), d(r, ADJUSTED_LOWER),
        d(r, ADJUSTED_UPPER));
  }

  private static double d(Row r, String c) {
    Object v = r.getAs(c);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }
}
