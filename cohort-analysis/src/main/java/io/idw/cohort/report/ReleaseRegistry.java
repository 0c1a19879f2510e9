package io.idw.cohort.report;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where reports learn whether an output was released, and with what disclosure-control status.
 * The governance module's release zone provides the real one; reports never build from a file the
 * registry does not know.
 */
@FunctionalInterface
public interface ReleaseRegistry {
  /** The release record of a result file, or empty if it was never released. */
  Optional<ReleasedOutput> lookup(Path resultFile);
}
