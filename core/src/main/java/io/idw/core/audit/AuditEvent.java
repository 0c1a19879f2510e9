package io.idw.core.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One thing to record: a job run, an access decision or a release. Built with {@link #builder()};
 * {@code action} and {@code decision} are required, the rest is what applies.
 *
 * <p>Never put identifiers, key material or row values here: only names, counts, versions and
 * reasons.
 */
public record AuditEvent(
    String action,
    String decision,
    String reason,
    String user,
    List<String> roles,
    String purpose,
    String agreementId,
    String agreementVersion,
    String policyHash,
    String resource,
    List<String> columns,
    Long rows,
    Long tableVersion,
    Map<String, String> details) {

  public static final String ALLOW = "allow";
  public static final String DENY = "deny";
  public static final String OK = "ok";
  public static final String FAILED = "failed";

  public AuditEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(decision, "decision");
    roles = roles == null ? List.of() : List.copyOf(roles);
    columns = columns == null ? List.of() : List.copyOf(columns);
    details = details == null ? Map.of() : Map.copyOf(new TreeMap<>(details));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link AuditEvent}. */
  public static final class Builder {
    private String action;
    private String decision;
    private String reason;
    private String user = System.getProperty("user.name");
    private List<String> roles;
    private String purpose;
    private String agreementId;
    private String agreementVersion;
    private String policyHash;
    private String resource;
    private List<String> columns;
    private Long rows;
    private Long tableVersion;
    private final Map<String, String> details = new TreeMap<>();

    public Builder action(String v) { this.action = v; return this; }
    public Builder decision(String v) { this.decision = v; return this; }
    public Builder reason(String v) { this.reason = v; return this; }
    public Builder user(String v) { this.user = v; return this; }
    public Builder roles(List<String> v) { this.roles = v; return this; }
    public Builder purpose(String v) { this.purpose = v; return this; }
    public Builder agreement(String id, String version, String hash) {
      this.agreementId = id;
      this.agreementVersion = version;
      this.policyHash = hash;
      return this;
    }
    public Builder resource(String v) { this.resource = v; return this; }
    public Builder columns(List<String> v) { this.columns = v; return this; }
    public Builder rows(Long v) { this.rows = v; return this; }
    public Builder tableVersion(Long v) { this.tableVersion = v; return this; }
    public Builder detail(String k, Object v) { this.details.put(k, String.valueOf(v)); return this; }

    public AuditEvent build() {
      return new AuditEvent(action, decision, reason, user, roles, purpose, agreementId,
          agreementVersion, policyHash, resource, columns, rows, tableVersion, details);
    }
  }
}
