package io.idw.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A warehouse rooted at a directory (by default {@code ./warehouse}). It holds one directory per
 * {@link Zone}, a Delta table per sub-directory, and a marker file that says it is a warehouse.
 *
 * <p>{@link #create(Path)} makes one (idempotently); {@link #open(Path)} refuses a directory that is
 * not a warehouse, so a mistyped {@code --warehouse} never creates a stray one.
 */
public final class Warehouse {
  public static final String MARKER_FILE = "idw-warehouse.json";
  public static final Path DEFAULT_ROOT = Path.of("warehouse");
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Path root;

  private Warehouse(Path root) {
    this.root = root;
  }

  /** Opens an existing warehouse; throws {@code core.warehouse.missing} if there is none. */
  public static Warehouse open(Path root) {
    Path r = root.toAbsolutePath().normalize();
    if (!Files.isRegularFile(r.resolve(MARKER_FILE))) {
      throw CoreErrors.warehouseMissing(root);
    }
    return new Warehouse(r);
  }

  /** Creates the warehouse and its zone directories, or opens it if it already exists. */
  public static Warehouse create(Path root) {
    Path r = root.toAbsolutePath().normalize();
    try {
      if (Files.exists(r) && !Files.isDirectory(r)) {
        throw CoreErrors.warehouseNotADirectory(root);
      }
      if (Files.isDirectory(r) && !Files.exists(r.resolve(MARKER_FILE))) {
        try (Stream<Path> s = Files.list(r)) {
          if (s.findAny().isPresent()) {
            throw CoreErrors.warehouseNotADirectory(root);
          }
        }
      }
      Files.createDirectories(r);
      for (Zone z : Zone.values()) {
        Files.createDirectories(r.resolve(z.dir()));
      }
      Path marker = r.resolve(MARKER_FILE);
      if (!Files.exists(marker)) {
        String json = "{\"format\":\"idw-warehouse\",\"formatVersion\":1,\"createdAt\":\""
            + Instant.now() + "\",\"idwVersion\":\"" + IdwVersion.get() + "\"}\n";
        Files.writeString(marker, json, StandardCharsets.UTF_8);
      }
      return new Warehouse(r);
    } catch (IOException e) {
      throw CoreErrors.warehouseIo(root, e);
    }
  }

  /** True if {@code root} holds a warehouse. */
  public static boolean exists(Path root) {
    return Files.isRegularFile(root.resolve(MARKER_FILE));
  }

  public Path root() {
    return root;
  }

  /** The directory of a zone. */
  public Path zonePath(Zone zone) {
    return root.resolve(zone.dir());
  }

  /**
   * The reference of a table in a zone; the table need not exist yet. Names are lower snake_case.
   */
  public TableRef table(Zone zone, String name) {
    Objects.requireNonNull(zone, "zone");
    if (name == null || !TABLE_NAME.matcher(name).matches()) {
      throw new IdwException("core.table.name",
          "invalid table name '" + name + "'",
          "table names are lower snake_case, start with a letter and have at most 63 characters",
          "rename the table, for example 'ae_attendances'");
    }
    return new TableRef(zone, name, zonePath(zone).resolve(name));
  }

  /** The Delta tables that exist in a zone, by name. */
  public List<TableRef> tables(Zone zone) {
    List<TableRef> out = new ArrayList<>();
    Path dir = zonePath(zone);
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> Files.isDirectory(p.resolve("_delta_log")))
          .map(p -> p.getFileName().toString())
          .filter(n -> TABLE_NAME.matcher(n).matches())
          .sorted()
          .forEach(n -> out.add(table(zone, n)));
    } catch (IOException e) {
      throw CoreErrors.warehouseIo(root, e);
    }
    return out;
  }

  @Override
  public String toString() {
    return "Warehouse(" + root + ")";
  }
}
