package io.idw.sampledata.internal;

import java.util.SplittableRandom;

/**
 * Seeded randomness. Every random stream is keyed by (seed, person index, stream id), so a
 * person's records do not depend on which task generates them or on any other person.
 */
public final class Rand {
  private Rand() {}

  /** The SplitMix64 finaliser: a bijection on 64-bit values with good avalanche. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A hash of several values. */
  public static long hash(long a, long b, long c) {
    return mix(mix(mix(a + 0x9e3779b97f4a7c15L) ^ b) + 0x632be59bd9b4e019L ^ c);
  }

  /** A fresh random stream for (seed, entity, stream). */
  public static SplittableRandom stream(long seed, long entity, long stream) {
    return new SplittableRandom(hash(seed, entity, stream));
  }

  /** A Poisson draw by inversion (fast for the small means used here). */
  public static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian(r)));
    }
    double l = Math.exp(-mean);
    double p = l;
    double u = r.nextDouble();
    int k = 0;
    while (u > p) {
      k++;
      l *= mean / k;
      p += l;
      if (k > 200) {
        break;
      }
    }
    return k;
  }

  public static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-300))) * Math.cos(2 * Math.PI * u2);
  }

  /** A gamma draw with the given shape and scale (Marsaglia-Tsang, shape >= 1). */
  public static double gamma(SplittableRandom r, double shape, double scale) {
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = gaussian(r);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = r.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v * scale;
      }
    }
  }

  /** An index drawn from cumulative weights (last value is the total). */
  public static int pick(SplittableRandom r, double[] cumulative) {
    double u = r.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Cumulative sums of weights. */
  public static double[] cumulative(double[] weights) {
    double[] c = new double[weights.length];
    double s = 0;
    for (int i = 0; i < weights.length; i++) {
      s += weights[i];
      c[i] = s;
    }
    return c;
  }

  public static <T> T pick(SplittableRandom r, T[] items) {
    return items[r.nextInt(items.length)];
  }
}
