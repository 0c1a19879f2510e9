package io.idw.pseudonymise;

import java.util.Locale;

/** The validation outcome of an NHS number, stored in {@code nhs_status}. */
public enum NhsStatus {
  /** 10 digits, valid Mod-11 check digit, not a placeholder. */
  VALID,
  /** Null or blank. */
  MISSING,
  /** 10 digits whose check digit fails Mod-11 (or whose check digit would be 10). */
  INVALID_CHECK_DIGIT,
  /** A repeated-digit placeholder such as ten zeros or ten nines (these pass Mod-11). */
  PLACEHOLDER,
  /** Not 10 digits after removing spaces, hyphens and padding. */
  BAD_FORMAT;

  /** The value written to {@code nhs_status}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
