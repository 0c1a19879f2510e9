package io.idw.cohort.report;

/** The commissioning decision the evidence supports. */
public enum Recommendation {
  /** It worked overall and in every declared subgroup: offer it more widely. */
  EXPAND("Expand"),
  /** It worked overall: keep commissioning it. */
  CONTINUE("Continue"),
  /** It worked in some declared subgroups and not others: target it at those. */
  SCALE_DOWN_TO_THOSE_WHO_BENEFIT("Scale down to those who benefit"),
  /** No evidence it worked, or evidence of harm: stop or redesign it. */
  DECOMMISSION("Decommission or redesign"),
  /** Practice variation: a description, not a verdict on a service; look at the outliers. */
  INVESTIGATE_VARIATION("Investigate the variation"),
  /** The effect could not be estimated (too few events): no decision until there are more data. */
  NO_DECISION_YET("No decision yet: too few events");

  private final String label;

  Recommendation(String label) {
    this.label = label;
  }

  /** The decision in words, for the report's heading. */
  public String label() {
    return label;
  }
}
