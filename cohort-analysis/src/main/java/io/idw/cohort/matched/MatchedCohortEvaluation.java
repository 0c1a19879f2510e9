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
 * score by logistic regression ({@link LogisticIrls}: IRLS as R {@code glm(binomial)} does, to
 * a relative deviance change below 1e-12, on the driver after one collect of the units); match by
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
    Dataset<Row> selected = input.select(cols.toArray(Column[]::new));
    return runLocal(spark, selected, terms, modelCols, provenance);
  }

  /**
   * Everything after the input check on the driver, from one collect of the prepared units (the
   * analysis table of an evaluation is at most tens of thousands of units): the propensity model
   * by IRLS, matching, balance, effects, subgroups, and the matched sample as a local Dataset.
   */
  private Outcome runLocal(SparkSession spark, Dataset<Row> selected, List<Term> terms, String[] modelCols,
      Provenance.Builder provenance) {
    MatchedCohortSpec.Matching m = spec.matching();
    boolean logit = m.distance() == Distance.LINEAR_LOGIT;
    boolean exposure = spec.data().exposure() != null;
    List<String> names = Arrays.asList(selected.columns());
    List<Row> all = selected.collectAsList();
    lap("units collected");
    int n = all.size();
    int iTreated = names.indexOf(MatchedColumns.W_TREATED);
    int iUnit = names.indexOf(MatchedColumns.W_UNIT);
    int iOutcome = names.indexOf(MatchedColumns.OUTCOME);
    int iExposure = names.indexOf(MatchedColumns.LOG_EXPOSURE);
    int iUnitId = names.indexOf(MatchedColumns.UNIT_ID);
    int iStratum = names.indexOf(MatchedColumns.W_STRATUM);
    int firstSubgroup = names.indexOf(MatchedColumns.W_SUBGROUP + 0);
    int[] iTerm = terms.stream().mapToInt(t -> names.indexOf(t.column())).toArray();
    int[] iModel = Arrays.stream(modelCols).mapToInt(names::indexOf).toArray();

    long[] ids = new long[n];
    boolean[] treated = new boolean[n];
    int[] stratum = new int[n];
    double[] y = new double[n];
    double[] off = exposure ? new double[n] : null;
    double[][] x = new double[n][iModel.length + 1];
    double[][] termValues = new double[terms.size()][n];
    Map<String, Integer> strata = new HashMap<>();
    long nTreated = 0;
    for (int i = 0; i < n; i++) {
      Row r = all.get(i);
      ids[i] = r.getLong(iUnit);
      treated[i] = r.getInt(iTreated) == 1;
      nTreated += treated[i] ? 1 : 0;
      stratum[i] = strata.computeIfAbsent(r.getString(iStratum), s -> strata.size());
      y[i] = r.getDouble(iOutcome);
      if (exposure) {
        off[i] = r.getDouble(iExposure);
      }
      x[i][0] = 1;
      for (int j = 0; j < iModel.length; j++) {
        if (r.isNullAt(iModel[j])) {
          String c = modelCols[j];
          throw CohortErrors.nullValues(terms.stream().filter(t -> t.column().equals(c)).findFirst().orElseThrow().name()
              + " (as a number)", 1);
        }
        x[i][j + 1] = r.getDouble(iModel[j]);
      }
      for (int j = 0; j < iTerm.length; j++) {
        termValues[j][i] = r.isNullAt(iTerm[j]) ? Double.NaN : r.getDouble(iTerm[j]);
      }
    }
    if (nTreated == 0 || nTreated == n) {
      throw CohortErrors.noUnits("the input has " + nTreated + " treated and " + (n - nTreated) + " control units");
    }

    // 1. Propensity score: logistic regression by IRLS, as R glm(binomial).
    LogisticIrls ps;
    try {
      ps = LogisticIrls.fit(x, treated);
    } catch (RuntimeException e) {
      throw CohortErrors.modelFailed("propensity model (logistic regression)", e);
    }
    Map<String, Double> coef = new LinkedHashMap<>();
    coef.put("(intercept)", ps.beta()[0]);
    for (int i = 0; i < modelCols.length; i++) {
      String col = modelCols[i];
      coef.put(terms.stream().filter(t -> t.column().equals(col)).findFirst().orElseThrow().name(), ps.beta()[i + 1]);
    }
    double[] prob = new double[n];
    double[] eta = new double[n];
    double[] dist = new double[n];
    double deviance = 0;
    for (int i = 0; i < n; i++) {
      eta[i] = ps.linearPredictor(x[i]);
      prob[i] = 1 / (1 + Math.exp(-eta[i]));
      dist[i] = logit ? eta[i] : prob[i];
      deviance -= 2 * (treated[i] ? Math.log(prob[i]) : Math.log1p(-prob[i]));
    }
    lap("propensity model");

    // 2. Caliper and matching.
    double sd = sd(dist);
    double width = m.caliper() == null ? Double.POSITIVE_INFINITY : m.caliper() * sd;
    NearestNeighbourMatcher.Result match = NearestNeighbourMatcher.match(dist, treated, stratum, m.ratio(),
        width, m.replacement());
    lap("matched");

    // 3. The matched units, in data order, and the matched sample as a local Dataset.
    int[] mi = java.util.stream.IntStream.range(0, n).filter(i -> match.weight()[i] > 0).toArray();
    int mn = mi.length;
    boolean[] mt = new boolean[mn];
    double[] my = new double[mn];
    int[] msub = new int[mn];
    double[] mw = new double[mn];
    double[] moff = exposure ? new double[mn] : null;
    List<Row> mrows = new ArrayList<>(mn);
    List<String> outNames = List.of(MatchedColumns.UNIT, MatchedColumns.STRATUM, MatchedColumns.PROPENSITY,
        MatchedColumns.LINEAR_LOGIT, MatchedColumns.SUBCLASS, MatchedColumns.WEIGHT);
    List<String> keep = spec.requiredColumns().stream().filter(c -> !outNames.contains(c)).toList();
    int[] iKeep = keep.stream().mapToInt(names::indexOf).toArray();
    StructType sampleSchema = new StructType();
    for (String c : keep) {
      sampleSchema = sampleSchema.add(selected.schema().apply(c));
    }
    sampleSchema = sampleSchema.add(MatchedColumns.UNIT, DataTypes.LongType, false)
        .add(MatchedColumns.STRATUM, DataTypes.StringType, true)
        .add(MatchedColumns.PROPENSITY, DataTypes.DoubleType, false)
        .add(MatchedColumns.LINEAR_LOGIT, DataTypes.DoubleType, false)
        .add(MatchedColumns.SUBCLASS, DataTypes.IntegerType, false)
        .add(MatchedColumns.WEIGHT, DataTypes.DoubleType, false);
    for (int k = 0; k < mn; k++) {
      int i = mi[k];
      mt[k] = treated[i];
      my[k] = y[i];
      msub[k] = match.subclass()[i];
      mw[k] = match.weight()[i];
      if (exposure) {
        moff[k] = off[i];
      }
      Row r = all.get(i);
      Object[] v = new Object[keep.size() + 6];
      for (int j = 0; j < iKeep.length; j++) {
        v[j] = r.get(iKeep[j]);
      }
      v[keep.size()] = ids[i];
      v[keep.size() + 1] = r.getString(iStratum);
      v[keep.size() + 2] = prob[i];
      v[keep.size() + 3] = eta[i];
      v[keep.size() + 4] = match.subclass()[i];
      v[keep.size() + 5] = match.weight()[i];
      mrows.add(RowFactory.create(v));
    }
    Dataset<Row> matchedSample = spark.createDataFrame(mrows, sampleSchema);

    // 4. Balance: before over all units, after over the matched sample (weighted).
    List<Term> balanceTerms = balanceTerms(terms, logit ? MatchedColumns.W_LINEAR_LOGIT : MatchedColumns.W_PROPENSITY);
    List<double[]> values = new ArrayList<>();
    values.add(dist);
    values.addAll(Arrays.asList(termValues));
    double[] ones = new double[n];
    Arrays.fill(ones, 1.0);
    List<Balance.Row> balance = new ArrayList<>();
    for (int j = 0; j < balanceTerms.size(); j++) {
      double[] v = values.get(j);
      double[] mv = new double[mn];
      for (int k = 0; k < mn; k++) {
        mv[k] = v[mi[k]];
      }
      Term t = balanceTerms.get(j);
      balance.add(Balance.row(t.name(), t.binary(), Balance.stats(v, ones, treated, true),
          Balance.stats(v, ones, treated, false), Balance.stats(mv, mw, mt, true), Balance.stats(mv, mw, mt, false)));
    }

    // 5. Effects.
    int[] clusters = m.replacement() ? null : msub;
    Effects.Estimate diff = Effects.differenceInMeans(my, mt, mw, clusters);
    double[] beta = Effects.poissonClosedForm(my, mt, mw, moff);
    Effects.Estimate rr = Effects.poissonRateRatio(my, mt, mw, moff, beta, clusters);
    double[] means = Effects.wlsBinary(my, mt, mw);
    MatchedCohortResult.OutcomeEffects matchedEffects = new MatchedCohortResult.OutcomeEffects(diff, rr,
        means[0] + means[1], means[0]);
    MatchedCohortResult.OutcomeEffects naive = naive(y, treated, off);
    boolean[][] inSubgroup = new boolean[spec.subgroupList().size()][mn];
    for (int g = 0; g < inSubgroup.length; g++) {
      for (int k = 0; k < mn; k++) {
        inSubgroup[g][k] = all.get(mi[k]).getBoolean(firstSubgroup + g);
      }
    }
    List<MatchedCohortResult.SubgroupEffects> subgroupEffects = subgroups(inSubgroup, mt, my, msub, mw, moff,
        m.replacement());
    lap("balance and effects");

    // 6. Pairs and sizes.
    List<MatchedCohortResult.Pair> pairs = new ArrayList<>();
    Integer[] order = java.util.stream.IntStream.range(0, n).filter(i -> match.controlsOf()[i] != null
        && match.controlsOf()[i].length > 0).boxed().toArray(Integer[]::new);
    if (m.replacement()) {
      Arrays.sort(order, (a, b) -> Double.compare(dist[b], dist[a]));
    } else {
      Arrays.sort(order, (a, b) -> Integer.compare(match.subclass()[a], match.subclass()[b]));
    }
    for (int t : order) {
      for (int c : match.controlsOf()[t]) {
        pairs.add(new MatchedCohortResult.Pair(m.replacement() ? null : match.subclass()[t],
            all.get(t).getString(iStratum), unitId(all.get(t), iUnitId, t), unitId(all.get(c), iUnitId, c), dist[t], dist[c]));
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
        new MatchedCohortResult.PropensityModel("binomial(logit), IRLS", coef, ps.iterations(), deviance, n),
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
   * The effects within each declared subgroup: the matched sets whose treated unit is in it (each
   * unit by its own value when matching with replacement), with the same estimators as overall.
   */
  private List<MatchedCohortResult.SubgroupEffects> subgroups(boolean[][] member, boolean[] mt, double[] my,
      int[] msub, double[] mw, double[] moff, boolean replacement) {
    List<MatchedCohortResult.SubgroupEffects> out = new ArrayList<>();
    List<MatchedCohortSpec.Subgroup> declared = spec.subgroupList();
    int rowsN = mt.length;
    for (int g = 0; g < declared.size(); g++) {
      MatchedCohortSpec.Subgroup sg = declared.get(g);
      boolean[] in = member[g].clone();
      java.util.Set<Integer> sets = new java.util.HashSet<>();
      for (int i = 0; i < rowsN; i++) {
        if (!replacement && mt[i] && in[i]) {
          sets.add(msub[i]);
        }
      }
      if (!replacement) {
        for (int i = 0; i < rowsN; i++) {
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
      for (int i = 0, j = 0; i < rowsN; i++) {
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

  private static String unitId(Row r, int column, int index) {
    return r.isNullAt(column) ? String.valueOf(index) : r.getString(column);
  }

  /** The balance table's terms: the distance first, then the covariate terms. */
  private List<Term> balanceTerms(List<Term> terms, String distanceCol) {
    List<Term> all = new ArrayList<>();
    all.add(new Term("distance (" + spec.matching().distance().json() + ")", distanceCol, false, false));
    all.addAll(terms);
    return all;
  }

  /** The naive comparison (all treated vs all controls) from per-group sums; see {@link Effects#naive}. */
  private static MatchedCohortResult.OutcomeEffects naive(double[] y, boolean[] treated, double[] logExposure) {
    double[][] g = new double[2][6];
    for (int i = 0; i < y.length; i++) {
      double[] s = g[treated[i] ? 1 : 0];
      double e = logExposure == null ? 1.0 : Math.exp(logExposure[i]);
      s[0]++;
      s[1] += y[i];
      s[2] += y[i] * y[i];
      s[3] += e;
      s[4] += y[i] * e;
      s[5] += e * e;
    }
    return Effects.naive(g[1], g[0]);
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
