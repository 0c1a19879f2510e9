package io.idw.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.DeltaIO;
import io.idw.core.IdentifierType;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditLog;
import io.idw.core.testing.SparkTest;
import io.idw.pseudonymise.KeySet;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class ErasureTest {
  /** A valid NHS number from 9 digits by the Mod-11 rule (weights 10..2), or null if the check digit would be 10. */
  static String nhs(String nine) {
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (nine.charAt(i) - '0') * (10 - i);
    }
    int check = 11 - sum % 11;
    if (check == 11) {
      check = 0;
    }
    return check == 10 ? null : nine + check;
  }

  @Test
  void erasureRemovesThePersonFromEveryZoneAndAuditsCountsOnly(SparkSession spark, Warehouse w) throws Exception {
    KeySet keys = KeySet.generate(true).rotate(); // two enabled keys: rows made under either are found
    List<String> numbers = new ArrayList<>();
    for (int i = 0; numbers.size() < 3; i++) {
      String n = nhs("94347659" + i);
      if (n != null) {
        numbers.add(n);
      }
    }
    assertThat(numbers.get(0)).isNotNull();
    String target = numbers.get(0);
    String older = NhsPseudonyms.of(KeySet.of(List.of(keys.keys().get(0)), keys.keys().get(0).id(), true),
        List.of(target)).pseudonyms().get(0).nhsPseudonym();   // made under the first (non-primary) key
    String other1 = NhsPseudonyms.of(keys, List.of(numbers.get(1))).pseudonyms().get(0).nhsPseudonym();

    StructType raw = new StructType().add("referral_id", DataTypes.StringType).add("nhs_number", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(
        RowFactory.create("r1", target.substring(0, 3) + " " + target.substring(3, 6) + " " + target.substring(6)),
        RowFactory.create("r2", numbers.get(1))), raw), w.table(Zone.RAW, "falls_service"));
    StructType linked = new StructType().add("person_id", DataTypes.StringType).add("nhs_pseudonym", DataTypes.StringType)
        .add("referral_date", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(
        RowFactory.create("p1", older, "2024-01-01"),
        RowFactory.create("p2", other1, "2024-01-02")), linked), w.table(Zone.LINKED, "falls_service"));
    StructType ae = new StructType().add("person_id", DataTypes.StringType).add("arrival_date", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(
        RowFactory.create("p1", "2024-02-01"), RowFactory.create("p1", "2024-03-01"),
        RowFactory.create("p2", "2024-02-02")), ae), w.table(Zone.LINKED, "ae_attendances"));

    Erasure.Result r = Erasure.of(spark, w, keys).erase(IdentifierType.NHS_NUMBER, List.of(target, "123"), "dpo",
        "erasure request 2025-17");
    assertThat(r.valid()).isEqualTo(1);
    assertThat(r.invalid()).isEqualTo(1);
    assertThat(r.people()).isEqualTo(1);
    assertThat(r.deletedByTable()).containsEntry("raw.falls_service", 1L)
        .containsEntry("linked.falls_service", 1L).containsEntry("linked.ae_attendances", 2L);
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "ae_attendances")).count()).isEqualTo(1);
    assertThat(DeltaIO.read(spark, w.table(Zone.RAW, "falls_service")).count()).isEqualTo(1);

    String log = Files.readString(AuditLog.of(w).file());
    assertThat(log).contains("governance.erase").doesNotContain(target).doesNotContain(older);
    assertThat(AuditLog.of(w).verify().intact()).isTrue();
  }

  /**
   * The linked record tables have deletion vectors, with which a DELETE only marks rows in their files;
   * the erasure purges them, so the files the table reads hold none of the person's rows.
   */
  @Test
  void erasureLeavesNoRowInTheFilesOfATableWithDeletionVectors(SparkSession spark, Warehouse w) throws Exception {
    KeySet keys = KeySet.generate(true);
    String target = nhs("943476592");
    String other = nhs("943476593");
    String pTarget = NhsPseudonyms.of(keys, List.of(target)).pseudonyms().get(0).nhsPseudonym();
    String pOther = NhsPseudonyms.of(keys, List.of(other)).pseudonyms().get(0).nhsPseudonym();
    StructType linked = new StructType().add("person_id", DataTypes.StringType).add("nhs_pseudonym", DataTypes.StringType)
        .add("contact_date", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(RowFactory.create("p" + (i % 5), i % 5 == 0 ? pTarget : pOther, "2024-01-" + (10 + i % 18)));
    }
    io.idw.core.TableRef t = w.table(Zone.LINKED, "gp_events");
    // one file, so the deleted rows share it with rows that stay
    DeltaIO.createAs(spark.createDataFrame(rows, linked).coalesce(1), t, java.util.Map.of(DeltaIO.DELETION_VECTORS, "true"));
    assertThat(DeltaIO.deletionVectorsEnabled(spark, t)).isTrue();

    Erasure.Result r = Erasure.of(spark, w, keys).erase(IdentifierType.NHS_NUMBER, List.of(target), "dpo", "erasure request 2025-18");
    assertThat(r.deletedByTable()).containsEntry("linked.gp_events", 10L);
    String[] files = DeltaIO.read(spark, t).inputFiles();
    // the Parquet files themselves, read without the table's deletion vectors
    List<Row> inFiles = spark.read().parquet(files).collectAsList();
    assertThat(inFiles).hasSize(40).noneMatch(x -> x.mkString().contains(pTarget));
  }

  /**
   * A refresh left two moves pending: g2 left the person erased (a split) and g3 joined them (a
   * merge). The erasure goes by each record's current person, so g3 goes and g2 stays.
   */
  @Test
  void erasureGoesByTheCurrentPersonOfRecordsWithPendingMoves(SparkSession spark, Warehouse w) throws Exception {
    KeySet keys = KeySet.generate(true);
    String target = nhs("943476592");
    String pTarget = NhsPseudonyms.of(keys, List.of(target)).pseudonyms().get(0).nhsPseudonym();
    StructType linked = new StructType().add("source", DataTypes.StringType).add("record_id", DataTypes.StringType)
        .add("person_id", DataTypes.StringType).add("nhs_pseudonym", DataTypes.StringType);
    List<Row> gp = List.of(RowFactory.create("gp_events", "g1", "p1", pTarget),
        RowFactory.create("gp_events", "g2", "p1", null), RowFactory.create("gp_events", "g3", "p2", null),
        RowFactory.create("gp_events", "g4", "p2", null));
    io.idw.core.TableRef t = w.table(Zone.LINKED, "gp_events");
    DeltaIO.createAs(spark.createDataFrame(gp, linked), t, java.util.Map.of(DeltaIO.DELETION_VECTORS, "true"));
    StructType moves = new StructType().add("source", DataTypes.StringType).add("record_id", DataTypes.StringType)
        .add("person_id", DataTypes.StringType);
    io.idw.core.PersonMoves.record(spark.createDataFrame(List.of(RowFactory.create("gp_events", "g2", "p3"),
        RowFactory.create("gp_events", "g3", "p1")), moves), w, "run1");

    Erasure.Result r = Erasure.of(spark, w, keys).erase(IdentifierType.NHS_NUMBER, List.of(target), "dpo", "erasure request 2025-19");
    assertThat(r.people()).isEqualTo(1);
    assertThat(io.idw.core.PersonMoves.pending(spark, w)).isZero();
    assertThat(DeltaIO.read(spark, t).collectAsList()).extracting(x -> x.getString(1) + "/" + x.getString(2))
        .containsExactlyInAnyOrder("g2/p3", "g4/p2");
  }

  @Test
  void optOutListIsStoredPseudonymisedUnderEveryEnabledKey(SparkSession spark, Warehouse w) throws Exception {
    KeySet keys = KeySet.generate(true).rotate();
    String valid = nhs("943476591");
    OptOutList.Result r = OptOutList.load(spark, w, keys, List.of(valid, "not-a-number"), "test");
    assertThat(r.valid()).isEqualTo(1);
    assertThat(r.invalid()).isEqualTo(1);
    assertThat(r.rows()).isEqualTo(keys.keys().size());
    List<Row> rows = DeltaIO.read(spark, w.table(Zone.PSEUDONYMISED, GovernanceColumns.OPT_OUT_TABLE)).collectAsList();
    assertThat(rows).hasSize(2).noneMatch(x -> x.mkString().contains(valid));
  }

  @Test
  void withdrawnProviderRowsLeaveAndRetiredRowsAreReported(SparkSession spark, Warehouse w) throws Exception {
    StructType linked = new StructType().add("person_id", DataTypes.StringType).add("source", DataTypes.StringType)
        .add("arrival_date", DataTypes.StringType).add("age_band", DataTypes.StringType)
        .add("district", DataTypes.StringType);
    List<Row> rows = List.of(
        RowFactory.create("p1", "ae_attendances", "2015-01-01", "75-79", "Thanet"),
        RowFactory.create("p2", "ae_attendances", "2024-06-01", "75-79", "Thanet"));
    DeltaIO.overwrite(spark.createDataFrame(rows, linked), w.table(Zone.LINKED, "ae_attendances"));
    StructType links = new StructType().add("source", DataTypes.StringType).add("record_id", DataTypes.StringType)
        .add("person_id", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(RowFactory.create("gp_events", "g1", "p1"),
        RowFactory.create("ae_attendances", "a1", "p1")), links), w.table(Zone.LINKED, "record_links"));
    StructType gp = new StructType().add("person_id", DataTypes.StringType).add("event_date", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(RowFactory.create("p1", "2024-01-01")), gp),
        w.table(Zone.LINKED, "gp_events"));

    io.idw.core.PersonMoves.record(spark.createDataFrame(List.of(RowFactory.create("gp_events", "g1", "p9"),
        RowFactory.create("ae_attendances", "a1", "p9")), links), w, "run1");

    var withdrawn = Retention.withdrawProvider(spark, w, "gp_events", "dpo");
    assertThat(withdrawn).containsEntry("linked.gp_events", 1L).containsEntry("linked.record_links", 1L)
        .containsEntry("linked.person_moves", 1L);
    assertThat(io.idw.core.PersonMoves.pending(spark, w)).isEqualTo(1);
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "record_links")).count()).isEqualTo(1);

    // the test agreement keeps ae_attendances rows for P5Y by arrival_date: on 2025-06-01 the cutoff is 2020-06-01
    AgreementFile af = Agreements.load(java.nio.file.Path.of(
        ErasureTest.class.getResource("/agreements/test-agreement.yaml").toURI()));
    var retired = Retention.retire(spark, w, af, java.time.LocalDate.of(2025, 6, 1), "dpo");
    long old = rows.stream().filter(r -> r.getString(2).compareTo("2020-06-01") < 0).count();
    assertThat(retired).containsEntry("linked.ae_attendances", old).containsEntry("linked.falls_service", -1L);
    assertThat(DeltaIO.read(spark, w.table(Zone.LINKED, "ae_attendances")).count()).isEqualTo(rows.size() - old);
    assertThat(AuditLog.of(w).read()).extracting(x -> x.event().action())
        .contains("governance.withdraw", "governance.retire");
  }
}
