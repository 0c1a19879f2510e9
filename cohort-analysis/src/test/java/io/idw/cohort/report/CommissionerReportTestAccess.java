package io.idw.cohort.report;

/** Test access to package-private helpers of the report package. */
public final class CommissionerReportTestAccess {
  private CommissionerReportTestAccess() {}

  public static String sha256(byte[] bytes) {
    return CommissionerReport.sha256(bytes);
  }
}
