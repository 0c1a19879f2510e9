package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The refresh's writes before its commit, two at a time: results in the given order, every write run to its end. */
class ConcurrentWritesTest {

  @Test
  void resultsComeInTheOrderGivenAndTwoRunAtOnce() {
    CountDownLatch both = new CountDownLatch(2);
    List<Supplier<Map<String, Long>>> writes = new ArrayList<>();
    // the first two wait for each other: they finish only if they run at the same time
    for (String t : List.of("slow_a", "slow_b")) {
      writes.add(() -> {
        both.countDown();
        try {
          assertThat(both.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return Map.of(t, (long) t.length());
      });
    }
    for (int i = 0; i < 6; i++) {
      String t = "t" + i;
      long n = i;
      writes.add(() -> Map.of(t, n));
    }
    writes.add(() -> Map.of("t2", 10L));
    Map<String, Long> written = LinkageJob.runConcurrently(writes, 2);
    assertThat(written.keySet()).containsExactly("slow_a", "slow_b", "t0", "t1", "t2", "t3", "t4", "t5");
    assertThat(written.get("t2")).isEqualTo(2L + 10L);
    assertThat(written.get("slow_a")).isEqualTo("slow_a".length());
  }

  @Test
  void everyWriteRunsToItsEndThenTheFirstFailureIsThrown() {
    AtomicInteger done = new AtomicInteger();
    List<Supplier<Map<String, Long>>> writes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int k = i;
      writes.add(() -> {
        done.incrementAndGet();
        if (k == 2 || k == 5) {
          throw new IllegalStateException("simulated crash after writing linked.t" + k);
        }
        return Map.of("t" + k, 1L);
      });
    }
    assertThatThrownBy(() -> LinkageJob.runConcurrently(writes, 2)).isInstanceOf(IllegalStateException.class)
        .hasMessage("simulated crash after writing linked.t2");
    assertThat(done.get()).isEqualTo(writes.size());
  }
}
