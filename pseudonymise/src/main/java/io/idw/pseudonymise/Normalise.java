package io.idw.pseudonymise;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisers for identifiers and quasi-identifiers. Each returns null for a value that is blank or
 * not valid for its type, so that an invalid value is never hashed.
 */
public final class Normalise {
  private Normalise() {}

  private static final Pattern DIACRITICS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_LETTER = Pattern.compile("[^A-Z ]");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  /** UK postcode: outward code (2–4) then inward code (digit + 2 letters). */
  private static final Pattern POSTCODE = Pattern.compile("^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$");

  /** Social-care person ids: trimmed and case-folded. */
  public static String socialCareId(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip().toLowerCase(Locale.ROOT);
    return s.isEmpty() ? null : s;
  }

  /** Other local ids: trimmed; case kept (they are declared opaque by the source). */
  public static String localId(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    return s.isEmpty() ? null : s;
  }

  /** UPRN: 1–12 digits, leading zeros dropped; null if not that (or if zero). */
  public static String uprn(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    if (s.endsWith(".0")) {
      s = s.substring(0, s.length() - 2); // a UPRN read as a decimal number
    }
    if (s.isEmpty()) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    s = s.substring(i); // zero padding is not significant: at most 12 significant digits remain
    return s.equals("0") || s.length() > 12 ? null : s;
  }

  /** A name: accents removed, upper case, letters and single spaces only. */
  public static String name(String raw) {
    if (raw == null) {
      return null;
    }
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKD);
    s = DIACRITICS.matcher(s).replaceAll("").toUpperCase(Locale.ROOT).replace('-', ' ');
    s = NOT_LETTER.matcher(s).replaceAll("");
    s = SPACES.matcher(s).replaceAll(" ").strip();
    return s.isEmpty() ? null : s;
  }

  /** A name with its spaces removed too: the form tokens and Bloom filters encode. */
  public static String nameCompact(String raw) {
    String s = name(raw);
    return s == null ? null : s.replace(" ", "");
  }

  /** The first word of a full name, or null. */
  public static String givenFromFull(String raw) {
    String s = name(raw);
    if (s == null) {
      return null;
    }
    int sp = s.indexOf(' ');
    return sp < 0 ? null : s.substring(0, sp);
  }

  /** The last word of a full name (the whole name if it has one word), or null. */
  public static String familyFromFull(String raw) {
    String s = name(raw);
    if (s == null) {
      return null;
    }
    int sp = s.lastIndexOf(' ');
    return sp < 0 ? s : s.substring(sp + 1);
  }

  /** A UK postcode, upper case without spaces (e.g. {@code ME145AB}); null if not a postcode. */
  public static String postcode(String raw) {
    if (raw == null) {
      return null;
    }
    String s = SPACES.matcher(raw.toUpperCase(Locale.ROOT)).replaceAll("");
    return POSTCODE.matcher(s).matches() ? s : null;
  }

  /** The postcode in its canonical spaced form {@code ME14 5AB}, or null. */
  public static String postcodeSpaced(String raw) {
    String s = postcode(raw);
    return s == null ? null : s.substring(0, s.length() - 3) + " " + s.substring(s.length() - 3);
  }

  /** Postcode district (outward code), e.g. {@code ME14}. */
  public static String postcodeDistrict(String raw) {
    String s = postcode(raw);
    return s == null ? null : s.substring(0, s.length() - 3);
  }

  /** Postcode sector, e.g. {@code ME14 5}. */
  public static String postcodeSector(String raw) {
    String s = postcode(raw);
    return s == null ? null : s.substring(0, s.length() - 3) + " " + s.charAt(s.length() - 3);
  }

  /**
   * Sex to {@code M}, {@code F} or {@code U} (unknown/other/not stated); null if blank. Accepts
   * M/F/U, male/female, and NHS codes 1 (male), 2 (female), 0/9 (not known/not specified).
   */
  public static String sex(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip().toUpperCase(Locale.ROOT);
    if (s.isEmpty()) {
      return null;
    }
    return switch (s) {
      case "M", "MALE", "1" -> "M";
      case "F", "FEMALE", "2" -> "F";
      default -> "U";
    };
  }

  /** The ISO date with day and month swapped, or null if that is not a date (or equals itself). */
  public static String dobSwapped(LocalDate d) {
    if (d == null || d.getDayOfMonth() > 12 || d.getDayOfMonth() == d.getMonthValue()) {
      return null;
    }
    try {
      return LocalDate.of(d.getYear(), d.getDayOfMonth(), d.getMonthValue()).toString();
    } catch (DateTimeException e) {
      return null;
    }
  }
}
