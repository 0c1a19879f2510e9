package io.idw.linkage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The join keys of a blocking rule that is a conjunction of column equalities across the two
 * records ({@code l.a = r.b and l.c = r.d}): the pair meets the rule exactly when the left record's
 * {@code left} values equal the right record's {@code right} values, position by position, none of
 * them null. Such a rule can be blocked on one hash of each side's keys.
 *
 * @param left the left record's columns, in the rule's order
 * @param right the right record's columns, same length
 */
public record BlockKeys(List<String> left, List<String> right) {
  private static final Pattern EQUALITY =
      Pattern.compile("\\s*([lr])\\.([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([lr])\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");

  public BlockKeys {
    left = List.copyOf(left);
    right = List.copyOf(right);
    if (left.isEmpty() || left.size() != right.size()) {
      throw new IllegalArgumentException("keys need one right column per left column: " + left + " / " + right);
    }
  }

  /**
   * The keys of {@code rule} (Spark SQL over {@code l.} and {@code r.} columns), or null when it is
   * anything but a conjunction of equalities each between an {@code l.} and an {@code r.} column.
   */
  public static BlockKeys of(String rule) {
    return parse(rule, true);
  }

  /**
   * The keys of the cross-side equalities among a conjunctive rule's conjuncts (its other conjuncts
   * left out), so equal keys are a necessary condition of the rule; null when the rule has {@code
   * OR} or parentheses, or no such equality.
   */
  public static BlockKeys implied(String rule) {
    return rule.contains("(") || rule.matches("(?is).*\\bor\\b.*") ? null : parse(rule, false);
  }

  /** Strict: every conjunct must be a cross-side equality; else the others are skipped. */
  private static BlockKeys parse(String rule, boolean strict) {
    List<String> left = new ArrayList<>();
    List<String> right = new ArrayList<>();
    for (String part : rule.trim().split("(?i)\\s+and\\s+")) {
      Matcher m = EQUALITY.matcher(part);
      if (!m.matches() || m.group(1).equals(m.group(3))) {
        if (strict) {
          return null;
        }
        continue;
      }
      boolean leftFirst = m.group(1).equals("l");
      left.add(leftFirst ? m.group(2) : m.group(4));
      right.add(leftFirst ? m.group(4) : m.group(2));
    }
    return left.isEmpty() ? null : new BlockKeys(left, right);
  }

  /** True when both sides use the same columns ({@code l.a = r.a and ...}): the rule is symmetric. */
  public boolean symmetric() {
    return left.equals(right);
  }

  /** Every column either side reads. */
  public List<String> columns() {
    List<String> out = new ArrayList<>(left);
    right.stream().filter(c -> !out.contains(c)).forEach(out::add);
    return out;
  }
}
