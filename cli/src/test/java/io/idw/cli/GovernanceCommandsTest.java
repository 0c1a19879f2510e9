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

  /** The demo agreement, copied out of the governance jar (a resource in a jar has no file path). */
  static Path demoAgreement() throws Exception {
    Path f = Files.createTempFile("demo-agreement-", ".yaml");
    f.toFile().deleteOnExit();
    try (var in = io.idw.governance.Agreement.class.getResourceAsStream("/io/idw/governance/demo-agreement.yaml")) {
      Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return f;
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

  @Test
  void corruptedPolicyFilesAreRefusedWithoutATrace() throws Exception {
    byte[] good = Files.readAllBytes(demoAgreement());
    Path truncated = tmp.resolve("truncated.yaml");
    Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
    Path garbage = tmp.resolve("garbage.yaml");
    byte[] noise = new byte[4000];
    new java.util.Random(7).nextBytes(noise);
    Files.write(garbage, noise);
    Path unknownKey = tmp.resolve("unknown.yaml");
    Files.writeString(unknownKey, new String(good, java.nio.charset.StandardCharsets.UTF_8) + "allowEverything: true\n");
    for (Path f : List.of(truncated, garbage, unknownKey)) {
      MainTest.Result r = run("policy", "validate", f.toString(), "--at", "2026-01-01");
      assertThat(r.exit()).as(f + ": " + r.out() + r.err()).isEqualTo(Main.EXIT_REFUSED);
      assertThat(r.out()).contains("error ").contains("nothing may be read under this agreement");
      assertThat(r.out() + r.err()).doesNotContain("\tat ");
    }
  }

  @Test
  void approvePinsTheExactFileAndAnEditIsReportedUntilReapproved() throws Exception {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    String wh = w.root().toString();
    Path agreement = demoAgreement();
    MainTest.Result none = run("policy", "approvals", "--warehouse", wh);
    assertThat(none.out()).contains("no agreement is approved");

    MainTest.Result ok = run("policy", "approve", agreement.toString(), "--warehouse", wh, "--by", "gina",
        "--at", "2026-01-01");
    assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
    String sha = io.idw.governance.Agreements.sha256(Files.readAllBytes(agreement));
    assertThat(ok.out()).contains("approved kid-falls-evaluation@1.0 (sha256 " + sha + ")").contains("by gina");
    MainTest.Result again = run("policy", "approve", agreement.toString(), "--warehouse", wh, "--by", "gina",
        "--at", "2026-01-01");
    assertThat(again.out()).contains("nothing changed");
    assertThat(run("policy", "approvals", "--warehouse", wh).out()).contains("kid-falls-evaluation@1.0  sha256 " + sha);

    Path edited = tmp.resolve("edited.yaml");
    String text = Files.readString(agreement);
    String changed = text.replace("Evaluate whether the community falls prevention service",
        "Evaluate whether ANY service");
    assertThat(changed).isNotEqualTo(text);
    Files.writeString(edited, changed);
    MainTest.Result v = run("policy", "validate", edited.toString(), "--warehouse", wh, "--at", "2026-01-01");
    assertThat(v.out()).contains("NOT approved in").contains("edited after approval").contains(sha);

    MainTest.Result invalid = run("policy", "approve", tmp.resolve("missing.yaml").toString(), "--warehouse", wh);
    assertThat(invalid.exit()).isEqualTo(Main.EXIT_REFUSED);

    MainTest.Result revoke = run("policy", "revoke", "kid-falls-evaluation", "1.0", "--warehouse", wh, "--by", "gina");
    assertThat(revoke.exit()).isZero();
    assertThat(run("policy", "approvals", "--warehouse", wh).out()).contains("no agreement is approved");
    assertThat(AuditLog.of(w).verify().intact()).isTrue();

    // a tampered audit log approves nothing
    Path log = AuditLog.of(w).file();
    Files.writeString(log, Files.readString(log).replace("\"gina\"", "\"eve\""));
    MainTest.Result broken = run("policy", "approvals", "--warehouse", wh);
    assertThat(broken.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(broken.out() + broken.err()).contains("tampered");
  }
}
