package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.cohort.its.internal.Harmonics;
import org.junit.jupiter.api.Test;

class HarmonicsTest {

  @Test
  void termsAreSinAndCosOfTheCalendarMonthAtFrequencies1ToK() {
    assertThat(Harmonics.names(2)).containsExactly("sin1", "cos1", "sin2", "cos2");
    // March: angle 2π·3/12 = π/2 for j = 1 and π for j = 2
    double[] march = Harmonics.terms(3, 2);
    assertThat(march[0]).isCloseTo(1.0, within(1e-15));
    assertThat(march[1]).isCloseTo(0.0, within(1e-15));
    assertThat(march[2]).isCloseTo(0.0, within(1e-15));
    assertThat(march[3]).isCloseTo(-1.0, within(1e-15));
    // January, j = 3: angle π/2
    double[] jan = Harmonics.terms(1, 3);
    assertThat(jan[4]).isCloseTo(1.0, within(1e-15));
    assertThat(jan[5]).isCloseTo(0.0, within(1e-15));
    // December is angle 2πj: sin 0, cos 1
    double[] dec = Harmonics.terms(12, 5);
    for (int j = 0; j < 5; j++) {
      assertThat(dec[2 * j]).isCloseTo(0.0, within(1e-12));
      assertThat(dec[2 * j + 1]).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void termsAreOrthogonalOverAYear() {
    int k = 5;
    double[][] rows = new double[12][];
    for (int m = 1; m <= 12; m++) {
      rows[m - 1] = Harmonics.terms(m, k);
    }
    for (int a = 0; a < 2 * k; a++) {
      double mean = 0;
      for (double[] r : rows) {
        mean += r[a];
      }
      assertThat(mean).as("term %d sums to 0 over a year", a).isCloseTo(0, within(1e-12));
      for (int b = 0; b < 2 * k; b++) {
        double s = 0;
        for (double[] r : rows) {
          s += r[a] * r[b];
        }
        // Σ sin² = Σ cos² = 12/2 for frequencies below the Nyquist 6; cross products vanish.
        assertThat(s).as("<%d,%d>", a, b).isCloseTo(a == b ? 6.0 : 0.0, within(1e-12));
      }
    }
  }

  @Test
  void noHarmonicsGiveNoTerms() {
    assertThat(Harmonics.terms(7, 0)).isEmpty();
  }
}
