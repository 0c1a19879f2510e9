package io.idw.cohort;

import io.idw.core.IdwException;
import java.util.Collection;

/**
 * The errors factory of the cohort-analysis module: every exception the module throws on purpose
 * is made here, and each says the problem, its cause and the fix. Add a method per new failure.
 */
public final class CohortErrors {
  private CohortErrors() {}

  public static IdwException columnsMissing(String what, Collection<String> missing, Collection<String> present) {
    return new IdwException("cohort.columns.missing",
        what + " lacks columns " + missing,
        "the input has only " + present,
        "supply a table with those columns, or correct the column names in the spec");
  }

  public static IdwException treatmentNotBinary(String column, String seen) {
    return new IdwException("cohort.treatment.not_binary",
        "the treatment column '" + column + "' is not 0/1",
        "it holds " + seen,
        "code the treatment as 0 (control) and 1 (treated), or true/false");
  }

  public static IdwException noUnits(String what) {
    return new IdwException("cohort.no_units",
        "cannot run the evaluation",
        what,
        "check the input and the eligibility rules: both treated and control rows are needed");
  }

  public static IdwException nullValues(String column, long rows) {
    return new IdwException("cohort.values.null",
        "column '" + column + "' has " + rows + " null values",
        "matching and the propensity model need a value for every unit",
        "impute or drop those rows before the evaluation, or leave the column out of the spec");
  }

  public static IdwException modelFailed(String model, Exception cause) {
    return new IdwException("cohort.model.failed",
        "the " + model + " could not be fitted",
        String.valueOf(cause.getMessage()),
        "check for covariates that are constant or perfectly separate treated from controls, and drop them",
        cause);
  }

  public static IdwException inputUnreadable(String file, Exception cause) {
    return new IdwException("cohort.input.unreadable",
        "cannot read the input " + file,
        String.valueOf(cause.getMessage()),
        "give a CSV (with a header row), Parquet or Delta path that exists", cause);
  }

  public static IdwException outputUnwritable(String file, Exception cause) {
    return new IdwException("cohort.output.unwritable",
        "cannot write " + file,
        String.valueOf(cause.getMessage()),
        "check that the directory exists and is writable", cause);
  }

  public static IdwException nonPositiveExposure(String column, long rows) {
    return new IdwException("cohort.exposure.not_positive",
        "the exposure column '" + column + "' has " + rows + " values that are not positive",
        "the rate ratio uses log(exposure) as an offset, so every unit needs positive person-time",
        "drop units with no follow-up before the evaluation, or leave exposure out of the spec");
  }

  public static IdwException subgroupInvalid(String evaluation, java.util.List<String> conditions, Exception cause) {
    String m = String.valueOf(cause.getMessage());
    return new IdwException("cohort.spec.subgroup",
        "a subgroup condition of evaluation " + evaluation + " cannot be evaluated on the analysis table",
        (m.length() > 300 ? m.substring(0, 300) + " ..." : m) + " (conditions: " + conditions + ")",
        "write each subgroup's 'where' as a Spark SQL condition on the analysis table's columns, such as \"age >= 80\"",
        cause);
  }
}
