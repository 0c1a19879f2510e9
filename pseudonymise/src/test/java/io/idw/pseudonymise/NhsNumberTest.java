package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NhsNumberTest {

  @ParameterizedTest
  @ValueSource(strings = {"943 476 5919", "9434765919", "943-476-5919", " 9434765919 ", "401 023 2137", "4010232137"})
  void validNumbers(String raw) {
    NhsNumber.Result r = NhsNumber.validate(raw);
    assertThat(r.status()).isEqualTo(NhsStatus.VALID);
    assertThat(r.normalised()).matches("\\d{10}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"943 476 5918", "123 456 7890", "4010232138"})
  void checkDigitFailures(String raw) {
    assertThat(NhsNumber.status(raw)).isEqualTo(NhsStatus.INVALID_CHECK_DIGIT);
  }

  @Test
  void everyRepeatedDigitNumberPassesMod11ButIsAPlaceholder() {
    for (int d = 0; d <= 9; d++) {
      String s = String.valueOf(d).repeat(10);
      // derive the check in the test: sum of d*(10..2) = 54d; check digit = (11 - 54d mod 11) mod 11
      int check = (11 - (54 * d) % 11) % 11;
      assertThat(check).as("repeated %s passes Mod-11", s).isEqualTo(d);
      assertThat(NhsNumber.status(s)).isEqualTo(NhsStatus.PLACEHOLDER);
    }
  }

  @ParameterizedTest
  @CsvSource(value = {"943476591", "94347659190", "94347 6591X", "abcdefghij", "+449434765919"})
  void badFormats(String raw) {
    assertThat(NhsNumber.status(raw)).isEqualTo(NhsStatus.BAD_FORMAT);
  }

  @Test
  void missingAndPadding() {
    assertThat(NhsNumber.status(null)).isEqualTo(NhsStatus.MISSING);
    assertThat(NhsNumber.status("   ")).isEqualTo(NhsStatus.MISSING);
    assertThat(NhsNumber.validate("009434765919").normalised()).isEqualTo("9434765919");
    assertThat(NhsNumber.validate("943 476 5919").toString()).doesNotContain("943");
  }

  @Test
  void mod11AgreesWithAnIndependentFormulaOnAllNineDigitPrefixesSample() {
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 2000; i++) {
      String prefix = String.format("%09d", r.nextInt(1_000_000_000));
      int sum = 0;
      for (int j = 0; j < 9; j++) {
        sum += (prefix.charAt(j) - '0') * (10 - j);
      }
      int check = 11 - sum % 11;
      for (int c = 0; c <= 9; c++) {
        String n = prefix + c;
        boolean placeholder = n.chars().distinct().count() == 1;
        boolean ok = (check == 11 ? 0 : check) == c && check != 10;
        NhsStatus expected = placeholder ? NhsStatus.PLACEHOLDER : ok ? NhsStatus.VALID : NhsStatus.INVALID_CHECK_DIGIT;
        assertThat(NhsNumber.status(n)).isEqualTo(expected);
      }
    }
  }
}
