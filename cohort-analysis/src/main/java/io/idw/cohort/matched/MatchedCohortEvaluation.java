package io.idw.cohort.matched;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.idw.cohort.CohortErrors;
import io.idw.cohort.Provenance;
import io.idw.cohort.matched.MatchedCohortSpec.CovariateType;
import io.idw.cohort.matched.MatchedCohortSpec.Distance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.GeneralizedLinearRegression;
import org.apache.spark.ml.regression.GeneralizedLinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Runs a {@link MatchedCohortSpec} on an analysis table (one row per unit: a treatment column,
 * covariates measured at the index date, an outcome, optionally an exposure and exact-match
 * variables) and returns a {@link MatchedCohortResult} and the matched sample.
 *
 * <p>The steps: validate the columns (nulls and a non-0/1 treatment are errors); fit the propensity
 * score by logistic regression (Spark MLlib {@code GeneralizedLinearRegression}, binomial/logit,
 * IRLS to an absolute coefficient change below 1e-10, fitted on covariate patterns with counts as
 * weights, so it agrees with R {@code glm}); match by
 * {@link NearestNeighbourMatcher} in exact strata on the driver; report balance ({@link Balance})
 * before and after; estimate effects ({@link Effects}) on the matched sample, with the naive
 * unmatched comparison beside them.
 *
 * <p>Data order (the order a unit has in the input, used for ties) is the order Spark reads the
 * input in: file order for a single CSV or Parquet file.
 */
public final class MatchedCohortEvaluation {
  private final MatchedCohortSpec spec;

  private MatchedCohortEvaluation(MatchedCohortSpec spec) {
    this.spec = spec;
  }

  /** An evaluation of the given spec. */
  public static MatchedCohortEvaluation of(MatchedCohortSpec spec) {
    return new MatchedCohortEvaluation(spec);
  }

  /** The result and the matched sample. */
  public record Outcome(MatchedCohortResult result, Dataset<Row> matchedSample) {}

  /** A row of the balance table: a display name, a prepared double column, binary or not. */
  record Term(String name, String column, boolean binary, boolean inModel) {}

  /**
   * Runs the evaluation.
   *
   * <p>The input is read a few times (one aggregation into covariate patterns, one pass for the
   * units' distances, one for the matched sample), so data order must be the same each time: a
   * cached Dataset or a plain file or table scan is read as it is; any other plan (joins,
   * shuffles, random sampling) is cached for the run first.
   *
   * @param input the analysis table
   * @param provenance the provenance so far (inputs read, agreement); the spec hash is this spec's
   * @return the result, and the matched sample, one row per matched unit in data order: the
   *     input's spec columns plus {@code unit} (long, a row id in data order), {@code stratum}
   *     (string, the exact variables joined by '|'), {@code propensity}, {@code linear_logit},
   *     {@code subclass} (int, the matched set; 0 with replacement) and {@code weight} (double)
   */
  public Outcome run(Dataset<Row> input, Provenance.Builder provenance) {
    List<String> present = Arrays.asList(input.columns());
    List<String> missing = spec.requiredColumns().stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw CohortErrors.columnsMissing("the input of evaluation " + spec.name(), missing, present);
    }
    for (MatchedCohortSpec.Subgroup g : spec.subgroupList()) {
      try {
        input.select(functions.expr(g.where()).cast("boolean")); // analysed eagerly: a bad condition fails here
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
        throw CohortErrors.subgroupInvalid(spec.name(), List.of(g.where()), e);
      }
    }
    lapStart = System.nanoTime();
    boolean cache = !reReadable(input);
    Dataset<Row> source = cache ? input.persist(StorageLevel.MEMORY_AND_DISK()) : input;
    try {
      CovariatePatterns patterns = CovariatePatterns.of(spec, checkedColumns(), covariateGroups(source).collectAsList());
      lap("covariate patterns: " + patterns.rows());
      return runGrouped(source, patterns, provenance);
    } finally {
      if (cache) {
        source.unpersist();
      }
    }
  }

  // Columns of the covariate-pattern table (covariateGroups).
  private static final String G_TREATMENT = "_g_t";
  private static final String G_COVARIATE = "_g_c";
  private static final String G_N = "_g_n";
  private static final String G_NULLS = "_g_null";
  private static final String G_NON_POSITIVE = "_g_nonpos";
  private static final String[] G_SUMS = {"_g_sy", "_g_syy", "_g_se", "_g_sye", "_g_see"};

  /** The spec's columns checked for nulls: all but the id, in spec order. */
  private List<String> checkedColumns() {
    List<String> cols = new ArrayList<>(spec.requiredColumns());
    cols.remove(spec.data().id());
    return cols;
  }

  /**
   * One aggregation over the units: a row per (treatment value, covariate values) with the number
   * of units {@code _g_n}, per-column null counts of the other checked columns, the count of
   * non-positive exposures, and the naive comparison's sums Σy, Σy², Σe, Σye, Σe². KID covariates
   * (whole years, counts, deciles) have a few thousand patterns, so everything but the matching
   * itself runs on this small table.
   */
  private Dataset<Row> covariateGroups(Dataset<Row> input) {
    MatchedCohortSpec.Data d = spec.data();
    List<Column> keys = new ArrayList<>();
    keys.add(col(d.treatment()).cast("double").as(G_TREATMENT));
    List<MatchedCohortSpec.Covariate> cvs = d.covariates();
    for (int i = 0; i < cvs.size(); i++) {
      MatchedCohortSpec.Covariate cv = cvs.get(i);
      keys.add(col(cv.name()).cast(cv.type() == CovariateType.CATEGORICAL ? "string" : "double").as(G_COVARIATE + i));
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as(G_N));
    List<String> checked = checkedColumns();
    for (int j = 0; j < checked.size(); j++) {
      aggs.add(sum(when(col(checked.get(j)).isNull(), 1L).otherwise(0L)).as(G_NULLS + j));
    }
    aggs.add((d.exposure() == null ? lit(0L)
        : sum(when(col(d.exposure()).cast("double").gt(0), 0L).otherwise(1L))).as(G_NON_POSITIVE));
    Column y = col(d.outcome()).cast("double");
    Column e = d.exposure() == null ? lit(1.0) : col(d.exposure()).cast("double");
    Column[] sums = {y, y.multiply(y), e, y.multiply(e), e.multiply(e)};
    for (int j = 0; j < sums.length; j++) {
      aggs.add(sum(sums[j]).as(G_SUMS[j]));
    }
    return input.groupBy(keys.toArray(Column[]::new)).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  private Outcome runGrouped(Dataset<Row> source, CovariatePatterns pt, Provenance.Builder provenance) {
    SparkSession spark = source.sparkSession();
    MatchedCohortSpec.Data d = spec.data();
    MatchedCohortSpec.Matching m = spec.matching();

    // Terms: covariates as double columns (categoricals as dummies), as expressions on the unit
    // rows and as values per covariate pattern.
    List<Term> terms = new ArrayList<>();
    Map<String, Column> onUnits = new LinkedHashMap<>();
    List<double[]> termValues = new ArrayList<>();
    int k = 0;
    List<MatchedCohortSpec.Covariate> cvs = d.covariates();
    for (int i = 0; i < cvs.size(); i++) {
      MatchedCohortSpec.Covariate cv = cvs.get(i);
      if (cv.type() == CovariateType.CATEGORICAL) {
        List<String> lv = pt.levels(i);
        for (int j = 0; j < lv.size(); j++) {
          String c = "_x" + k++;
          onUnits.put(c, when(col(cv.name()).cast("string").equalTo(lv.get(j)), 1.0).otherwise(0.0));
          termValues.add(pt.values(i, lv.get(j)));
          terms.add(new Term(cv.name() + "=" + lv.get(j), c, true, j > 0));
        }
      } else {
        String c = "_x" + k++;
        onUnits.put(c, col(cv.name()).cast("double"));
        termValues.add(pt.values(i, null));
        terms.add(new Term(cv.name(), c, cv.type() == CovariateType.BINARY, true));
      }
    }
    String[] modelCols = terms.stream().filter(Term::inModel).map(Term::column).toArray(String[]::new);
    double[][] modelValues = new double[modelCols.length][];
    for (int i = 0, j = 0; i < terms.size(); i++) {
      if (terms.get(i).inModel()) {
        modelValues[j++] = termValues.get(i);
      }
    }
    boolean logit = m.distance() == Distance.LINEAR_LOGIT;
    String distanceCol = logit ? MatchedColumns.W_LINEAR_LOGIT : MatchedColumns.W_PROPENSITY;

    // 1. Propensity score, fitted on covariate patterns (see fitPropensity).
    List<double[]> modelRows = pt.modelRows(modelValues);
    GeneralizedLinearRegressionModel ps = fitPropensity(spark, modelRows, modelCols.length);
    Map<String, Double> coef = new LinkedHashMap<>();
    coef.put("(intercept)", ps.intercept());
    for (int i = 0; i < modelCols.length; i++) {
      String col = modelCols[i];
      coef.put(terms.stream().filter(t -> t.column().equals(col)).findFirst().orElseThrow().name(),
          ps.coefficients().apply(i));
    }
    lap("propensity model");

    // 2. Balance before matching and the naive comparison, from the patterns; the distance of a
    // pattern by the same arithmetic as the unit rows' column expressions (see scoreColumns).
    double[] patternDistance = new double[pt.rows()];
    for (int g = 0; g < patternDistance.length; g++) {
      double eta = 0.0;
      for (int i = 0; i < modelCols.length; i++) {
        eta = eta + modelValues[i][g] * ps.coefficients().apply(i);
      }
      eta = eta + ps.intercept();
      patternDistance[g] = logit ? eta : 1.0 / (1.0 + StrictMath.exp(eta * -1.0));
    }
    List<Term> all = balanceTerms(terms, distanceCol);
    double[][] allValues = new double[all.size()][];
    allValues[0] = patternDistance;
    for (int j = 1; j < all.size(); j++) {
      allValues[j] = termValues.get(j - 1);
    }
    Map<Integer, GroupSums> before = pt.groupSums(allValues);
    lap("balance before matching");

    // 3. Distances to the driver, in data order: one pass over the units.
    Column treatedUnit = when(col(d.treatment()).cast("double").equalTo(1.0), 1).otherwise(0);
    Column stratumUnit = m.exact().isEmpty() ? lit("")
        : concat_ws("|", m.exact().stream().map(e -> col(e).cast("string")).toArray(Column[]::new));
    Column[] eta = scoreColumns(ps, modelCols, onUnits::get);
    Dataset<Row> units = source.select(monotonically_increasing_id().as(MatchedColumns.W_UNIT),
        treatedUnit.as(MatchedColumns.W_TREATED), stratumUnit.as(MatchedColumns.W_STRATUM), eta[1], eta[0]);
    UnitDistances ud = UnitDistances.collect(units);
    int n = ud.size();
    long[] ids = ud.ids();
    boolean[] treated = ud.treated();
    int[] stratum = ud.stratum();
    double[] dist = logit ? ud.linearLogit() : ud.propensity();
    double deviance = 0;
    long nTreated = 0;
    for (int i = 0; i < n; i++) {
      double p = ud.propensity()[i];
      deviance -= 2 * (treated[i] ? Math.log(p) : Math.log1p(-p));
      nTreated += treated[i] ? 1 : 0;
    }
    lap("distances collected");

    // 4. Caliper and matching.
    double sd = sd(dist);
    double width = m.caliper() == null ? Double.POSITIVE_INFINITY : m.caliper() * sd;
    NearestNeighbourMatcher.Result match = NearestNeighbourMatcher.match(dist, treated, stratum, m.ratio(),
        width, m.replacement());
    lap("matched");

    // 5. The matched sample: the matched units' rows, joined to their sets.
    List<Row> assign = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (match.weight()[i] > 0) {
        assign.add(RowFactory.create(ids[i], match.subclass()[i], match.weight()[i]));
      }
    }
    StructType assignSchema = new StructType()
        .add("_a_unit", DataTypes.LongType, false)
        .add(MatchedColumns.W_SUBCLASS, DataTypes.IntegerType, false)
        .add(MatchedColumns.W_WEIGHT, DataTypes.DoubleType, false);
    Dataset<Row> assignDf = spark.createDataFrame(assign, assignSchema);
    // the unit ids again (the same plan over the same input), the matched units kept first, then
    // the columns computed for them only
    Dataset<Row> matchedUnits = source.withColumn(MatchedColumns.W_UNIT, monotonically_increasing_id())
        .join(functions.broadcast(assignDf), col(MatchedColumns.W_UNIT).equalTo(col("_a_unit")));
    List<Column> unitCols = new ArrayList<>();
    spec.requiredColumns().forEach(c -> unitCols.add(col(c)));
    unitCols.add(col(MatchedColumns.W_UNIT));
    unitCols.add(col(MatchedColumns.W_SUBCLASS));
    unitCols.add(col(MatchedColumns.W_WEIGHT));
    unitCols.add(treatedUnit.as(MatchedColumns.W_TREATED));
    unitCols.add(col(d.outcome()).cast("double").as(MatchedColumns.OUTCOME));
    boolean exposure = d.exposure() != null;
    if (exposure) {
      unitCols.add(log(col(d.exposure()).cast("double")).as(MatchedColumns.LOG_EXPOSURE));
    }
    unitCols.add((d.id() == null ? lit(null).cast("string") : col(d.id()).cast("string")).as(MatchedColumns.UNIT_ID));
    unitCols.add(stratumUnit.as(MatchedColumns.W_STRATUM));
    onUnits.forEach((c, e) -> unitCols.add(e.as(c)));
    List<MatchedCohortSpec.Subgroup> subgroups = spec.subgroupList();
    for (int i = 0; i < subgroups.size(); i++) {
      unitCols.add(functions.coalesce(functions.expr(subgroups.get(i).where()).cast("boolean"), lit(false))
          .as(MatchedColumns.W_SUBGROUP + i));
    }
    unitCols.add(eta[0]);
    unitCols.add(eta[1]);
    Dataset<Row> matched = matchedUnits.select(unitCols.toArray(Column[]::new));
    List<Column> keep = new ArrayList<>();
    List<String> outNames = List.of(MatchedColumns.UNIT, MatchedColumns.STRATUM, MatchedColumns.PROPENSITY,
        MatchedColumns.LINEAR_LOGIT, MatchedColumns.SUBCLASS, MatchedColumns.WEIGHT);
    spec.requiredColumns().stream().filter(c -> !outNames.contains(c)).forEach(c -> keep.add(col(c)));
    keep.add(col(MatchedColumns.W_UNIT).as(MatchedColumns.UNIT));
    keep.add(col(MatchedColumns.W_STRATUM).as(MatchedColumns.STRATUM));
    keep.add(col(MatchedColumns.W_PROPENSITY).as(MatchedColumns.PROPENSITY));
    keep.add(col(MatchedColumns.W_LINEAR_LOGIT).as(MatchedColumns.LINEAR_LOGIT));
    keep.add(col(MatchedColumns.W_SUBCLASS).as(MatchedColumns.SUBCLASS));
    keep.add(col(MatchedColumns.W_WEIGHT).as(MatchedColumns.WEIGHT));
    Dataset<Row> matchedSample = matched.orderBy(MatchedColumns.W_UNIT).select(keep.toArray(Column[]::new));

    List<String> local = new ArrayList<>(List.of(MatchedColumns.W_UNIT, MatchedColumns.W_TREATED, MatchedColumns.OUTCOME,
        MatchedColumns.W_SUBCLASS, MatchedColumns.W_WEIGHT, MatchedColumns.UNIT_ID, MatchedColumns.W_STRATUM, distanceCol));
    if (exposure) {
      local.add(MatchedColumns.LOG_EXPOSURE);
    }
    terms.forEach(t -> local.add(t.column()));
    int firstSubgroup = local.size();
    for (int i = 0; i < subgroups.size(); i++) {
      local.add(MatchedColumns.W_SUBGROUP + i);
    }
    List<Row> rows = new ArrayList<>(matched.select(local.stream().map(functions::col).toArray(Column[]::new))
        .collectAsList());
    rows.sort(java.util.Comparator.comparingLong(r -> r.getLong(0))); // data order
    int mn = rows.size();
    boolean[] mt = new boolean[mn];
    double[] my = new double[mn];
    int[] msub = new int[mn];
    double[] mw = new double[mn];
    double[] moff = exposure ? new double[mn] : null;
    Map<Long, Row> byUnit = new HashMap<>();
    for (int i = 0; i < mn; i++) {
      Row r = rows.get(i);
      mt[i] = r.getInt(1) == 1;
      my[i] = r.getDouble(2);
      msub[i] = r.getInt(3);
      mw[i] = r.getDouble(4);
      if (exposure) {
        moff[i] = r.getDouble(8);
      }
      byUnit.put(r.getLong(0), r);
    }
    lap("matched sample collected");

    // 6. Balance after matching (weighted, on the driver) and effects.
    List<Balance.Row> balance = balance(all, before, rows, mt, mw, exposure ? 9 : 8);
    int[] clusters = m.replacement() ? null : msub;
    Effects.Estimate diff = Effects.differenceInMeans(my, mt, mw, clusters);
    double[] beta = Effects.poissonClosedForm(my, mt, mw, moff);
    Effects.Estimate rr = Effects.poissonRateRatio(my, mt, mw, moff, beta, clusters);
    double[] means = Effects.wlsBinary(my, mt, mw);
    MatchedCohortResult.OutcomeEffects matchedEffects = new MatchedCohortResult.OutcomeEffects(diff, rr,
        means[0] + means[1], means[0]);
    MatchedCohortResult.OutcomeEffects naive = Effects.naive(before.get(1).naiveSums(), before.get(0).naiveSums());
    List<MatchedCohortResult.SubgroupEffects> subgroupEffects = subgroups(rows, firstSubgroup, mt, my, msub, mw, moff,
        m.replacement());
    lap("balance and effects");
    // 7. Pairs and sizes.
    List<MatchedCohortResult.Pair> pairs = new ArrayList<>();
    Integer[] order = java.util.stream.IntStream.range(0, n).filter(i -> match.controlsOf()[i] != null
        && match.controlsOf()[i].length > 0).boxed().toArray(Integer[]::new);
    if (m.replacement()) {
      double[] dd = dist;
      Arrays.sort(order, (a, b) -> Double.compare(dd[b], dd[a]));
    } else {
      Arrays.sort(order, (a, b) -> Integer.compare(match.subclass()[a], match.subclass()[b]));
    }
    for (int t : order) {
      Row tr = byUnit.get(ids[t]);
      for (int c : match.controlsOf()[t]) {
        Row cr = byUnit.get(ids[c]);
        pairs.add(new MatchedCohortResult.Pair(m.replacement() ? null : match.subclass()[t], tr.getString(6),
            unitId(tr, t), unitId(cr, c), dist[t], dist[c]));
      }
    }
    long noControl = 0;
    long outside = 0;
    for (NearestNeighbourMatcher.Unmatched u : match.unmatched()) {
      if (u == NearestNeighbourMatcher.Unmatched.NO_CONTROL_IN_STRATUM) {
        noControl++;
      } else if (u == NearestNeighbourMatcher.Unmatched.OUTSIDE_CALIPER) {
        outside++;
      }
    }
    MatchedCohortResult.Sizes sizes = new MatchedCohortResult.Sizes(nTreated, n - nTreated,
        match.matchedTreated(), match.matchedControls(), noControl, outside,
        m.replacement() ? 0 : match.matchedTreated());
    List<String> notes = List.of(
        "estimand: the average treatment effect in the treated (ATT) among matched treated units",
        "difference_in_means: weighted difference in mean outcome, treated minus control",
        "rate_ratio: exp(coefficient of treatment) in a Poisson log-linear model"
            + (exposure ? " with offset log(" + spec.data().exposure() + ")" : "")
            + " and the matching weights (closed-form MLE with one binary regressor, as R glm gives)",
        "naive: all treated vs all control units before matching; difference SE HC1, rate ratio SE HC0",
        "95% CIs are Wald, estimate +/- 1.959964 SE (log scale for ratios)");
    MatchedCohortResult result = new MatchedCohortResult(spec.name(), "matched_cohort", spec, sizes,
        new MatchedCohortResult.PropensityModel("binomial(logit), IRLS (Spark MLlib GLR) on " + modelRows.size()
            + " covariate patterns weighted by their unit counts", coef,
            ps.summary().numIterations(), deviance, n),
        new MatchedCohortResult.Caliper(m.distance().json(), sd, m.caliper(),
            m.caliper() == null ? null : width),
        balance,
        new MatchedCohortResult.EffectsBlock(spec.data().outcome(), "ATT", matchedEffects, naive, notes),
        subgroupEffects,
        pairs,
        provenance.build());
    return new Outcome(result, matchedSample);
  }

  /**
   * Fits the binomial/logit GLR by IRLS on grouped sufficient statistics: one row per distinct
   * covariate pattern, label the fraction treated, weight the number of units. The binomial
   * likelihood of the grouped rows equals that of the unit rows (up to a constant), so the MLE is
   * the same as R {@code glm} on the units; KID covariates (age in years, counts, deciles) have
   * few patterns, so each IRLS pass reads thousands of rows instead of millions. With continuous
   * covariates there are as many patterns as units, spread over the cores.
   *
   * @param modelRows per pattern: the model terms' values, the unit count, the fraction treated
   */
  private GeneralizedLinearRegressionModel fitPropensity(SparkSession spark, List<double[]> modelRows, int p) {
    List<Row> rows = new ArrayList<>(modelRows.size());
    for (double[] r : modelRows) {
      rows.add(RowFactory.create(Vectors.dense(Arrays.copyOf(r, p)), r[p], r[p + 1]));
    }
    StructType schema = new StructType().add(MatchedColumns.FEATURES, SQLDataTypes.VectorType(), false)
        .add("_n", DataTypes.DoubleType, false).add("_y", DataTypes.DoubleType, false);
    boolean large = rows.size() > 50_000;
    Dataset<Row> grouped = large
        ? spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(rows, spark.sparkContext().defaultParallelism()), schema).persist(StorageLevel.MEMORY_AND_DISK())
        : spark.createDataFrame(rows, schema);
    lap("covariate patterns in the model: " + rows.size());
    try {
      return new GeneralizedLinearRegression().setFamily("binomial").setLink("logit")
          .setMaxIter(100).setTol(1e-10).setRegParam(0.0)
          .setFeaturesCol(MatchedColumns.FEATURES).setLabelCol("_y").setWeightCol("_n")
          .setPredictionCol(MatchedColumns.W_PROPENSITY).setLinkPredictionCol(MatchedColumns.W_LINEAR_LOGIT)
          .fit(grouped);
    } catch (RuntimeException e) {
      throw CohortErrors.modelFailed("propensity model (logistic regression)", e);
    } finally {
      if (large) {
        grouped.unpersist();
      }
    }
  }

  /**
   * The linear predictor and the propensity as Spark column expressions, named
   * {@code _m_linear_logit} and {@code _m_propensity}: the GLR model's own arithmetic (x·β +
   * intercept, then 1/(1 + exp(−η))), so no unit row needs a feature vector.
   *
   * @param term the expression of each model column
   */
  private static Column[] scoreColumns(GeneralizedLinearRegressionModel ps, String[] modelCols,
      java.util.function.Function<String, Column> term) {
    Column dot = lit(0.0);
    for (int i = 0; i < modelCols.length; i++) {
      dot = dot.plus(term.apply(modelCols[i]).multiply(lit(ps.coefficients().apply(i))));
    }
    Column eta = dot.plus(lit(ps.intercept()));
    Column p = lit(1.0).divide(lit(1.0).plus(functions.exp(eta.multiply(-1.0))));
    return new Column[] {eta.as(MatchedColumns.W_LINEAR_LOGIT), p.as(MatchedColumns.W_PROPENSITY)};
  }

  /**
   * The effects within each declared subgroup: the matched sets whose treated unit is in it (each
   * unit by its own value when matching with replacement), with the same estimators as overall.
   */
  private List<MatchedCohortResult.SubgroupEffects> subgroups(List<Row> rows, int first, boolean[] mt, double[] my,
      int[] msub, double[] mw, double[] moff, boolean replacement) {
    List<MatchedCohortResult.SubgroupEffects> out = new ArrayList<>();
    List<MatchedCohortSpec.Subgroup> declared = spec.subgroupList();
    for (int g = 0; g < declared.size(); g++) {
      MatchedCohortSpec.Subgroup sg = declared.get(g);
      boolean[] in = new boolean[rows.size()];
      java.util.Set<Integer> sets = new java.util.HashSet<>();
      for (int i = 0; i < rows.size(); i++) {
        in[i] = rows.get(i).getBoolean(first + g);
        if (!replacement && mt[i] && in[i]) {
          sets.add(msub[i]);
        }
      }
      if (!replacement) {
        for (int i = 0; i < rows.size(); i++) {
          in[i] = sets.contains(msub[i]);
        }
      }
      int k = 0;
      for (boolean b : in) {
        k += b ? 1 : 0;
      }
      double[] y = new double[k];
      boolean[] t = new boolean[k];
      double[] w = new double[k];
      int[] c = new int[k];
      double[] off = moff == null ? null : new double[k];
      long nt = 0;
      double yt = 0;
      double yc = 0;
      for (int i = 0, j = 0; i < rows.size(); i++) {
        if (in[i]) {
          y[j] = my[i];
          t[j] = mt[i];
          w[j] = mw[i];
          c[j] = msub[i];
          if (off != null) {
            off[j] = moff[i];
          }
          nt += mt[i] ? 1 : 0;
          yt += mt[i] ? mw[i] * my[i] : 0;
          yc += mt[i] ? 0 : mw[i] * my[i];
          j++;
        }
      }
      long nc = k - nt;
      String note = null;
      if (nt == 0 || nc == 0) {
        note = "no estimate: the subgroup has " + nt + " matched treated and " + nc + " matched control units";
      } else if (yt <= 0 || yc <= 0) {
        note = "no rate ratio: no outcome events among the subgroup's matched " + (yt <= 0 ? "treated" : "control") + " units";
      } else if (!replacement && sets.size() < 2) {
        note = "no estimate: a clustered standard error needs at least two matched sets, the subgroup has " + sets.size();
      }
      MatchedCohortResult.OutcomeEffects fx = null;
      if (note == null) {
        int[] clusters = replacement ? null : c;
        double[] beta = Effects.poissonClosedForm(y, t, w, off);
        double[] means = Effects.wlsBinary(y, t, w);
        fx = new MatchedCohortResult.OutcomeEffects(Effects.differenceInMeans(y, t, w, clusters),
            Effects.poissonRateRatio(y, t, w, off, beta, clusters), means[0] + means[1], means[0]);
      }
      out.add(new MatchedCohortResult.SubgroupEffects(sg.name(), sg.label(), sg.where(), nt, nc, fx, note));
    }
    return out;
  }

  private static final boolean TIMING = Boolean.getBoolean("idw.matched.timing");
  private long lapStart = System.nanoTime();

  /** With -Didw.matched.timing=true, prints the seconds each phase took to stderr. */
  private void lap(String what) {
    if (TIMING) {
      long now = System.nanoTime();
      System.err.printf("matched-cohort: %-28s %6.1f s%n", what, (now - lapStart) / 1e9);
      lapStart = now;
    }
  }

  private static String unitId(Row r, int index) {
    return r.isNullAt(5) ? String.valueOf(index) : r.getString(5);
  }

  /** The balance table's terms: the distance first, then the covariate terms. */
  private List<Term> balanceTerms(List<Term> terms, String distanceCol) {
    List<Term> all = new ArrayList<>();
    all.add(new Term("distance (" + spec.matching().distance().json() + ")", distanceCol, false, false));
    all.addAll(terms);
    return all;
  }

  /** Per treatment group (1, 0): units, mean and n−1 variance of each balance term, and Σy, Σy², Σe, Σye, Σe². */
  record GroupSums(long n, double[] mean, double[] variance, double[] outcomeSums) {
    /** {n, Σy, Σy², Σe, Σye, Σe²} as {@link Effects#naive} takes them. */
    double[] naiveSums() {
      double[] g = new double[6];
      g[0] = n;
      System.arraycopy(outcomeSums, 0, g, 1, 5);
      return g;
    }
  }

  private static List<Balance.Row> balance(List<Term> all, Map<Integer, GroupSums> before, List<Row> rows,
      boolean[] mt, double[] mw, int firstTermIndex) {
    List<Balance.Row> out = new ArrayList<>();
    for (int j = 0; j < all.size(); j++) {
      Term t = all.get(j);
      int rowIndex = j == 0 ? 7 : firstTermIndex + j - 1;
      double[] x = new double[rows.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = rows.get(i).getDouble(rowIndex);
      }
      GroupSums g1 = before.get(1);
      GroupSums g0 = before.get(0);
      out.add(Balance.row(t.name(), t.binary(), new Balance.GroupStats(g1.n(), g1.mean()[j], g1.variance()[j]),
          new Balance.GroupStats(g0.n(), g0.mean()[j], g0.variance()[j]),
          Balance.stats(x, mw, mt, true), Balance.stats(x, mw, mt, false)));
    }
    return out;
  }

  /**
   * Whether reading the input again gives the same rows in the same order: a cached Dataset, or a
   * plan of deterministic projections and filters over file, table, local or range scans.
   */
  static boolean reReadable(Dataset<Row> input) {
    org.apache.spark.storage.StorageLevel level = input.storageLevel();
    if (level.useMemory() || level.useDisk()) {
      return true;
    }
    return scanOnly(input.queryExecution().optimizedPlan());
  }

  private static boolean scanOnly(org.apache.spark.sql.catalyst.plans.logical.LogicalPlan p) {
    boolean node = switch (p.getClass().getSimpleName()) {
      case "Project", "Filter", "SubqueryAlias", "LogicalRelation", "LocalRelation", "InMemoryRelation",
          "DataSourceV2Relation", "DataSourceV2ScanRelation", "Range" -> true;
      default -> false;
    };
    if (!node || !p.deterministic()) {
      return false;
    }
    for (org.apache.spark.sql.catalyst.plans.logical.LogicalPlan c : scala.jdk.javaapi.CollectionConverters.asJava(p.children())) {
      if (!scanOnly(c)) {
        return false;
      }
    }
    return true;
  }

  /** The sample SD (n−1). */
  static double sd(double[] x) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    return Math.sqrt(ss / (x.length - 1));
  }
}
