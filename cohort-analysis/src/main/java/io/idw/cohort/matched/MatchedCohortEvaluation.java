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
import org.apache.spark.ml.feature.VectorAssembler;
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
   * @param input the analysis table
   * @param provenance the provenance so far (inputs read, agreement); the spec hash is this spec's
   * @return the result, and the matched sample, one row per matched unit in data order: the
   *     input's spec columns plus {@code unit} (long, a row id in data order), {@code stratum}
   *     (string, the exact variables joined by '|'), {@code propensity}, {@code linear_logit},
   *     {@code subclass} (int, the matched set; 0 with replacement) and {@code weight} (double)
   */
  public Outcome run(Dataset<Row> input, Provenance.Builder provenance) {
    SparkSession spark = input.sparkSession();
    MatchedCohortSpec.Data d = spec.data();
    List<String> present = Arrays.asList(input.columns());
    List<String> missing = spec.requiredColumns().stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw CohortErrors.columnsMissing("the input of evaluation " + spec.name(), missing, present);
    }
    lapStart = System.nanoTime();
    Map<String, List<String>> levels = checkValues(input);
    lap("input checked");

    // Prepare: treatment as int, covariates as double columns (categoricals as dummies).
    List<Term> terms = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    for (String c : spec.requiredColumns()) {
      cols.add(col(c));
    }
    Column treat = input.schema().apply(d.treatment()).dataType() instanceof BooleanType
        ? when(col(d.treatment()), 1).otherwise(0) : col(d.treatment()).cast("int");
    cols.add(treat.as(MatchedColumns.W_TREATED));
    cols.add(treat.cast("double").as("_label"));
    cols.add(monotonically_increasing_id().as(MatchedColumns.W_UNIT));
    cols.add(col(d.outcome()).cast("double").as(MatchedColumns.OUTCOME));
    if (d.exposure() != null) {
      cols.add(log(col(d.exposure()).cast("double")).as(MatchedColumns.LOG_EXPOSURE));
    }
    cols.add((d.id() == null ? lit(null).cast("string") : col(d.id()).cast("string")).as(MatchedColumns.UNIT_ID));
    cols.add(spec.matching().exact().isEmpty() ? lit("").as(MatchedColumns.W_STRATUM)
        : concat_ws("|", spec.matching().exact().stream().map(e -> col(e).cast("string")).toArray(Column[]::new))
            .as(MatchedColumns.W_STRATUM));
    int k = 0;
    for (MatchedCohortSpec.Covariate cv : d.covariates()) {
      if (cv.type() == CovariateType.CATEGORICAL) {
        List<String> lv = levels.get(cv.name());
        for (int j = 0; j < lv.size(); j++) {
          String c = "_x" + k++;
          cols.add(when(col(cv.name()).cast("string").equalTo(lv.get(j)), 1.0).otherwise(0.0).as(c));
          terms.add(new Term(cv.name() + "=" + lv.get(j), c, true, j > 0));
        }
      } else {
        String c = "_x" + k++;
        cols.add(col(cv.name()).cast("double").as(c));
        terms.add(new Term(cv.name(), c, cv.type() == CovariateType.BINARY, true));
      }
    }
    List<MatchedCohortSpec.Subgroup> subgroups = spec.subgroupList();
    for (int i = 0; i < subgroups.size(); i++) {
      cols.add(functions.coalesce(functions.expr(subgroups.get(i).where()).cast("boolean"), lit(false))
          .as(MatchedColumns.W_SUBGROUP + i));
    }
    String[] modelCols = terms.stream().filter(Term::inModel).map(Term::column).toArray(String[]::new);
    for (MatchedCohortSpec.Subgroup g : subgroups) {
      try {
        input.select(functions.expr(g.where()).cast("boolean")); // analysed eagerly: a bad condition fails here
      } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes
        throw CohortErrors.subgroupInvalid(spec.name(), List.of(g.where()), e);
      }
    }
    // no feature vectors on the unit rows: the fit runs on grouped rows, scoring is a column expression
    Dataset<Row> prepared = input.select(cols.toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return runPrepared(spark, prepared, terms, modelCols, provenance);
    } finally {
      prepared.unpersist();
    }
  }

  private Outcome runPrepared(SparkSession spark, Dataset<Row> prepared, List<Term> terms, String[] modelCols,
      Provenance.Builder provenance) {
    MatchedCohortSpec.Matching m = spec.matching();
    boolean logit = m.distance() == Distance.LINEAR_LOGIT;
    String distanceCol = logit ? MatchedColumns.W_LINEAR_LOGIT : MatchedColumns.W_PROPENSITY;

    // 1. Propensity score, fitted on covariate patterns (see fitPropensity).
    long[] patterns = new long[1];
    GeneralizedLinearRegressionModel ps = fitPropensity(prepared, modelCols, patterns);
    Dataset<Row> scored = score(prepared, ps, modelCols);
    Map<String, Double> coef = new LinkedHashMap<>();
    coef.put("(intercept)", ps.intercept());
    for (int i = 0; i < modelCols.length; i++) {
      String col = modelCols[i];
      coef.put(terms.stream().filter(t -> t.column().equals(col)).findFirst().orElseThrow().name(),
          ps.coefficients().apply(i));
    }

    // 2. Distances to the driver, in data order.
    List<Long> unitIds = new ArrayList<>();
    List<Boolean> treatedL = new ArrayList<>();
    Map<String, Integer> strata = new HashMap<>();
    List<Integer> stratumL = new ArrayList<>();
    List<Double> distL = new ArrayList<>();
    lap("propensity model");
    Iterator<Row> it = scored.select(MatchedColumns.W_UNIT, MatchedColumns.W_TREATED, MatchedColumns.W_STRATUM,
        MatchedColumns.W_PROPENSITY, MatchedColumns.W_LINEAR_LOGIT).collectAsList().iterator();
    double deviance = 0;
    int n = 0;
    long[] ids = new long[1024];
    boolean[] treated = new boolean[1024];
    int[] stratum = new int[1024];
    double[] dist = new double[1024];
    while (it.hasNext()) {
      Row r = it.next();
      if (n == ids.length) {
        ids = Arrays.copyOf(ids, n * 2);
        treated = Arrays.copyOf(treated, n * 2);
        stratum = Arrays.copyOf(stratum, n * 2);
        dist = Arrays.copyOf(dist, n * 2);
      }
      ids[n] = r.getLong(0);
      treated[n] = r.getInt(1) == 1;
      stratum[n] = strata.computeIfAbsent(r.getString(2), s -> strata.size());
      double p = r.getDouble(3);
      dist[n] = logit ? r.getDouble(4) : p;
      deviance -= 2 * (treated[n] ? Math.log(p) : Math.log1p(-p));
      n++;
    }
    ids = Arrays.copyOf(ids, n);
    treated = Arrays.copyOf(treated, n);
    stratum = Arrays.copyOf(stratum, n);
    dist = Arrays.copyOf(dist, n);
    long nTreated = 0;
    for (boolean t : treated) {
      nTreated += t ? 1 : 0;
    }
    if (nTreated == 0 || nTreated == n) {
      throw CohortErrors.noUnits("the input has " + nTreated + " treated and " + (n - nTreated) + " control units");
    }

    lap("distances collected");
    // 3. Caliper and matching.
    double sd = sd(dist);
    double width = m.caliper() == null ? Double.POSITIVE_INFINITY : m.caliper() * sd;
    NearestNeighbourMatcher.Result match = NearestNeighbourMatcher.match(dist, treated, stratum, m.ratio(),
        width, m.replacement());

    lap("matched");
    // 4. The matched sample, back in Spark.
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
    Dataset<Row> matched = scored.join(functions.broadcast(assignDf), col(MatchedColumns.W_UNIT).equalTo(col("_a_unit")))
        .drop("_a_unit").orderBy(MatchedColumns.W_UNIT);
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
    Dataset<Row> matchedSample = matched.select(keep.toArray(Column[]::new));

    List<String> local = new ArrayList<>(List.of(MatchedColumns.W_UNIT, MatchedColumns.W_TREATED, MatchedColumns.OUTCOME,
        MatchedColumns.W_SUBCLASS, MatchedColumns.W_WEIGHT, MatchedColumns.UNIT_ID, MatchedColumns.W_STRATUM, distanceCol));
    boolean exposure = spec.data().exposure() != null;
    if (exposure) {
      local.add(MatchedColumns.LOG_EXPOSURE);
    }
    terms.forEach(t -> local.add(t.column()));
    int firstSubgroup = local.size();
    for (int i = 0; i < spec.subgroupList().size(); i++) {
      local.add(MatchedColumns.W_SUBGROUP + i);
    }
    List<Row> rows = matched.select(local.stream().map(functions::col).toArray(Column[]::new)).collectAsList();
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
    // 5. Balance: before over all units (Spark), after over the matched sample (weighted).
    List<Term> all = balanceTerms(terms, distanceCol);
    Map<Integer, Row> before = beforeAggregates(scored, all, exposure);
    List<Balance.Row> balance = balance(all, before, rows, mt, mw, exposure ? 9 : 8);

    // 6. Effects.
    int[] clusters = m.replacement() ? null : msub;
    Effects.Estimate diff = Effects.differenceInMeans(my, mt, mw, clusters);
    double[] beta = Effects.poissonClosedForm(my, mt, mw, moff);
    Effects.Estimate rr = Effects.poissonRateRatio(my, mt, mw, moff, beta, clusters);
    double[] means = Effects.wlsBinary(my, mt, mw);
    MatchedCohortResult.OutcomeEffects matchedEffects = new MatchedCohortResult.OutcomeEffects(diff, rr,
        means[0] + means[1], means[0]);
    MatchedCohortResult.OutcomeEffects naive = naive(before, all.size());
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
        new MatchedCohortResult.PropensityModel("binomial(logit), IRLS (Spark MLlib GLR) on " + patterns[0]
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
   * covariates the grouped table is as long as the input and the fit costs the same as before.
   */
  private GeneralizedLinearRegressionModel fitPropensity(Dataset<Row> prepared, String[] modelCols, long[] patterns) {
    Dataset<Row> grouped = prepared.groupBy(Arrays.stream(modelCols).map(functions::col).toArray(Column[]::new))
        .agg(count(lit(1)).cast("double").as("_n"), functions.avg(col("_label")).as("_y"));
    grouped = new VectorAssembler().setInputCols(modelCols).setOutputCol(MatchedColumns.FEATURES)
        .transform(grouped).select(MatchedColumns.FEATURES, "_n", "_y")
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      patterns[0] = grouped.count();
      lap("covariate patterns: " + patterns[0]);
      return new GeneralizedLinearRegression().setFamily("binomial").setLink("logit")
          .setMaxIter(100).setTol(1e-10).setRegParam(0.0)
          .setFeaturesCol(MatchedColumns.FEATURES).setLabelCol("_y").setWeightCol("_n")
          .setPredictionCol(MatchedColumns.W_PROPENSITY).setLinkPredictionCol(MatchedColumns.W_LINEAR_LOGIT)
          .fit(grouped);
    } catch (RuntimeException e) {
      throw CohortErrors.modelFailed("propensity model (logistic regression)", e);
    } finally {
      grouped.unpersist();
    }
  }

  /**
   * Adds the linear predictor and the propensity as Spark column expressions (the GLR model's
   * own arithmetic: x·β + intercept, then 1/(1 + exp(−η))), so the unit rows need no vectors.
   */
  private static Dataset<Row> score(Dataset<Row> prepared, GeneralizedLinearRegressionModel ps, String[] modelCols) {
    Column dot = lit(0.0);
    for (int i = 0; i < modelCols.length; i++) {
      dot = dot.plus(col(modelCols[i]).multiply(lit(ps.coefficients().apply(i))));
    }
    Column eta = dot.plus(lit(ps.intercept()));
    return prepared.withColumn(MatchedColumns.W_LINEAR_LOGIT, eta)
        .withColumn(MatchedColumns.W_PROPENSITY, lit(1.0).divide(lit(1.0).plus(functions.exp(col(MatchedColumns.W_LINEAR_LOGIT).multiply(-1.0)))));
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

  /**
   * One Spark job over all units, grouped by treatment (0, 1): count, then mean and n−1 variance
   * of every balance term, then the naive comparison's sums Σy, Σy², Σe, Σye, Σe².
   */
  private static Map<Integer, Row> beforeAggregates(Dataset<Row> scored, List<Term> all, boolean exposure) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(lit(1)).as("_n"));
    for (Term t : all) {
      aggs.add(functions.avg(col(t.column())));
      aggs.add(functions.var_samp(col(t.column())));
    }
    Column y = col(MatchedColumns.OUTCOME);
    Column e = exposure ? functions.exp(col(MatchedColumns.LOG_EXPOSURE)) : lit(1.0);
    aggs.addAll(List.of(sum(y), sum(y.multiply(y)), sum(e), sum(y.multiply(e)), sum(e.multiply(e))));
    Map<Integer, Row> before = new HashMap<>();
    for (Row r : scored.groupBy(MatchedColumns.W_TREATED)
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).collectAsList()) {
      before.put(r.getInt(0), r);
    }
    return before;
  }

  private static List<Balance.Row> balance(List<Term> all, Map<Integer, Row> before, List<Row> rows,
      boolean[] mt, double[] mw, int firstTermIndex) {
    List<Balance.Row> out = new ArrayList<>();
    for (int j = 0; j < all.size(); j++) {
      Term t = all.get(j);
      int rowIndex = j == 0 ? 7 : firstTermIndex + j - 1;
      double[] x = new double[rows.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = rows.get(i).getDouble(rowIndex);
      }
      Balance.GroupStats tb = groupStats(before.get(1), j);
      Balance.GroupStats cb = groupStats(before.get(0), j);
      out.add(Balance.row(t.name(), t.binary(), tb, cb, Balance.stats(x, mw, mt, true), Balance.stats(x, mw, mt, false)));
    }
    return out;
  }

  /** The naive comparison from the per-group sums (closed forms; see {@link Effects#naive}). */
  private static MatchedCohortResult.OutcomeEffects naive(Map<Integer, Row> before, int terms) {
    double[][] g = new double[2][];
    for (int t = 0; t < 2; t++) {
      Row r = before.get(t);
      int at = 2 + 2 * terms;
      g[t] = new double[] {r.getLong(1), r.getDouble(at), r.getDouble(at + 1), r.getDouble(at + 2),
          r.getDouble(at + 3), r.getDouble(at + 4)};
    }
    return Effects.naive(g[1], g[0]);
  }

  private static Balance.GroupStats groupStats(Row r, int term) {
    double nn = r.getLong(1);
    double var = r.isNullAt(3 + 2 * term) ? Double.NaN : r.getDouble(3 + 2 * term);
    return new Balance.GroupStats(nn, r.getDouble(2 + 2 * term), var);
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

  /**
   * Throws a clear error for nulls, a non-binary treatment or a non-positive exposure, and
   * returns each categorical covariate's sorted levels (all in one Spark job).
   */
  private Map<String, List<String>> checkValues(Dataset<Row> input) {
    MatchedCohortSpec.Data d = spec.data();
    List<String> cols = new ArrayList<>(spec.requiredColumns());
    cols.remove(d.id());
    List<Column> aggs = new ArrayList<>();
    for (String c : cols) {
      aggs.add(sum(when(col(c).isNull(), 1).otherwise(0)));
    }
    boolean bool = input.schema().apply(d.treatment()).dataType() instanceof BooleanType;
    aggs.add(bool ? lit(0L) : sum(when(col(d.treatment()).cast("double").isin(0.0, 1.0), 0).otherwise(1)));
    aggs.add(d.exposure() == null ? lit(0L) : sum(when(col(d.exposure()).cast("double").gt(0), 0).otherwise(1)));
    List<String> categorical = d.covariates().stream().filter(c -> c.type() == CovariateType.CATEGORICAL)
        .map(MatchedCohortSpec.Covariate::name).toList();
    for (String c : categorical) {
      aggs.add(functions.collect_set(col(c).cast("string")));
    }
    Row r = input.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    for (int i = 0; i < cols.size(); i++) {
      if (!r.isNullAt(i) && r.getLong(i) > 0) {
        throw CohortErrors.nullValues(cols.get(i), r.getLong(i));
      }
    }
    int at = cols.size();
    if (!r.isNullAt(at) && ((Number) r.get(at)).longValue() > 0) {
      throw CohortErrors.treatmentNotBinary(d.treatment(), ((Number) r.get(at)).longValue()
          + " rows with values other than 0 and 1");
    }
    if (d.exposure() != null && !r.isNullAt(at + 1) && ((Number) r.get(at + 1)).longValue() > 0) {
      throw CohortErrors.nonPositiveExposure(d.exposure(), ((Number) r.get(at + 1)).longValue());
    }
    Map<String, List<String>> levels = new HashMap<>();
    for (int i = 0; i < categorical.size(); i++) {
      levels.put(categorical.get(i), r.<String>getList(at + 2 + i).stream().sorted().toList());
    }
    return levels;
  }
}
