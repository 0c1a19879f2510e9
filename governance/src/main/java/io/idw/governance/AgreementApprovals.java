package io.idw.governance;

import io.idw.core.Warehouse;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.core.audit.AuditRecord;
import io.idw.core.audit.VerifyResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The agreements a governance officer has approved for one warehouse: per agreement id and
 * version, the SHA-256 of the exact file approved. A {@link GovernedSession} opens only under a
 * file whose hash is the approved one, so an agreement edited after approval (even into another
 * valid agreement) is refused, not merely visible in provenance.
 *
 * <p>Approvals and revocations are records in the warehouse's hash-chained audit log (actions
 * {@value #APPROVE} and {@value #REVOKE}, with the agreement id, version and hash in the record's
 * agreement fields), so they are tamper-evident: an approval cannot be edited, deleted or
 * reordered without breaking the chain, and while the chain is broken nothing counts as approved.
 * For each id and version the latest approve or revoke record is the one in force.
 */
public final class AgreementApprovals {
  public static final String APPROVE = "governance.agreement.approve";
  public static final String REVOKE = "governance.agreement.revoke";

  private final AuditLog audit;

  private AgreementApprovals(AuditLog audit) {
    this.audit = audit;
  }

  /** The approvals kept in this warehouse's audit log. */
  public static AgreementApprovals of(Warehouse warehouse) {
    return new AgreementApprovals(AuditLog.of(Objects.requireNonNull(warehouse, "warehouse")));
  }

  /** One approval in force: who approved which file (by hash), when, and its audit sequence number. */
  public record Approval(String agreementId, String version, String sha256, String approvedBy, Instant at,
      long sequence) {}

  /** The outcome of {@link #check}: {@code approved} is true only when the file's hash is the approved one. */
  public record Check(boolean approved, String reason, Approval approval) {}

  /**
   * Approves this exact file for its agreement id and version, superseding any earlier approval of
   * that id and version. Approving the file already in force writes nothing and returns the
   * existing approval (idempotent).
   *
   * @param approver who approves (a governance officer; required)
   */
  public Approval approve(AgreementFile file, String approver) {
    Objects.requireNonNull(file, "file");
    requireApprover(approver);
    Agreement a = file.agreement();
    Optional<Approval> current = current().entrySet().stream()
        .filter(e -> e.getKey().equals(key(a.id(), a.version()))).map(Map.Entry::getValue).findFirst();
    if (current.isPresent() && current.get().sha256().equals(file.sha256())) {
      return current.get();
    }
    AuditEvent.Builder ev = AuditEvent.builder().action(APPROVE).decision(AuditEvent.OK).user(approver)
        .agreement(a.id(), a.version(), file.sha256()).resource(file.origin())
        .reason("approved " + a.label() + " with sha256 " + file.sha256());
    current.ifPresent(c -> ev.detail("supersedes_sha256", c.sha256()));
    AuditRecord r = audit.append(ev.build());
    return new Approval(a.id(), a.version(), file.sha256(), approver, r.time(), r.sequence());
  }

  /**
   * Revokes the approval in force for an agreement id and version; afterwards no file of that id
   * and version opens a session until one is approved again.
   *
   * @return the approval revoked
   * @throws io.idw.core.IdwException {@code governance.input} if nothing of that id and version is approved
   */
  public Approval revoke(String agreementId, String version, String approver, String reason) {
    requireApprover(approver);
    Approval current = current().get(key(agreementId, version));
    if (current == null) {
      throw GovernanceErrors.badInput("cannot revoke agreement " + key(agreementId, version),
          "no approval of it is in force in this warehouse", "list approvals with 'idw policy approvals'");
    }
    audit.append(AuditEvent.builder().action(REVOKE).decision(AuditEvent.OK).user(approver)
        .agreement(agreementId, version, current.sha256())
        .reason(reason == null || reason.isBlank() ? "approval revoked" : reason).build());
    return current;
  }

  /**
   * Every approval in force, keyed {@code id@version}, in approval order.
   *
   * @throws io.idw.core.IdwException {@code governance.audit.broken} when the audit chain does not
   *     verify: approvals recorded in a tampered log are not trusted
   */
  public Map<String, Approval> current() {
    VerifyResult v = audit.verify();
    if (!v.intact()) {
      throw GovernanceErrors.auditBroken(audit.file().toString(), "record " + v.firstBadSequence() + ": " + v.reason());
    }
    Map<String, Approval> out = new LinkedHashMap<>();
    for (AuditRecord r : audit.read()) {
      AuditEvent e = r.event();
      if (e.agreementId() == null || e.agreementVersion() == null) {
        continue;
      }
      String k = key(e.agreementId(), e.agreementVersion());
      if (APPROVE.equals(e.action())) {
        out.remove(k);
        out.put(k, new Approval(e.agreementId(), e.agreementVersion(), e.policyHash(), e.user(), r.time(), r.sequence()));
      } else if (REVOKE.equals(e.action())) {
        out.remove(k);
      }
    }
    return out;
  }

  /** Whether this exact file is the approved one for its id and version, and if not, why. */
  public Check check(AgreementFile file) {
    Agreement a = file.agreement();
    Approval ap = current().get(key(a.id(), a.version()));
    if (ap == null) {
      return new Check(false, "agreement " + a.label() + " has not been approved in this warehouse (or its approval "
          + "was revoked)", null);
    }
    if (!ap.sha256().equals(file.sha256())) {
      return new Check(false, "the file " + file.origin() + " (sha256 " + file.sha256() + ") is not the one approved for "
          + a.label() + " (sha256 " + ap.sha256() + ", approved by " + ap.approvedBy() + " at " + ap.at()
          + "): it was edited after approval", ap);
    }
    return new Check(true, "approved by " + ap.approvedBy() + " at " + ap.at(), ap);
  }

  static String key(String id, String version) {
    return id + "@" + version;
  }

  private static void requireApprover(String approver) {
    if (approver == null || approver.isBlank()) {
      throw GovernanceErrors.badInput("an approval needs an approver", "no approver was named",
          "name the governance officer approving (idw policy approve --by NAME)");
    }
  }
}
