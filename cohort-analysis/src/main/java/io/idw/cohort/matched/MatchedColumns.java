package io.idw.cohort.matched;

/** Column names the matched-cohort steps add or return (defined once for the package). */
public final class MatchedColumns {
  private MatchedColumns() {}

  /** The unit's position in data order, 0..n−1. */
  public static final String UNIT = "unit";
  /** The exact-match stratum key (the exact variables' values joined by '|'). */
  public static final String STRATUM = "stratum";
  /** The propensity score. */
  public static final String PROPENSITY = "propensity";
  /** The linear predictor log(p/(1−p)). */
  public static final String LINEAR_LOGIT = "linear_logit";
  /** The matched set (1..), 0 for unmatched or with replacement. */
  public static final String SUBCLASS = "subclass";
  /** The matching weight (0 for units not in the matched sample). */
  public static final String WEIGHT = "weight";
  // Internal working columns (prefixed so they never clash with the input's own names).
  static final String W_UNIT = "_m_unit";
  static final String W_TREATED = "_m_treated";
  static final String W_STRATUM = "_m_stratum";
  static final String W_PROPENSITY = "_m_propensity";
  static final String W_LINEAR_LOGIT = "_m_linear_logit";
  static final String W_SUBCLASS = "_m_subclass";
  static final String W_WEIGHT = "_m_weight";
  static final String W_SUBGROUP = "_m_subgroup_";
  /** The model feature vector. */
  static final String FEATURES = "_features";
  /** The outcome as double. */
  static final String OUTCOME = "_outcome";
  /** log(exposure), the Poisson offset. */
  static final String LOG_EXPOSURE = "_log_exposure";
  /** The unit id as a string. */
  static final String UNIT_ID = "_unit_id";
}
