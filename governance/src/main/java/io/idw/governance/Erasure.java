package io.idw.governance;

import static io.idw.governance.GovernanceColumns.NHS_PSEUDONYM;
import static io.idw.governance.GovernanceColumns.OPT_OUT_TABLE;
import static io.idw.governance.GovernanceColumns.PERSON_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;

import io.delta.tables.DeltaTable;
import io.idw.core.DeltaIO;
import io.idw.core.IdentifierType;
import io.idw.core.PersonMoves;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.NhsNumber;
import io.idw.pseudonymise.Normalise;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The right to erasure (and objections): clear NHS numbers or council social care ids in, every
 * row of those people out of every zone, by Delta DELETE. The ids are pseudonymised with the
 * warehouse key set (every enabled key); people are found through the pseudonyms and then through
 * their person_id in the linked zone; raw and quarantine tables are matched on the clear,
 * normalised identifier. Old file versions still hold the rows until {@link #vacuum} runs after
 * the Delta retention window (7 days by default). Every erasure is audited with counts only, and
 * the pseudonyms are appended to {@code pseudonymised.erasure_list} so later refreshes can refuse
 * them.
 *
 * <p>Not covered: analysis outputs made under an agreement hold agreement-domain ids only; re-run
 * those analyses (their inputs no longer hold the person).
 */
public final class Erasure {
  /** Table of erased people's pseudonyms: {@code pseudonym}, {@code key_id}, {@code id_type}, {@code erased_on}. */
  public static final String ERASURE_LIST = "erasure_list";

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final KeySet keys;

  private Erasure(SparkSession spark, Warehouse warehouse, KeySet keys) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    if (keys == null) {
      throw GovernanceErrors.missingKey("erasure");
    }
    this.keys = keys;
  }

  public static Erasure of(SparkSession spark, Warehouse warehouse, KeySet keys) {
    return new Erasure(spark, warehouse, keys);
  }

  /** What an erasure did: ids given, valid and invalid, people found, and rows deleted per table. */
  public record Result(int ids, int valid, int invalid, long people, Map<String, Long> deletedByTable) {
    public long deleted() {
      return deletedByTable.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Erases the people with these clear identifiers of type NHS_NUMBER or SOCIAL_CARE_ID. */
  public Result erase(IdentifierType type, List<String> clearIds, String user, String reason) {
    NhsPseudonyms.Result p = NhsPseudonyms.of(keys, type, clearIds);
    String pseudoCol = type == IdentifierType.NHS_NUMBER ? NHS_PSEUDONYM : "social_care_pseudonym";
    String clearCol = type == IdentifierType.NHS_NUMBER ? "nhs_number" : null;
    List<Object> pseudonyms = new ArrayList<>();
    p.pseudonyms().forEach(x -> pseudonyms.add(x.nhsPseudonym()));
    List<Object> clear = new ArrayList<>();
    for (String raw : clearIds) {
      String n = type == IdentifierType.NHS_NUMBER ? NhsNumber.normalise(raw) : Normalise.socialCareId(raw);
      if (n != null) {
        clear.add(n);
      }
    }
    // people: every person_id that any linked row with one of the pseudonyms carries (the moves a
    // refresh left pending written into the rows first, so a row's person_id is its current person
    // and rows are deleted by it)
    PersonMoves.materialise(spark, warehouse);
    List<Object> persons = new ArrayList<>();
    if (!pseudonyms.isEmpty()) {
      for (TableRef t : warehouse.tables(Zone.LINKED)) {
        List<String> cols = DatasetCatalog.linkedZone(warehouse).columns(t.name()).orElse(List.of());
        if (cols.contains(PERSON_ID) && cols.contains(pseudoCol)) {
          DeltaIO.read(spark, t).where(col(pseudoCol).isin(pseudonyms.toArray())).select(PERSON_ID).distinct()
              .collectAsList().forEach(r -> {
                if (!r.isNullAt(0) && !persons.contains(r.get(0))) {
                  persons.add(r.get(0));
                }
              });
        }
      }
    }
    Map<String, Long> deleted = new LinkedHashMap<>();
    for (Zone z : Zone.values()) {
      if (z == Zone.AUDIT) {
        continue;
      }
      for (TableRef t : warehouse.tables(z)) {
        if (z == Zone.PSEUDONYMISED && (t.name().equals(OPT_OUT_TABLE) || t.name().equals(ERASURE_LIST))) {
          continue;
        }
        List<String> cols = io.idw.governance.internal.DeltaSchemas.columns(t.path()).orElse(List.of());
        Column cond = null;
        if (cols.contains(pseudoCol) && !pseudonyms.isEmpty()) {
          cond = col(pseudoCol).isin(pseudonyms.toArray());
        }
        if (cols.contains(PERSON_ID) && !persons.isEmpty()) {
          Column c = col(PERSON_ID).isin(persons.toArray());
          cond = cond == null ? c : cond.or(c);
        }
        if (z.identifiable() && clearCol != null && cols.contains(clearCol) && !clear.isEmpty()) {
          Column c = regexp_replace(col(clearCol), "[\\s.\\-]", "").isin(clear.toArray());
          cond = cond == null ? c : cond.or(c);
        }
        if (cond == null) {
          continue;
        }
        WriteResult wr = DeltaIO.delete(spark, t, cond);
        deleted.put(t.qualifiedName(), wr.rowsDeleted());
        if (wr.rowsDeleted() > 0) {
          // a table with deletion vectors (the linked record tables) only marked the rows: rewrite
          // its files without them, so they are left only in unreferenced files VACUUM removes
          DeltaIO.purgeDeletionVectors(spark, t);
        }
      }
    }
    if (!p.pseudonyms().isEmpty()) {
      StructType s = new StructType().add("pseudonym", DataTypes.StringType).add("key_id", DataTypes.StringType)
          .add("id_type", DataTypes.StringType).add("erased_on", DataTypes.DateType);
      List<Row> rows = new ArrayList<>();
      java.sql.Date today = java.sql.Date.valueOf(LocalDate.now(ZoneOffset.UTC));
      p.pseudonyms().forEach(x -> rows.add(RowFactory.create(x.nhsPseudonym(), x.keyId(), type.wireName(), today)));
      DeltaIO.append(spark.createDataFrame(rows, s), warehouse.table(Zone.PSEUDONYMISED, ERASURE_LIST));
    }
    Result r = new Result(clearIds.size(), p.valid(), p.invalid(), persons.size(), deleted);
    AuditEvent.Builder ev = AuditEvent.builder().action("governance.erase").decision(AuditEvent.OK).user(user)
        .reason(reason).resource("warehouse").rows(r.deleted())
        .detail("id_type", type.wireName()).detail("ids", r.ids()).detail("valid", r.valid())
        .detail("invalid", r.invalid()).detail("people", r.people()).detail("vacuum", "pending retention window");
    deleted.forEach((k, v) -> ev.detail("deleted." + k, v));
    AuditLog.of(warehouse).append(ev.build());
    return r;
  }

  /**
   * VACUUMs every table with Delta's retention check on (files no longer referenced and older than
   * the table's retention, 7 days by default, are deleted), so erased rows leave the old versions.
   */
  public static List<String> vacuum(SparkSession spark, Warehouse warehouse, String user) {
    List<String> out = new ArrayList<>();
    for (Zone z : Zone.values()) {
      for (TableRef t : warehouse.tables(z)) {
        DeltaTable.forPath(spark, t.location()).vacuum();
        out.add(t.qualifiedName());
      }
    }
    AuditEvent.Builder ev = AuditEvent.builder().action("governance.vacuum").decision(AuditEvent.OK).user(user)
        .resource("warehouse").rows((long) out.size());
    AuditLog.of(warehouse).append(ev.build());
    return out;
  }
}
