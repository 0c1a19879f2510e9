package io.idw.linkage.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall seconds per named phase of a job, in order (each lap ends the phase that was running). */
public final class PhaseClock {
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private long last = System.nanoTime();

  /** Ends the running phase and records it under {@code name} (added to any earlier lap of that name). */
  public void lap(String name) {
    long now = System.nanoTime();
    seconds.merge(name, Math.round((now - last) / 1e7) / 100.0, Double::sum);
    last = now;
  }

  /** The phases so far, in order. */
  public Map<String, Double> seconds() {
    return new LinkedHashMap<>(seconds);
  }
}
