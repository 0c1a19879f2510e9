package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.Warehouse;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** idw policy and idw audit, through the command line. */
class GovernanceCommandsTest {
  @TempDir Path tmp;

  static MainTest.Result run(String... args) {
    return MainTest.run(args);
  }

  static Path demoAgreement() throws Exception {
    return Path.of(io.idw.governance.Agreement.class.getResource("/io/idw/governance/demo-agreement.yaml").toURI());
  }

  Warehouse warehouseWithLog(int n) {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    AuditLog log = AuditLog.of(w);
    for (int i = 0; i < n; i++) {
      log.append(AuditEvent.builder().action("governance.read").decision(i % 3 == 0 ? "deny" : "allow")
          .user(i % 2 == 0 ? "alice" : "bob").purpose("falls-service-evaluation")
          .agreement("kid-falls-evaluation", "1.0", "ab".repeat(32)).resource("linked.ae_attendances")
          .rows((long) (100 + i)).build());
    }
    return w;
  }

  @Test
  void verifyPassesAnIntactChain() {
    Warehouse w = warehouseWithLog(6);
    MainTest.Result r = run("audit", "verify", "--warehouse", w.root().toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("6 records, chain intact");
  }

  @Test
  void verifyFindsAnEditedRecord() throws Exception {
    Warehouse w = warehouseWithLog(6);
    Path f = AuditLog.of(w).file();
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(3, lines.get(3).replace("\"rows\":103", "\"rows\":3"));
    Files.write(f, lines);
    MainTest.Result r = run("audit", "verify", "--warehouse", w.root().toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.out()).contains("CHAIN BROKEN at record 3").contains("edited");
  }

  @Test
  void verifyFindsADeletedRecord() throws Exception {
    Warehouse w = warehouseWithLog(6);
    Path f = AuditLog.of(w).file();
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.remove(2);
    Files.write(f, lines);
    MainTest.Result r = run("audit", "verify", "--warehouse", w.root().toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.out()).contains("CHAIN BROKEN at record 2");
  }

  @Test
  void verifyFindsReorderedRecords() throws Exception {
    Warehouse w = warehouseWithLog(6);
    Path f = AuditLog.of(w).file();
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    Collections.swap(lines, 4, 5);
    Files.write(f, lines);
    MainTest.Result r = run("audit", "verify", "--warehouse", w.root().toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_FAILURE);
    assertThat(r.out()).contains("CHAIN BROKEN at record 4");
  }

  @Test
  void queryFiltersByUserAndDecision() {
    Warehouse w = warehouseWithLog(6);
    MainTest.Result r = run("audit", "query", "--warehouse", w.root().toString(), "--user", "alice", "--decision", "deny");
    assertThat(r.exit()).isZero();
    // records 0..5: alice at 0, 2, 4; deny at 0, 3 -> only record 0
    assertThat(r.out()).contains("1 matching record(s)").contains("rows=100");
    MainTest.Result byAgreement = run("audit", "query", "--warehouse", w.root().toString(), "--agreement",
        "kid-falls-evaluation@1.0", "--from", "2000-01-01");
    assertThat(byAgreement.out()).contains("6 matching record(s)");
    MainTest.Result none = run("audit", "query", "--warehouse", w.root().toString(), "--to", "2000-01-01");
    assertThat(none.out()).contains("0 matching record(s)");
  }

  @Test
  void validateAcceptsTheDemoAgreementAndNamesFieldsOfABadOne() throws Exception {
    MainTest.Result ok = run("policy", "validate", demoAgreement().toString(), "--at", "2026-01-01");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("valid agreement kid-falls-evaluation@1.0");

    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(demoAgreement())
        .replace("  start: 2025-04-01\n  end: 2028-03-31", "  start: 2025-04-01\n  end: 2025-03-31"));
    MainTest.Result r = run("policy", "validate", bad.toString(), "--at", "2026-01-01");
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.out()).contains("error   validity.end: the end 2025-03-31 is before the start 2025-04-01");
  }

  @Test
  void explainSaysWhatAUserMaySee() throws Exception {
    MainTest.Result r = run("policy", "explain", demoAgreement().toString(), "--user", "analyst",
        "--purpose", "falls-service-evaluation", "--at", "2026-01-01");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("may read under purpose 'falls-service-evaluation'")
        .contains("National data opt-out: APPLIED").contains("- falls_service");
    MainTest.Result denied = run("policy", "explain", demoAgreement().toString(), "--user", "Analyst",
        "--purpose", "falls-service-evaluation", "--at", "2026-01-01");
    assertThat(denied.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(denied.out()).contains("may see NOTHING").contains("user 'Analyst' is not named");
  }
}
