package io.idw.cli;

import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code idw warehouse init|status}: create a warehouse, or show its zones and tables. */
@Command(name = "warehouse", mixinStandardHelpOptions = true,
    description = "Create a warehouse or show what it holds.",
    subcommands = {WarehouseCommand.Init.class, WarehouseCommand.Status.class})
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
