package io.idw.sampledata.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Synthetic NHS numbers: ten digits whose last is the Modulus 11 check digit, allocated without
 * collisions from the 999 range reserved for test data (999 000 0000 to 999 999 9999). That
 * range holds about 909,000 valid numbers; people beyond the first 900,000 get numbers from the
 * 998, 997, ... ranges, which are also outside the issued ranges but not formally reserved.
 */
public final class NhsNumbers {
  /** People per three-digit prefix. */
  public static final int PER_PREFIX = 900_000;
  private static final ConcurrentHashMap<Integer, int[]> VALID = new ConcurrentHashMap<>();

  private NhsNumbers() {}

  /** The Modulus 11 check digit of the first nine digits, or -1 when no valid check digit exists. */
  public static int checkDigit(long firstNine) {
    int sum = 0;
    long v = firstNine;
    for (int weight = 2; weight <= 10; weight++) {
      sum += (int) (v % 10) * weight;
      v /= 10;
    }
    int r = 11 - (sum % 11);
    if (r == 11) {
      return 0;
    }
    return r == 10 ? -1 : r;
  }

  /** True when the string is ten digits with a correct Modulus 11 check digit. */
  public static boolean isValid(String s) {
    if (s == null || s.length() != 10) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    long nine = Long.parseLong(s.substring(0, 9));
    int check = checkDigit(nine);
    return check >= 0 && check == s.charAt(9) - '0';
  }

  /** The NHS number of a person index under a seed: unique per index, always valid. */
  public static String forPerson(long seed, long personIndex) {
    int block = (int) (personIndex / PER_PREFIX);
    int prefix = 999 - block;
    if (prefix < 900) {
      throw new IllegalArgumentException("too many people for synthetic NHS numbers: " + personIndex);
    }
    int[] valid = VALID.computeIfAbsent(prefix, NhsNumbers::validSuffixes);
    long n = valid.length;
    long a = 700_001;
    while (gcd(a, n) != 1) {
      a += 2;
    }
    long b = Math.floorMod(Rand.mix(seed ^ 0x5eedL ^ prefix), n);
    long r = personIndex % PER_PREFIX;
    int suffix = valid[(int) ((a * r + b) % n)];
    long nine = prefix * 1_000_000L + suffix;
    return String.format("%09d%d", nine, checkDigit(nine));
  }

  private static int[] validSuffixes(int prefix) {
    int[] out = new int[1_000_000];
    int n = 0;
    for (int s = 0; s < 1_000_000; s++) {
      // 999 999 999 9 is Mod-11 valid but a well-known placeholder: never issue it
      if (checkDigit(prefix * 1_000_000L + s) >= 0 && !(prefix == 999 && s == 999_999)) {
        out[n++] = s;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** The same number with a wrong (but single-digit) check digit. */
  public static String withBadCheckDigit(String valid, int delta) {
    int check = valid.charAt(9) - '0';
    int bad = (check + 1 + Math.floorMod(delta, 9)) % 10;
    return valid.substring(0, 9) + bad;
  }
}
