package io.idw.cohort.its;

import io.idw.core.IdwException;
import java.time.YearMonth;
import java.util.Collection;

/** The errors factory of the ITS evaluation: every exception {@code io.idw.cohort.its} throws on purpose is made here. */
public final class ItsErrors {
  private ItsErrors() {}

  public static IdwException columnsMissing(String spec, Collection<String> missing, Collection<String> present) {
    return new IdwException("cohort.its.columns_missing",
        "the series for " + spec + " lacks columns " + missing,
        "the input has only " + present,
        "map the spec's columns to the input's names, or supply an input with those columns");
  }

  public static IdwException badValue(String spec, String column, String group, String month, String why) {
    return new IdwException("cohort.its.bad_value",
        "the series for " + spec + " has an unusable " + column + (group == null ? "" : " in series '" + group + "'")
            + (month == null ? "" : " in " + month),
        why,
        "correct or fill the value: an ITS needs one non-negative count (and positive population) per series and month");
  }

  public static IdwException duplicateMonth(String spec, String group, YearMonth month) {
    return new IdwException("cohort.its.duplicate_month",
        "the series for " + spec + " has two rows for " + month + (group == null ? "" : " in series '" + group + "'"),
        "a monthly series has exactly one row per month (and per series in a controlled ITS)",
        "aggregate the input to one row per month, or map columns.group if the table holds several series");
  }

  public static IdwException gap(String spec, String group, Collection<YearMonth> missing) {
    return new IdwException("cohort.its.gap",
        "the series for " + spec + (group == null ? "" : " ('" + group + "')") + " skips months " + abbreviate(missing),
        "the time trend, Newey-West weights and residual autocorrelation assume consecutive months",
        "add the missing months (with a count of 0 if there were no events)");
  }

  public static IdwException groups(String spec, String column, Collection<String> expected, Collection<String> found) {
    return new IdwException("cohort.its.groups",
        "the series for " + spec + " does not hold the series the spec names in column '" + column + "'",
        "expected " + expected + ", found " + found,
        "correct comparison.intervention / comparison.control, or filter the input to those series");
  }

  public static IdwException tooShort(String spec, String why) {
    return new IdwException("cohort.its.too_short",
        "the series for " + spec + " is too short to fit the model",
        why,
        "use a longer series, fewer harmonic pairs, or move the interruption so that both segments have at least 3 months");
  }

  public static IdwException fitFailed(String spec, Exception cause) {
    return new IdwException("cohort.its.fit_failed",
        "the regression for " + spec + " did not converge",
        String.valueOf(cause.getMessage()),
        "check the series for months with zero population or extreme counts, and reduce the harmonic pairs", cause);
  }

  public static IdwException inputUnreadable(String file, String why) {
    return new IdwException("cohort.its.input",
        "cannot read the series input " + file,
        why,
        "give a CSV (with a header row), Parquet or JSON-lines file, or a Delta table directory");
  }

  public static IdwException noInput(String spec, String specFile) {
    return new IdwException("cohort.its.no_input",
        "no series to evaluate for " + spec,
        "neither --input nor the spec's input names a file",
        "pass --input FILE, or add 'input: FILE' to " + specFile);
  }

  public static IdwException outputUnwritable(String file, Exception cause) {
    return new IdwException("cohort.its.output",
        "cannot write the ITS result " + file,
        String.valueOf(cause.getMessage()),
        "check that the directory exists and is writable", cause);
  }

  private static String abbreviate(Collection<YearMonth> months) {
    return months.size() <= 6 ? months.toString() : months.stream().limit(6).toList() + " and " + (months.size() - 6) + " more";
  }
}
