package io.idw.linkage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.idw.core.SpecViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comparison in Splink's vocabulary: one output column (the comparison vector value {@code
 * gamma_<output_column_name>}) with ordered levels from most to least similar, at most one null
 * level, and typically a final {@code ELSE} level.
 *
 * <p>Gamma values follow Splink: the null level is -1, the other levels are numbered from
 * {@code n-1} (the first, most similar) down to 0 (the last).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"output_column_name", "comparison_description", "comparison_levels"})
public record Comparison(
    @JsonProperty("output_column_name") String outputColumnName,
    @JsonProperty("comparison_description") String description,
    @JsonProperty("comparison_levels") List<ComparisonLevel> levels) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern SIDE_COLUMN = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*)_[lr]\\b");

  @JsonCreator
  public Comparison {
    SpecViolation.require(outputColumnName != null && NAME.matcher(outputColumnName).matches(),
        "output_column_name", "'" + outputColumnName + "' is not a lower snake_case name",
        "name the comparison like 'given_name' or 'dob'");
    SpecViolation.require(levels != null && levels.size() >= 2, "comparison_levels",
        "comparison '" + outputColumnName + "' needs at least two levels",
        "list levels from most to least similar, ending with ELSE");
    levels = List.copyOf(levels);
    long nulls = levels.stream().filter(ComparisonLevel::isNull).count();
    SpecViolation.require(nulls <= 1, "comparison_levels",
        "comparison '" + outputColumnName + "' has " + nulls + " null levels", "keep one null level");
    for (int i = 0; i < levels.size() - 1; i++) {
      SpecViolation.require(!levels.get(i).isElse(), "comparison_levels[" + i + "]",
          "ELSE must be the last level of '" + outputColumnName + "'", "move the ELSE level to the end");
    }
    SpecViolation.require(levels.size() - nulls >= 2, "comparison_levels",
        "comparison '" + outputColumnName + "' has fewer than two non-null levels",
        "add a level that tells agreement from disagreement");
    if (description == null || description.isBlank()) {
      description = outputColumnName;
    }
  }

  public static Comparison of(String name, String description, List<ComparisonLevel> levels) {
    return new Comparison(name, description, levels);
  }

  /** The comparison vector column, {@code gamma_<name>}. */
  @JsonIgnore
  public String gammaColumn() {
    return "gamma_" + outputColumnName;
  }

  /** The partial match weight column, {@code weight_<name>}. */
  @JsonIgnore
  public String weightColumn() {
    return "weight_" + outputColumnName;
  }

  /** The gamma value of level {@code i}: -1 for the null level, else descending from n-1 to 0. */
  public int gammaOf(int i) {
    if (levels.get(i).isNull()) {
      return -1;
    }
    int rank = 0;
    for (int k = i + 1; k < levels.size(); k++) {
      if (!levels.get(k).isNull()) {
        rank++;
      }
    }
    return rank;
  }

  /** The index of the level with a gamma value, or -1. */
  public int levelIndexOfGamma(int gamma) {
    for (int i = 0; i < levels.size(); i++) {
      if (gammaOf(i) == gamma) {
        return i;
      }
    }
    return -1;
  }

  /** The Spark SQL expression giving this comparison's gamma value for a pair. */
  public String gammaSql() {
    StringBuilder sb = new StringBuilder("CASE");
    String elseValue = null;
    for (int i = 0; i < levels.size(); i++) {
      ComparisonLevel l = levels.get(i);
      if (l.isElse()) {
        elseValue = String.valueOf(gammaOf(i));
      } else {
        sb.append(" WHEN (").append(l.sqlCondition()).append(") THEN ").append(gammaOf(i));
      }
    }
    // Pairs no level claims (no ELSE given) count as the least similar non-null level.
    sb.append(" ELSE ").append(elseValue == null ? "0" : elseValue).append(" END");
    return sb.toString();
  }

  /** The input columns the levels read: every {@code x} named as {@code x_l} or {@code x_r}. */
  @JsonIgnore
  public Set<String> inputColumns() {
    Set<String> cols = new TreeSet<>();
    for (ComparisonLevel l : levels) {
      Matcher m = SIDE_COLUMN.matcher(l.sqlCondition());
      while (m.find()) {
        cols.add(m.group(1));
      }
    }
    return cols;
  }

  /** A copy with each level transformed (for training). */
  public Comparison mapLevels(UnaryOperator<ComparisonLevel> f) {
    List<ComparisonLevel> out = new ArrayList<>();
    for (ComparisonLevel l : levels) {
      out.add(f.apply(l));
    }
    return new Comparison(outputColumnName, description, out);
  }

  /** A copy with level {@code i} replaced. */
  public Comparison withLevel(int i, ComparisonLevel level) {
    List<ComparisonLevel> out = new ArrayList<>(levels);
    out.set(i, level);
    return new Comparison(outputColumnName, description, out);
  }
}
