package io.idw.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

  private static AuditLog logWith(Path dir, int n) {
    AuditLog log = AuditLog.at(dir.resolve("audit-log.jsonl"));
    for (int i = 0; i < n; i++) {
      log.append(AuditEvent.builder().action("read").decision(i % 2 == 0 ? AuditEvent.ALLOW : AuditEvent.DENY)
          .user("analyst" + i).purpose("service_evaluation").resource("linked.ae").rows((long) i * 10)
          .reason(i % 2 == 0 ? "permitted" : "column not in agreement").build());
    }
    return log;
  }

  @Test
  void intactChainVerifies(@TempDir Path tmp) {
    AuditLog log = logWith(tmp, 5);
    VerifyResult r = log.verify();
    assertThat(r.intact()).isTrue();
    assertThat(r.records()).isEqualTo(5);
    List<AuditRecord> recs = log.read();
    assertThat(recs).extracting(AuditRecord::sequence).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(recs.get(0).prevHash()).isEqualTo(AuditLog.GENESIS);
    for (int i = 1; i < recs.size(); i++) {
      assertThat(recs.get(i).prevHash()).isEqualTo(recs.get(i - 1).hash());
    }
    assertThat(r.headHash()).isEqualTo(recs.get(4).hash());
  }

  @Test
  void anEditedFieldIsFoundAtItsRecord(@TempDir Path tmp) throws Exception {
    AuditLog log = logWith(tmp, 5);
    List<String> lines = Files.readAllLines(log.file());
    lines.set(2, lines.get(2).replace("\"rows\":20", "\"rows\":2000"));
    Files.write(log.file(), lines);
    VerifyResult r = log.verify();
    assertThat(r.intact()).isFalse();
    assertThat(r.firstBadSequence()).isEqualTo(2);
    assertThat(r.reason()).contains("edited");
  }

  @Test
  void aDeletedRecordIsFound(@TempDir Path tmp) throws Exception {
    AuditLog log = logWith(tmp, 5);
    List<String> lines = new ArrayList<>(Files.readAllLines(log.file()));
    lines.remove(1);
    Files.write(log.file(), lines);
    VerifyResult r = log.verify();
    assertThat(r.intact()).isFalse();
    assertThat(r.firstBadSequence()).isEqualTo(1);
  }

  @Test
  void reorderedRecordsAreFound(@TempDir Path tmp) throws Exception {
    AuditLog log = logWith(tmp, 5);
    List<String> lines = new ArrayList<>(Files.readAllLines(log.file()));
    Collections.swap(lines, 3, 4);
    Files.write(log.file(), lines);
    VerifyResult r = log.verify();
    assertThat(r.intact()).isFalse();
    assertThat(r.firstBadSequence()).isEqualTo(3);
  }

  @Test
  void concurrentAppendsKeepOneUnbrokenChain(@TempDir Path tmp) throws Exception {
    AuditLog log = AuditLog.at(tmp.resolve("audit-log.jsonl"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 40; i++) {
      int n = i;
      pool.submit(() -> AuditLog.at(tmp.resolve("audit-log.jsonl"))
          .append(AuditEvent.builder().action("job").decision(AuditEvent.OK).detail("n", n).build()));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    VerifyResult r = log.verify();
    assertThat(r.intact()).as(r.reason()).isTrue();
    assertThat(r.records()).isEqualTo(40);
  }
}
