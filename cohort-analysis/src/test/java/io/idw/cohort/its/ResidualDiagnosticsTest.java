package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.cohort.its.internal.ResidualDiagnostics;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResidualDiagnosticsTest {

  @Test
  void durbinWatsonOfAlternatingAndConstantResiduals() {
    // e = 1, −1, 1, −1: Σ(Δe)² = 3·4 = 12, Σe² = 4 → 3
    assertThat(ResidualDiagnostics.durbinWatson(new double[] {1, -1, 1, -1})).isCloseTo(3.0, within(1e-15));
    assertThat(ResidualDiagnostics.durbinWatson(new double[] {2, 2, 2})).isCloseTo(0.0, within(1e-15));
  }

  @Test
  void acfByHand() {
    // e = 1, 2, 3, 4: mean 2.5, deviations −1.5, −.5, .5, 1.5; c0 = 5; c1 = .75 − .25 + .75 = 1.25
    double[] r = ResidualDiagnostics.acf(new double[] {1, 2, 3, 4}, 2);
    assertThat(r[0]).isCloseTo(1.25 / 5, within(1e-15));
    // c2 = (−1.5)(.5) + (−.5)(1.5) = −1.5
    assertThat(r[1]).isCloseTo(-1.5 / 5, within(1e-15));
  }

  @Test
  void pacfOfAnAr1SeriesCutsOffAfterLagOne() {
    Random rnd = new Random(7);
    int n = 20000;
    double[] e = new double[n];
    for (int t = 1; t < n; t++) {
      e[t] = 0.6 * e[t - 1] + rnd.nextGaussian();
    }
    double[] acf = ResidualDiagnostics.acf(e, 3);
    double[] pacf = ResidualDiagnostics.pacf(e, 3);
    assertThat(pacf[0]).isCloseTo(acf[0], within(1e-12));
    assertThat(pacf[0]).isCloseTo(0.6, within(0.03));
    assertThat(pacf[1]).isCloseTo(0.0, within(0.03));
    assertThat(pacf[2]).isCloseTo(0.0, within(0.03));
    // lag 2 from the Durbin-Levinson formula written out: (r2 − r1²)/(1 − r1²)
    assertThat(pacf[1]).isCloseTo((acf[1] - acf[0] * acf[0]) / (1 - acf[0] * acf[0]), within(1e-12));
  }

  @Test
  void breuschGodfreyFlagsAutocorrelationAndNotWhiteNoise() {
    Random rnd = new Random(11);
    int n = 120;
    double[][] x = new double[n][1];
    double[] white = new double[n];
    double[] ar = new double[n];
    for (int t = 0; t < n; t++) {
      x[t][0] = t;
      white[t] = rnd.nextGaussian();
      ar[t] = (t > 0 ? 0.7 * ar[t - 1] : 0) + rnd.nextGaussian();
    }
    assertThat(ResidualDiagnostics.breuschGodfrey(white, x, 12).pValue()).isGreaterThan(0.05);
    assertThat(ResidualDiagnostics.breuschGodfrey(ar, x, 12).pValue()).isLessThan(0.001);
  }
}
