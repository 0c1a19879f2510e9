package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.idw.core.IdentifierType;
import io.idw.core.IdwMappers;
import io.idw.pseudonymise.ColumnMapping;
import io.idw.pseudonymise.DomainKeys;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.PseudoColumns;
import io.idw.pseudonymise.Pseudonymiser;
import io.idw.pseudonymise.RecordEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Links any tabular input (CSV, Parquet or Delta) given {@link FileLinkSettings}: reads it, encodes
 * the clear fields with pseudonymise's encoders under a key set (by default a fresh key that exists
 * only in memory for this run, so the encodings can be linked to nothing else), keeps only the id
 * and the encodings, trains the model, predicts, clusters and, when the settings name a truth
 * column, measures pairwise precision, recall and F1. This is the path FEBRL and Splink's test
 * files run through.
 */
public final class FileLinker {
  /** The truth column name used internally. */
  public static final String TRUTH_ID = "truth_id";

  private FileLinker() {}

  /** Precision and recall of pair predictions at one threshold (before clustering). */
  public record ThresholdQuality(
      @JsonProperty("threshold_match_probability") double threshold,
      @JsonProperty("true_positives") long truePositives,
      @JsonProperty("predicted_pairs") long predictedPairs,
      @JsonProperty("true_pairs") long truePairs) {
    @JsonProperty("precision")
    public double precision() {
      return predictedPairs == 0 ? 1 : (double) truePositives / predictedPairs;
    }

    @JsonProperty("recall")
    public double recall() {
      return truePairs == 0 ? 1 : (double) truePositives / truePairs;
    }

    @JsonProperty("f1")
    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  /** What a run produced. */
  public record Result(
      @JsonProperty("records") long records,
      @JsonProperty("encoded_columns") List<String> encodedColumns,
      @JsonProperty("blocking") List<Linker.BlockingCount> blocking,
      @JsonProperty("comparisons") long comparisons,
      @JsonProperty("threshold_match_probability") double threshold,
      @JsonProperty("clusters") long clusters,
      @JsonProperty("oversized_clusters") long oversized,
      @JsonProperty("cluster_quality") PairwiseQuality clusterQuality,
      @JsonProperty("pair_quality_by_threshold") List<ThresholdQuality> sweep,
      @JsonProperty("seconds") Map<String, Double> seconds,
      @JsonProperty("training") Training training) {}

  /** Reads one input by extension: .csv (header, trimmed strings), .parquet, or a Delta directory. */
  public static Dataset<Row> read(SparkSession spark, String input) {
    try {
      String lower = input.toLowerCase(Locale.ROOT);
      Dataset<Row> d;
      if (lower.endsWith(".csv")) {
        d = spark.read().option("header", "true").option("ignoreLeadingWhiteSpace", "true")
            .option("ignoreTrailingWhiteSpace", "true").option("inferSchema", "false").csv(input);
      } else if (lower.endsWith(".parquet")) {
        d = spark.read().parquet(input);
      } else {
        d = spark.read().format("delta").load(input);
      }
      for (String c : d.columns()) {
        if (!c.equals(c.trim())) {
          d = d.withColumnRenamed(c, c.trim());
        }
      }
      return d;
    } catch (RuntimeException e) {
      throw LinkageErrors.inputUnreadable(input, e);
    }
  }

  /**
   * Encodes clear input into the id, the source (several inputs) and encodings only.
   *
   * @return {@code <unique id>}, [{@code source}], the contract encodings ({@code bf_*}, {@code
   *     tok_*}, pseudonyms) and {@code tok_x_<name>} per generic token; and, aside, {@code truth_id}
   *     when the settings name a truth column (never used for linking)
   */
  public static Dataset<Row> encode(Dataset<Row> clear, FileLinkSettings.Input in, String uidName, KeySet keys) {
    Dataset<Row> d = clear;
    Set<String> present = new LinkedHashSet<>(List.of(d.columns()));
    List<String> need = new ArrayList<>(in.identifiers().values());
    need.addAll(in.tokens().values());
    need.add(in.uniqueIdColumn());
    if (in.truth() != null) {
      need.add(in.truth().column());
    }
    List<String> missing = need.stream().filter(c -> !present.contains(c)).distinct().toList();
    if (!missing.isEmpty()) {
      throw LinkageErrors.columnsMissing("the input", missing, present);
    }
    d = d.withColumn("__uid", col(q(in.uniqueIdColumn())).cast("string"));
    if (in.truth() != null) {
      Column t = col(q(in.truth().column())).cast("string");
      d = d.withColumn(TRUTH_ID, in.truth().pattern() == null ? t : functions.regexp_extract(t, in.truth().pattern(), 1));
    }
    List<String> tokenCols = new ArrayList<>();
    for (Map.Entry<String, String> e : in.tokens().entrySet()) {
      Pseudonymiser p = Pseudonymiser.forPurpose(keys.primary(), DomainKeys.tokenPurpose("x_" + e.getKey()), 128);
      Column norm = functions.upper(functions.regexp_replace(col(q(e.getValue())).cast("string"), "[^A-Za-z0-9]", ""));
      String name = FileLinkSettings.TOKEN_PREFIX + e.getKey();
      d = d.withColumn(name, p.column(functions.when(norm.notEqual(lit("")), norm)));
      tokenCols.add(name);
    }
    ColumnMapping.Builder mb = ColumnMapping.builder().dobFormat(in.dobFormat());
    in.identifiers().forEach((type, column) -> mb.column(IdentifierType.fromWire(type), column));
    Dataset<Row> encoded = RecordEncoder.of(keys, mb.build()).encode(d);
    List<Column> keep = new ArrayList<>();
    keep.add(col("__uid").as(uidName));
    if (List.of(encoded.columns()).contains(PseudoColumns.SOURCE)) {
      keep.add(col(PseudoColumns.SOURCE));
    }
    for (String c : PseudoColumns.ENCODED) {
      keep.add(col(c));
    }
    tokenCols.forEach(c -> keep.add(col(c)));
    if (in.truth() != null) {
      keep.add(col(TRUTH_ID));
    }
    return encoded.select(keep.toArray(Column[]::new));
  }

  /** Runs the whole path; writes the model, predictions, clusters and quality under {@code out}. */
  public static Result run(SparkSession spark, FileLinkSettings s, List<String> inputs, Path out, KeySet keys,
      java.io.PrintWriter console) {
    if (inputs.isEmpty()) {
      throw LinkageErrors.noInput("no --input given");
    }
    KeySet ks = keys == null ? KeySet.generate(false) : keys;
    LinkageSettings settings = s.linkage();
    String uid = settings.uniqueIdColumnName();
    Map<String, Double> secs = new java.util.LinkedHashMap<>();
    long t0 = System.nanoTime();
    Dataset<Row> all = null;
    for (String input : inputs) {
      Dataset<Row> d = read(spark, input);
      if (inputs.size() > 1) {
        String src = Path.of(input).getFileName().toString().replaceAll("\\.[A-Za-z]+$", "");
        d = d.withColumn(PseudoColumns.SOURCE, lit(src))
            .withColumn(s.input().uniqueIdColumn(), functions.concat(lit(src + "/"), col(q(s.input().uniqueIdColumn()))));
      }
      all = all == null ? d : all.unionByName(d, true);
    }
    Dataset<Row> encoded = encode(all, s.input(), uid, ks).cache();
    long n = encoded.count();
    long dup = n - encoded.select(uid).distinct().count();
    if (dup > 0) {
      throw LinkageErrors.duplicateIds(uid, dup);
    }
    secs.put("read_and_encode", (System.nanoTime() - t0) / 1e9);
    Dataset<Row> truth = s.input().truth() == null ? null : encoded.select(col(uid).as(Clustering.ID), col(TRUTH_ID));
    Dataset<Row> records = s.input().truth() == null ? encoded : encoded.drop(TRUTH_ID);

    long t1 = System.nanoTime();
    Training training = Linker.of(spark, settings).train(records);
    secs.put("train", (System.nanoTime() - t1) / 1e9);
    long t2 = System.nanoTime();
    Linker linker = Linker.of(spark, training.model());
    Dataset<Row> pred = linker.predict(records, null).cache();
    List<Linker.BlockingCount> blocking = blockingCounts(pred, settings.predictionRules());
    long comparisons = blocking.stream().mapToLong(Linker.BlockingCount::comparisons).sum();
    secs.put("predict", (System.nanoTime() - t2) / 1e9);

    long t3 = System.nanoTime();
    double threshold = settings.threshold();
    Dataset<Row> edges = pred.select(col(uid + "_l").as(Clustering.SRC), col(uid + "_r").as(Clustering.DST),
        col(LinkColumns.MATCH_PROBABILITY), lit(false).as(Clustering.FIXED));
    Clustering.Result clusters = Clustering.cluster(records.select(col(uid).as(Clustering.ID)), edges, threshold,
        settings.maxClusterSize());
    Dataset<Row> cl = clusters.clusters().cache();
    long nClusters = cl.select(LinkColumns.CLUSTER_ID).distinct().count();
    secs.put("cluster", (System.nanoTime() - t3) / 1e9);

    PairwiseQuality quality = null;
    List<ThresholdQuality> sweep = List.of();
    if (truth != null) {
      quality = PairwiseQuality.of("clusters", cl.join(truth, Clustering.ID));
      sweep = sweep(pred, truth, uid, quality.truePairs());
    }
    Result result = new Result(n, List.of(records.columns()), blocking, comparisons, threshold, nClusters,
        clusters.oversizedLeft(), quality, sweep, secs, training);
    write(out, training, pred, cl, result, uid);
    print(console, result);
    pred.unpersist();
    cl.unpersist();
    encoded.unpersist();
    return result;
  }

  /** Comparisons per prediction rule, from the predictions' match_key. */
  static List<Linker.BlockingCount> blockingCounts(Dataset<Row> pred, List<BlockingRule> rules) {
    Map<Integer, Long> m = new java.util.HashMap<>();
    pred.groupBy(LinkColumns.MATCH_KEY).count().collectAsList().forEach(r -> m.put(r.getInt(0), r.getLong(1)));
    List<Linker.BlockingCount> out = new ArrayList<>();
    for (int k = 0; k < rules.size(); k++) {
      out.add(new Linker.BlockingCount(k, rules.get(k).blockingRule(), m.getOrDefault(k, 0L)));
    }
    return out;
  }

  static final double[] SWEEP = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999};

  /** Pairwise precision and recall of the pair predictions at several thresholds. */
  static List<ThresholdQuality> sweep(Dataset<Row> pred, Dataset<Row> truth, String uid, long truePairs) {
    Dataset<Row> tl = truth.select(col(Clustering.ID).as("tl_id"), col(TRUTH_ID).as("t_l"));
    Dataset<Row> tr = truth.select(col(Clustering.ID).as("tr_id"), col(TRUTH_ID).as("t_r"));
    Dataset<Row> j = pred.select(col(uid + "_l"), col(uid + "_r"), col(LinkColumns.MATCH_PROBABILITY))
        .join(tl, col(uid + "_l").equalTo(col("tl_id")))
        .join(tr, col(uid + "_r").equalTo(col("tr_id")))
        .withColumn("same", col("t_l").equalTo(col("t_r")));
    List<Column> aggs = new ArrayList<>();
    for (double t : SWEEP) {
      Column at = col(LinkColumns.MATCH_PROBABILITY).geq(t);
      aggs.add(functions.sum(functions.when(at, 1L).otherwise(0L)));
      aggs.add(functions.sum(functions.when(at.and(col("same")), 1L).otherwise(0L)));
    }
    Row r = j.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    List<ThresholdQuality> out = new ArrayList<>();
    for (int i = 0; i < SWEEP.length; i++) {
      long pp = r.isNullAt(2 * i) ? 0 : r.getLong(2 * i);
      long tp = r.isNullAt(2 * i + 1) ? 0 : r.getLong(2 * i + 1);
      out.add(new ThresholdQuality(SWEEP[i], tp, pp, truePairs));
    }
    return out;
  }

  private static void write(Path out, Training training, Dataset<Row> pred, Dataset<Row> clusters, Result result,
      String uid) {
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("model.json"), training.model().toJson());
      Files.writeString(out.resolve("training.json"), training.reportJson());
      Files.writeString(out.resolve("quality.json"), IdwMappers.json().writeValueAsString(result));
      StringBuilder csv = new StringBuilder("scope,threshold_match_probability,precision,recall,f1,true_positives,predicted_pairs,true_pairs\n");
      if (result.clusterQuality() != null) {
        PairwiseQuality q = result.clusterQuality();
        csv.append(String.format(Locale.ROOT, "clusters,%s,%.6f,%.6f,%.6f,%d,%d,%d%n", result.threshold(), q.precision(),
            q.recall(), q.f1(), q.truePositives(), q.predictedPairs(), q.truePairs()));
      }
      for (ThresholdQuality t : result.sweep()) {
        csv.append(String.format(Locale.ROOT, "pairs,%s,%.6f,%.6f,%.6f,%d,%d,%d%n", t.threshold(), t.precision(),
            t.recall(), t.f1(), t.truePositives(), t.predictedPairs(), t.truePairs()));
      }
      Files.writeString(out.resolve("quality.csv"), csv.toString());
    } catch (IOException e) {
      throw LinkageErrors.outputIo(out.toString(), e);
    }
    pred.write().mode("overwrite").format("delta").save(out.resolve("predictions").toUri().toString());
    clusters.select(col(Clustering.ID).as(uid), col(LinkColumns.CLUSTER_ID), col(LinkColumns.CLUSTER_SIZE),
            col(LinkColumns.GUARDED))
        .write().mode("overwrite").format("delta").save(out.resolve("clusters").toUri().toString());
  }

  /** The console summary. */
  public static void print(java.io.PrintWriter w, Result r) {
    if (w == null) {
      return;
    }
    w.printf(Locale.ROOT, "records %d, encoded columns only: %s%n", r.records(), r.encodedColumns());
    for (Linker.BlockingCount b : r.blocking()) {
      w.printf(Locale.ROOT, "  blocking rule %d  %-60s %,d comparisons%n", b.matchKey(), b.blockingRule(), b.comparisons());
    }
    w.printf(Locale.ROOT, "comparisons %,d; λ = %.3g; clusters %d (over-large left: %d)%n", r.comparisons(),
        r.training().model().lambda(), r.clusters(), r.oversized());
    if (r.clusterQuality() != null) {
      PairwiseQuality q = r.clusterQuality();
      w.printf(Locale.ROOT, "at threshold %.4f: precision %.4f  recall %.4f  F1 %.4f (pairs: %d predicted, %d true, %d correct)%n",
          r.threshold(), q.precision(), q.recall(), q.f1(), q.predictedPairs(), q.truePairs(), q.truePositives());
      for (ThresholdQuality t : r.sweep()) {
        w.printf(Locale.ROOT, "  pairs >= %-7s precision %.4f  recall %.4f  F1 %.4f%n", t.threshold(), t.precision(),
            t.recall(), t.f1());
      }
    }
    w.printf(Locale.ROOT, "seconds: %s%n", r.seconds());
    w.flush();
  }

  private static String q(String c) {
    return "`" + c.replace("`", "``") + "`";
  }
}
