package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdwException;
import org.junit.jupiter.api.Test;

class ItsSpecTest {

  @Test
  void yamlAndJsonOfTheSameSpecShareTheirHash() {
    ItsSpec json = ItsSpec.read(ItsTestData.resource("sicily_quasipoisson.json"));
    ItsSpec yaml = ItsSpec.parse("""
        name: sicily_quasipoisson
        description: Lopez Bernal et al. 2017, Sicily smoking ban, quasi-Poisson model
        columns: {outcome: aces, year: year, month: month, population: stdpop}
        interruption: 2005-01
        transitionMonths: 0
        model: {family: quasi-poisson, harmonics: 0}
        """, "test");
    assertThat(yaml).isEqualTo(json);
    assertThat(yaml.sha256()).isEqualTo(json.sha256()).hasSize(64);
  }

  @Test
  void canonicalJsonRoundTrips() {
    for (String f : new String[] {"sicily_poisson.yaml", "sicily_quasipoisson.json", "sicily_quasipoisson_harmonic2.yaml"}) {
      ItsSpec s = ItsSpec.read(ItsTestData.resource(f));
      ItsSpec again = ItsSpec.parse(s.toJson(), "round trip");
      assertThat(again).isEqualTo(s);
      assertThat(again.toJson()).isEqualTo(s.toJson());
    }
  }

  @Test
  void defaultsAreFilledIn() {
    ItsSpec s = ItsSpec.parse("""
        name: x
        columns: {period: m, outcome: y, population: p}
        interruption: 2020-01
        model: {family: ols}
        """, "test");
    assertThat(s.transitionMonths()).isZero();
    assertThat(s.model().neweyWest().lag()).isEqualTo(3);
    assertThat(s.model().neweyWest().smallSampleAdjustment()).isTrue();
    assertThat(s.model().ratePer()).isEqualTo(100_000d);
    assertThat(s.controlled()).isFalse();
  }

  @Test
  void errorsNameTheFieldAndTheFix() {
    assertInvalid("""
        name: x
        columns: {period: m, outcome: y}
        interruption: 2020-01
        model: {family: poisson, harmonics: 6}
        """, "model.harmonics", "0 to 5");
    assertInvalid("""
        name: x
        columns: {period: m, outcome: y}
        interruption: 2020-01
        model: {family: negbin}
        """, "model.family", "poisson, quasi_poisson or ols");
    assertInvalid("""
        name: x
        columns: {period: m, outcome: y}
        interruption: 2020-01
        comparison: {intervention: a, control: b}
        model: {family: poisson}
        """, "columns.group", "add columns.group");
    assertInvalid("""
        name: x
        columns: {period: m, year: y, month: mm, outcome: y}
        interruption: 2020-01
        model: {family: poisson}
        """, "columns.period", "either period");
    assertInvalid("""
        name: x
        columns: {period: m, outcome: y}
        interruption: 2020-01
        model: {family: poisson, neweyWest: {lag: 2}}
        """, "model.neweyWest", "family: ols");
    assertInvalid("""
        name: x
        columns: {period: m, outcome: y}
        interruption: 2020-01
        model: {family: ols}
        """, "columns.population", "map columns.population");
    assertInvalid("""
        name: x
        columns: {period: m, outcome: y}
        interruption: 2020-01
        lag: 3
        model: {family: poisson}
        """, "'lag'", "is not a known key");
  }

  private static void assertInvalid(String yaml, String field, String fixFragment) {
    assertThatThrownBy(() -> ItsSpec.parse(yaml, "spec.yaml"))
        .isInstanceOf(IdwException.class)
        .satisfies(e -> {
          IdwException ie = (IdwException) e;
          assertThat(ie.code()).isEqualTo("core.spec.invalid");
          assertThat(ie.getMessage()).contains("spec.yaml").contains(field).contains(fixFragment);
        });
  }
}
