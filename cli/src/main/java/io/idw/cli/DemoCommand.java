package io.idw.cli;

import io.idw.core.DeltaIO;
import io.idw.core.IdwVersion;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code idw demo}: runs the whole pipeline that exists so far on sample data in embedded Spark,
 * printing progress and, at the end, where everything went.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline on sample data in embedded local Spark, and print where everything went.",
        "Creates the warehouse if it does not exist."})
public final class DemoCommand implements Callable<Integer> {
  @Mixin WarehouseOptions wh;
  @Mixin SparkOptions sparkOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    out.println("idw " + IdwVersion.get() + " demo");

    step(out, 1, "starting Spark");
    SparkSession spark = sparkOptions.session("idw-demo");
    out.println("      Spark " + spark.version() + ", master " + spark.sparkContext().master());

    step(out, 2, "creating the warehouse");
    Warehouse w = wh.create();
    AuditLog audit = AuditLog.of(w);
    out.println("      " + w.root());

    step(out, 3, "writing and reading back a Delta table");
    TableRef smoke = w.table(Zone.ANALYSIS, "demo_smoke");
    Dataset<Row> rows = spark.range(0, 1000).toDF("id")
        .withColumn("bucket", functions.col("id").mod(10));
    WriteResult written = DeltaIO.overwrite(rows, smoke);
    long readBack = DeltaIO.read(spark, smoke, written.version()).count();
    if (readBack != 1000) {
      throw new IllegalStateException("read back " + readBack + " rows from " + smoke + ", wrote 1000");
    }
    out.println("      " + smoke.qualifiedName() + " version " + written.version() + ": wrote "
        + written.rowsInserted() + " rows, read back " + readBack);
    audit.append(AuditEvent.builder().action("demo").decision(AuditEvent.OK)
        .resource(smoke.qualifiedName()).rows(readBack).tableVersion(written.version()).build());

    step(out, 4, "verifying the audit log");
    var v = audit.verify();
    out.println("      " + v.records() + " records, " + (v.intact() ? "chain intact" : "BROKEN: " + v.reason()));

    out.printf("%ndone in %.1f s. Where everything went:%n", (System.nanoTime() - t0) / 1e9);
    for (Zone z : Zone.values()) {
      out.printf("  %-14s %s%n", z.dir(), w.zonePath(z));
    }
    out.println("  audit log      " + audit.file());
    out.flush();
    return v.intact() ? 0 : Main.EXIT_FAILURE;
  }

  private static void step(PrintWriter out, int n, String what) {
    out.printf("[%d] %s%n", n, what);
    out.flush();
  }
}
