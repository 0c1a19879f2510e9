package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Balance arithmetic on small cases worked by hand (the working is in the comments). */
class BalanceTest {
  private static final boolean[] TREATED = {true, true, true, true, false, false, false};

  @Test
  void continuousCovariateBeforeAndAfter() {
    // treated 1,2,3,4: mean 2.5, var (2.25+.25+.25+2.25)/3 = 5/3; controls 2,4,6: mean 4, var 8/2 = 4
    double[] x = {1, 2, 3, 4, 2, 4, 6};
    // after: treated unit 4 unmatched; controls weighted 2, 1, 0
    double[] w = {1, 1, 1, 0, 2, 1, 0};
    Balance.Row row = Balance.row("age", false, x, TREATED, w);
    double s = Math.sqrt(5.0 / 3);
    assertThat(row.sdDenominator()).isCloseTo(s, within(1e-12));
    assertThat(row.before().meanTreated()).isCloseTo(2.5, within(1e-12));
    assertThat(row.before().meanControl()).isCloseTo(4.0, within(1e-12));
    assertThat(row.before().smd()).isCloseTo(-1.5 / s, within(1e-12));
    assertThat(row.before().varianceRatio()).isCloseTo((5.0 / 3) / 4, within(1e-12));
    assertThat(row.before().flag()).isTrue();
    // after: treated 1,2,3 mean 2 var 1; controls mean (2·2+4)/3 = 8/3,
    // Σw(x−m)² = 2·(4/9) + 16/9 = 8/3, Σw − Σw²/Σw = 3 − 5/3 = 4/3, var = 2
    assertThat(row.after().meanTreated()).isCloseTo(2.0, within(1e-12));
    assertThat(row.after().meanControl()).isCloseTo(8.0 / 3, within(1e-12));
    assertThat(row.after().smd()).isCloseTo((2 - 8.0 / 3) / s, within(1e-12)); // same denominator as before
    assertThat(row.after().varianceRatio()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void binaryCovariateUsesSqrtPQAndNoVarianceRatio() {
    // treated 1,1,0,0: p = .5, s = sqrt(.25) = .5; controls 1,0,0: 1/3
    double[] x = {1, 1, 0, 0, 1, 0, 0};
    double[] w = {1, 1, 1, 1, 1, 1, 1};
    Balance.Row row = Balance.row("female", true, x, TREATED, w);
    assertThat(row.sdDenominator()).isCloseTo(0.5, within(1e-12));
    assertThat(row.before().smd()).isCloseTo((0.5 - 1.0 / 3) / 0.5, within(1e-12));
    assertThat(row.before().varianceRatio()).isNull();
    assertThat(row.before().flag()).isTrue();
  }

  @Test
  void smallDifferencesAreNotFlagged() {
    // treated 0,10 (mean 5, sd sqrt(50)); controls 0,10.5 (mean 5.25): SMD .25/7.07 = .035
    double[] x = {0, 10, 0, 10.5};
    boolean[] t = {true, true, false, false};
    Balance.Row row = Balance.row("x", false, x, t, new double[] {1, 1, 1, 1});
    assertThat(row.before().smd()).isCloseTo(-0.25 / Math.sqrt(50), within(1e-12));
    assertThat(row.before().flag()).isFalse();
  }

  @Test
  void constantTreatedCovariateGivesNoSmdButAFlagWhenMeansDiffer() {
    // every treated unit has x = 1, so the SMD denominator is 0: the SMD is undefined (null) and
    // the covariate is flagged; where the controls also sit at 1, the SMD is 0 and not flagged
    double[] x = {1, 1, 1, 1, 0, 1, 0};
    double[] w = {1, 1, 1, 1, 1, 1, 1};
    Balance.Row row = Balance.row("always", true, x, TREATED, w);
    assertThat(row.sdDenominator()).isZero();
    assertThat(row.before().smd()).isNull();
    assertThat(row.before().flag()).isTrue();
    double[] matched = {1, 1, 1, 1, 0, 1, 0};
    Balance.Row same = Balance.row("always", true, new double[] {1, 1, 1, 1, 1, 1, 1}, TREATED, matched);
    assertThat(same.after().smd()).isZero();
    assertThat(same.after().flag()).isFalse();
  }
}
