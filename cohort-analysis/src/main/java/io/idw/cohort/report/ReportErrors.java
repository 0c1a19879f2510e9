package io.idw.cohort.report;

import io.idw.core.IdwException;
import java.nio.file.Path;

/** The errors factory of commissioner reports and practice variation: every exception they throw is made here. */
public final class ReportErrors {
  private ReportErrors() {}

  public static IdwException notReleased(String output, String why) {
    return new IdwException("cohort.report.not_released",
        "cannot build a report from " + output,
        why,
        "reports are built only from released outputs: run disclosure control and release the output first"
            + " ('idw release'), and record an exception from a named checker for any figure in review");
  }

  public static IdwException failedDisclosure(String output, String figures) {
    return new IdwException("cohort.report.disclosure_failed",
        "cannot build a report from " + output,
        "it failed disclosure control (" + figures + ")",
        "change the analysis so that every figure passes (larger groups, coarser bands, suppression), then release it again");
  }

  public static IdwException checksumMismatch(String output, String expected, String actual) {
    return new IdwException("cohort.report.checksum",
        "the released output " + output + " does not match its release record",
        "its SHA-256 is " + actual + " but the release recorded " + expected,
        "the file changed after release: release it again from the analysis zone, and investigate who changed it");
  }

  public static IdwException unreadableResult(Path file, String reason) {
    return new IdwException("cohort.report.result_unreadable",
        "cannot read the evaluation result " + file,
        reason,
        "pass a result JSON written by 'idw evaluate matched-cohort', 'idw evaluate its' or 'idw variation'");
  }

  public static IdwException invalid(String what, String reason, String fix) {
    return new IdwException("cohort.report.invalid", what, reason, fix);
  }

  public static IdwException renderFailed(String what, Exception cause) {
    return new IdwException("cohort.report.render",
        "cannot render " + what,
        String.valueOf(cause.getMessage()),
        "check the output directory is writable; if the template failed, report it as a bug", cause);
  }

  public static IdwException variationInput(String what, String reason, String fix) {
    return new IdwException("cohort.variation.input", what, reason, fix);
  }
}
