package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.cohort.matched.NearestNeighbourMatcher.Result;
import io.idw.cohort.matched.NearestNeighbourMatcher.Unmatched;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-worked cases for the greedy matcher's order, ties, caliper, ratio and weights. */
class NearestNeighbourMatcherTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static boolean[] t(int... flags) {
    boolean[] b = new boolean[flags.length];
    for (int i = 0; i < flags.length; i++) {
      b[i] = flags[i] == 1;
    }
    return b;
  }

  @Test
  void treatedGoInDescendingOrderAndTakeTheClosestFreeControl() {
    // units: 0 treated .7, 1 treated .8, 2 control .75, 3 control .5
    Result r = NearestNeighbourMatcher.match(new double[] {.7, .8, .75, .5}, t(1, 1, 0, 0), new int[4], 1, INF, false);
    // unit 1 (.8) goes first and takes .75 although .75 is closer to .7's... then unit 0 gets .5
    assertThat(r.controlsOf()[1]).containsExactly(2);
    assertThat(r.controlsOf()[0]).containsExactly(3);
    assertThat(r.subclass()[1]).isEqualTo(1);
    assertThat(r.subclass()[2]).isEqualTo(1);
    assertThat(r.subclass()[0]).isEqualTo(2);
    assertThat(r.subclass()[3]).isEqualTo(2);
  }

  @Test
  void equalDistanceGoesToTheLowerScore() {
    // treated .5; controls .75 (unit 1) and .25 (unit 2) are both exactly .25 away
    Result r = NearestNeighbourMatcher.match(new double[] {.5, .75, .25}, t(1, 0, 0), new int[3], 1, INF, false);
    assertThat(r.controlsOf()[0]).containsExactly(2);
  }

  @Test
  void equalControlScoresGoToTheEarlierInDataOrder() {
    // two controls share .25 (units 1 and 3); on either side of the treated unit
    Result r = NearestNeighbourMatcher.match(new double[] {.5, .25, .875, .25}, t(1, 0, 0, 0), new int[4], 1, INF, false);
    assertThat(r.controlsOf()[0]).containsExactly(1);
    Result right = NearestNeighbourMatcher.match(new double[] {.125, .375, .875, .375}, t(1, 0, 0, 0), new int[4], 1, INF, false);
    assertThat(right.controlsOf()[0]).containsExactly(1);
  }

  @Test
  void equalTreatedScoresKeepDataOrder() {
    // treated units 0 and 2 both .5, a single control: the earlier treated unit gets it
    Result r = NearestNeighbourMatcher.match(new double[] {.5, .5, .5}, t(1, 0, 1), new int[3], 1, INF, false);
    assertThat(r.controlsOf()[0]).containsExactly(1);
    assertThat(r.controlsOf()[2]).isEmpty();
    assertThat(r.unmatched()[2]).isEqualTo(Unmatched.NO_CONTROL_IN_STRATUM);
  }

  @Test
  void caliperExcludesAndIsInclusiveAtItsWidth() {
    // width .25: unit 0 (.5) to control .75 is exactly .25 away: admitted; unit 1 (.9) has only .25 left
    Result r = NearestNeighbourMatcher.match(new double[] {.5, .875, .75, .25}, t(1, 1, 0, 0), new int[4], 1, .25, false);
    // unit 1 goes first: nearest free is .75 (.125 away), admitted
    assertThat(r.controlsOf()[1]).containsExactly(2);
    // unit 0 then has .25 at distance .25: admitted (|d| <= width)
    assertThat(r.controlsOf()[0]).containsExactly(3);
    Result tight = NearestNeighbourMatcher.match(new double[] {.5, .875, .75, .25}, t(1, 1, 0, 0), new int[4], 1, .125, false);
    assertThat(tight.controlsOf()[1]).containsExactly(2);
    assertThat(tight.controlsOf()[0]).isEmpty();
    assertThat(tight.unmatched()[0]).isEqualTo(Unmatched.OUTSIDE_CALIPER);
    assertThat(tight.matchedTreated()).isEqualTo(1);
    assertThat(tight.weight()[3]).isZero();
  }

  @Test
  void exactStrataNeverMix() {
    // treated .5 in stratum 1; control .5 in stratum 2 and .1 in stratum 1
    Result r = NearestNeighbourMatcher.match(new double[] {.5, .5, .1, .6}, t(1, 0, 0, 1), new int[] {1, 2, 1, 3}, 1,
        INF, false);
    assertThat(r.controlsOf()[0]).containsExactly(2);
    assertThat(r.unmatched()[3]).isEqualTo(Unmatched.NO_CONTROL_IN_STRATUM);
  }

  @Test
  void ratioTwoMatchesInRoundsAndWeightsFollowMatchIt() {
    // treated A=.8 (unit 0), B=.6 (unit 1); controls .79, .61, .7, .1 (units 2..5); caliper .3
    Result r = NearestNeighbourMatcher.match(new double[] {.8, .6, .79, .61, .7, .1}, t(1, 1, 0, 0, 0, 0),
        new int[6], 2, .3, false);
    // round 1: A takes .79, B takes .61; round 2: A takes .7 (.1 away), B's only free one (.1) is .5 away
    assertThat(r.controlsOf()[0]).containsExactly(2, 4);
    assertThat(r.controlsOf()[1]).containsExactly(3);
    // weights: A's controls 1/2 each, B's control 1; rescaled to sum to the 3 distinct controls
    double scale = 3 / (0.5 + 0.5 + 1.0);
    assertThat(r.weight()[2]).isEqualTo(0.5 * scale);
    assertThat(r.weight()[4]).isEqualTo(0.5 * scale);
    assertThat(r.weight()[3]).isEqualTo(1.0 * scale);
    assertThat(r.weight()[5]).isZero();
    assertThat(r.weight()[0]).isEqualTo(1.0);
    assertThat(r.matchedControls()).isEqualTo(3);
  }

  @Test
  void withReplacementControlsAreReusedButNotTwiceBySameTreated() {
    Result r = NearestNeighbourMatcher.match(new double[] {.5, .5, .5, .2}, t(1, 1, 0, 0), new int[4], 2, INF, true);
    assertThat(r.controlsOf()[0]).containsExactly(2, 3);
    assertThat(r.controlsOf()[1]).containsExactly(2, 3);
    assertThat(r.subclass()).containsOnly(0);
    // each control: 1/2 + 1/2 = 1; sum 2 over 2 distinct controls: scale 1
    assertThat(r.weight()[2]).isEqualTo(1.0);
    assertThat(r.weight()[3]).isEqualTo(1.0);
  }

  /** A direct O(n²) transcription of the documented rules, to compare the fast matcher with. */
  private static int[][] bruteForce(double[] d, boolean[] tr, int[] st, int ratio, double width, boolean repl) {
    int n = d.length;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (tr[i]) {
        order.add(i);
      }
    }
    order.sort((a, b) -> Double.compare(d[b], d[a]));
    boolean[] used = new boolean[n];
    List<List<Integer>> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      got.add(new ArrayList<>());
    }
    for (int r = 0; r < ratio; r++) {
      for (int t : order) {
        if (r > 0 && got.get(t).isEmpty()) {
          continue;
        }
        int best = -1;
        for (int c = 0; c < n; c++) {
          if (tr[c] || st[c] != st[t] || (!repl && used[c]) || got.get(t).contains(c)) {
            continue;
          }
          if (best < 0) {
            best = c;
            continue;
          }
          double dc = Math.abs(d[t] - d[c]);
          double db = Math.abs(d[t] - d[best]);
          if (dc < db || (dc == db && (d[c] < d[best] || (d[c] == d[best] && c < best)))) {
            best = c;
          }
        }
        if (best >= 0 && Math.abs(d[t] - d[best]) <= width) {
          got.get(t).add(best);
          used[best] = true;
        }
      }
    }
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = got.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  @Test
  void agreesWithABruteForceTranscriptionOnRandomTiedData() {
    Random rnd = new Random(7);
    for (int rep = 0; rep < 300; rep++) {
      int n = 5 + rnd.nextInt(60);
      double[] d = new double[n];
      boolean[] tr = new boolean[n];
      int[] st = new int[n];
      for (int i = 0; i < n; i++) {
        d[i] = rnd.nextInt(16) / 16.0; // coarse grid: many exact ties
        tr[i] = rnd.nextDouble() < 0.35;
        st[i] = rnd.nextInt(1 + rep % 3);
      }
      int ratio = 1 + rep % 3;
      double width = rep % 4 == 0 ? INF : (1 + rnd.nextInt(4)) / 16.0;
      boolean repl = rep % 5 == 0;
      Result fast = NearestNeighbourMatcher.match(d, tr, st, ratio, width, repl);
      int[][] slow = bruteForce(d, tr, st, ratio, width, repl);
      for (int i = 0; i < n; i++) {
        if (tr[i]) {
          assertThat(fast.controlsOf()[i]).as("rep %d unit %d", rep, i).containsExactly(slow[i]);
        }
      }
    }
  }

  @Test
  void isDeterministic() {
    Random rnd = new Random(11);
    int n = 5000;
    double[] d = new double[n];
    boolean[] tr = new boolean[n];
    int[] st = new int[n];
    for (int i = 0; i < n; i++) {
      d[i] = Math.round(rnd.nextDouble() * 200) / 200.0;
      tr[i] = rnd.nextDouble() < 0.2;
      st[i] = rnd.nextInt(4);
    }
    Result a = NearestNeighbourMatcher.match(d, tr, st, 2, 0.01, false);
    Result b = NearestNeighbourMatcher.match(d.clone(), tr.clone(), st.clone(), 2, 0.01, false);
    assertThat(Arrays.deepEquals(a.controlsOf(), b.controlsOf())).isTrue();
    assertThat(a.weight()).containsExactly(b.weight());
    assertThat(a.subclass()).containsExactly(b.subclass());
  }
}
