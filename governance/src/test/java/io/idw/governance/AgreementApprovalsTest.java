package io.idw.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdwException;
import io.idw.core.Warehouse;
import io.idw.core.audit.AuditLog;
import io.idw.core.audit.AuditRecord;
import io.idw.core.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approved-agreement pinning: a session opens only under the exact file approved for its id and version. */
@SparkTest
class AgreementApprovalsTest {
  @TempDir Path tmp;

  /** The test agreement with one purpose description changed: still valid, same id and version. */
  Path edited() throws Exception {
    String orig = Files.readString(GovernedSessionTest.agreementFile());
    String changed = orig.replaceFirst("(?m)^(\\s*description:\\s*)(.*)$", "$1EDITED $2");
    assertThat(changed).isNotEqualTo(orig);
    Path p = tmp.resolve("edited.yaml");
    Files.writeString(p, changed);
    return p;
  }

  static GovernedSession openUnder(SparkSession spark, Warehouse w, Path agreement) {
    return GovernedSession.builder().spark(spark).warehouse(w).agreement(agreement).user("alice")
        .purpose("falls-evaluation").rekeying(GovernedSessionTest.KEYS).clock(GovernedSessionTest.JUNE_2025).open();
  }

  static AuditRecord last(Warehouse w) {
    List<AuditRecord> all = AuditLog.of(w).read();
    return all.get(all.size() - 1);
  }

  static String code(Throwable t) {
    return ((IdwException) t).code();
  }

  @Test
  void anUnapprovedAgreementIsRefusedAndAudited(SparkSession spark, Warehouse w) throws Exception {
    Path file = GovernedSessionTest.agreementFile();
    assertThatThrownBy(() -> openUnder(spark, w, file)).isInstanceOf(IdwException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.agreement.unapproved"))
        .hasMessageContaining("has not been approved");
    AuditRecord deny = last(w);
    assertThat(deny.event().action()).isEqualTo("governance.session.open");
    assertThat(deny.event().decision()).isEqualTo("deny");
    assertThat(deny.event().policyHash()).isEqualTo(Agreements.sha256(Files.readAllBytes(file)));

    AgreementApprovals.Approval ap = AgreementApprovals.of(w).approve(Agreements.load(file), "gina");
    assertThat(ap.sha256()).isEqualTo(Agreements.sha256(Files.readAllBytes(file)));
    GovernedSession s = openUnder(spark, w, file);
    assertThat(s.agreementFile().sha256()).isEqualTo(ap.sha256());
    assertThat(last(w).event().decision()).isEqualTo("allow");
    assertThat(last(w).event().details()).containsEntry("approved_sequence", String.valueOf(ap.sequence()));
  }

  @Test
  void aFileEditedAfterApprovalIsRefusedWithBothHashes(SparkSession spark, Warehouse w) throws Exception {
    Path file = GovernedSessionTest.agreementFile();
    AgreementFile approved = Agreements.load(file);
    AgreementApprovals.of(w).approve(approved, "gina");
    AgreementFile edited = Agreements.load(edited());
    assertThat(edited.agreement().label()).isEqualTo(approved.agreement().label());
    assertThat(edited.sha256()).isNotEqualTo(approved.sha256());

    assertThatThrownBy(() -> openUnder(spark, w, edited())).isInstanceOf(IdwException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.agreement.unapproved"))
        .hasMessageContaining(edited.sha256()).hasMessageContaining(approved.sha256())
        .hasMessageContaining("edited after approval");
    AuditRecord deny = last(w);
    assertThat(deny.event().decision()).isEqualTo("deny");
    assertThat(deny.event().policyHash()).isEqualTo(edited.sha256());
    assertThat(deny.event().details()).containsEntry("approved_sha256", approved.sha256());
    // the same refusal for an already-loaded AgreementFile
    assertThatThrownBy(() -> GovernedSession.builder().spark(spark).warehouse(w).agreement(edited).user("alice")
        .purpose("falls-evaluation").rekeying(GovernedSessionTest.KEYS).clock(GovernedSessionTest.JUNE_2025).open())
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.agreement.unapproved"));
    // the approved file still opens
    assertThat(openUnder(spark, w, file).agreementFile().sha256()).isEqualTo(approved.sha256());
  }

  @Test
  void approvingTwiceWritesOnceAndANewApprovalSupersedes(SparkSession spark, Warehouse w) throws Exception {
    Path file = GovernedSessionTest.agreementFile();
    AgreementApprovals approvals = AgreementApprovals.of(w);
    long before = AuditLog.of(w).read().size();
    AgreementApprovals.Approval first = approvals.approve(Agreements.load(file), "gina");
    AgreementApprovals.Approval again = approvals.approve(Agreements.load(file), "gina");
    assertThat(again).isEqualTo(first);
    assertThat(AuditLog.of(w).read()).hasSize((int) before + 1);

    AgreementFile edited = Agreements.load(edited());
    approvals.approve(edited, "hal");
    assertThat(last(w).event().details()).containsEntry("supersedes_sha256", first.sha256());
    assertThat(approvals.current()).hasSize(1);
    assertThat(openUnder(spark, w, edited()).agreementFile().sha256()).isEqualTo(edited.sha256());
    assertThatThrownBy(() -> openUnder(spark, w, file))
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.agreement.unapproved"));
  }

  @Test
  void aRevokedApprovalRefusesAndAnotherVersionIsNotApproved(SparkSession spark, Warehouse w) throws Exception {
    Path file = GovernedSessionTest.agreementFile();
    AgreementFile af = Agreements.load(file);
    AgreementApprovals approvals = AgreementApprovals.of(w);
    approvals.approve(af, "gina");
    openUnder(spark, w, file);

    Path v3 = tmp.resolve("v3.yaml");
    String text = Files.readString(file);
    String bumped = text.replaceFirst("(?m)^version:.*$", "version: \"3.0\"");
    assertThat(bumped).isNotEqualTo(text);
    Files.writeString(v3, bumped);
    assertThatThrownBy(() -> openUnder(spark, w, v3)).hasMessageContaining("has not been approved");

    approvals.revoke(af.agreement().id(), af.agreement().version(), "gina", "agreement expired early");
    assertThat(last(w).event().action()).isEqualTo(AgreementApprovals.REVOKE);
    assertThatThrownBy(() -> openUnder(spark, w, file)).hasMessageContaining("has not been approved");
    assertThatThrownBy(() -> approvals.revoke(af.agreement().id(), af.agreement().version(), "gina", null))
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.input"));
    assertThatThrownBy(() -> approvals.approve(af, " "))
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.input"));
  }

  @Test
  void aTamperedAuditLogApprovesNothing(SparkSession spark, Warehouse w) throws Exception {
    Path file = GovernedSessionTest.agreementFile();
    AgreementFile af = Agreements.load(file);
    AgreementApprovals.of(w).approve(af, "gina");
    openUnder(spark, w, file);
    // forge the approval's approver in place: the chain no longer verifies
    Path log = AuditLog.of(w).file();
    String text = Files.readString(log);
    assertThat(text).contains("\"gina\"");
    Files.writeString(log, text.replaceFirst("\"gina\"", "\"eve\""));
    assertThat(AuditLog.of(w).verify().intact()).isFalse();

    assertThatThrownBy(() -> openUnder(spark, w, file)).isInstanceOf(IdwException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.audit.broken"));
    assertThatThrownBy(() -> AgreementApprovals.of(w).approve(af, "gina"))
        .satisfies(e -> assertThat(code(e)).isEqualTo("governance.audit.broken"));
  }
}
