package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.idw.linkage.internal.EmEstimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Fellegi-Sunter linkage in Spark with Splink's vocabulary: blocking rules generate record pairs,
 * comparisons turn each pair into a comparison vector, u is estimated by random sampling, m by EM
 * over pairs blocked on training rules, and prediction gives each pair a match weight and
 * probability.
 *
 * <p>Records are any {@code Dataset<Row>} with the settings' unique id column and the columns its
 * comparisons and rules read (for idw: encodings and keyed tokens only).
 */
public final class Linker {
  private final SparkSession spark;
  private final LinkageSettings settings;

  private Linker(SparkSession spark, LinkageSettings settings) {
    this.spark = spark;
    this.settings = settings;
    LinkageFunctions.register(spark);
  }

  public static Linker of(SparkSession spark, LinkageSettings settings) {
    return new Linker(spark, settings);
  }

  public LinkageSettings settings() {
    return settings;
  }

  private String uid() {
    return settings.uniqueIdColumnName();
  }

  /** The columns a record needs: the id, the source column if any, and every input column. */
  private List<String> neededColumns(Dataset<Row> records, PairRestriction restriction) {
    Set<String> cols = new LinkedHashSet<>();
    cols.add(uid());
    if (settings.sourceDatasetColumnName() != null) {
      cols.add(settings.sourceDatasetColumnName());
    }
    cols.addAll(settings.inputColumns());
    if (restriction != null) {
      cols.addAll(restriction.columns());
    }
    List<String> present = Arrays.asList(records.columns());
    List<String> missing = cols.stream().filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw LinkageErrors.columnsMissing("the records", missing, present);
    }
    return new ArrayList<>(cols);
  }

  private static Dataset<Row> suffixed(Dataset<Row> d, List<String> cols, String side) {
    return d.select(cols.stream().map(c -> col(c).as(c + "_" + side)).toArray(Column[]::new));
  }

  private Column pairFilter(PairRestriction restriction) {
    Column c = col(uid() + "_l").lt(col(uid() + "_r"));
    String src = settings.sourceDatasetColumnName();
    if (LinkageSettings.LINK_ONLY.equals(settings.linkType())) {
      c = c.and(col(src + "_l").notEqual(col(src + "_r")));
    }
    if (restriction != null) {
      c = c.and(expr(restriction.sql()));
    }
    return c;
  }

  /**
   * The record pairs the rules generate, each pair once: rule k keeps only pairs no earlier rule
   * generated, as Splink does.
   *
   * @param restriction null, or a condition over suffixed columns that every pair must meet (for
   *     example only pairs with a new record, in incremental linkage)
   * @return columns {@code <uid>_l, <uid>_r, match_key} (the index of the generating rule) and every
   *     input column suffixed {@code _l} and {@code _r}
   */
  public Dataset<Row> blockedPairs(Dataset<Row> records, List<BlockingRule> rules, PairRestriction restriction) {
    List<String> cols = neededColumns(records, restriction);
    Dataset<Row> l = suffixed(records, cols, "l");
    Dataset<Row> r = suffixed(records, cols, "r");
    Dataset<Row> all = null;
    List<String> earlier = new ArrayList<>();
    for (int k = 0; k < rules.size(); k++) {
      Column cond = expr(rules.get(k).suffixedSql()).and(pairFilter(restriction));
      for (String e : earlier) {
        cond = cond.and(functions_not_true(e));
      }
      Dataset<Row> pairs = l.join(r, cond).withColumn(LinkColumns.MATCH_KEY, lit(k));
      all = all == null ? pairs : all.unionByName(pairs);
      earlier.add(rules.get(k).suffixedSql());
    }
    return all;
  }

  private static Column functions_not_true(String sql) {
    return expr("NOT coalesce((" + sql + "), false)");
  }

  /**
   * Counts the comparisons each prediction blocking rule generates (after removing pairs earlier
   * rules generated). Joins only the id and blocking columns, so it is cheap to run before linking.
   */
  public List<BlockingCount> countComparisons(Dataset<Row> records, List<BlockingRule> rules) {
    Set<String> cols = new LinkedHashSet<>();
    cols.add(uid());
    if (settings.sourceDatasetColumnName() != null) {
      cols.add(settings.sourceDatasetColumnName());
    }
    rules.forEach(r -> cols.addAll(r.columns()));
    Dataset<Row> slim = records.select(cols.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    Linker narrow = new Linker(spark, settings.toBuilder()
        .comparisons(List.of(Comparisons.exact("id", uid()))).build());
    Dataset<Row> pairs = narrow.blockedPairs(slim, rules, null);
    Map<Integer, Long> counts = new LinkedHashMap<>();
    for (Row row : pairs.groupBy(LinkColumns.MATCH_KEY).count().collectAsList()) {
      counts.put(row.getInt(0), row.getLong(1));
    }
    List<BlockingCount> out = new ArrayList<>();
    for (int k = 0; k < rules.size(); k++) {
      out.add(new BlockingCount(k, rules.get(k).blockingRule(), counts.getOrDefault(k, 0L)));
    }
    return out;
  }

  /** Comparisons generated by one blocking rule. */
  public record BlockingCount(int matchKey, String blockingRule, long comparisons) {}

  /**
   * Adds the comparison vector to pairs.
   *
   * @return {@code <uid>_l, <uid>_r, match_key} (when present) and one {@code gamma_<comparison>}
   *     integer column per comparison (-1 null, then n-1 most similar .. 0 least)
   */
  public Dataset<Row> comparisonVectors(Dataset<Row> pairs) {
    List<Column> out = new ArrayList<>();
    out.add(col(uid() + "_l"));
    out.add(col(uid() + "_r"));
    if (Arrays.asList(pairs.columns()).contains(LinkColumns.MATCH_KEY)) {
      out.add(col(LinkColumns.MATCH_KEY));
    }
    String src = settings.sourceDatasetColumnName();
    if (src != null) {
      out.add(col(src + "_l"));
      out.add(col(src + "_r"));
    }
    for (Comparison c : settings.comparisons()) {
      out.add(expr(c.gammaSql()).cast("int").as(c.gammaColumn()));
    }
    return pairs.select(out.toArray(Column[]::new));
  }

  /** Distinct comparison vectors and their counts, collected to the driver. */
  Patterns patterns(Dataset<Row> vectors) {
    List<Comparison> cs = settings.comparisons();
    Column[] g = cs.stream().map(c -> col(c.gammaColumn())).toArray(Column[]::new);
    List<Row> rows = vectors.groupBy(g).count().collectAsList();
    int[][] gammas = new int[rows.size()][cs.size()];
    long[] counts = new long[rows.size()];
    for (int p = 0; p < rows.size(); p++) {
      Row r = rows.get(p);
      for (int c = 0; c < cs.size(); c++) {
        gammas[p][c] = r.getInt(c);
      }
      counts[p] = r.getLong(cs.size());
    }
    return new Patterns(gammas, counts);
  }

  record Patterns(int[][] gammas, long[] counts) {
    long total() {
      return Arrays.stream(counts).sum();
    }
  }

  /**
   * A condition on pairs beyond the blocking rules, over suffixed columns ({@code x_l}, {@code x_r}).
   *
   * @param sql the condition
   * @param columns the record columns it reads (unsuffixed)
   */
  public record PairRestriction(String sql, List<String> columns) {
    /** Pairs where at least one side has the boolean column true. */
    public static PairRestriction eitherSide(String booleanColumn) {
      return new PairRestriction("(" + booleanColumn + "_l OR " + booleanColumn + "_r)", List.of(booleanColumn));
    }
  }

  /** A random sample of record pairs for u: about {@code maxPairs} pairs from a record sample. */
  public Dataset<Row> randomPairs(Dataset<Row> records, long maxPairs, long seed) {
    List<String> cols = neededColumns(records, null);
    long n = records.count();
    if (n < 3) {
      throw LinkageErrors.tooFewRecords(n);
    }
    double k = Math.sqrt(2.0 * maxPairs);
    double fraction = Math.min(1.0, k / n);
    Dataset<Row> sample = records.select(cols.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .sample(false, fraction, seed).localCheckpoint();
    Dataset<Row> l = suffixed(sample, cols, "l");
    Dataset<Row> r = suffixed(sample, cols, "r");
    return l.crossJoin(r).where(pairFilter(null));
  }

  /** Trains u then m (one EM session per training rule, averaged) and λ; returns the model and a report. */
  public Training train(Dataset<Row> records) {
    List<Comparison> cs = settings.comparisons();
    Dataset<Row> recs = records.select(neededColumns(records, null).stream()
        .map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).cache();
    try {
      long n = recs.count();
      // u by random sampling
      Patterns up = patterns(comparisonVectors(randomPairs(recs, settings.uMaxPairs(), settings.seed())));
      double[][] u = new double[cs.size()][];
      for (int c = 0; c < cs.size(); c++) {
        Comparison comp = cs.get(c);
        int k = nonNullLevels(comp);
        double[] cnt = new double[k];
        double tot = 0;
        for (int p = 0; p < up.gammas().length; p++) {
          int gv = up.gammas()[p][c];
          if (gv >= 0) {
            cnt[gv] += up.counts()[p];
            tot += up.counts()[p];
          }
        }
        u[c] = new double[k];
        for (int gv = 0; gv < k; gv++) {
          ComparisonLevel level = comp.levels().get(comp.levelIndexOfGamma(gv));
          u[c][gv] = Boolean.TRUE.equals(level.fixU()) && level.u() != null ? level.u() : (cnt[gv] + 0.5) / (tot + 0.5 * k);
        }
      }
      // m by EM, one session per training rule
      double[][] mInit = initialM(cs);
      double[][] mSum = new double[cs.size()][];
      int[] sessionsTrained = new int[cs.size()];
      for (int c = 0; c < cs.size(); c++) {
        mSum[c] = new double[u[c].length];
      }
      List<Training.Session> sessions = new ArrayList<>();
      List<BlockingRule> trainingRules = settings.trainingRules().isEmpty()
          ? settings.predictionRules() : settings.trainingRules();
      for (BlockingRule rule : trainingRules) {
        boolean[] active = new boolean[cs.size()];
        boolean[] trainM = new boolean[cs.size()];
        List<String> deactivated = new ArrayList<>();
        for (int c = 0; c < cs.size(); c++) {
          Set<String> used = new LinkedHashSet<>(cs.get(c).inputColumns());
          used.retainAll(rule.columns());
          active[c] = used.isEmpty();
          if (!active[c]) {
            deactivated.add(cs.get(c).outputColumnName());
          }
          trainM[c] = active[c] && !allFixedM(cs.get(c));
        }
        Patterns pp = patterns(comparisonVectors(blockedPairs(recs, List.of(rule), null)));
        EmEstimator.Result r = EmEstimator.run(pp.gammas(), pp.counts(), mInit, u, active, trainM, 0.3, true,
            settings.maxIterations(), settings.emConvergence());
        for (int c = 0; c < cs.size(); c++) {
          if (trainM[c]) {
            for (int gv = 0; gv < u[c].length; gv++) {
              mSum[c][gv] += r.m()[c][gv];
            }
            sessionsTrained[c]++;
          }
        }
        sessions.add(new Training.Session(rule.blockingRule(), pp.total(), deactivated, r.iterations(), r.converged(),
            r.lambda(), r.expectedMatches(), 1.0, 0.0));
      }
      double[][] m = new double[cs.size()][];
      List<Comparison> trained = new ArrayList<>();
      for (int c = 0; c < cs.size(); c++) {
        Comparison comp = cs.get(c);
        m[c] = new double[u[c].length];
        for (int gv = 0; gv < u[c].length; gv++) {
          ComparisonLevel level = comp.levels().get(comp.levelIndexOfGamma(gv));
          if (sessionsTrained[c] > 0 && !Boolean.TRUE.equals(level.fixM())) {
            m[c][gv] = mSum[c][gv] / sessionsTrained[c];
          } else if (level.m() != null) {
            m[c][gv] = level.m();
          } else {
            throw LinkageErrors.untrained(comp.outputColumnName());
          }
        }
        final int ci = c;
        Comparison withMu = comp;
        for (int i = 0; i < comp.levels().size(); i++) {
          int gv = comp.gammaOf(i);
          if (gv >= 0) {
            withMu = withMu.withLevel(i, withMu.levels().get(i).withM(round(m[ci][gv])).withU(round(u[ci][gv])));
          }
        }
        trained.add(withMu);
      }
      // λ: each session's expected matches, divided by the chance a match meets its rule (the m of
      // the top level of each comparison the rule deactivated), over all possible pairs
      double totalPairs = totalPairs(recs, n);
      double lambdaSum = 0;
      List<Training.Session> withLambda = new ArrayList<>();
      for (Training.Session sn : sessions) {
        double pBlock = 1;
        for (String d : sn.deactivated()) {
          int c = indexOf(cs, d);
          pBlock *= m[c][m[c].length - 1];
        }
        double est = sn.expectedMatches() / pBlock / totalPairs;
        lambdaSum += est;
        withLambda.add(sn.withGlobal(pBlock, est));
      }
      double lambda = Math.min(0.5, Math.max(lambdaSum / sessions.size(), 1e-12));
      LinkageSettings model = settings.toBuilder().comparisons(trained).lambda(round(lambda)).build();
      return new Training(model, n, up.total(), withLambda, totalPairs);
    } finally {
      recs.unpersist();
    }
  }

  private static int indexOf(List<Comparison> cs, String name) {
    for (int i = 0; i < cs.size(); i++) {
      if (cs.get(i).outputColumnName().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private double totalPairs(Dataset<Row> recs, long n) {
    if (!LinkageSettings.LINK_ONLY.equals(settings.linkType())) {
      return n * (n - 1) / 2.0;
    }
    double sumSq = 0;
    for (Row r : recs.groupBy(settings.sourceDatasetColumnName()).count().collectAsList()) {
      sumSq += (double) r.getLong(1) * r.getLong(1);
    }
    return ((double) n * n - sumSq) / 2.0;
  }

  private static double round(double v) {
    return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", v));
  }

  private static boolean allFixedM(Comparison c) {
    return c.levels().stream().filter(l -> !l.isNull()).allMatch(l -> Boolean.TRUE.equals(l.fixM()) && l.m() != null);
  }

  static int nonNullLevels(Comparison c) {
    return (int) c.levels().stream().filter(l -> !l.isNull()).count();
  }

  /** Starting m: the settings' own, or 0.9 on the most similar level and the rest shared evenly. */
  private static double[][] initialM(List<Comparison> cs) {
    double[][] m = new double[cs.size()][];
    for (int c = 0; c < cs.size(); c++) {
      Comparison comp = cs.get(c);
      int k = nonNullLevels(comp);
      m[c] = new double[k];
      for (int gv = 0; gv < k; gv++) {
        ComparisonLevel level = comp.levels().get(comp.levelIndexOfGamma(gv));
        m[c][gv] = level.m() != null ? level.m() : (gv == k - 1 ? 0.9 : 0.1 / (k - 1));
      }
    }
    return m;
  }

  /**
   * Scores the pairs the prediction rules generate with the trained model.
   *
   * @param restriction null, or a condition every pair must meet (see {@link #blockedPairs})
   * @return {@code <uid>_l, <uid>_r, match_key, [source_l, source_r,] gamma_<c>..., weight_<c>...,
   *     match_weight, match_probability}, every blocked pair (no threshold applied)
   */
  public Dataset<Row> predict(Dataset<Row> records, PairRestriction restriction) {
    if (!settings.isTrained()) {
      throw LinkageErrors.notTrained();
    }
    Dataset<Row> v = comparisonVectors(blockedPairs(records, settings.predictionRules(), restriction));
    double prior = Math.log(settings.lambda() / (1 - settings.lambda())) / Math.log(2);
    List<Column> out = new ArrayList<>();
    for (String c : v.columns()) {
      out.add(col(c));
    }
    Column total = lit(prior);
    for (Comparison c : settings.comparisons()) {
      StringBuilder sb = new StringBuilder("CASE ").append(c.gammaColumn());
      for (int i = 0; i < c.levels().size(); i++) {
        int gv = c.gammaOf(i);
        if (gv >= 0) {
          sb.append(" WHEN ").append(gv).append(" THEN ").append(weightOf(c.levels().get(i)));
        }
      }
      sb.append(" ELSE 0.0D END");
      Column w = expr(sb.toString());
      out.add(w.as(c.weightColumn()));
      total = total.plus(col(c.weightColumn()));
    }
    Dataset<Row> weighted = v.select(out.toArray(Column[]::new)).withColumn(LinkColumns.MATCH_WEIGHT, total);
    return weighted.withColumn(LinkColumns.MATCH_PROBABILITY,
        expr("1.0D / (1.0D + power(2.0D, -" + LinkColumns.MATCH_WEIGHT + "))"));
  }

  private static String weightOf(ComparisonLevel l) {
    double m = Math.max(l.m(), EmEstimator.FLOOR);
    double u = Math.max(l.u(), EmEstimator.FLOOR);
    return String.format(java.util.Locale.ROOT, "%.12gD", Math.log(m / u) / Math.log(2));
  }

  /** The match weight from a probability, for thresholds given either way. */
  public static double weightOfProbability(double p) {
    return Math.log(p / (1 - p)) / Math.log(2);
  }
}
