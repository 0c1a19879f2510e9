package io.idw.governance;

import java.util.List;

/**
 * What the policy decision point decided. A denial carries the reason and nothing else; an allow
 * carries the columns to return, the row scope to apply (null: every row), the user's roles that
 * granted it, and whether the national data opt-out must be applied.
 */
public record Decision(boolean allowed, String reason, List<String> columns, Agreement.RowScope rowScope,
    List<String> roles, boolean optOutApplies) {
  public Decision {
    columns = columns == null ? List.of() : List.copyOf(columns);
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  static Decision deny(String reason) {
    return new Decision(false, reason, List.of(), null, List.of(), false);
  }

  static Decision deny(String reason, List<String> roles) {
    return new Decision(false, reason, List.of(), null, roles, false);
  }

  /** {@code allow} or {@code deny}. */
  public String word() {
    return allowed ? "allow" : "deny";
  }
}
