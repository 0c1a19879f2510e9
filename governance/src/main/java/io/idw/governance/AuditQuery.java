package io.idw.governance;

import io.idw.core.audit.AuditRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A filter over audit records: every given field must match exactly (null matches anything);
 * {@code from} and {@code to} are inclusive UTC dates. The agreement matches its id or {@code
 * id@version}.
 */
public record AuditQuery(String user, String purpose, String agreement, String action, String decision,
    LocalDate from, LocalDate to) {

  public boolean matches(AuditRecord r) {
    var e = r.event();
    if (user != null && !user.equals(e.user())) {
      return false;
    }
    if (purpose != null && !purpose.equals(e.purpose())) {
      return false;
    }
    if (agreement != null && !agreement.equals(e.agreementId())
        && !agreement.equals(e.agreementId() + "@" + e.agreementVersion())) {
      return false;
    }
    if (action != null && !(e.action().equals(action) || e.action().startsWith(action + "."))) {
      return false;
    }
    if (decision != null && !decision.equals(e.decision())) {
      return false;
    }
    Instant t = r.time();
    if (from != null && t.isBefore(from.atStartOfDay().toInstant(ZoneOffset.UTC))) {
      return false;
    }
    return to == null || t.isBefore(to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
  }

  public List<AuditRecord> apply(List<AuditRecord> records) {
    return records.stream().filter(this::matches).toList();
  }
}
