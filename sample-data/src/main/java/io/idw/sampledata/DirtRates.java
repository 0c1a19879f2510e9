package io.idw.sampledata;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * How dirty the generated extracts are. Each rate is a probability in [0, 1]:
 *
 * <ul>
 *   <li>{@code nhsMissing}: per record, the NHS number is blank (in sources that carry one);</li>
 *   <li>{@code socialCareNhsMissing}: per person, social care never recorded the NHS number;</li>
 *   <li>{@code nhsSpaces}, {@code nhsHyphens}: per record, written {@code 999 123 4567} or
 *       {@code 999-123-4567} (still valid once normalised);</li>
 *   <li>{@code nhsBadCheckDigit}: per record, the last digit is wrong (fails Modulus 11);</li>
 *   <li>{@code nhsPlaceholder}: per record, ten zeros or ten nines;</li>
 *   <li>{@code nameTypo}: per record and name field, one keying slip;</li>
 *   <li>{@code nickname}: per person and source, the given name is the usual nickname (Bill for
 *       William) when there is one;</li>
 *   <li>{@code dobSwap}: per record, day and month of the date of birth swapped, applied only
 *       when the day is 12 or less and differs from the month (so the observed rate is lower);</li>
 *   <li>{@code oldPostcode}: per record after the person moved, the source still has the old
 *       postcode;</li>
 *   <li>{@code duplicate}: per record, the provider sent it twice under a second record id;</li>
 *   <li>{@code late}: per record, it arrives one to three monthly extracts late;</li>
 *   <li>{@code malformed}: per record, the CSV line is broken (a field missing, or an unclosed
 *       quote).</li>
 * </ul>
 * Every dirty record is listed in {@code truth/dirt.csv}.
 */
public record DirtRates(
    @JsonProperty("nhs_missing") double nhsMissing,
    @JsonProperty("social_care_nhs_missing") double socialCareNhsMissing,
    @JsonProperty("nhs_spaces") double nhsSpaces,
    @JsonProperty("nhs_hyphens") double nhsHyphens,
    @JsonProperty("nhs_bad_check_digit") double nhsBadCheckDigit,
    @JsonProperty("nhs_placeholder") double nhsPlaceholder,
    @JsonProperty("name_typo") double nameTypo,
    @JsonProperty("nickname") double nickname,
    @JsonProperty("dob_swap") double dobSwap,
    @JsonProperty("old_postcode") double oldPostcode,
    @JsonProperty("duplicate") double duplicate,
    @JsonProperty("late") double late,
    @JsonProperty("malformed") double malformed) implements Serializable {

  public DirtRates {
    double[] all = {nhsMissing, socialCareNhsMissing, nhsSpaces, nhsHyphens, nhsBadCheckDigit, nhsPlaceholder,
        nameTypo, nickname, dobSwap, oldPostcode, duplicate, late, malformed};
    for (double d : all) {
      if (!(d >= 0 && d <= 1)) {
        throw SampleDataErrors.invalidSetting("dirt rate", d, "rates are probabilities", "give a rate between 0 and 1");
      }
    }
    if (nhsMissing + nhsSpaces + nhsHyphens + nhsBadCheckDigit + nhsPlaceholder > 1) {
      throw SampleDataErrors.invalidSetting("NHS number dirt rates", nhsMissing + nhsSpaces + nhsHyphens
          + nhsBadCheckDigit + nhsPlaceholder, "the NHS number dirt rates add up to more than 1",
          "lower them so that they sum to at most 1");
    }
  }

  /** The default, moderately dirty, rates. */
  public static DirtRates defaults() {
    return new DirtRates(0.02, 0.35, 0.03, 0.01, 0.005, 0.003, 0.02, 0.03, 0.01, 0.30, 0.005, 0.02, 0.0005);
  }

  /** No dirt at all: every identifier clean, every record on time and once. */
  public static DirtRates none() {
    return new DirtRates(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** These rates times a factor (capped at 1). */
  public DirtRates scaled(double f) {
    if (!(f >= 0)) {
      throw SampleDataErrors.invalidSetting("dirt scale", f, "the factor must be zero or more", "use 0 for clean data, 1 for the defaults");
    }
    return new DirtRates(c(nhsMissing * f), c(socialCareNhsMissing * f), c(nhsSpaces * f), c(nhsHyphens * f),
        c(nhsBadCheckDigit * f), c(nhsPlaceholder * f), c(nameTypo * f), c(nickname * f), c(dobSwap * f),
        c(oldPostcode * f), c(duplicate * f), c(late * f), c(malformed * f));
  }

  private static double c(double v) {
    return Math.min(1, v);
  }
}
