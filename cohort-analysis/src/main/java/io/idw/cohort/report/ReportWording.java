package io.idw.cohort.report;

/**
 * The plain-language words a report puts around a result that does not carry them itself: the
 * title, the intervention and outcome as noun phrases ("home safety visits", "A&E attendances from
 * home"), the population, and whether a lower outcome is better. Any null is filled from the result.
 */
public record ReportWording(String id, String title, String intervention, String outcome, String population,
    Boolean lowerIsBetter) {

  /** No words given: everything comes from the result. */
  public static ReportWording none() {
    return new ReportWording(null, null, null, null, null, null);
  }

  String idOr(String v) { return id != null ? id : v; }
  String titleOr(String v) { return title != null ? title : v; }
  String interventionOr(String v) { return intervention != null ? intervention : v; }
  String outcomeOr(String v) { return outcome != null ? outcome : v; }
  String populationOr(String v) { return population != null ? population : v; }
  boolean lowerIsBetterOr(boolean v) { return lowerIsBetter != null ? lowerIsBetter : v; }

  /** "prior_ae_12m" → "prior ae 12m". */
  static String words(String column) {
    return column == null ? "" : column.replace('_', ' ').trim();
  }
}
