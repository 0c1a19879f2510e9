package io.idw.cohort.report;

/** What kind of evaluation a report describes; it picks the wording and the methods text. */
public enum EvaluationKind {
  /** A matched-cohort comparison (people who had a service against similar people who did not). */
  MATCHED_COHORT,
  /** An interrupted time series, without a comparison series. */
  ITS,
  /** An interrupted time series against a comparison series. */
  CONTROLLED_ITS,
  /** A pilot practice against comparator practices chosen on similarity. */
  COMPARATOR_PRACTICES,
  /** Per-capita cost variation between GP practices. */
  PRACTICE_VARIATION
}
