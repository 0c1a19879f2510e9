package io.idw.cohort.its;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The result of an interrupted-time-series evaluation: the effect estimates, the full coefficient
 * table, the observed/fitted/counterfactual series, events averted, residual diagnostics and
 * provenance. Serialises to JSON with {@link #toJson()}.
 *
 * @param analysis {@code its} or {@code controlled_its}
 * @param levelChange the level change: a rate ratio (Poisson families) or a rate difference (ols)
 * @param slopeChange the slope change per month, or null without {@code slopeChange}
 * @param events the intervention series' post period against its counterfactual
 * @param notEstimable why no effect is reported ("too few events to estimate: ..."), or null; when
 *     set, {@code levelChange}, {@code slopeChange} and {@code events} are null (the model's raw
 *     coefficients stay in {@code coefficients} for review, but are not estimates to act on)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItsResult(
    String name,
    String description,
    String analysis,
    Method method,
    Fit fit,
    Effect levelChange,
    Effect slopeChange,
    Events events,
    List<Coefficient> coefficients,
    List<Diagnostics> diagnostics,
    List<SeriesRow> series,
    Integer seriesPeriodMonths,
    Provenance provenance,
    String notEstimable) {

  /** The wording every consumer shows instead of numbers when the effect cannot be estimated. */
  public static final String TOO_FEW_EVENTS = "too few events to estimate";

  /** Whether the result has effect estimates (see {@code notEstimable}). */
  public boolean estimable() {
    return notEstimable == null;
  }

  /** Months each series row covers: 1 (monthly, the model's own series) unless {@link #aggregated} made it more. */
  public int periodMonths() {
    return seriesPeriodMonths == null ? 1 : seriesPeriodMonths;
  }

  /**
   * This result with its series in periods of {@code months} months, for release when monthly
   * counts are too small to publish; the model, effects and events are unchanged (the model is
   * still fitted on months). Periods are aligned so one starts at the interruption, and only whole
   * periods are kept. Each period row is labelled with its first month and sums the months'
   * observed, fitted and counterfactual counts and populations (person-months), so its rates stay
   * per month. A period is post, and in the fit, only if all its months are.
   *
   * @throws IllegalArgumentException if {@code months} is not 1 to 12
   */
  public ItsResult aggregated(int months) {
    if (months < 1 || months > 12) {
      throw new IllegalArgumentException("period of " + months + " months: give 1 to 12");
    }
    if (months == periodMonths()) {
      return this;
    }
    if (periodMonths() != 1) {
      throw new IllegalArgumentException("the series is already in " + periodMonths() + "-month periods");
    }
    java.time.YearMonth t0 = java.time.YearMonth.parse(method.interruption());
    java.util.Map<String, java.util.TreeMap<Long, List<SeriesRow>>> byGroup = new java.util.LinkedHashMap<>();
    for (SeriesRow r : series) {
      long k = Math.floorDiv(t0.until(java.time.YearMonth.parse(r.month()), java.time.temporal.ChronoUnit.MONTHS), months);
      byGroup.computeIfAbsent(String.valueOf(r.group()), g -> new java.util.TreeMap<>())
          .computeIfAbsent(k, x -> new ArrayList<>()).add(r);
    }
    double per = method.ratePer() == null ? 100000 : method.ratePer();
    List<SeriesRow> out = new ArrayList<>();
    for (var g : byGroup.values()) {
      for (var e : g.entrySet()) {
        List<SeriesRow> rs = e.getValue();
        if (rs.size() != months) {
          continue;
        }
        double obs = 0;
        double fitted = 0;
        double cf = 0;
        double pop = 0;
        boolean hasPop = true;
        boolean post = true;
        boolean inFit = true;
        for (SeriesRow r : rs) {
          obs += r.observed();
          fitted += r.fitted();
          cf += r.counterfactual();
          hasPop &= r.population() != null;
          pop += r.population() == null ? 0 : r.population();
          post &= r.post();
          inFit &= r.inFit();
        }
        out.add(new SeriesRow(t0.plusMonths(e.getKey() * months).toString(), rs.get(0).group(), post, inFit, obs,
            hasPop ? pop : null, fitted, cf, hasPop && pop > 0 ? obs / pop * per : null,
            hasPop && pop > 0 ? fitted / pop * per : null, hasPop && pop > 0 ? cf / pop * per : null));
      }
    }
    return new ItsResult(name, description, analysis, method, fit, levelChange, slopeChange, events, coefficients,
        diagnostics, out, months, provenance, notEstimable);
  }

  /** How the model was specified and fitted, in words a reviewer can check against R or Stata. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Method(
      String family,
      String fitter,
      String interruption,
      int transitionMonths,
      String effectStart,
      boolean slopeChangeTerm,
      int harmonicPairs,
      String harmonics,
      String confidenceIntervals,
      String dispersion,
      Integer neweyWestLag,
      Boolean smallSampleAdjustment,
      String neweyWest,
      Double ratePer,
      String residuals) {}

  /** Fit statistics; {@code dispersion} is 1 for Poisson, Pearson χ²/df for quasi-Poisson, σ² for ols. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Fit(int observations, int parameters, int residualDf, double dispersion, Double pearsonChi2,
      Double deviance, Integer iterations) {}

  /** One model term; {@code statistic} is z (Poisson families, ols without adjustment) or t. */
  public record Coefficient(String term, double estimate, double standardError, double statistic, double pValue,
      double lower, double upper) {}

  /**
   * An effect: {@code estimate} with its 95% interval on the reported {@code scale}
   * ({@code rate_ratio}, {@code rate_ratio_per_month} or {@code rate_difference}); {@code coefficient}
   * and {@code standardError} are on the model scale (log for Poisson families).
   */
  public record Effect(String term, String scale, double estimate, double lower, double upper, double pValue,
      double coefficient, double standardError) {}

  /**
   * Events in the intervention series' post period: observed, fitted and counterfactual totals, and
   * {@code averted} = counterfactual − fitted (negative when events were added), with a delta-method
   * 95% interval.
   */
  public record Events(int months, double observed, double fitted, double counterfactual, double averted,
      double avertedLower, double avertedUpper, double relativeChange) {}

  /**
   * One month of one series (one period of {@code seriesPeriodMonths} months, labelled by its first
   * month, after {@link ItsResult#aggregated}); rates are per month per {@code Method.ratePer}
   * (100,000 by default).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SeriesRow(String month, String group, boolean post, boolean inFit, double observed,
      Double population, double fitted, double counterfactual, Double observedRate, Double fittedRate,
      Double counterfactualRate) {}

  /** Residual autocorrelation of one series (lags 1..12, fewer for short series). */
  public record Diagnostics(String group, String residualType, int observations, double[] acf, double[] pacf,
      double durbinWatson, int breuschGodfreyOrder, double breuschGodfreyLm, double breuschGodfreyPValue) {}

  /** A table or file the evaluation read: a Delta table with its version, or a file with its SHA-256. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(String name, Long version, String sha256, Long rows) {}

  /** The data-sharing agreement a governed evaluation ran under. */
  public record Agreement(String id, String version, String sha256, String purpose) {}

  /** What the result was computed from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Provenance(String specSha256, String idwVersion, String generatedAt, List<Input> inputs,
      Agreement agreement) {}

  /**
   * The level change rounded for a one-line summary, e.g. {@code rate_ratio 0.894 (0.865–0.925)},
   * or the {@code notEstimable} reason ("too few events to estimate: ...").
   */
  public String headline() {
    if (!estimable()) {
      return notEstimable;
    }
    Effect e = levelChange;
    return String.format(java.util.Locale.ROOT, "%s %.3f (%.3f–%.3f)", e.scale(), e.estimate(), e.lower(), e.upper());
  }

  public String toJson() {
    try {
      return IdwMappers.json().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an ITS result", e);
    }
  }

  /** Writes {@link #toJson()} to a file. */
  public void writeJson(Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, toJson() + "\n");
    } catch (IOException e) {
      throw ItsErrors.outputUnwritable(file.toString(), e);
    }
  }

  /** Reads a result written by {@link #writeJson}. */
  public static ItsResult readJson(Path file) {
    return IdwMappers.readFile(file, ItsResult.class);
  }

  /**
   * The series as a Dataset, for the analysis zone. Columns: {@code evaluation} string, {@code month}
   * string YYYY-MM, {@code series_group} string (null for a single series), {@code post} boolean,
   * {@code in_fit} boolean, {@code observed}, {@code population} (nullable), {@code fitted},
   * {@code counterfactual} double, {@code spec_sha256} string.
   */
  public Dataset<Row> seriesFrame(SparkSession spark) {
    StructType schema = new StructType()
        .add("evaluation", DataTypes.StringType, false)
        .add("month", DataTypes.StringType, false)
        .add("series_group", DataTypes.StringType, true)
        .add("post", DataTypes.BooleanType, false)
        .add("in_fit", DataTypes.BooleanType, false)
        .add("observed", DataTypes.DoubleType, false)
        .add("population", DataTypes.DoubleType, true)
        .add("fitted", DataTypes.DoubleType, false)
        .add("counterfactual", DataTypes.DoubleType, false)
        .add("spec_sha256", DataTypes.StringType, false);
    List<Row> rows = new ArrayList<>();
    for (SeriesRow s : series) {
      rows.add(RowFactory.create(name, s.month(), s.group(), s.post(), s.inFit(), s.observed(), s.population(),
          s.fitted(), s.counterfactual(), provenance.specSha256()));
    }
    return spark.createDataFrame(rows, schema);
  }
}
