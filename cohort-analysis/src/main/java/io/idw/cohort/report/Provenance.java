package io.idw.cohort.report;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where an evaluation's figures came from, so that re-running it gives the same figures.
 *
 * @param tableVersions the warehouse tables read (qualified name) and the Delta version read
 * @param agreementId the data sharing agreement the reads ran under
 * @param agreementVersion its version
 * @param agreementHash the SHA-256 of the agreement file
 * @param purpose the purpose id the session was opened under
 * @param specHash the SHA-256 of the evaluation spec
 * @param idwVersion the idw version that produced the result
 */
public record Provenance(Map<String, Long> tableVersions, String agreementId, String agreementVersion,
    String agreementHash, String purpose, String specHash, String idwVersion) {
  public Provenance {
    tableVersions = tableVersions == null ? Map.of() : Map.copyOf(new TreeMap<>(tableVersions));
    Objects.requireNonNull(idwVersion, "idwVersion");
  }

  /** Table versions in name order (for templates). */
  public Map<String, Long> sortedTableVersions() {
    return new TreeMap<>(tableVersions);
  }
}
