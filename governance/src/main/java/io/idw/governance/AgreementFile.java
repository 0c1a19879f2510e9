package io.idw.governance;

import java.util.Objects;

/**
 * An agreement as loaded from its file: the bound value, where it came from, and the SHA-256 of the
 * file's bytes (the "policy hash" every audit record and result provenance carries).
 */
public record AgreementFile(Agreement agreement, String origin, String sha256) {
  public AgreementFile {
    Objects.requireNonNull(agreement, "agreement");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(sha256, "sha256");
  }
}
