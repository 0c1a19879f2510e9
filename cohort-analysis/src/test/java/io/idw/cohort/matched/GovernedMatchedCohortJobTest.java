package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.core.testing.SparkTest;
import io.idw.governance.Agreement;
import io.idw.governance.AgreementFile;
import io.idw.governance.Agreements;
import io.idw.governance.GovernanceColumns;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.pseudonymise.KeySet;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The governed job on a seeded linked-zone fixture under the demo agreement: the
 * home-safety-visit purpose runs and writes {@code analysis.matched_cohort_results} with
 * provenance; a purpose the agreement does not grant, or a role missing one dataset, is refused
 * before anything is written, and the refusal is in the audit log.
 */
@SparkTest
class GovernedMatchedCohortJobTest {
  static final Clock JUNE_2026 = Clock.fixed(LocalDate.of(2026, 6, 1).atStartOfDay().toInstant(ZoneOffset.UTC),
      ZoneOffset.UTC);
  static final String PURPOSE = "home-safety-visit-evaluation";
  static final KeySetRekeying KEYS = KeySetRekeying.of(KeySet.generate(true));

  static Path demoAgreement(Path dir, String from, String to) throws Exception {
    try (InputStream in = Agreement.class.getResourceAsStream("/io/idw/governance/demo-agreement.yaml")) {
      String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(yaml).contains(from);
      Path p = dir.resolve("agreement-" + Math.abs(to.hashCode()) + ".yaml");
      Files.writeString(p, yaml.replace(from, to));
      return p;
    }
  }

  /** Writes each dataset with every column the agreement grants (unused ones null), as the reads require. */
  static void write(SparkSession spark, Warehouse w, AgreementFile af, String dataset, String cols, List<Object[]> rows) {
    List<String> given = List.of(cols.split(","));
    List<String> granted = af.agreement().datasets().stream().filter(g -> g.name().equals(dataset)).findFirst()
        .orElseThrow().columns();
    StructType schema = new StructType();
    for (String c : granted) {
      schema = schema.add(c, DataTypes.StringType);
    }
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] full = new Object[granted.size()];
      for (int i = 0; i < given.size(); i++) {
        full[granted.indexOf(given.get(i))] = r[i];
      }
      out.add(RowFactory.create(full));
    }
    DeltaIO.overwrite(spark.createDataFrame(out, schema), w.table(Zone.LINKED, dataset));
  }

  /** 400 seeded people aged 65+, A&E 2022-01..2024-12, visits in the first half of 2023. */
  static void fixture(SparkSession spark, Warehouse w, AgreementFile af) {
    Random rnd = new Random(7);
    String[] bands = {"65-69", "70-74", "75-79", "80-84", "85-89", "90+"};
    List<Object[]> regs = new ArrayList<>();
    List<Object[]> visits = new ArrayList<>();
    List<Object[]> ae = new ArrayList<>();
    List<Object[]> apc = new ArrayList<>();
    List<Object[]> gp = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String p = String.format("p%03d", i);
      int band = rnd.nextInt(bands.length);
      regs.add(new Object[] {p, "2015-01-01", null, "2021-01-01", bands[band], rnd.nextBoolean() ? "F" : "M",
          String.valueOf(1 + rnd.nextInt(10))});
      gp.add(new Object[] {p, "2021-06-01", String.valueOf(rnd.nextInt(5))});
      for (int m = 0; m < 36; m++) {
        if (rnd.nextDouble() < 0.06 + 0.01 * band) {
          ae.add(new Object[] {p, String.format("%d-%02d-%02d", 2022 + m / 12, 1 + m % 12, 1 + rnd.nextInt(28)),
              rnd.nextDouble() < 0.7 ? "home" : "care_home"});
        }
        if (rnd.nextDouble() < 0.02) {
          apc.add(new Object[] {p, String.format("%d-%02d-10", 2022 + m / 12, 1 + m % 12),
              rnd.nextBoolean() ? "non_elective" : "elective"});
        }
      }
      if (rnd.nextDouble() < 0.08 + 0.02 * band) {
        visits.add(new Object[] {p, String.format("%02d/%02d/2023", 1 + rnd.nextInt(28), 1 + rnd.nextInt(6))});
      }
    }
    ae.add(new Object[] {"p000", "2022-01-03", "home"}); // the data window: 2022-01 .. 2024-12
    ae.add(new Object[] {"p001", "2024-12-20", "home"});
    write(spark, w, af, KidCohortBuilder.REGISTRATIONS,
        "person_id,registration_date,deregistration_date,effective_date,age_band,sex,imd_decile", regs);
    write(spark, w, af, KidCohortBuilder.VISITS, "person_id,visit_date", visits);
    write(spark, w, af, KidCohortBuilder.AE, "person_id,arrival_date,arrival_source", ae);
    write(spark, w, af, KidCohortBuilder.ADMISSIONS, "person_id,admission_date,admission_type", apc);
    write(spark, w, af, KidCohortBuilder.GP_EVENTS, "person_id,event_date,ltc_count", gp);
    StructType oo = new StructType().add(GovernanceColumns.NHS_PSEUDONYM, DataTypes.StringType)
        .add("nhs_key_id", DataTypes.StringType);
    DeltaIO.overwrite(spark.createDataFrame(List.of(RowFactory.create("n-none", "k1")), oo),
        w.table(Zone.PSEUDONYMISED, GovernanceColumns.OPT_OUT_TABLE));
  }

  static GovernedSession open(SparkSession spark, Warehouse w, Path agreement, String user, String purpose) {
    // a governance officer approves the file first (sessions refuse unapproved agreements)
    io.idw.governance.AgreementApprovals.of(w).approve(Agreements.load(agreement), "test-officer");
    return GovernedSession.builder().spark(spark).warehouse(w).agreement(agreement).user(user).purpose(purpose)
        .rekeying(KEYS).clock(JUNE_2026).open();
  }

  static List<AuditEvent> audit(Warehouse w, String decision) {
    return AuditLog.of(w).read().stream().map(r -> r.event()).filter(e -> decision.equals(e.decision())).toList();
  }

  @Test
  void allowedPurposeWritesResultsWithProvenanceAndRefusalsWriteNothing(SparkSession spark, Warehouse w)
      throws Exception {
    Path dir = Files.createTempDirectory("governed-matched");
    Path agreement = demoAgreement(dir, "", "");
    AgreementFile af = Agreements.load(agreement);
    fixture(spark, w, af);
    MatchedCohortSpec spec = GovernedMatchedCohortJob.kidSpec();

    // 1. A purpose the agreement does not have: the session is refused and audited.
    assertThatThrownBy(() -> open(spark, w, agreement, "analyst", "marketing"))
        .isInstanceOf(IdwException.class).hasMessageContaining("marketing");
    assertThat(audit(w, AuditEvent.DENY)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("governance.session.open");
      assertThat(e.purpose()).isEqualTo("marketing");
    });
    // a user without the purpose's role: refused too
    assertThatThrownBy(() -> open(spark, w, agreement, "checker", PURPOSE)).isInstanceOf(IdwException.class);

    // 2. The purpose's role lacks one dataset the cohort needs: the read is refused mid-build,
    //    audited, and no result is written.
    Path narrowed = demoAgreement(dir,
        "datasets: [fire_home_safety_visits, gp_registrations, gp_events, ae_attendances, apc_admissions]",
        "datasets: [fire_home_safety_visits, gp_registrations, gp_events, ae_attendances]");
    GovernedSession narrow = open(spark, w, narrowed, "analyst", PURPOSE);
    assertThatThrownBy(() -> GovernedMatchedCohortJob.run(narrow, spec))
        .isInstanceOf(IdwException.class).hasMessageContaining("apc_admissions");
    assertThat(audit(w, AuditEvent.DENY)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("governance.read");
      assertThat(e.resource()).isEqualTo("linked.apc_admissions");
      assertThat(e.purpose()).isEqualTo(PURPOSE);
    });
    assertThat(DeltaIO.exists(spark, w.table(Zone.ANALYSIS, GovernedMatchedCohortJob.RESULTS_TABLE))).isFalse();

    // 3. The demo agreement's home-safety-visit purpose: the job runs and writes with provenance.
    GovernedSession s = open(spark, w, agreement, "analyst", PURPOSE);
    GovernedMatchedCohortJob.Output out = GovernedMatchedCohortJob.run(s, spec);
    assertThat(out.result().sizes().treatedBefore()).isPositive();
    assertThat(out.result().sizes().treatedMatched()).isPositive();
    List<Row> rows = DeltaIO.read(spark, w.table(Zone.ANALYSIS, GovernedMatchedCohortJob.RESULTS_TABLE)).collectAsList();
    assertThat(rows).hasSize(1);
    Row r = rows.get(0);
    assertThat(r.<String>getAs("evaluation")).isEqualTo(spec.name());
    assertThat(r.<String>getAs("spec_hash")).isEqualTo(spec.hash());
    assertThat(r.<String>getAs("agreement_id")).isEqualTo(af.agreement().id());
    JsonNode prov = IdwMappers.json().readTree(r.<String>getAs("result_json")).path("provenance");
    assertThat(prov.path("spec_hash").asText()).isEqualTo(spec.hash());
    assertThat(prov.path("agreement").path("purpose").asText()).isEqualTo(PURPOSE);
    assertThat(prov.path("agreement").path("hash").asText()).isEqualTo(af.sha256());
    Map<String, Long> inputs = new HashMap<>();
    prov.path("inputs").forEach(i -> inputs.put(i.path("name").asText(), i.path("version").asLong()));
    assertThat(inputs.keySet()).isEqualTo(Set.copyOf(KidCohortBuilder.DATASETS.stream().map(d -> "linked." + d).toList()));
    for (String d : KidCohortBuilder.DATASETS) {
      assertThat(inputs.get("linked." + d)).isEqualTo(DeltaIO.latestVersion(spark, w.table(Zone.LINKED, d)));
    }
    assertThat(prov.path("idw_version").asText()).isNotBlank();
    assertThat(audit(w, AuditEvent.OK)).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("cohort.matched.evaluate");
      assertThat(e.purpose()).isEqualTo(PURPOSE);
      assertThat(e.resource()).isEqualTo("analysis." + GovernedMatchedCohortJob.RESULTS_TABLE);
    });
    // the matched sample holds re-keyed person ids only
    Dataset<Row> sample = DeltaIO.read(spark, w.table(Zone.ANALYSIS, spec.name() + "_matched_sample"));
    assertThat(sample.where("unit_id like 'p%'").count()).isZero();
    assertThat(AuditLog.of(w).verify().intact()).isTrue();
  }
}
