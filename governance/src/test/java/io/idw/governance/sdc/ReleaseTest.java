package io.idw.governance.sdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdwException;
import io.idw.core.Warehouse;
import io.idw.core.audit.AuditLog;
import io.idw.core.audit.AuditRecord;
import io.idw.governance.AgreementFile;
import io.idw.governance.Agreements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseTest {
  static final DisclosureControl SDC = DisclosureControl.with(DisclosureProfile.standard());

  static AgreementFile agreement() throws Exception {
    return Agreements.load(Path.of(ReleaseTest.class.getResource("/agreements/test-agreement.yaml").toURI()));
  }

  static CheckResult passing() {
    return SDC.check(CrossTable.counts("Falls by area", List.of("A", "B"), List.of("X", "Y", "Z"),
        new long[][] {{5, 20, 30}, {25, 40, 12}}));
  }

  static CheckResult review() {
    return SDC.check(CrossTable.counts("All in one", List.of("A", "B"), List.of("X", "Y"), new long[][] {{30, 0}, {30, 40}}));
  }

  static AuditRecord last(Warehouse w) {
    List<AuditRecord> all = AuditLog.of(w).read();
    return all.get(all.size() - 1);
  }

  @Test
  void passingOutputsAreReleasedWithChecksums(@TempDir Path tmp) throws Exception {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    Release.Result r = Release.into(w, agreement(), "alice").release("falls-2025", List.of(passing()),
        Map.of("report.html", "<p>hi</p>".getBytes(StandardCharsets.UTF_8)), null);
    assertThat(r.status()).isEqualTo(Status.PASS);
    assertThat(r.sha256()).containsKeys("falls-by-area.csv", "report.html", "disclosure.json");
    for (String line : Files.readAllLines(r.directory().resolve("SHA256SUMS"))) {
      String[] p = line.split("  ");
      byte[] content = Files.readAllBytes(r.directory().resolve(p[1]));
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))).isEqualTo(p[0]);
    }
    assertThat(Files.readString(r.directory().resolve("falls-by-area.csv"))).contains("[c]").doesNotContain(",5,");
    assertThat(last(w).event().action()).isEqualTo("governance.release");
    assertThat(last(w).event().decision()).isEqualTo("allow");
    assertThat(last(w).event().policyHash()).isEqualTo(agreement().sha256());
  }

  @Test
  void reviewNeedsAnExceptionFromSomeoneElse(@TempDir Path tmp) throws Exception {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    Release rel = Release.into(w, agreement(), "alice");
    assertThatThrownBy(() -> rel.release("r1", List.of(review()), Map.of(), null))
        .isInstanceOf(IdwException.class).hasMessageContaining("named checker");
    assertThat(last(w).event().decision()).isEqualTo("deny");
    assertThatThrownBy(() -> rel.release("r1", List.of(review()), Map.of(), ReviewException.of("alice", "fine")))
        .hasMessageContaining("someone other");
    Release.Result ok = rel.release("r1", List.of(review()), Map.of(),
        ReviewException.of("dave.checker", "structural: every A is X by design of the service"));
    assertThat(ok.status()).isEqualTo(Status.REVIEW);
    assertThat(Files.readString(ok.directory().resolve("disclosure.json"))).contains("dave.checker");
    assertThat(last(w).event().details()).containsEntry("exception_checker", "dave.checker");
  }

  @Test
  void failingOutputsAreNeverReleased(@TempDir Path tmp) throws Exception {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    CheckResult fail = SDC.checkRegression("its", 12, 4);
    assertThatThrownBy(() -> Release.into(w, agreement(), "alice").release("r2", List.of(passing(), fail), Map.of(),
        ReviewException.of("dave", "please"))).hasMessageContaining("residual degrees of freedom");
    assertThat(Files.exists(w.root().resolve("release/r2"))).isFalse();
    assertThat(last(w).event().decision()).isEqualTo("deny");
    assertThat(AuditLog.of(w).verify().intact()).isTrue();
  }
}
