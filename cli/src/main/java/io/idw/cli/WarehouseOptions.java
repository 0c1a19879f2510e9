package io.idw.cli;

import io.idw.core.Warehouse;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --warehouse DIR} option every command that touches the warehouse takes. */
public final class WarehouseOptions {
  @Option(names = "--warehouse", paramLabel = "DIR", defaultValue = "warehouse",
      description = "The warehouse directory (default: ${DEFAULT-VALUE}).")
  Path warehouse;

  /** Opens the existing warehouse, or fails with a one-line error saying how to create it. */
  public Warehouse open() {
    return Warehouse.open(warehouse);
  }

  /** Creates the warehouse if needed. */
  public Warehouse create() {
    return Warehouse.create(warehouse);
  }

  public Path path() {
    return warehouse;
  }
}
