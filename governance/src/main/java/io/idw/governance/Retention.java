package io.idw.governance;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import io.idw.core.DeltaIO;
import io.idw.core.PersonMoves;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider withdrawal and retention retirement, both audited with counts.
 * <ul>
 *   <li>{@link #withdrawProvider}: a source whose provider left the agreement leaves the warehouse
 *       at the next refresh: its rows are deleted from {@code pseudonymised.<source>}, {@code
 *       linked.<source>} and {@code linked.record_links} (rows of that source). Governed reads of it
 *       are already refused from the agreement's {@code withdrawnOn} date.</li>
 *   <li>{@link #retire}: rows of an agreement's datasets older than its retention period (by the
 *       dataset's row-scope date column) are deleted from the linked zone, and reported.</li>
 * </ul>
 */
public final class Retention {
  private Retention() {}

  /** Deletes a withdrawn source's rows; returns rows deleted per table. */
  public static Map<String, Long> withdrawProvider(org.apache.spark.sql.SparkSession spark, Warehouse w, String source,
      String user) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableRef t : List.of(w.table(Zone.PSEUDONYMISED, source), w.table(Zone.LINKED, source))) {
      if (DeltaIO.exists(spark, t)) {
        WriteResult r = DeltaIO.delete(spark, t, lit(true));
        out.put(t.qualifiedName(), r.rowsDeleted());
      }
    }
    // the per-record tables keyed by source: the links and the pending person moves
    for (TableRef t : List.of(w.table(Zone.LINKED, "record_links"), PersonMoves.table(w))) {
      if (DeltaIO.exists(spark, t)) {
        out.put(t.qualifiedName(), DeltaIO.delete(spark, t, col(GovernanceColumns.SOURCE).equalTo(source)).rowsDeleted());
      }
    }
    AuditEvent.Builder ev = AuditEvent.builder().action("governance.withdraw").decision(AuditEvent.OK).user(user)
        .resource(source).rows(out.values().stream().mapToLong(Long::longValue).sum())
        .reason("provider of " + source + " withdrew");
    out.forEach((k, v) -> ev.detail("deleted." + k, v));
    AuditLog.of(w).append(ev.build());
    return out;
  }

  /**
   * Retires rows past the agreement's retention period as of {@code today}: for each granted dataset
   * with a row-scope date column, rows dated before {@code today - period} are deleted from the
   * linked table. Returns rows deleted per table (datasets without a date column are reported with -1).
   */
  public static Map<String, Long> retire(org.apache.spark.sql.SparkSession spark, Warehouse w, AgreementFile af,
      LocalDate today, String user) {
    Agreement a = af.agreement();
    LocalDate cutoff = today.minus(a.retention().asPeriod());
    Map<String, Long> out = new LinkedHashMap<>();
    for (Agreement.DatasetGrant g : a.datasets()) {
      TableRef t = w.table(Zone.LINKED, g.name());
      if (g.rows() == null || g.rows().dates() == null) {
        out.put(t.qualifiedName(), -1L);
        continue;
      }
      if (!DeltaIO.exists(spark, t)) {
        continue;
      }
      WriteResult r = DeltaIO.delete(spark, t, to_date(col(g.rows().dates().column())).lt(lit(Date.valueOf(cutoff))));
      out.put(t.qualifiedName(), r.rowsDeleted());
    }
    AuditEvent.Builder ev = AuditEvent.builder().action("governance.retire").decision(AuditEvent.OK).user(user)
        .agreement(a.id(), a.version(), af.sha256()).resource("linked")
        .reason("rows dated before " + cutoff + " are past the retention period " + a.retention().period());
    out.forEach((k, v) -> ev.detail("deleted." + k, v));
    AuditLog.of(w).append(ev.build());
    return out;
  }
}
