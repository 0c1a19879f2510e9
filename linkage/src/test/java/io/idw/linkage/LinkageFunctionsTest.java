package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dice on Bloom filters against a BitSet computation, on random filters of assorted lengths. */
class LinkageFunctionsTest {

  @Test
  void diceEqualsTheBitSetDefinition() {
    Random rnd = new Random(5);
    for (int t = 0; t < 2000; t++) {
      int la = rnd.nextInt(140);
      int lb = rnd.nextBoolean() ? la : rnd.nextInt(140);
      byte[] a = new byte[la];
      byte[] b = new byte[lb];
      rnd.nextBytes(a);
      rnd.nextBytes(b);
      if (t % 7 == 0) {
        java.util.Arrays.fill(a, (byte) 0);
      }
      BitSet x = BitSet.valueOf(a);
      BitSet y = BitSet.valueOf(b);
      BitSet both = (BitSet) x.clone();
      both.and(y);
      int sum = x.cardinality() + y.cardinality();
      Double d = LinkageFunctions.dice(a, b);
      if (sum == 0) {
        assertThat(d).isNull();
      } else {
        assertThat(d).isCloseTo(2.0 * both.cardinality() / sum, within(1e-12));
      }
    }
    assertThat(LinkageFunctions.dice(null, new byte[8])).isNull();
  }
}
