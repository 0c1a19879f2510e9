package io.idw.linkage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.idw.core.SpecViolation;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A blocking rule in Splink's vocabulary: a Spark SQL condition over {@code l.<col>} and {@code
 * r.<col>}, usually equalities on keyed tokens such as {@code l.tok_dob = r.tok_dob}. Only pairs
 * meeting some rule are compared. Equalities are planned as hash/sort-merge join keys, so a rule
 * should contain at least one {@code l.x = r.x} equality.
 *
 * @param blockingRule the condition
 * @param sqlDialect kept for compatibility with Splink's settings; always {@code spark}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlockingRule(
    @JsonProperty("blocking_rule") String blockingRule,
    @JsonProperty("sql_dialect") String sqlDialect) {

  private static final Pattern SIDE_REF = Pattern.compile("\\b([lr])\\.([A-Za-z_][A-Za-z0-9_]*)\\b");
  private static final Pattern EQUALITY = Pattern.compile(
      "\\b([lr])\\.[A-Za-z_][A-Za-z0-9_]*\\s*=\\s*(?!\\1)[lr]\\.[A-Za-z_][A-Za-z0-9_]*\\b");

  @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
  public BlockingRule {
    SpecViolation.require(blockingRule != null && !blockingRule.isBlank(), "blocking_rule",
        "a blocking rule needs a condition", "write it like 'l.tok_dob = r.tok_dob'");
    SpecViolation.require(EQUALITY.matcher(blockingRule).find(), "blocking_rule",
        "'" + blockingRule + "' has no equality l.x = r.x, so it would compare every pair",
        "add an equality on a keyed token, for example 'l.tok_yob = r.tok_yob'");
    if (sqlDialect == null) {
      sqlDialect = "spark";
    }
  }

  /** Accepts a bare string, as Splink does. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static BlockingRule of(String rule) {
    return new BlockingRule(rule, "spark");
  }

  /** The columns the rule reads. */
  @JsonIgnore
  public Set<String> columns() {
    Set<String> cols = new TreeSet<>();
    Matcher m = SIDE_REF.matcher(blockingRule);
    while (m.find()) {
      cols.add(m.group(2));
    }
    return cols;
  }

  private static final Pattern SELF_EQUALITY = Pattern.compile("\\s*([lr])\\.([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([lr])\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");

  /**
   * The columns of a rule that is only a conjunction of equalities of a column with itself
   * ({@code l.a = r.a and l.b = r.b}), in order; null for any other rule. Such a rule's pairs are
   * the pairs within each block of records sharing those values.
   */
  @JsonIgnore
  public java.util.List<String> selfEqualityColumns() {
    java.util.List<String> cols = new java.util.ArrayList<>();
    for (String part : blockingRule.trim().split("(?i)\\s+and\\s+")) {
      Matcher m = SELF_EQUALITY.matcher(part);
      if (!m.matches() || m.group(1).equals(m.group(3)) || !m.group(2).equals(m.group(4))) {
        return null;
      }
      if (!cols.contains(m.group(2))) {
        cols.add(m.group(2));
      }
    }
    return cols;
  }

  /** The rule rewritten over suffixed columns: {@code l.x} becomes {@code x_l}, {@code r.x} becomes {@code x_r}. */
  public String suffixedSql() {
    return SIDE_REF.matcher(blockingRule).replaceAll("$2_$1");
  }

  @Override
  public String toString() {
    return blockingRule;
  }
}
