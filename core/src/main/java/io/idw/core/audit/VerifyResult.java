package io.idw.core.audit;

/**
 * The outcome of {@link AuditLog#verify()}: how many records were checked, and, if the chain is
 * broken, the sequence number of the first bad record and why.
 */
public record VerifyResult(boolean intact, long records, long firstBadSequence, String reason, String headHash) {
  static VerifyResult ok(long records, String head) {
    return new VerifyResult(true, records, -1, "", head);
  }

  static VerifyResult broken(long records, long at, String reason) {
    return new VerifyResult(false, records, at, reason, "");
  }
}
