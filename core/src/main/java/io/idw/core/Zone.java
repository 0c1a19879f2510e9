package io.idw.core;

/**
 * The zones of a warehouse, in the order data walks through them. Each zone is a directory under
 * the warehouse root; each table in it is a Delta table in its own sub-directory.
 */
public enum Zone {
  /** Raw provider extracts as delivered: identifiable, kept only until ingest. */
  RAW("raw"),
  /** Rows that failed validation at ingest, each with a reason. Identifiable. */
  QUARANTINE("quarantine"),
  /** Ingested rows with identifiers replaced by pseudonyms and encodings. */
  PSEUDONYMISED("pseudonymised"),
  /** The person spine, record links and activity keyed by person id. */
  LINKED("linked"),
  /** Evaluation results with provenance, before disclosure control. */
  ANALYSIS("analysis"),
  /** Disclosure-checked outputs, checksums and reports for commissioners. */
  RELEASE("release"),
  /** The hash-chained audit log of every job and decision. */
  AUDIT("audit");

  private final String dir;

  Zone(String dir) {
    this.dir = dir;
  }

  /** The directory name of this zone under the warehouse root. */
  public String dir() {
    return dir;
  }

  /** True for zones that may hold clear identifiers (raw and quarantine only). */
  public boolean identifiable() {
    return this == RAW || this == QUARANTINE;
  }
}
