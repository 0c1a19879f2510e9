package io.idw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.exceptions.ProtocolChangedException;
import io.idw.core.testing.SparkTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class DeltaConflictRetryTest {
  @TempDir Path tmp;

  @Test
  void aRefusedCommitIsRetriedAndTheLastRefusalIsThrown() {
    AtomicInteger calls = new AtomicInteger();
    String v = DeltaIO.retryingConflicts(3, () -> {
      if (calls.incrementAndGet() < 3) {
        throw new ProtocolChangedException("another writer created the table first");
      }
      return "committed";
    });
    assertThat(v).isEqualTo("committed");
    assertThat(calls).hasValue(3);

    calls.set(0);
    assertThatThrownBy(() -> DeltaIO.retryingConflicts(2, () -> {
      calls.incrementAndGet();
      throw new ProtocolChangedException("refused again");
    })).isInstanceOf(ProtocolChangedException.class).hasMessageContaining("refused again");
    assertThat(calls).hasValue(2);

    calls.set(0);
    assertThatThrownBy(() -> DeltaIO.retryingConflicts(5, () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("not a conflict");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(calls).as("other failures are not retried").hasValue(1);
  }

  @Test
  void writersCreatingOneTableAtOnceAllLand(SparkSession spark) throws Exception {
    Warehouse w = Warehouse.create(tmp.resolve("wh"));
    TableRef t = w.table(Zone.AUDIT, "shared_runs");
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<WriteResult>> done = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      long id = i;
      done.add(pool.submit(() -> {
        start.await();
        return DeltaIO.retryingConflicts(10, () -> DeltaIO.append(spark.range(id, id + 1).toDF("writer"), t));
      }));
    }
    start.countDown();
    for (Future<WriteResult> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(DeltaIO.read(spark, t).count()).isEqualTo(writers);
    assertThat(DeltaIO.read(spark, t).distinct().count()).isEqualTo(writers);
  }
}
