package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Clustering of accepted links into clusters by connected components, in Spark, with a guard
 * against over-large clusters.
 */
public final class Clustering {
  /** Node id column. */
  public static final String ID = "id";
  /** Edge endpoint columns. */
  public static final String SRC = "src";
  public static final String DST = "dst";
  /** Edge columns for the guard. */
  public static final String PROBABILITY = LinkColumns.MATCH_PROBABILITY;
  public static final String FIXED = "fixed";

  private Clustering() {}

  /** Iterations and outcome of a connected-components run. */
  public record Components(Dataset<Row> labels, int iterations) {}

  /**
   * Connected components by minimum-label propagation with pointer jumping: each node's label
   * becomes the least of its own, its neighbours' and its label's label, until nothing changes.
   * Iterations grow with the logarithm of the component diameter.
   *
   * @param nodes a column {@code id} (string); nodes without edges become singletons
   * @param edges columns {@code src, dst} (strings)
   * @return {@code id, cluster_id} (the least id in the node's component) for every node
   */
  public static Components connectedComponents(Dataset<Row> nodes, Dataset<Row> edges) {
    Dataset<Row> e = edges.select(col(SRC), col(DST)).where(col(SRC).notEqual(col(DST)));
    Dataset<Row> both = e.unionByName(e.select(col(DST).as(SRC), col(SRC).as(DST))).distinct().localCheckpoint();
    Dataset<Row> labels = both.select(col(SRC).as(ID)).distinct()
        .withColumn(LinkColumns.CLUSTER_ID, col(ID)).localCheckpoint();
    int it = 0;
    while (true) {
      it++;
      Dataset<Row> neighbourMin = both.join(labels.withColumnRenamed(ID, DST), DST)
          .groupBy(col(SRC).as(ID)).agg(min(LinkColumns.CLUSTER_ID).as("nmin"));
      Dataset<Row> step = labels.join(neighbourMin, ID)
          .select(col(ID), least(col(LinkColumns.CLUSTER_ID), col("nmin")).as("l1"), col(LinkColumns.CLUSTER_ID).as("l0"));
      Dataset<Row> jumped = step.join(step.select(col(ID).as("j"), col("l1").as("jl")),
              col("l1").equalTo(col("j")), "left")
          .select(col(ID), least(col("l1"), org.apache.spark.sql.functions.coalesce(col("jl"), col("l1")))
              .as(LinkColumns.CLUSTER_ID), col("l0")).localCheckpoint();
      long changed = jumped.where(col(LinkColumns.CLUSTER_ID).notEqual(col("l0"))).count();
      labels = jumped.select(ID, LinkColumns.CLUSTER_ID);
      if (changed == 0) {
        break;
      }
    }
    Dataset<Row> all = nodes.select(col(ID)).distinct().join(labels, ID, "left")
        .select(col(ID), org.apache.spark.sql.functions.coalesce(col(LinkColumns.CLUSTER_ID), col(ID)).as(LinkColumns.CLUSTER_ID));
    return new Components(all, it);
  }

  /** The clusters, how many were over the size limit, and how many stayed over it. */
  public record Result(Dataset<Row> clusters, int iterations, long oversizedFound, long oversizedLeft) {}

  /**
   * Clusters links with an over-large-cluster guard. Edges with {@code fixed} true (deterministic
   * links) are always kept; probabilistic edges need {@code match_probability >= threshold}. When a
   * component has more than {@code maxSize} nodes, its probabilistic edges must pass a threshold ten
   * times closer to 1, up to three times; then only its fixed edges remain. Components still too
   * large are flagged {@code guarded} (and reported): they are never silently merged further.
   *
   * @param nodes column {@code id}
   * @param edges columns {@code src, dst, match_probability, fixed}
   * @return {@code id, cluster_id, cluster_size, guarded}
   */
  public static Result cluster(Dataset<Row> nodes, Dataset<Row> edges, double threshold, int maxSize) {
    Dataset<Row> accepted = edges.where(col(FIXED).or(col(PROBABILITY).geq(threshold))).localCheckpoint();
    Components cc = connectedComponents(nodes, accepted);
    Dataset<Row> sized = withSizes(cc.labels());
    int iterations = cc.iterations();
    long found = sized.where(col(LinkColumns.CLUSTER_SIZE).gt(maxSize)).select(LinkColumns.CLUSTER_ID).distinct().count();
    if (found == 0) {
      return new Result(sized.withColumn(LinkColumns.GUARDED, lit(false)), iterations, 0, 0);
    }
    double t = threshold;
    for (int round = 0; round <= 3; round++) {
      t = round < 3 ? 1 - (1 - t) / 10 : 2.0; // round 3: fixed edges only
      Dataset<Row> big = sized.where(col(LinkColumns.CLUSTER_SIZE).gt(maxSize)).select(col(ID).as("big_id"));
      Dataset<Row> inBig = accepted.join(big, col(SRC).equalTo(col("big_id")), "left")
          .withColumn("in_big", col("big_id").isNotNull()).drop("big_id");
      accepted = inBig.where(org.apache.spark.sql.functions.not(col("in_big")).or(col(FIXED)).or(col(PROBABILITY).geq(t)))
          .drop("in_big").localCheckpoint();
      cc = connectedComponents(nodes, accepted);
      iterations += cc.iterations();
      sized = withSizes(cc.labels());
      if (sized.where(col(LinkColumns.CLUSTER_SIZE).gt(maxSize)).isEmpty()) {
        break;
      }
    }
    Dataset<Row> out = sized.withColumn(LinkColumns.GUARDED, col(LinkColumns.CLUSTER_SIZE).gt(maxSize));
    long left = out.where(col(LinkColumns.GUARDED)).select(LinkColumns.CLUSTER_ID).distinct().count();
    return new Result(out, iterations, found, left);
  }

  private static Dataset<Row> withSizes(Dataset<Row> labels) {
    Dataset<Row> sizes = labels.groupBy(LinkColumns.CLUSTER_ID).agg(count(lit(1)).as(LinkColumns.CLUSTER_SIZE));
    return labels.join(sizes, LinkColumns.CLUSTER_ID).select(ID, LinkColumns.CLUSTER_ID, LinkColumns.CLUSTER_SIZE)
        .localCheckpoint();
  }
}
