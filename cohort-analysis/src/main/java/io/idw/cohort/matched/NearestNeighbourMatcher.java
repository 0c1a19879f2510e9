package io.idw.cohort.matched;

import io.idw.cohort.matched.internal.IntSort;

/**
 * Greedy nearest-neighbour matching on a distance, following R MatchIt's {@code method =
 * "nearest"} defaults, in exact strata. Plain Java on arrays: units are indexed 0..n−1 in data
 * order.
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>Treated units are taken in descending distance ({@code m.order = "largest"}), by a stable
 *       sort, so treated units with equal distances keep data order.</li>
 *   <li>For k:1, the first control of every treated unit is found before any second control
 *       (MatchIt's rounds {@code r = 1..ratio}).</li>
 *   <li>Each treated unit takes the closest unmatched control in its exact stratum. Without
 *       replacement a control is used once; with replacement controls are reused, but a treated
 *       unit never takes the same control twice.</li>
 *   <li>Ties: at equal distance |d<sub>t</sub> − d<sub>c</sub>| the control with the lower
 *       distance value wins (MatchIt's preference); among controls with the same distance value,
 *       the one earlier in data order wins.</li>
 *   <li>Caliper: a control is admissible when |d<sub>t</sub> − d<sub>c</sub>| ≤ caliper width
 *       (width = caliper × SD of the distance over all units, n−1 denominator, computed by the
 *       caller). Treated units with no admissible control in round 1 are unmatched and reported,
 *       with the reason; in later rounds they simply get fewer controls.</li>
 * </ol>
 *
 * Weights follow MatchIt for the ATT: treated units 1; a control gets Σ 1/k<sub>t</sub> over the
 * treated units t it is matched to (k<sub>t</sub> = that unit's number of controls), then control
 * weights are scaled to sum to the number of distinct matched controls.
 */
public final class NearestNeighbourMatcher {
  private NearestNeighbourMatcher() {}

  /** Why a treated unit stayed unmatched. */
  public enum Unmatched {
    /** Its exact stratum has no (unused) control at all. */
    NO_CONTROL_IN_STRATUM,
    /** Controls exist in its stratum but none within the caliper. */
    OUTSIDE_CALIPER
  }

  /**
   * The matching: for each treated unit (by index) its controls in the order found, the subclass
   * (matched set, numbered 1.. in the order treated units were matched, or 0), and weights.
   */
  public record Result(int[][] controlsOf, int[] subclass, double[] weight, Unmatched[] unmatched,
      int matchedTreated, int matchedControls) {

    /** The indices of units in the matched sample (weight > 0), in data order. */
    public int[] matchedUnits() {
      return java.util.stream.IntStream.range(0, weight.length).filter(i -> weight[i] > 0).toArray();
    }
  }

  /**
   * Matches.
   *
   * @param distance the distance of every unit (propensity or its logit)
   * @param treated whether each unit is treated
   * @param stratum each unit's exact stratum (any ints; all 0 when there are no exact variables)
   * @param ratio k controls per treated unit
   * @param caliperWidth the caliper on the distance scale, or {@code Double.POSITIVE_INFINITY}
   * @param replacement whether controls may be reused
   */
  public static Result match(double[] distance, boolean[] treated, int[] stratum, int ratio,
      double caliperWidth, boolean replacement) {
    int n = distance.length;
    if (treated.length != n || stratum.length != n) {
      throw new IllegalArgumentException("arrays differ in length");
    }
    // Controls sorted by (stratum, distance, data order): each stratum is a contiguous block.
    int[] ctl = java.util.stream.IntStream.range(0, n).filter(i -> !treated[i]).toArray();
    IntSort.sort(ctl, (a, b) -> {
      int c = Integer.compare(stratum[a], stratum[b]);
      if (c != 0) {
        return c;
      }
      c = Double.compare(distance[a], distance[b]);
      return c != 0 ? c : Integer.compare(a, b);
    });
    int m = ctl.length;
    double[] cd = new double[m];
    int[] groupStart = new int[m];
    for (int j = 0; j < m; j++) {
      cd[j] = distance[ctl[j]];
      boolean sameGroup = j > 0 && stratum[ctl[j - 1]] == stratum[ctl[j]] && cd[j - 1] == cd[j];
      groupStart[j] = sameGroup ? groupStart[j - 1] : j;
    }
    java.util.Map<Integer, int[]> blocks = new java.util.HashMap<>();
    for (int j = 0; j < m; j++) {
      int s = stratum[ctl[j]];
      int[] b = blocks.get(s);
      if (b == null) {
        blocks.put(s, new int[] {j, j + 1});
      } else {
        b[1] = j + 1;
      }
    }
    Avail avail = new Avail(m);

    int[] tOrder = java.util.stream.IntStream.range(0, n).filter(i -> treated[i]).toArray();
    IntSort.sort(tOrder, (a, b) -> Double.compare(distance[b], distance[a])); // stable: ties keep data order

    int[][] found = new int[tOrder.length][ratio]; // sorted positions of each treated unit's controls
    int[] nFound = new int[tOrder.length];
    Unmatched[] unmatched = new Unmatched[n];
    for (int r = 0; r < ratio; r++) {
      for (int ti = 0; ti < tOrder.length; ti++) {
        int t = tOrder[ti];
        if (r > 0 && nFound[ti] == 0) {
          continue; // unmatched in round 1: stays unmatched
        }
        int[] block = blocks.get(stratum[t]);
        int pick = block == null ? -1
            : nearest(distance[t], block[0], block[1], cd, groupStart, avail, replacement, found[ti], nFound[ti]);
        if (pick >= 0 && Math.abs(distance[t] - cd[pick]) > caliperWidth) {
          if (r == 0) {
            unmatched[t] = Unmatched.OUTSIDE_CALIPER;
          }
          continue;
        }
        if (pick < 0) {
          if (r == 0) {
            unmatched[t] = Unmatched.NO_CONTROL_IN_STRATUM;
          }
          continue;
        }
        found[ti][nFound[ti]++] = pick;
        if (!replacement) {
          avail.remove(pick);
        }
      }
    }

    int[][] controlsOf = new int[n][];
    int[] subclass = new int[n];
    double[] weight = new double[n];
    int sc = 0;
    int matchedTreated = 0;
    for (int ti = 0; ti < tOrder.length; ti++) {
      int t = tOrder[ti];
      int nf = nFound[ti];
      controlsOf[t] = new int[nf];
      if (nf == 0) {
        continue;
      }
      matchedTreated++;
      sc++;
      weight[t] = 1.0;
      if (!replacement) {
        subclass[t] = sc;
      }
      for (int k = 0; k < nf; k++) {
        int c = ctl[found[ti][k]];
        controlsOf[t][k] = c;
        weight[c] += 1.0 / nf;
        if (!replacement) {
          subclass[c] = sc;
        }
      }
    }
    double sumControlWeight = 0;
    int distinctControls = 0;
    for (int i = 0; i < n; i++) {
      if (!treated[i] && weight[i] > 0) {
        sumControlWeight += weight[i];
        distinctControls++;
      }
    }
    if (distinctControls > 0) {
      double scale = distinctControls / sumControlWeight;
      for (int i = 0; i < n; i++) {
        if (!treated[i]) {
          weight[i] *= scale;
        }
      }
    }
    return new Result(controlsOf, subclass, weight, unmatched, matchedTreated, distinctControls);
  }

  /** The position (in the sorted control array) of the nearest admissible control, or −1. */
  private static int nearest(double d, int lo, int hi, double[] cd, int[] groupStart, Avail avail,
      boolean replacement, int[] already, int nAlready) {
    // first position in [lo, hi) with cd >= d
    int p = lowerBound(cd, lo, hi, d);
    int l = p - 1 >= lo ? candidateLeft(p - 1, lo, cd, groupStart, avail, replacement, already, nAlready) : -1;
    int r = p < hi ? candidateRight(p, hi, avail, replacement, already, nAlready) : -1;
    if (l < 0 || r < 0) {
      return l < 0 ? r : l;
    }
    // equal distance: the lower distance value (left) wins
    return Math.abs(d - cd[l]) <= Math.abs(cd[r] - d) ? l : r;
  }

  /** The first admissible position at or after {@code from}, earliest data order among equals. */
  private static int candidateRight(int from, int hi, Avail avail, boolean replacement, int[] already, int nAlready) {
    int j = replacement ? from : avail.next(from);
    while (j < hi && j >= 0 && contains(already, nAlready, j)) {
      j = replacement ? j + 1 : avail.next(j + 1);
    }
    return j >= 0 && j < hi ? j : -1;
  }

  /**
   * The admissible position with the largest distance value at or before {@code from}, and among
   * controls sharing that value the earliest in data order.
   */
  private static int candidateLeft(int from, int lo, double[] cd, int[] groupStart, Avail avail,
      boolean replacement, int[] already, int nAlready) {
    int j = from;
    while (j >= lo) {
      int last = replacement ? j : avail.prev(j);
      if (last < lo) {
        return -1;
      }
      // scan the group of equal values forwards from its start for the first admissible one
      int g = Math.max(groupStart[last], lo);
      int k = replacement ? g : avail.next(g);
      while (k <= last && contains(already, nAlready, k)) {
        k = replacement ? k + 1 : avail.next(k + 1);
      }
      if (k <= last) {
        return k;
      }
      j = g - 1;
    }
    return -1;
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  private static int lowerBound(double[] a, int lo, int hi, double key) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Which sorted positions are still unused: next/previous available with path compression. */
  private static final class Avail {
    private final int[] nxt;
    private final int[] prv;

    Avail(int m) {
      nxt = new int[m + 1];
      prv = new int[m + 1];
      for (int i = 0; i <= m; i++) {
        nxt[i] = i;
        prv[i] = i;
      }
    }

    /** The first unused position ≥ i (m if none). */
    int next(int i) {
      int r = i;
      while (nxt[r] != r) {
        r = nxt[r];
      }
      while (nxt[i] != r) {
        int t = nxt[i];
        nxt[i] = r;
        i = t;
      }
      return r;
    }

    /** The last unused position ≤ i (−1 if none). */
    int prev(int i) {
      if (i < 0) {
        return -1;
      }
      // prv is shifted by one so that −1 maps to 0
      int x = i + 1;
      int r = x;
      while (prv[r] != r) {
        r = prv[r];
      }
      while (prv[x] != r) {
        int t = prv[x];
        prv[x] = r;
        x = t;
      }
      return r - 1;
    }

    void remove(int i) {
      nxt[i] = i + 1;
      prv[i + 1] = i;
    }
  }
}
