package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Effects and robust SEs against R ({@code lm}/{@code glm} + {@code sandwich}): the reference
 * values in {@code matched/r_reference.json} were computed by {@code matched/reference.R}.
 */
class EffectsTest {
  static final Path DIR = Path.of("src/test/resources/matched");

  static JsonNode reference() throws IOException {
    return IdwMappers.json().readTree(DIR.resolve("r_reference.json").toFile());
  }

  static List<String[]> csv(String name) throws IOException {
    List<String> lines = Files.readAllLines(DIR.resolve(name));
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
  }

  @Test
  void matchedEffectsAgreeWithSandwichVcovCL() throws IOException {
    JsonNode ref = reference();
    List<String[]> rows = csv("effects_data.csv");
    int n = rows.size();
    double[] y = new double[n];
    boolean[] t = new boolean[n];
    int[] sub = new int[n];
    double[] off = new double[n];
    Map<Integer, Integer> controlsInSet = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String[] r = rows.get(i);
      sub[i] = Integer.parseInt(r[0]);
      t[i] = r[1].equals("1");
      y[i] = Double.parseDouble(r[2]);
      off[i] = Math.log(Double.parseDouble(r[3]));
      if (!t[i]) {
        controlsInSet.merge(sub[i], 1, Integer::sum);
      }
    }
    // MatchIt ATT weights: 1/k per control of a set, rescaled to sum to the number of controls
    double[] w = new double[n];
    double sum = 0;
    int controls = 0;
    for (int i = 0; i < n; i++) {
      w[i] = t[i] ? 1 : 1.0 / controlsInSet.get(sub[i]);
      if (!t[i]) {
        sum += w[i];
        controls++;
      }
    }
    for (int i = 0; i < n; i++) {
      if (!t[i]) {
        w[i] *= controls / sum;
      }
    }
    Effects.Estimate d = Effects.differenceInMeans(y, t, w, sub);
    assertThat(d.estimate()).isCloseTo(ref.get("matched_diff").asDouble(), within(1e-12));
    assertThat(d.se()).isCloseTo(ref.get("matched_diff_se_vcovCL").asDouble(), within(1e-10));
    assertThat(Effects.differenceInMeans(y, t, w, null).se())
        .isCloseTo(ref.get("matched_diff_se_hc3").asDouble(), within(1e-10));

    double[] beta = Effects.poissonClosedForm(y, t, w, off);
    assertThat(beta[0]).isCloseTo(ref.get("matched_log_rr_intercept").asDouble(), within(1e-8));
    assertThat(beta[1]).isCloseTo(ref.get("matched_log_rr").asDouble(), within(1e-8));
    Effects.Estimate rr = Effects.poissonRateRatio(y, t, w, off, beta, sub);
    assertThat(Math.log(rr.estimate())).isCloseTo(ref.get("matched_log_rr").asDouble(), within(1e-8));
    assertThat(rr.se()).isCloseTo(ref.get("matched_log_rr_se_vcovCL").asDouble(), within(1e-8));
    assertThat(Effects.poissonRateRatio(y, t, w, off, beta, null).se())
        .isCloseTo(ref.get("matched_log_rr_se_hc0").asDouble(), within(1e-8));
    // Wald CI on the log scale with z = 1.959964
    assertThat(rr.ciLow()).isCloseTo(Math.exp(Math.log(rr.estimate()) - 1.959963984540054 * rr.se()), within(1e-12));
  }

  @Test
  void naiveEffectsFromSumsAgreeWithSandwichVcovHC() throws IOException {
    JsonNode ref = reference();
    double[][] g = new double[2][6];
    for (String[] r : csv("ps_data.csv")) {
      int tr = Integer.parseInt(r[6]);
      double yy = Double.parseDouble(r[7]);
      double e = Double.parseDouble(r[8]);
      double[] s = g[tr];
      s[0] += 1;
      s[1] += yy;
      s[2] += yy * yy;
      s[3] += e;
      s[4] += yy * e;
      s[5] += e * e;
    }
    MatchedCohortResult.OutcomeEffects naive = Effects.naive(g[1], g[0]);
    assertThat(naive.differenceInMeans().estimate()).isCloseTo(ref.get("naive_diff").asDouble(), within(1e-12));
    assertThat(naive.differenceInMeans().se()).isCloseTo(ref.get("naive_diff_se_hc1").asDouble(), within(1e-10));
    assertThat(Math.log(naive.rateRatio().estimate())).isCloseTo(ref.get("naive_log_rr").asDouble(), within(1e-8));
    assertThat(naive.rateRatio().se()).isCloseTo(ref.get("naive_log_rr_se_hc0").asDouble(), within(1e-8));
  }
}
