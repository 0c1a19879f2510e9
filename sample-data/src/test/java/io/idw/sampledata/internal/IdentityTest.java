package io.idw.sampledata.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdentityTest {

  @Test
  void mod11MatchesThePublishedExample() {
    // 943 476 5919 is the NHS's own worked example of a valid number
    assertThat(NhsNumbers.isValid("9434765919")).isTrue();
    assertThat(NhsNumbers.checkDigit(943476591L)).isEqualTo(9);
    assertThat(NhsNumbers.isValid("9434765918")).isFalse();
    assertThat(NhsNumbers.isValid("943476591")).isFalse();
    assertThat(NhsNumbers.isValid("943 476 5919")).isFalse();
  }

  @Test
  void personNumbersAreValidUniqueAndInTheTestRange() {
    Set<String> seen = new HashSet<>();
    for (long i = 0; i < 50_000; i++) {
      String n = NhsNumbers.forPerson(11, i);
      assertThat(NhsNumbers.isValid(n)).as(n).isTrue();
      assertThat(n).startsWith("999").isNotEqualTo("9999999999");
      assertThat(seen.add(n)).as("duplicate %s", n).isTrue();
    }
    // the numbers depend on the seed, and past the 999 range continue in 998
    assertThat(NhsNumbers.forPerson(12, 0)).isNotEqualTo(NhsNumbers.forPerson(11, 0));
    String beyond = NhsNumbers.forPerson(11, NhsNumbers.PER_PREFIX);
    assertThat(beyond).startsWith("998");
    assertThat(NhsNumbers.isValid(beyond)).isTrue();
  }

  @Test
  void aBadCheckDigitAlwaysFailsMod11() {
    for (long i = 0; i < 2000; i++) {
      String n = NhsNumbers.forPerson(3, i);
      for (int d = 0; d < 9; d++) {
        assertThat(NhsNumbers.isValid(NhsNumbers.withBadCheckDigit(n, d))).isFalse();
      }
    }
  }

  @Test
  void typosChangeTheNameAndNicknamesAreKnown() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 2000; i++) {
      String name = Names.surname(r);
      assertThat(Names.typo(r, name)).isNotEqualTo(name);
    }
    assertThat(Names.nickname("William")).isEqualTo("Bill");
    assertThat(Names.nickname("Elizabeth")).isEqualTo("Liz");
  }

  @Test
  void surnameFrequenciesAreRealistic() {
    SplittableRandom r = new SplittableRandom(9);
    int n = 200_000;
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(Names.surname(r), 1, Integer::sum);
    }
    // ONS: Smith is the commonest surname in England and Wales, about 1.26% of people
    String top = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(top).isEqualTo("Smith");
    assertThat(counts.get("Smith") / (double) n).isBetween(0.0110, 0.0142);
    // and a long tail: more than a thousand distinct surnames, none of the tail as common as Smith
    assertThat(counts).hasSizeGreaterThan(1000);
  }
}
