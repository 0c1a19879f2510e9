package io.idw.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditLog;
import io.idw.core.audit.AuditRecord;
import io.idw.core.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class GovernedSessionTest {
  static final Clock JUNE_2025 = Clock.fixed(LocalDate.of(2025, 6, 1).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
  static final KeySetRekeying KEYS = KeySetRekeying.of(io.idw.pseudonymise.KeySet.generate(true));

  /** One A&E row of the fixture, with what the agreement's scope and the opt-out should do to it. */
  record Ae(String person, String nhs, String date, String ageBand, String district, boolean inScope, boolean optedOut) {}

  static final List<Ae> AE = List.of(
      new Ae("p1", "n1", "2024-05-01", "75-84", "Thanet", true, false),
      new Ae("p2", null, "2024-06-01", "65-74", "Swale", true, true),      // opted out via its falls_service row
      new Ae("p3", "n3", "2024-06-02", "45-54", "Thanet", false, false),   // age out of scope
      new Ae("p4", "n4", "2024-06-03", "75-84", null, false, false),       // unknown area: excluded
      new Ae("p5", "n5", "2024-06-04", "85+", "Maidstone", false, false),  // area out of scope
      new Ae("p6", "n6", "2022-12-31", "85+", "Thanet", false, false),     // before the date scope
      new Ae("p7", "n7", "2025-01-01", "85+", "Swale", true, false),
      new Ae(null, "n8", "2025-01-02", "85+", "Swale", true, false));      // unlinked row

  static void buildWarehouse(SparkSession spark, Warehouse w, boolean withOptOut) {
    StructType ae = new StructType().add("record_id", DataTypes.StringType).add("person_id", DataTypes.StringType)
        .add("nhs_pseudonym", DataTypes.StringType).add("arrival_date", DataTypes.DateType)
        .add("age_band", DataTypes.StringType).add("district", DataTypes.StringType)
        .add("attendance_type", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (Ae a : AE) {
      rows.add(RowFactory.create("ae" + i++, a.person(), a.nhs(), Date.valueOf(a.date()), a.ageBand(), a.district(), "fall"));
    }
    DeltaIO.overwrite(spark.createDataFrame(rows, ae), w.table(Zone.LINKED, "ae_attendances"));
    StructType falls = new StructType().add("person_id", DataTypes.StringType).add("nhs_pseudonym", DataTypes.StringType)
        .add("referral_date", DataTypes.StringType).add("district", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(
        RowFactory.create("p1", "n1", "2024-05-10", "Thanet"),
        RowFactory.create("p2", "n2", "2024-06-10", "Swale"),
        RowFactory.create("p7", "n7", "2025-01-10", "Swale")), falls), w.table(Zone.LINKED, "falls_service"));
    StructType gp = new StructType().add("person_id", DataTypes.StringType).add("nhs_pseudonym", DataTypes.StringType)
        .add("event_date", DataTypes.StringType).add("code", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(
        RowFactory.create("p1", "n1", "2024-01-01", "X1"),
        RowFactory.create("p7", "n7", "2024-02-01", "X2")), gp), w.table(Zone.LINKED, "gp_events"));
    if (withOptOut) {
      StructType oo = new StructType().add("nhs_pseudonym", DataTypes.StringType).add("nhs_key_id", DataTypes.StringType);
      DeltaIO.overwrite(spark.createDataFrame(List.of(RowFactory.create("n2", "k1"), RowFactory.create("n99", "k1")), oo),
          w.table(Zone.PSEUDONYMISED, GovernanceColumns.OPT_OUT_TABLE));
    }
  }

  static Path agreementFile() throws Exception {
    return Path.of(GovernedSessionTest.class.getResource("/agreements/test-agreement.yaml").toURI());
  }

  private static Warehouse shared;

  /** One warehouse with the full fixture for the tests that only read (Delta writes are slow). */
  static synchronized Warehouse shared(SparkSession spark) throws Exception {
    if (shared == null) {
      Path dir = Files.createTempDirectory("gov-session-test");
      shared = Warehouse.create(dir.resolve("wh"));
      buildWarehouse(spark, shared, true);
      AgreementApprovals.of(shared).approve(Agreements.load(agreementFile()), "test-officer");
    }
    return shared;
  }

  /** Opens a session under the agreement, approving it in the warehouse first (idempotent). */
  static GovernedSession open(SparkSession spark, Warehouse w, Path agreement, String user, String purpose) {
    AgreementApprovals.of(w).approve(Agreements.load(agreement), "test-officer");
    return GovernedSession.builder().spark(spark).warehouse(w).agreement(agreement).user(user).purpose(purpose)
        .rekeying(KEYS).clock(JUNE_2025).open();
  }

  static Set<String> ids(Dataset<Row> df) {
    return df.select("person_id").collectAsList().stream().map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  @Test
  void readReturnsOnlyScopedColumnsAndRowsWithoutOptedOutPeople(SparkSession spark) throws Exception {
    Warehouse w = shared(spark);
    GovernedSession s = open(spark, w, agreementFile(), "alice", "falls-evaluation");
    Dataset<Row> ae = s.read("ae_attendances");

    assertThat(ae.columns()).containsExactly("person_id", "person_key_id", "arrival_date", "age_band", "district",
        "attendance_type");
    long expected = AE.stream().filter(a -> a.inScope() && !a.optedOut() && a.person() != null).count();
    assertThat(ae.count()).isEqualTo(expected);
    assertThat(ae.select("person_key_id").distinct().collectAsList()).extracting(r -> r.getString(0))
        .containsExactly(KEYS.keyId(s.domainOf("ae_attendances")));
    // no warehouse person id survives
    Set<String> warehouseIds = AE.stream().map(Ae::person).collect(Collectors.toSet());
    assertThat(ids(ae)).doesNotContainAnyElementsOf(warehouseIds);
  }

  @Test
  void directCareSkipsTheOptOutButKeepsTheScope(SparkSession spark) throws Exception {
    Warehouse w = shared(spark);
    GovernedSession s = open(spark, w, agreementFile(), "carol", "ward-care");
    assertThat(s.optOutApplies()).isFalse();
    long expected = AE.stream().filter(Ae::inScope).count();
    assertThat(s.read("ae_attendances").count()).isEqualTo(expected);
  }

  @Test
  void optOutRemovesThePersonFromEveryDataset(SparkSession spark) throws Exception {
    Warehouse w = shared(spark);
    GovernedSession eval = open(spark, w, agreementFile(), "alice", "falls-evaluation");
    GovernedSession care = open(spark, w, agreementFile(), "carol", "ward-care");
    // p2 is on the list through falls_service only; its A&E row has no NHS pseudonym, yet it goes.
    assertThat(eval.read("falls_service").count()).isEqualTo(2);
    long careRows = care.read("ae_attendances").count();
    long evalRows = eval.read("ae_attendances").count();
    long optedOutInScope = AE.stream().filter(a -> a.inScope() && a.optedOut()).count();
    long unlinkedInScope = AE.stream().filter(a -> a.inScope() && a.person() == null).count();
    assertThat(careRows - evalRows).isEqualTo(optedOutInScope + unlinkedInScope);
  }

  /**
   * A refresh moved A&E record ae0 (p1, in scope) to p2, who opted out, and left the move pending:
   * reads see the record as p2's, so the opt-out removes it, and without the opt-out it carries p2's
   * re-keyed id (that of ae1, p2's own A&E row). The read's audit names the moves' version.
   */
  @Test
  void readsSeeTheCurrentPersonOfRecordsWithPendingMoves(SparkSession spark, Warehouse w) throws Exception {
    buildWarehouse(spark, w, true);
    GovernedSession eval = open(spark, w, agreementFile(), "alice", "falls-evaluation");
    GovernedSession care = open(spark, w, agreementFile(), "carol", "ward-care");
    long evalBefore = eval.read("ae_attendances").count();
    StructType moves = new StructType().add("source", DataTypes.StringType).add("record_id", DataTypes.StringType)
        .add("person_id", DataTypes.StringType);
    io.idw.core.PersonMoves.record(spark.createDataFrame(List.of(RowFactory.create("ae_attendances", "ae0", "p2")), moves),
        w, "run1");
    assertThat(AE.get(0).person()).isEqualTo("p1");
    assertThat(AE.get(1).optedOut()).isTrue();

    assertThat(eval.read("ae_attendances").count()).isEqualTo(evalBefore - 1);
    assertThat(lastRecord(w).event().details()).containsEntry("person_moves_version", "0");
    Dataset<Row> cared = care.read("ae_attendances");
    java.util.Map<String, String> idByDate = new java.util.HashMap<>();
    cared.select("arrival_date", "person_id").collectAsList().forEach(r -> idByDate.put(r.get(0).toString(), r.getString(1)));
    assertThat(idByDate.get(AE.get(0).date())).isNotNull().isEqualTo(idByDate.get(AE.get(1).date()));
  }

  @Test
  void missingOptOutListFailsClosed(SparkSession spark, Warehouse w) throws Exception {
    StructType falls = new StructType().add("person_id", DataTypes.StringType).add("referral_date", DataTypes.StringType)
        .add("district", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(RowFactory.create("p1", "2024-05-10", "Thanet")), falls),
        w.table(Zone.LINKED, "falls_service"));
    GovernedSession s = open(spark, w, agreementFile(), "alice", "falls-evaluation");
    assertThatThrownBy(() -> s.read("falls_service")).isInstanceOf(IdwException.class)
        .hasMessageContaining("opt-out list");
    AuditRecord last = lastRecord(w);
    assertThat(last.event().decision()).isEqualTo("deny");
    assertThat(last.event().resource()).isEqualTo("linked.falls_service");
  }

  @Test
  void twoAgreementsCannotBeJoinedButOneAgreementsAllowedJoinsCan(SparkSession spark) throws Exception {
    Warehouse w = shared(spark);
    Path other = Files.createTempFile("agreement-b", ".yaml");
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) IdwMappers.yaml().readTree(agreementFile().toFile());
    tree.put("id", "test-other-eval");
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("linkage")).put("pseudonymDomain", "test-other-eval");
    Files.write(other, IdwMappers.json().writeValueAsBytes(tree));
    Path otherJson = Files.move(other, other.resolveSibling(other.getFileName() + ".json"));

    GovernedSession a = open(spark, w, agreementFile(), "alice", "falls-evaluation");
    GovernedSession b = open(spark, w, otherJson, "alice", "falls-evaluation");
    Set<String> fallsA = ids(a.read("falls_service"));
    Set<String> fallsB = ids(b.read("falls_service"));
    assertThat(fallsA).hasSize(2);
    assertThat(fallsB).hasSize(2);
    assertThat(fallsA).doesNotContainAnyElementsOf(fallsB);

    // ae_attendances and falls_service may be joined under A: the same people get the same ids
    Set<String> aeA = ids(a.read("ae_attendances"));
    assertThat(fallsA).containsAll(aeA);
    // gp_events is in no allowed join: its ids match nothing else in A
    Set<String> gpA = ids(a.read("gp_events"));
    assertThat(gpA).hasSize(2).doesNotContainAnyElementsOf(fallsA);
    Set<String> joined = new HashSet<>(fallsA);
    joined.retainAll(aeA);
    assertThat(joined).hasSize(aeA.size());
  }

  @Test
  void everyAllowAndDenyIsAuditedWithItsFields(SparkSession spark) throws Exception {
    Warehouse w = shared(spark);
    GovernedSession s = open(spark, w, agreementFile(), "alice", "falls-evaluation");
    long rows = s.read("falls_service", List.of("person_id", "referral_date")).count();
    AuditRecord allow = lastRecord(w);
    assertThat(allow.event().action()).isEqualTo("governance.read");
    assertThat(allow.event().decision()).isEqualTo("allow");
    assertThat(allow.event().user()).isEqualTo("alice");
    assertThat(allow.event().roles()).containsExactly("analyst");
    assertThat(allow.event().purpose()).isEqualTo("falls-evaluation");
    assertThat(allow.event().agreementId()).isEqualTo("test-falls-eval");
    assertThat(allow.event().agreementVersion()).isEqualTo("2.0");
    assertThat(allow.event().policyHash()).isEqualTo(Agreements.sha256(Files.readAllBytes(agreementFile())));
    assertThat(allow.event().resource()).isEqualTo("linked.falls_service");
    assertThat(allow.event().columns()).containsExactly("person_id", "referral_date");
    assertThat(allow.event().rows()).isEqualTo(rows);
    assertThat(allow.event().tableVersion()).isEqualTo(DeltaIO.latestVersion(spark, w.table(Zone.LINKED, "falls_service")));
    assertThat(s.provenance()).containsEntry("table.linked.falls_service", "0").containsEntry("agreement_id", "test-falls-eval");

    assertThatThrownBy(() -> s.read("falls_service", List.of("nhs_pseudonym")))
        .isInstanceOf(IdwException.class).extracting(e -> ((IdwException) e).code()).isEqualTo("governance.denied");
    AuditRecord deny = lastRecord(w);
    assertThat(deny.event().decision()).isEqualTo("deny");
    assertThat(deny.event().reason()).contains("nhs_pseudonym");
    assertThat(deny.event().columns()).containsExactly("nhs_pseudonym");
    assertThat(AuditLog.of(w).verify().intact()).isTrue();
  }

  @Test
  void sessionsFailClosedAtOpenAndAreAudited(SparkSession spark) throws Exception {
    Warehouse w = shared(spark);
    assertThatThrownBy(() -> open(spark, w, agreementFile(), "mallory", "falls-evaluation"))
        .hasMessageContaining("mallory");
    assertThat(lastRecord(w).event().decision()).isEqualTo("deny");
    assertThat(lastRecord(w).event().action()).isEqualTo("governance.session.open");

    assertThatThrownBy(() -> GovernedSession.builder().spark(spark).warehouse(w).agreement(agreementFile())
        .user("alice").purpose("falls-evaluation").clock(JUNE_2025).open())
        .hasMessageContaining("no pseudonym key");
    assertThat(lastRecord(w).event().decision()).isEqualTo("deny");

    Path broken = Files.createTempFile("broken", ".yaml");
    Files.writeString(broken, Files.readString(agreementFile()).replace("lawfulBasis:", "lawfulBasisX:"));
    assertThatThrownBy(() -> GovernedSession.builder().spark(spark).warehouse(w).agreement(broken).user("alice")
        .purpose("falls-evaluation").rekeying(KEYS).clock(JUNE_2025).open())
        .hasMessageContaining("lawfulBasis");
    assertThat(lastRecord(w).event().reason()).contains("cannot be used");
  }

  static AuditRecord lastRecord(Warehouse w) {
    List<AuditRecord> all = AuditLog.of(w).read();
    return all.get(all.size() - 1);
  }
}
