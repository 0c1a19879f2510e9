package io.idw.governance;

import java.util.List;

/**
 * A request to the policy decision point: who asks, under which purpose, for what kind of access
 * ({@code read} or {@code export}), to which dataset and columns. An empty column list asks for
 * every column the agreement grants. Nulls are allowed here so that a request missing an attribute
 * can be decided, and denied.
 */
public record AccessRequest(String user, String purpose, String accessType, String dataset, List<String> columns) {
  public AccessRequest {
    columns = columns == null ? List.of() : List.copyOf(columns);
  }

  /** A read of a dataset's granted columns. */
  public static AccessRequest read(String user, String purpose, String dataset) {
    return new AccessRequest(user, purpose, "read", dataset, List.of());
  }
}
