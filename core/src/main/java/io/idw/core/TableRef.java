package io.idw.core;

import java.nio.file.Path;
import java.util.Objects;

/** A Delta table's place in the warehouse: its zone, its name and its directory. */
public record TableRef(Zone zone, String name, Path path) {
  public TableRef {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
  }

  /** The qualified name, {@code zone.name}, used in provenance and audit records. */
  public String qualifiedName() {
    return zone.dir() + "." + name;
  }

  /** The table path as a URI string Spark and Delta accept. */
  public String location() {
    return path.toUri().toString();
  }

  @Override
  public String toString() {
    return qualifiedName() + " (" + path + ")";
  }
}
