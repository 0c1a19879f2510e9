package io.idw.cohort.matched;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.idw.cohort.Provenance;
import io.idw.core.IdwMappers;
import io.idw.core.SpecViolation;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A matched-cohort evaluation, declared before the run in YAML or JSON:
 *
 * <pre>
 * name: home_safety_visits_ae
 * description: Do fire-service home safety visits reduce A&amp;E attendances from home?
 * data:                         # the columns of the analysis table (one row per unit)
 *   id: person_id               # optional unit id, echoed in the matched pairs
 *   treatment: treated          # 0/1 or boolean
 *   covariates:                 # measured at the index date
 *     - {name: age, type: continuous}
 *     - {name: female, type: binary}      # 0/1
 *     - {name: imd_decile, type: categorical}  # dummies, first sorted level is the reference
 *   outcome: ae_attendances     # numeric; a count for the rate ratio
 *   exposure: followup_days     # optional person-time for the rate ratio (log offset)
 * matching:
 *   ratio: 1                    # k controls per treated unit (k:1)
 *   caliper: 0.2                # in SDs of the distance over all units; omit for none
 *   distance: propensity        # propensity (the probability) or linear_logit
 *   exact: [index_month, sex]   # exact-match strata
 *   replacement: false
 * cohort: {min_age: 65}         # optional: build the table from the linked zone ({@link KidCohortSettings})
 * subgroups:                    # optional, declared before the run: for whom did it work?
 *   - {name: aged_80_plus, label: aged 80 and over, where: "age &gt;= 80"}
 * </pre>
 *
 * A subgroup's {@code where} is a Spark SQL condition on the analysis table's columns. The
 * matched sample is split by matched set (a set belongs to a subgroup when its treated unit does),
 * so each subgroup estimate compares people matched to each other; matching itself is unchanged.
 *
 * Values are immutable and validated when bound; unknown keys are errors. The spec hash in every
 * result is {@link #hash()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MatchedCohortSpec(
    @JsonProperty("name") String name,
    @JsonProperty("description") String description,
    @JsonProperty("data") Data data,
    @JsonProperty("matching") Matching matching,
    @JsonProperty("cohort") KidCohortSettings cohort,
    @JsonProperty("subgroups") List<Subgroup> subgroups) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  @JsonCreator
  public MatchedCohortSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("description") String description,
      @JsonProperty(value = "data", required = true) Data data,
      @JsonProperty("matching") Matching matching,
      @JsonProperty("cohort") KidCohortSettings cohort,
      @JsonProperty("subgroups") List<Subgroup> subgroups) {
    SpecViolation.require(name != null && NAME.matcher(name).matches(), "name",
        "'" + name + "' is not a valid evaluation name", "use lower snake_case, such as home_safety_visits_ae");
    SpecViolation.require(data != null, "data", "the data section is missing",
        "declare data: {treatment, covariates, outcome}");
    Matching m = matching == null ? Matching.defaults() : matching;
    for (int i = 0; i < m.exact().size(); i++) {
      SpecViolation.require(!m.exact().get(i).equals(data.treatment()), "matching.exact[" + i + "]",
          "the treatment column cannot be an exact-match variable", "remove it from matching.exact");
    }
    this.name = name;
    this.description = description;
    this.data = data;
    this.matching = m;
    this.cohort = cohort;
    List<Subgroup> sg = subgroups == null ? List.of() : List.copyOf(subgroups);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < sg.size(); i++) {
      SpecViolation.require(names.add(sg.get(i).name()), "subgroups[" + i + "].name",
          "subgroup '" + sg.get(i).name() + "' is declared twice", "give each subgroup its own name");
    }
    this.subgroups = sg.isEmpty() ? null : sg;
  }

  /** The declared subgroups (empty when none). */
  public List<Subgroup> subgroupList() {
    return subgroups == null ? List.of() : subgroups;
  }

  /**
   * A subgroup declared before the analysis: a name, the words the report uses, and a Spark SQL
   * condition on the analysis table's columns.
   */
  public record Subgroup(@JsonProperty("name") String name, @JsonProperty("label") String label,
      @JsonProperty("where") String where) {
    @JsonCreator
    public Subgroup(@JsonProperty(value = "name", required = true) String name,
        @JsonProperty("label") String label,
        @JsonProperty(value = "where", required = true) String where) {
      SpecViolation.require(name != null && NAME.matcher(name).matches(), "name",
          "'" + name + "' is not a valid subgroup name", "use lower snake_case, such as aged_80_plus");
      SpecViolation.require(where != null && !where.isBlank(), "where", "subgroup " + name + " has no condition",
          "give a Spark SQL condition on the analysis table, such as \"age >= 80\"");
      this.name = name;
      this.label = label == null || label.isBlank() ? name.replace('_', ' ') : label;
      this.where = where;
    }
  }

  /** Reads and validates a spec file (YAML, or JSON by extension). */
  public static MatchedCohortSpec read(Path file) {
    return IdwMappers.readFile(file, MatchedCohortSpec.class);
  }

  /** Parses a spec from a YAML or JSON string; {@code origin} names it in errors. */
  public static MatchedCohortSpec parse(String text, String origin) {
    return IdwMappers.readString(text, origin, MatchedCohortSpec.class);
  }

  /** The SHA-256 of the bound spec (layout- and format-independent). */
  public String hash() {
    return Provenance.specHash(this);
  }

  /** Every column the analysis table must have. */
  public Set<String> requiredColumns() {
    Set<String> cols = new java.util.LinkedHashSet<>();
    if (data.id() != null) {
      cols.add(data.id());
    }
    cols.add(data.treatment());
    data.covariates().forEach(c -> cols.add(c.name()));
    cols.add(data.outcome());
    if (data.exposure() != null) {
      cols.add(data.exposure());
    }
    cols.addAll(matching.exact());
    return cols;
  }

  /** The analysis table's columns. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Data(
      @JsonProperty("id") String id,
      @JsonProperty("treatment") String treatment,
      @JsonProperty("covariates") List<Covariate> covariates,
      @JsonProperty("outcome") String outcome,
      @JsonProperty("exposure") String exposure) {
    @JsonCreator
    public Data(
        @JsonProperty("id") String id,
        @JsonProperty(value = "treatment", required = true) String treatment,
        @JsonProperty(value = "covariates", required = true) List<Covariate> covariates,
        @JsonProperty(value = "outcome", required = true) String outcome,
        @JsonProperty("exposure") String exposure) {
      SpecViolation.require(treatment != null && !treatment.isBlank(), "treatment",
          "the treatment column is missing", "name the 0/1 column that marks treated units");
      SpecViolation.require(outcome != null && !outcome.isBlank(), "outcome",
          "the outcome column is missing", "name the numeric outcome column");
      SpecViolation.require(covariates != null && !covariates.isEmpty(), "covariates",
          "no covariates are declared", "list the covariates measured at the index date");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < covariates.size(); i++) {
        String n = covariates.get(i).name();
        SpecViolation.require(seen.add(n), "covariates[" + i + "].name",
            "covariate '" + n + "' is declared twice", "declare each covariate once");
        SpecViolation.require(!n.equals(treatment) && !n.equals(outcome), "covariates[" + i + "].name",
            "'" + n + "' is the treatment or the outcome", "covariates are measured before treatment; remove it");
      }
      this.id = id;
      this.treatment = treatment;
      this.covariates = List.copyOf(covariates);
      this.outcome = outcome;
      this.exposure = exposure;
    }
  }

  /** One covariate and how it enters the propensity model and the balance table. */
  public record Covariate(@JsonProperty("name") String name, @JsonProperty("type") CovariateType type) {
    @JsonCreator
    public Covariate(@JsonProperty(value = "name", required = true) String name,
        @JsonProperty("type") CovariateType type) {
      SpecViolation.require(name != null && !name.isBlank(), "name", "the covariate name is missing",
          "name a column of the analysis table");
      this.name = name;
      this.type = type == null ? CovariateType.CONTINUOUS : type;
    }
  }

  /**
   * {@code continuous} enters as is; {@code binary} is a 0/1 column (SMD uses sqrt(p(1−p)), no
   * variance ratio); {@code categorical} becomes one 0/1 dummy per level, the first sorted level
   * being the model's reference (as R's factor), and every level is a binary row in the balance.
   */
  public enum CovariateType {
    CONTINUOUS, BINARY, CATEGORICAL;

    @JsonCreator
    public static CovariateType of(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new SpecViolation("type", "'" + s + "' is not a covariate type",
            "use continuous, binary or categorical");
      }
    }

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The distance units are matched on, and the caliper is measured in. */
  public enum Distance {
    /** The propensity score itself (MatchIt's default {@code distance = "glm"}). */
    PROPENSITY,
    /** The linear predictor, log(p/(1−p)) (MatchIt's {@code link = "linear.logit"}). */
    LINEAR_LOGIT;

    @JsonCreator
    public static Distance of(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (RuntimeException e) {
        throw new SpecViolation("distance", "'" + s + "' is not a distance", "use propensity or linear_logit");
      }
    }

    @JsonValue
    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The matching settings; defaults follow MatchIt's nearest-neighbour method. */
  public record Matching(
      @JsonProperty("ratio") int ratio,
      @JsonProperty("caliper") Double caliper,
      @JsonProperty("distance") Distance distance,
      @JsonProperty("exact") List<String> exact,
      @JsonProperty("replacement") boolean replacement) {
    @JsonCreator
    public Matching(
        @JsonProperty("ratio") Integer ratio,
        @JsonProperty("caliper") Double caliper,
        @JsonProperty("distance") Distance distance,
        @JsonProperty("exact") List<String> exact,
        @JsonProperty("replacement") Boolean replacement) {
      this(ratio == null ? 1 : ratio.intValue(), caliper, distance, exact,
          replacement != null && replacement);
    }

    public Matching {
      SpecViolation.require(ratio >= 1 && ratio <= 20, "ratio", "ratio " + ratio + " is out of range",
          "give the number of controls per treated unit, 1 to 20");
      SpecViolation.require(caliper == null || (caliper > 0 && Double.isFinite(caliper)), "caliper",
          "caliper " + caliper + " is not positive", "give a positive number of SDs (0.2 is common), or omit it");
      distance = distance == null ? Distance.PROPENSITY : distance;
      exact = exact == null ? List.of() : List.copyOf(exact);
    }

    public static Matching defaults() {
      return new Matching(1, null, Distance.PROPENSITY, List.of(), false);
    }
  }
}
