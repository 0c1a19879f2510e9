package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pairwise linkage quality against truth: a pair of records is a predicted link when both are in
 * one cluster, a true link when both belong to one true entity. Precision, recall and F1 over
 * those pairs, counted from cluster sizes (never by enumerating pairs).
 *
 * @param scope what the figures cover (all, or a source or method)
 * @param records records counted
 * @param truePositives pairs both predicted and true
 * @param predictedPairs predicted pairs
 * @param truePairs true pairs
 */
public record PairwiseQuality(
    @JsonProperty("scope") String scope,
    @JsonProperty("records") long records,
    @JsonProperty("true_positives") long truePositives,
    @JsonProperty("predicted_pairs") long predictedPairs,
    @JsonProperty("true_pairs") long truePairs) {

  @JsonProperty("precision")
  public double precision() {
    return predictedPairs == 0 ? 1.0 : (double) truePositives / predictedPairs;
  }

  @JsonProperty("recall")
  public double recall() {
    return truePairs == 0 ? 1.0 : (double) truePositives / truePairs;
  }

  @JsonProperty("f1")
  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /**
   * Counts over records with both a predicted cluster and a truth entity.
   *
   * @param joined columns {@code cluster_id} and {@code truth_id}
   */
  public static PairwiseQuality of(String scope, Dataset<Row> joined) {
    Dataset<Row> cells = joined.groupBy(LinkColumns.CLUSTER_ID, "truth_id").agg(count(lit(1)).as("n")).cache();
    try {
      Row r = cells.agg(sum(col("n")), sum(pairs(col("n")))).first();
      long n = r.isNullAt(0) ? 0 : r.getLong(0);
      long tp = r.isNullAt(1) ? 0 : r.getLong(1);
      long pp = sumPairs(cells.groupBy(LinkColumns.CLUSTER_ID).agg(sum("n").as("n")));
      long tt = sumPairs(cells.groupBy("truth_id").agg(sum("n").as("n")));
      return new PairwiseQuality(scope, n, tp, pp, tt);
    } finally {
      cells.unpersist();
    }
  }

  /**
   * The figures for pairs with at least one record in a subset: all pairs minus the pairs wholly
   * outside it.
   */
  public static PairwiseQuality restrictedTo(String scope, PairwiseQuality all, PairwiseQuality outside) {
    return new PairwiseQuality(scope, all.records() - outside.records(),
        all.truePositives() - outside.truePositives(), all.predictedPairs() - outside.predictedPairs(),
        all.truePairs() - outside.truePairs());
  }

  private static long sumPairs(Dataset<Row> sizes) {
    Row r = sizes.agg(sum(pairs(col("n")))).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  private static org.apache.spark.sql.Column pairs(org.apache.spark.sql.Column n) {
    return n.multiply(n.minus(1)).divide(2).cast("long");
  }

  /** One console line. */
  public String line() {
    return String.format(java.util.Locale.ROOT, "%-28s records %8d  precision %.4f  recall %.4f  F1 %.4f",
        scope, records, precision(), recall(), f1());
  }
}
