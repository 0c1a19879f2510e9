package io.idw.pseudonymise;

/**
 * NHS number normalisation and validation (NHS Data Dictionary, Modulus 11).
 *
 * <p>Normalisation removes whitespace, hyphens and dots, and zero padding beyond 10 digits. The
 * check: weights 10..2 on the first nine digits, {@code 11 - (sum mod 11)}; 11 means 0, 10 means
 * the number is invalid. Repeated-digit numbers pass Mod-11 but are placeholders and rejected.
 */
public final class NhsNumber {
  private NhsNumber() {}

  /** The outcome: a status and, when {@link NhsStatus#VALID}, the 10-digit normalised number. */
  public record Result(NhsStatus status, String normalised) {
    public boolean valid() {
      return status == NhsStatus.VALID;
    }

    @Override
    public String toString() {
      return "NhsNumber.Result(" + status.wire() + ")"; // never the number itself
    }
  }

  /** Removes whitespace, hyphens, dots and leading zero padding beyond 10 digits; null for blank. */
  public static String normalise(String raw) {
    if (raw == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(12);
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == ' ' || c == '-' || c == '.' || Character.isWhitespace(c) || c == '\u00a0') {
        continue;
      }
      sb.append(c);
    }
    int start = 0;
    while (sb.length() - start > 10 && sb.charAt(start) == '0') {
      start++;
    }
    String s = sb.substring(start);
    return s.isEmpty() ? null : s;
  }

  /** Normalises and validates. */
  public static Result validate(String raw) {
    String s = normalise(raw);
    if (s == null) {
      return new Result(NhsStatus.MISSING, null);
    }
    if (s.length() != 10) {
      return new Result(NhsStatus.BAD_FORMAT, null);
    }
    for (int i = 0; i < 10; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return new Result(NhsStatus.BAD_FORMAT, null);
      }
    }
    boolean repeated = true;
    for (int i = 1; i < 10; i++) {
      if (s.charAt(i) != s.charAt(0)) {
        repeated = false;
        break;
      }
    }
    if (repeated) {
      return new Result(NhsStatus.PLACEHOLDER, null);
    }
    int sum = 0;
    for (int i = 0; i < 9; i++) {
      sum += (s.charAt(i) - '0') * (10 - i);
    }
    int check = 11 - (sum % 11);
    if (check == 11) {
      check = 0;
    }
    if (check == 10 || check != s.charAt(9) - '0') {
      return new Result(NhsStatus.INVALID_CHECK_DIGIT, null);
    }
    return new Result(NhsStatus.VALID, s);
  }

  /** The status of a raw value. */
  public static NhsStatus status(String raw) {
    return validate(raw).status();
  }
}
