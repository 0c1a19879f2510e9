package io.idw.cohort.its;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.idw.core.IdwMappers;
import io.idw.core.SpecViolation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An interrupted-time-series evaluation, declared in YAML or JSON:
 *
 * <pre>
 * name: sicily_smoking_ban
 * description: Acute coronary events before and after the smoking ban
 * input: sicily.csv              # optional; relative to the spec file; --input overrides it
 * columns:
 *   year: year                   # either year + month (integers) ...
 *   month: month
 *   # period: month              # ... or one column of YYYY-MM text or dates
 *   outcome: aces                # the monthly count
 *   population: stdpop           # optional denominator: log(population) is the offset
 *   group: series                # the column naming each series; needed with comparison
 * interruption: 2005-01          # first month of the intervention
 * transitionMonths: 0            # months from the interruption left out of the fit
 * comparison:                    # optional: controlled ITS against a comparison series
 *   intervention: with_service   # the group value of the intervention series
 *   control: without_service     # the group value of the comparison series
 * model:
 *   family: quasi_poisson        # poisson | quasi_poisson | ols (OLS on rates, Newey-West SEs)
 *   harmonics: 2                 # k pairs sin/cos(2πj·month/12), j = 1..k (0..5)
 *   slopeChange: false           # add (time − t0)·post
 *   neweyWest: {lag: 3, smallSampleAdjustment: true}   # ols only
 *   ratePer: 100000              # ols only: the rate is outcome / population × ratePer
 * </pre>
 *
 * <p>Values are immutable and validated on construction; unknown keys are errors. The effect
 * starts after the transition: with {@code transitionMonths: m} the post indicator is 1 from the
 * interruption plus m months, and those m months are excluded from the fit but still predicted.
 * {@link #sha256()} hashes the canonical JSON of the bound spec, so a YAML and a JSON file that
 * say the same thing share one hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItsSpec(
    String name,
    String description,
    String input,
    Columns columns,
    YearMonth interruption,
    int transitionMonths,
    Comparison comparison,
    Model model) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  @JsonCreator
  public ItsSpec(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty("description") String description,
      @JsonProperty("input") String input,
      @JsonProperty(value = "columns", required = true) Columns columns,
      @JsonProperty(value = "interruption", required = true) YearMonth interruption,
      @JsonProperty("transitionMonths") Integer transitionMonths,
      @JsonProperty("comparison") Comparison comparison,
      @JsonProperty(value = "model", required = true) Model model) {
    this(name, description, input, columns, interruption,
        transitionMonths == null ? 0 : transitionMonths, comparison, model);
  }

  public ItsSpec {
    SpecViolation.require(name != null && NAME.matcher(name).matches(), "name",
        "'" + name + "' is not a valid evaluation name", "use lower snake_case, such as falls_service_its");
    SpecViolation.require(columns != null, "columns", "the column mapping is missing",
        "map at least the period (or year and month) and the outcome column");
    SpecViolation.require(interruption != null, "interruption", "the interruption month is missing",
        "give the first month of the intervention as YYYY-MM");
    SpecViolation.require(transitionMonths >= 0 && transitionMonths <= 60, "transitionMonths",
        transitionMonths + " is out of range", "give 0 (no transition) up to 60 months");
    SpecViolation.require(model != null, "model", "the model is missing", "add model: {family: quasi_poisson}");
    if (comparison != null) {
      SpecViolation.require(columns.group() != null, "columns.group",
          "a comparison series is declared but no group column names the series",
          "add columns.group: the column holding '" + comparison.intervention() + "' and '" + comparison.control() + "'");
    }
    if (model.family() != Family.OLS) {
      SpecViolation.require(model.neweyWest() == null, "model.neweyWest",
          "Newey-West standard errors apply to family ols only",
          "remove model.neweyWest, or set model.family: ols");
    }
    if (model.family() == Family.OLS) {
      SpecViolation.require(columns.population() != null, "columns.population",
          "family ols models the rate outcome / population, but no population column is mapped",
          "map columns.population, or use family poisson / quasi_poisson on counts");
    }
  }

  /** Reads a spec file; errors name the file, the field and the fix. */
  public static ItsSpec read(Path file) {
    return IdwMappers.readFile(file, ItsSpec.class);
  }

  /** Parses spec text (YAML or JSON); {@code origin} names it in errors. */
  public static ItsSpec parse(String text, String origin) {
    return IdwMappers.readString(text, origin, ItsSpec.class);
  }

  /** The canonical JSON of this spec (sorted keys, defaults filled in). */
  public String toJson() {
    try {
      return IdwMappers.json().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an ITS spec", e);
    }
  }

  /** SHA-256 (lowercase hex) of {@link #toJson()}. */
  public String sha256() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(toJson().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True for a controlled ITS (a comparison series is declared). */
  @JsonIgnore
  public boolean controlled() {
    return comparison != null;
  }

  /** The first month the post indicator is 1: the interruption plus the transition. */
  @JsonIgnore
  public YearMonth effectStart() {
    return interruption.plusMonths(transitionMonths);
  }

  /** How the input table's columns map to the series. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Columns(String period, String year, String month, String outcome, String population, String group) {
    @JsonCreator
    public Columns(
        @JsonProperty("period") String period,
        @JsonProperty("year") String year,
        @JsonProperty("month") String month,
        @JsonProperty(value = "outcome", required = true) String outcome,
        @JsonProperty("population") String population,
        @JsonProperty("group") String group) {
      SpecViolation.require((period != null) != (year != null || month != null), "period",
          period == null ? "neither a period column nor year and month columns are mapped"
              : "both a period column and year/month columns are mapped",
          "map either period (YYYY-MM text or a date) or both year and month (integers)");
      SpecViolation.require(period != null || (year != null && month != null), year == null ? "year" : "month",
          "year and month must be mapped together", "map both year and month, or a single period column");
      SpecViolation.require(outcome != null && !outcome.isBlank(), "outcome", "the outcome column is missing",
          "name the column holding the monthly count");
      this.period = period;
      this.year = year;
      this.month = month;
      this.outcome = outcome;
      this.population = population;
      this.group = group;
    }
  }

  /** The two series of a controlled ITS, by their value in the group column. */
  public record Comparison(String intervention, String control) {
    @JsonCreator
    public Comparison(
        @JsonProperty(value = "intervention", required = true) String intervention,
        @JsonProperty(value = "control", required = true) String control) {
      SpecViolation.require(intervention != null && !intervention.isBlank(), "intervention",
          "the intervention series is not named", "give the group value of the series with the intervention");
      SpecViolation.require(control != null && !control.isBlank(), "control",
          "the control series is not named", "give the group value of the comparison series");
      SpecViolation.require(!intervention.equals(control), "control",
          "the intervention and control series are both '" + control + "'", "name two different series");
      this.intervention = intervention;
      this.control = control;
    }
  }

  /** The regression model. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Model(Family family, int harmonics, boolean slopeChange, NeweyWest neweyWest, double ratePer) {
    /** Spark GLR's harmonic limit: k = 6 makes sin(πm) ≡ 0. */
    public static final int MAX_HARMONICS = 5;

    @JsonCreator
    static Model fromJson(
        @JsonProperty(value = "family", required = true) Family family,
        @JsonProperty("harmonics") Integer harmonics,
        @JsonProperty("slopeChange") Boolean slopeChange,
        @JsonProperty("neweyWest") NeweyWest neweyWest,
        @JsonProperty("ratePer") Double ratePer) {
      return new Model(family, harmonics == null ? 0 : harmonics, slopeChange != null && slopeChange,
          family == Family.OLS && neweyWest == null ? new NeweyWest(null, null) : neweyWest,
          ratePer == null ? 100_000d : ratePer);
    }

    public Model {
      SpecViolation.require(family != null, "family", "the model family is missing",
          "set family: poisson, quasi_poisson or ols");
      SpecViolation.require(harmonics >= 0 && harmonics <= MAX_HARMONICS, "harmonics",
          harmonics + " harmonic pairs is out of range",
          "give 0 to " + MAX_HARMONICS + " (pair 6 would be sin(πm) = 0 for every month)");
      SpecViolation.require(ratePer > 0 && Double.isFinite(ratePer), "ratePer", ratePer + " is not a positive number",
          "give the rate multiplier, such as 100000");
    }
  }

  /**
   * Newey-West (HAC) standard errors for OLS: Bartlett weights 1 − l/(lag+1), no prewhitening.
   * With {@code smallSampleAdjustment} (the default, as Stata {@code newey} and statsmodels
   * {@code use_correction=True}) the covariance is multiplied by n/(n−k) and intervals use t(n−k);
   * without it, by 1 and intervals use the normal distribution.
   */
  public record NeweyWest(int lag, boolean smallSampleAdjustment) {
    @JsonCreator
    public NeweyWest(@JsonProperty("lag") Integer lag,
        @JsonProperty("smallSampleAdjustment") Boolean smallSampleAdjustment) {
      this(lag == null ? 3 : lag, smallSampleAdjustment == null || smallSampleAdjustment);
    }

    public NeweyWest {
      SpecViolation.require(lag >= 0 && lag <= 36, "lag", "lag " + lag + " is out of range",
          "give a lag of 0 (White's HC0) up to 36 months; 3 is common for monthly data");
    }
  }

  /** The model family. */
  public enum Family {
    POISSON("poisson"),
    QUASI_POISSON("quasi_poisson"),
    OLS("ols");

    private final String id;

    Family(String id) {
      this.id = id;
    }

    @JsonValue
    public String id() {
      return id;
    }

    @JsonCreator
    public static Family of(String text) {
      for (Family f : values()) {
        if (f.id.equals(text.toLowerCase(Locale.ROOT).replace('-', '_'))) {
          return f;
        }
      }
      throw new SpecViolation("family", "'" + text + "' is not a model family", "use poisson, quasi_poisson or ols");
    }
  }

  /** Parses YYYY-MM; for tests and callers building specs in code. */
  public static YearMonth month(String text) {
    try {
      return YearMonth.parse(text);
    } catch (DateTimeParseException e) {
      throw new SpecViolation("interruption", "'" + text + "' is not a YYYY-MM month", "write the month as 2005-01");
    }
  }
}
