package io.idw.governance;

import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.governance.internal.DeltaSchemas;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What datasets exist and their columns: the warehouse's linked zone (read from the Delta logs, no
 * Spark needed), or a fixed map (tests, validation without a warehouse).
 */
@FunctionalInterface
public interface DatasetCatalog {
  /** The columns of a dataset, or empty if there is no such dataset. */
  Optional<List<String>> columns(String dataset);

  /** The linked-zone tables of a warehouse. */
  static DatasetCatalog linkedZone(Warehouse w) {
    return name -> {
      if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
        return Optional.empty();
      }
      return DeltaSchemas.columns(w.zonePath(Zone.LINKED).resolve(name));
    };
  }

  /** A fixed catalog. */
  static DatasetCatalog of(Map<String, List<String>> tables) {
    Map<String, List<String>> copy = Map.copyOf(tables);
    return name -> Optional.ofNullable(name == null ? null : copy.get(name));
  }
}
