package io.idw.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import io.idw.core.TableComparison;
import io.idw.core.TableFingerprint;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code idw warehouse init|status}: create a warehouse, or show its zones and tables. */
@Command(name = "warehouse", mixinStandardHelpOptions = true,
    description = "Create a warehouse or show what it holds.",
    subcommands = {WarehouseCommand.Init.class, WarehouseCommand.Status.class, WarehouseCommand.Fingerprint.class})
public final class WarehouseCommand {

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a warehouse directory with its zones (raw, quarantine, pseudonymised, linked, analysis, release, audit).")
  static final class Init implements Callable<Integer> {
    @Mixin WarehouseOptions wh;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Warehouse w = wh.create();
      AuditLog.of(w).append(AuditEvent.builder().action("warehouse.init").decision(AuditEvent.OK)
          .resource(w.root().toString()).build());
      spec.commandLine().getOut().println("warehouse ready at " + w.root());
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "List each zone's Delta tables with their latest version, and check the audit chain.")
  static final class Status implements Callable<Integer> {
    @Mixin WarehouseOptions wh;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Warehouse w = wh.open();
      PrintWriter out = spec.commandLine().getOut();
      out.println("warehouse " + w.root());
      for (Zone z : Zone.values()) {
        var tables = w.tables(z);
        out.printf("  %-14s %s%n", z.dir(), tables.isEmpty() ? "(empty)" : "");
        for (var t : tables) {
          OptionalLong v = latestVersionOnDisk(t.path());
          out.printf("    %-32s version %s%n", t.name(), v.isPresent() ? v.getAsLong() : "?");
        }
      }
      var verify = AuditLog.of(w).verify();
      out.println("  audit log: " + verify.records() + " records, "
          + (verify.intact() ? "chain intact" : "CHAIN BROKEN at " + verify.firstBadSequence() + ": " + verify.reason()));
      return verify.intact() ? 0 : Main.EXIT_FAILURE;
    }
  }

  @Command(name = "fingerprint", mixinStandardHelpOptions = true,
      description = {"Print each table's version, rows, distinct rows and an order-independent content checksum;"
          + " optionally save them as JSON or compare them with a saved fingerprint.",
          "Exit 0 when --compare finds the same content, 1 when it differs."})
  static final class Fingerprint implements Callable<Integer> {
    @Mixin WarehouseOptions wh;
    @Mixin SparkOptions sparkOptions;
    @Spec CommandSpec spec;

    @Option(names = "--exclude-column", paramLabel = "GLOB",
        description = "Leave out columns whose name matches (e.g. 'loaded_at', '*_run'); repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--exclude-table", paramLabel = "GLOB",
        description = "Leave out tables whose zone.name matches (e.g. 'audit.*'); repeatable.")
    List<String> excludeTables = new ArrayList<>();

    @Option(names = "--double-scale", defaultValue = "" + TableFingerprint.DEFAULT_DOUBLE_SCALE,
        description = "Decimals doubles are rounded to before hashing (default: ${DEFAULT-VALUE}).")
    int doubleScale;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the fingerprints to FILE as JSON.")
    Path json;

    @Option(names = "--compare", paramLabel = "FILE",
        description = "Compare with fingerprints saved by --json (e.g. from another run) and list the differences.")
    Path compare;

    @Option(names = "--compare-warehouse", paramLabel = "DIR",
        description = {"Compare every table with the same table of the warehouse in DIR directly, row by row:"
            + " exact for every column except doubles/floats (relative tolerance) and --json-column columns"
            + " (parsed; numbers within the tolerance, time keys left out). Replaces --double-scale rounding."})
    Path compareWarehouse;

    @Option(names = "--json-column", paramLabel = "GLOB",
        description = "With --compare-warehouse: string columns holding JSON (e.g. 'result_json'); repeatable.")
    List<String> jsonColumns = new ArrayList<>();

    @Option(names = "--relative-tolerance", defaultValue = "" + TableComparison.DEFAULT_RELATIVE,
        description = "With --compare-warehouse: relative tolerance of floating-point values (default: ${DEFAULT-VALUE}).")
    double relative;

    @Override
    public Integer call() throws IOException {
      Warehouse w = wh.open();
      if (compareWarehouse != null) {
        return compareWith(w, Warehouse.open(compareWarehouse));
      }
      if (compare != null && !Files.isRegularFile(compare)) {
        throw new IdwException("cli.fingerprint.compare_missing", "cannot compare with " + compare,
            "the file does not exist", "write it first with 'idw warehouse fingerprint --json " + compare + "'");
      }
      List<TableFingerprint> expected = compare == null ? null
          : IdwMappers.json().readValue(compare.toFile(), new TypeReference<List<TableFingerprint>>() {});
      SparkSession spark = sparkOptions.session("idw-fingerprint");
      List<TableFingerprint> fps = TableFingerprint.ofWarehouse(spark, w, globs(excludeTables), globs(excludes), doubleScale);
      PrintWriter out = spec.commandLine().getOut();
      for (TableFingerprint f : fps) {
        out.printf("%-40s version %-4d rows %-10d distinct %-10d checksum %s%n",
            f.table(), f.version(), f.rows(), f.distinctRows(), f.checksum());
      }
      Set<String> fingerprinted = fps.stream().map(TableFingerprint::table).collect(Collectors.toSet());
      Predicate<String> skipped = globs(excludeTables);
      for (Zone z : Zone.values()) {
        for (TableRef t : w.tables(z)) {
          if (!fingerprinted.contains(t.qualifiedName()) && !skipped.test(t.qualifiedName())) {
            out.printf("%-40s no table (uncommitted files only: its first write never committed)%n", t.qualifiedName());
          }
        }
      }
      if (json != null) {
        IdwMappers.json().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), fps);
        out.println("fingerprints written to " + json);
      }
      if (expected == null) {
        return 0;
      }
      List<String> diff = TableFingerprint.compare(expected, fps);
      if (diff.isEmpty()) {
        out.println("same content as " + compare + " (" + fps.size() + " tables)");
        return 0;
      }
      out.println(diff.size() + " difference(s) from " + compare + ":");
      diff.forEach(d -> out.println("  " + d));
      return Main.EXIT_FAILURE;
    }

    /** Compares the tables of {@code w} (first) and {@code other} (second) directly; 0 when equal. */
    private int compareWith(Warehouse w, Warehouse other) {
      SparkSession spark = sparkOptions.session("idw-fingerprint");
      Predicate<String> skip = globs(excludeTables);
      TableComparison.Options o = new TableComparison.Options(globs(excludes), globs(jsonColumns), relative,
          TableComparison.DEFAULT_ABSOLUTE);
      java.util.Map<String, TableRef> mine = committed(spark, w, skip);
      java.util.Map<String, TableRef> theirs = committed(spark, other, skip);
      PrintWriter out = spec.commandLine().getOut();
      List<String> diff = new ArrayList<>();
      int identical = 0;
      int close = 0;
      for (String t : new java.util.TreeSet<>(mine.keySet())) {
        TableRef b = theirs.remove(t);
        if (b == null) {
          diff.add(t + ": only in " + w.root());
          continue;
        }
        TableRef a = mine.get(t);
        long va = io.idw.core.DeltaIO.latestVersion(spark, a);
        long vb = io.idw.core.DeltaIO.latestVersion(spark, b);
        TableComparison.Result r = TableComparison.compare(t, io.idw.core.DeltaIO.read(spark, a, va),
            io.idw.core.DeltaIO.read(spark, b, vb), o);
        out.printf("%-40s version %d/%d: %s%n", t, va, vb,
            !r.equal() ? "DIFFERS" : r.identical() ? "identical" : "equal within tolerance");
        diff.addAll(r.differences());
        identical += r.equal() && r.identical() ? 1 : 0;
        close += r.equal() && !r.identical() ? 1 : 0;
      }
      theirs.keySet().forEach(t -> diff.add(t + ": only in " + other.root()));
      if (diff.isEmpty()) {
        out.println("same content as " + other.root() + " (" + mine.size() + " tables: " + identical
            + " identical, " + close + " equal within relative " + relative + ")");
        return 0;
      }
      out.println(diff.size() + " difference(s) from " + other.root() + ":");
      diff.forEach(d -> out.println("  " + d));
      return Main.EXIT_FAILURE;
    }

    private static java.util.Map<String, TableRef> committed(SparkSession spark, Warehouse w, Predicate<String> skip) {
      java.util.Map<String, TableRef> m = new java.util.LinkedHashMap<>();
      for (Zone z : Zone.values()) {
        for (TableRef t : w.tables(z)) {
          if (!skip.test(t.qualifiedName()) && io.idw.core.DeltaIO.exists(spark, t)) {
            m.put(t.qualifiedName(), t);
          }
        }
      }
      return m;
    }
  }

  /** A predicate accepting names that match any of the globs ({@code *} and {@code ?}). */
  static Predicate<String> globs(List<String> globs) {
    return globs.stream()
        .map(g -> Pattern.compile(g.replace(".", "\\.").replace("?", ".").replace("*", ".*")).asMatchPredicate())
        .reduce(c -> false, Predicate::or);
  }

  /** The latest committed version, read from the Delta log's file names (no Spark needed). */
  static OptionalLong latestVersionOnDisk(Path table) {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20)))
          .max();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
