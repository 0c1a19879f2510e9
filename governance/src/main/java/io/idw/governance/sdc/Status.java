package io.idw.governance.sdc;

/** The outcome of a disclosure check. */
public enum Status {
  /** Safe to release as protected. */
  PASS,
  /** Releasable only with a recorded exception from a named checker. */
  REVIEW,
  /** Not releasable. */
  FAIL;

  public String wire() {
    return name().toLowerCase();
  }

  /** The worse of two statuses. */
  public Status worst(Status o) {
    return ordinal() >= o.ordinal() ? this : o;
  }
}
