package io.idw.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.IdwMappers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgreementsTest {
  static Path testAgreement() throws Exception {
    return Path.of(AgreementsTest.class.getResource("/agreements/test-agreement.yaml").toURI());
  }

  @Test
  void yamlAndJsonRoundTripToEqualValues() throws Exception {
    Agreement a = Agreements.load(testAgreement()).agreement();
    Agreements.Parsed fromYaml = Agreements.parseYaml(Agreements.toYaml(a), "yaml");
    assertThat(fromYaml.problems()).isEmpty();
    assertThat(fromYaml.file().agreement()).isEqualTo(a);
    Agreements.Parsed fromJson = Agreements.parse(Agreements.toJson(a).getBytes(StandardCharsets.UTF_8), "json",
        IdwMappers.json());
    assertThat(fromJson.problems()).isEmpty();
    assertThat(fromJson.file().agreement()).isEqualTo(a);
  }

  @Test
  void jsonMatchesTheGoldenFile() throws Exception {
    Agreement a = Agreements.load(testAgreement()).agreement();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(Path.of("src/test/resources/agreements/test-agreement.golden.json"), Agreements.toJson(a));
    }
    String golden = new String(getClass().getResourceAsStream("/agreements/test-agreement.golden.json").readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(IdwMappers.json().readTree(Agreements.toJson(a))).isEqualTo(IdwMappers.json().readTree(golden));
  }

  @Test
  void policyHashIsTheFilesSha256() throws Exception {
    AgreementFile f = Agreements.load(testAgreement());
    byte[] bytes = Files.readAllBytes(testAgreement());
    assertThat(f.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  static Path edited(Path dir, String from, String to) throws Exception {
    String text = Files.readString(testAgreement());
    assertThat(text).contains(from);
    Path p = dir.resolve("a.yaml");
    Files.writeString(p, text.replace(from, to));
    return p;
  }

  static final LocalDate JUNE_2025 = LocalDate.of(2025, 6, 1);
  static final DatasetCatalog WAREHOUSE = DatasetCatalog.of(Map.of(
      "ae_attendances", List.of("person_id", "arrival_date", "age_band", "district", "attendance_type"),
      "falls_service", List.of("person_id", "referral_date", "district"),
      "gp_events", List.of("person_id", "event_date", "code")));

  @Test
  void validAgreementHasNoErrors() throws Exception {
    AgreementValidator.Report r = AgreementValidator.validate(testAgreement(), WAREHOUSE, JUNE_2025);
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).extracting(Problem::field).containsExactly("access.users[1].trainingExpires");
  }

  @Test
  void missingLawfulBasisIsNamed(@TempDir Path dir) throws Exception {
    String text = Files.readString(testAgreement());
    String cut = text.replaceAll("(?s)lawfulBasis:.*?dpiaReference: DPIA-2024-017\n", "");
    Path p = dir.resolve("a.yaml");
    Files.writeString(p, cut);
    AgreementValidator.Report r = AgreementValidator.validate(p, WAREHOUSE, JUNE_2025);
    assertThat(r.errors()).extracting(Problem::field).containsExactly("lawfulBasis");
    assertThat(r.errors().get(0).reason()).contains("no lawful basis");
  }

  @Test
  void unknownDatasetAndColumnAreNamedByField(@TempDir Path dir) throws Exception {
    Path p = edited(dir, "columns: [person_id, referral_date, district]", "columns: [person_id, referal_date, district]");
    AgreementValidator.Report r = AgreementValidator.validate(p, DatasetCatalog.of(Map.of(
        "ae_attendances", List.of("person_id", "arrival_date", "age_band", "district", "attendance_type"),
        "falls_service", List.of("person_id", "referral_date", "district"))), JUNE_2025);
    assertThat(r.errors()).extracting(Problem::field)
        .containsExactlyInAnyOrder("datasets[1].columns[1]", "datasets[2].name");
  }

  @Test
  void endBeforeStartIsNamed(@TempDir Path dir) throws Exception {
    Path p = edited(dir, "end: 2027-03-31", "end: 2024-03-31");
    AgreementValidator.Report r = AgreementValidator.validate(p, WAREHOUSE, JUNE_2025);
    assertThat(r.errors()).extracting(Problem::field).containsExactly("validity.end");
    assertThat(r.errors().get(0).reason()).contains("before the start");
  }

  @Test
  void expiredReviewIsAnError() throws Exception {
    AgreementValidator.Report r = AgreementValidator.validate(testAgreement(), WAREHOUSE, LocalDate.of(2026, 10, 1));
    assertThat(r.errors()).extracting(Problem::field).containsExactly("validity.reviewDate");
    assertThat(r.errors().get(0).reason()).contains("review expired");
  }

  @Test
  void severalSchemaProblemsAreReportedAtOnce(@TempDir Path dir) throws Exception {
    String text = Files.readString(testAgreement())
        .replace("status: active", "status: Active")
        .replace("category: service_evaluation", "category: evaluation")
        .replace("retention:\n  period: P5Y", "retention:\n  period: five years");
    Path p = dir.resolve("a.yaml");
    Files.writeString(p, text);
    AgreementValidator.Report r = AgreementValidator.validate(p, WAREHOUSE, JUNE_2025);
    assertThat(r.errors()).extracting(Problem::field)
        .contains("status", "purposes[0].category", "retention.period");
  }

  @Test
  void syntaxErrorsGiveALine(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("a.yaml");
    Files.writeString(p, "id: x\nversion: [unclosed\n");
    AgreementValidator.Report r = AgreementValidator.validate(p, null, JUNE_2025);
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).field()).startsWith("(syntax) at line");
  }

  @Test
  void theDemoAgreementIsValid() throws Exception {
    Path demo = Path.of(Agreement.class.getResource("/io/idw/governance/demo-agreement.yaml").toURI());
    AgreementValidator.Report r = AgreementValidator.validate(demo, null, LocalDate.of(2026, 11, 22));
    assertThat(r.errors()).isEmpty();
  }
}
