package io.idw.cohort.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the release zone records about one released output: its id, the SHA-256 of the released
 * file, its overall disclosure status and the check of each of its tables or figures.
 */
public record ReleasedOutput(String outputId, String sha256, DisclosureStatus status, List<DisclosureCheck> checks,
    String releasedAt, String releasedBy) {
  public ReleasedOutput {
    Objects.requireNonNull(outputId, "outputId");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(status, "status");
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /** The check of a named table or figure, if disclosure control checked it on its own. */
  public Optional<DisclosureCheck> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }
}
