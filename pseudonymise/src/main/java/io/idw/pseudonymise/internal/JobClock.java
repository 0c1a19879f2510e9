package io.idw.pseudonymise.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Counts the Spark jobs of a job group and their wall time (start to end), for the timing line of
 * an ingest run: the part of a run's wall time not spent in jobs is driver work (planning, Delta
 * commits, file I/O). One listener per SparkContext; groups are forgotten when {@link #finish} reads
 * them. Holds job ids and times only.
 */
public final class JobClock extends SparkListener {
  private static final Map<SparkContext, JobClock> BY_CONTEXT = new ConcurrentHashMap<>();
  private static final String GROUP = "spark.jobGroup.id";

  private final Map<String, long[]> byGroup = new ConcurrentHashMap<>();
  private final Map<Integer, Started> running = new ConcurrentHashMap<>();

  private record Started(String group, long at) {}

  private JobClock() {}

  /** The clock of a context, registering it on first use. */
  public static JobClock of(SparkContext sc) {
    return BY_CONTEXT.computeIfAbsent(sc, k -> {
      JobClock c = new JobClock();
      k.addSparkListener(c);
      return c;
    });
  }

  /** Starts counting the jobs of a group. */
  public void start(String group) {
    byGroup.put(group, new long[2]);
  }

  /**
   * The group's {jobs, milliseconds in jobs} so far, and stops counting it. Jobs end on the
   * listener bus shortly after the action returns, so a few milliseconds may be missing.
   */
  public long[] finish(String group) {
    long[] v = byGroup.remove(group);
    return v == null ? new long[2] : v.clone();
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    String g = e.properties() == null ? null : e.properties().getProperty(GROUP);
    if (g != null && byGroup.containsKey(g)) {
      running.put(e.jobId(), new Started(g, e.time()));
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    Started s = running.remove(e.jobId());
    if (s != null) {
      long[] v = byGroup.get(s.group());
      if (v != null) {
        synchronized (v) {
          v[0]++;
          v[1] += Math.max(0, e.time() - s.at());
        }
      }
    }
  }
}
