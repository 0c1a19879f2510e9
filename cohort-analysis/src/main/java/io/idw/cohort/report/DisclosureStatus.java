package io.idw.cohort.report;

/** The outcome of statistical disclosure control for an output or one of its tables. */
public enum DisclosureStatus {
  /** Safe to release. */
  PASS,
  /** Releasable only with a recorded exception from a named checker. */
  REVIEW,
  /** Must not be released. */
  FAIL
}
