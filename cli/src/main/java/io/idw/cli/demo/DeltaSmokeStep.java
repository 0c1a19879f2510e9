package io.idw.cli.demo;

import io.idw.core.DeltaIO;
import io.idw.core.TableRef;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Writes a small Delta table and reads it back at the version written. */
public final class DeltaSmokeStep implements DemoStep {
  @Override
  public String title() {
    return "writing and reading back a Delta table";
  }

  @Override
  public void run(DemoContext ctx) {
    TableRef smoke = ctx.warehouse().table(Zone.ANALYSIS, "demo_smoke");
    Dataset<Row> rows = ctx.spark().range(0, 1000).toDF("id")
        .withColumn("bucket", functions.col("id").mod(10));
    WriteResult written = DeltaIO.overwrite(rows, smoke);
    long readBack = DeltaIO.read(ctx.spark(), smoke, written.version()).count();
    if (readBack != 1000) {
      throw new IllegalStateException("read back " + readBack + " rows from " + smoke + ", wrote 1000");
    }
    ctx.say("%s version %d: wrote %d rows, read back %d", smoke.qualifiedName(), written.version(),
        written.rowsInserted(), readBack);
    ctx.audit().append(AuditEvent.builder().action("demo.smoke").decision(AuditEvent.OK)
        .resource(smoke.qualifiedName()).rows(readBack).tableVersion(written.version()).build());
  }
}
