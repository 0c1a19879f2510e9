package io.idw.core;

import java.nio.file.Path;

/** The errors factory of the core module: every exception core throws is made here. */
public final class CoreErrors {
  private CoreErrors() {}

  public static IdwException warehouseMissing(Path root) {
    return new IdwException("core.warehouse.missing",
        "no warehouse at " + root,
        "the directory does not exist or holds no " + Warehouse.MARKER_FILE,
        "create one with 'idw warehouse init --warehouse " + root + "', or point --warehouse at an existing warehouse");
  }

  public static IdwException warehouseNotADirectory(Path root) {
    return new IdwException("core.warehouse.not_a_directory",
        "cannot use " + root + " as a warehouse",
        "it exists but is not a directory, or a directory that is not empty and is not a warehouse",
        "choose an empty or new directory for --warehouse");
  }

  public static IdwException warehouseIo(Path root, Exception cause) {
    return new IdwException("core.warehouse.io",
        "cannot read or write the warehouse at " + root,
        String.valueOf(cause.getMessage()),
        "check the path exists, is writable and has free space", cause);
  }

  public static IdwException tableMissing(String table, Path path) {
    return new IdwException("core.table.missing",
        "table " + table + " does not exist",
        "there is no Delta table at " + path,
        "run the job that writes it first (see 'idw --help'), or check --warehouse");
  }

  public static IdwException tableVersionMissing(String table, long version, long latest) {
    return new IdwException("core.table.version_missing",
        "table " + table + " has no version " + version,
        "its latest version is " + latest,
        "ask for a version between 0 and " + latest);
  }

  public static IdwException mergeKeysMissing(String table) {
    return new IdwException("core.delta.merge_keys",
        "cannot merge into " + table,
        "no key columns were given",
        "name the columns that identify a row, such as the source record id and extract");
  }

  public static IdwException columnsMissing(String what, java.util.Collection<String> missing,
      java.util.Collection<String> present) {
    return new IdwException("core.columns.missing",
        what + " lacks columns " + missing,
        "the data has only " + present,
        "supply a table with those columns, or correct the column names in the spec");
  }

  public static IdwException specUnreadable(String file, Exception cause) {
    return new IdwException("core.spec.unreadable",
        "cannot read " + file,
        String.valueOf(cause.getMessage()),
        "check that the file exists and is readable", cause);
  }

  /** A settings, spec or agreement file whose content is wrong at a named field. */
  public static IdwException specInvalid(String file, String field, String reason, String fix) {
    return new IdwException("core.spec.invalid",
        file + ": field '" + field + "' is invalid",
        reason,
        fix);
  }

  public static IdwException auditTampered(Path log, long sequence, String reason) {
    return new IdwException("core.audit.tampered",
        "the audit log " + log + " fails verification at record " + sequence,
        reason,
        "treat the log as compromised: restore it from a trusted copy and investigate who changed it");
  }

  public static IdwException auditIo(Path log, Exception cause) {
    return new IdwException("core.audit.io",
        "cannot write the audit log " + log,
        String.valueOf(cause.getMessage()),
        "check that the warehouse audit zone is writable; nothing proceeds without its audit record", cause);
  }

  public static IdwException sparkStart(Exception cause) {
    return new IdwException("core.spark.start",
        "cannot start Spark",
        String.valueOf(cause.getMessage()),
        "run on JDK 17 with the JVM options in the ./idw launcher, and give the JVM at least 1 GiB", cause);
  }
}
