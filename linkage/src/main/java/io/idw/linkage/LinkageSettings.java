package io.idw.linkage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.idw.core.IdwMappers;
import io.idw.core.SpecViolation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Linkage settings in Splink's vocabulary (the keys of a Splink settings dictionary), plus idw's
 * training and clustering options. A trained model is the same object with m and u filled in and
 * {@code probability_two_random_records_match} estimated, exactly as Splink saves a model.
 *
 * <p>Read one with {@link #read(java.nio.file.Path)} (YAML or JSON, strict: unknown keys are an
 * error naming the field); write with {@link #toJson()} / {@link #toYaml()}.
 *
 * @param linkType {@code dedupe_only}, {@code link_only} or {@code link_and_dedupe}
 * @param uniqueIdColumnName the record id column
 * @param sourceDatasetColumnName the column naming each record's source (for link types with
 *     several inputs); null for dedupe_only
 * @param lambda probability_two_random_records_match, the prior λ
 * @param emConvergence stop EM when no m moves by more than this
 * @param maxIterations EM iteration limit
 * @param predictionRules blocking_rules_to_generate_predictions
 * @param comparisons the comparisons
 * @param trainingRules idw: the blocking rules EM sessions train m on (Splink takes them as
 *     arguments of estimate_parameters_using_expectation_maximisation)
 * @param uMaxPairs idw: record pairs sampled to estimate u (Splink's max_pairs)
 * @param threshold idw: the match probability at or above which a pair becomes a link
 * @param maxClusterSize idw: the over-large cluster guard
 * @param seed idw: random seed for u sampling
 * @param additionalColumnsToRetain Splink: extra columns kept in predictions
 * @param retainMatchingColumns Splink: accepted, ignored (idw never retains encodings in outputs)
 * @param retainIntermediateCalculationColumns Splink: accepted; gamma and weight columns are always kept
 * @param sqlDialect Splink: accepted; always spark
 * @param linkerUid Splink: accepted for round trips
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"link_type", "unique_id_column_name", "source_dataset_column_name",
    "probability_two_random_records_match", "em_convergence", "max_iterations",
    "blocking_rules_to_generate_predictions", "comparisons", "training_blocking_rules",
    "u_max_pairs", "threshold_match_probability", "max_cluster_size", "seed"})
public record LinkageSettings(
    @JsonProperty("link_type") String linkType,
    @JsonProperty("unique_id_column_name") String uniqueIdColumnName,
    @JsonProperty("source_dataset_column_name") String sourceDatasetColumnName,
    @JsonProperty("probability_two_random_records_match") Double lambda,
    @JsonProperty("em_convergence") Double emConvergence,
    @JsonProperty("max_iterations") Integer maxIterations,
    @JsonProperty("blocking_rules_to_generate_predictions") List<BlockingRule> predictionRules,
    @JsonProperty("comparisons") List<Comparison> comparisons,
    @JsonProperty("training_blocking_rules") List<BlockingRule> trainingRules,
    @JsonProperty("u_max_pairs") Long uMaxPairs,
    @JsonProperty("threshold_match_probability") Double threshold,
    @JsonProperty("max_cluster_size") Integer maxClusterSize,
    @JsonProperty("seed") Long seed,
    @JsonProperty("additional_columns_to_retain") List<String> additionalColumnsToRetain,
    @JsonProperty("retain_matching_columns") Boolean retainMatchingColumns,
    @JsonProperty("retain_intermediate_calculation_columns") Boolean retainIntermediateCalculationColumns,
    @JsonProperty("sql_dialect") String sqlDialect,
    @JsonProperty("linker_uid") String linkerUid) {

  public static final String DEDUPE_ONLY = "dedupe_only";
  public static final String LINK_ONLY = "link_only";
  public static final String LINK_AND_DEDUPE = "link_and_dedupe";

  @JsonCreator
  public LinkageSettings {
    if (linkType == null) {
      linkType = DEDUPE_ONLY;
    }
    SpecViolation.require(Set.of(DEDUPE_ONLY, LINK_ONLY, LINK_AND_DEDUPE).contains(linkType), "link_type",
        "'" + linkType + "' is not a link type", "use dedupe_only, link_only or link_and_dedupe");
    if (uniqueIdColumnName == null) {
      uniqueIdColumnName = "unique_id";
    }
    SpecViolation.require(!LINK_ONLY.equals(linkType) || sourceDatasetColumnName != null,
        "source_dataset_column_name", "link_only needs to know which source each record is from",
        "name the source column, for example 'source'");
    if (lambda == null) {
      lambda = 1e-4;
    }
    SpecViolation.require(lambda > 0 && lambda < 1, "probability_two_random_records_match",
        "must be strictly between 0 and 1, is " + lambda, "give a small prior such as 0.0001");
    if (emConvergence == null) {
      emConvergence = 1e-4;
    }
    SpecViolation.require(emConvergence > 0, "em_convergence", "must be positive", "use e.g. 0.0001");
    if (maxIterations == null) {
      maxIterations = 25;
    }
    SpecViolation.require(maxIterations >= 1, "max_iterations", "must be at least 1", "use e.g. 25");
    SpecViolation.require(predictionRules != null && !predictionRules.isEmpty(),
        "blocking_rules_to_generate_predictions", "no blocking rules: every pair would be compared",
        "add rules such as 'l.tok_dob = r.tok_dob'");
    predictionRules = List.copyOf(predictionRules);
    SpecViolation.require(comparisons != null && !comparisons.isEmpty(), "comparisons",
        "no comparisons", "add comparisons with ordered comparison_levels");
    comparisons = List.copyOf(comparisons);
    Set<String> names = new HashSet<>();
    for (Comparison c : comparisons) {
      SpecViolation.require(names.add(c.outputColumnName()), "comparisons",
          "two comparisons are named '" + c.outputColumnName() + "'", "give each comparison its own output_column_name");
    }
    trainingRules = trainingRules == null ? List.of() : List.copyOf(trainingRules);
    if (uMaxPairs == null) {
      uMaxPairs = 1_000_000L;
    }
    SpecViolation.require(uMaxPairs >= 1000, "u_max_pairs", "must be at least 1000, is " + uMaxPairs,
        "sample at least 1000 pairs (Splink's default is 1e6)");
    if (threshold == null) {
      threshold = 0.9;
    }
    SpecViolation.require(threshold > 0 && threshold < 1, "threshold_match_probability",
        "must be strictly between 0 and 1, is " + threshold, "use e.g. 0.9");
    if (maxClusterSize == null) {
      maxClusterSize = 200;
    }
    SpecViolation.require(maxClusterSize >= 2, "max_cluster_size", "must be at least 2", "use e.g. 200");
    if (seed == null) {
      seed = 42L;
    }
    additionalColumnsToRetain = additionalColumnsToRetain == null ? List.of() : List.copyOf(additionalColumnsToRetain);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads settings or a trained model from YAML or JSON; errors name the file and field. */
  public static LinkageSettings read(java.nio.file.Path file) {
    return IdwMappers.readFile(file, LinkageSettings.class);
  }

  /** Parses settings from a YAML or JSON string. */
  public static LinkageSettings parse(String text, String origin) {
    return IdwMappers.readString(text, origin, LinkageSettings.class);
  }

  public String toJson() {
    try {
      return IdwMappers.json().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public String toYaml() {
    try {
      return IdwMappers.yaml().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 of the canonical JSON: the spec hash recorded in provenance. */
  @JsonIgnore
  public String hash() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every input column comparisons and blocking rules read. */
  @JsonIgnore
  public Set<String> inputColumns() {
    Set<String> cols = new TreeSet<>();
    comparisons.forEach(c -> cols.addAll(c.inputColumns()));
    predictionRules.forEach(r -> cols.addAll(r.columns()));
    trainingRules.forEach(r -> cols.addAll(r.columns()));
    return cols;
  }

  /** True when every non-null level has both m and u. */
  @JsonIgnore
  public boolean isTrained() {
    return comparisons.stream().allMatch(c -> c.levels().stream()
        .allMatch(l -> l.isNull() || (l.m() != null && l.u() != null)));
  }

  public LinkageSettings withComparisons(List<Comparison> cs) {
    return toBuilder().comparisons(cs).build();
  }

  public LinkageSettings withLambda(double value) {
    return toBuilder().lambda(value).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.linkType = linkType;
    b.uniqueIdColumnName = uniqueIdColumnName;
    b.sourceDatasetColumnName = sourceDatasetColumnName;
    b.lambda = lambda;
    b.emConvergence = emConvergence;
    b.maxIterations = maxIterations;
    b.predictionRules = new ArrayList<>(predictionRules);
    b.comparisons = new ArrayList<>(comparisons);
    b.trainingRules = new ArrayList<>(trainingRules);
    b.uMaxPairs = uMaxPairs;
    b.threshold = threshold;
    b.maxClusterSize = maxClusterSize;
    b.seed = seed;
    b.additional = new ArrayList<>(additionalColumnsToRetain);
    b.retainMatching = retainMatchingColumns;
    b.retainIntermediate = retainIntermediateCalculationColumns;
    b.sqlDialect = sqlDialect;
    b.linkerUid = linkerUid;
    return b;
  }

  /** Builds settings; validation happens in {@link #build()}. */
  public static final class Builder {
    private String linkType;
    private String uniqueIdColumnName;
    private String sourceDatasetColumnName;
    private Double lambda;
    private Double emConvergence;
    private Integer maxIterations;
    private List<BlockingRule> predictionRules = new ArrayList<>();
    private List<Comparison> comparisons = new ArrayList<>();
    private List<BlockingRule> trainingRules = new ArrayList<>();
    private Long uMaxPairs;
    private Double threshold;
    private Integer maxClusterSize;
    private Long seed;
    private List<String> additional = new ArrayList<>();
    private Boolean retainMatching;
    private Boolean retainIntermediate;
    private String sqlDialect;
    private String linkerUid;

    public Builder linkType(String v) { linkType = v; return this; }
    public Builder uniqueIdColumnName(String v) { uniqueIdColumnName = v; return this; }
    public Builder sourceDatasetColumnName(String v) { sourceDatasetColumnName = v; return this; }
    public Builder lambda(double v) { lambda = v; return this; }
    public Builder emConvergence(double v) { emConvergence = v; return this; }
    public Builder maxIterations(int v) { maxIterations = v; return this; }
    public Builder blockingRule(String rule) { predictionRules.add(BlockingRule.of(rule)); return this; }
    public Builder trainingRule(String rule) { trainingRules.add(BlockingRule.of(rule)); return this; }
    public Builder comparison(Comparison c) { comparisons.add(c); return this; }
    public Builder comparisons(List<Comparison> cs) { comparisons = new ArrayList<>(cs); return this; }
    public Builder uMaxPairs(long v) { uMaxPairs = v; return this; }
    public Builder threshold(double v) { threshold = v; return this; }
    public Builder maxClusterSize(int v) { maxClusterSize = v; return this; }
    public Builder seed(long v) { seed = v; return this; }

    public LinkageSettings build() {
      try {
        return new LinkageSettings(linkType, uniqueIdColumnName, sourceDatasetColumnName, lambda, emConvergence,
            maxIterations, predictionRules, comparisons, trainingRules, uMaxPairs, threshold, maxClusterSize, seed,
            additional, retainMatching, retainIntermediate, sqlDialect, linkerUid);
      } catch (SpecViolation v) {
        throw v.toIdwException("linkage settings");
      }
    }
  }
}
