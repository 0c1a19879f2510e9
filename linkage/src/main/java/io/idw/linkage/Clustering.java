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
  public record Result(Dataset<Row> clusters, int iterations, long oversizedFound, long oversizedLeft, String engine) {}

  /** Accepted edges up to this many are clustered by union-find on the driver; more by Spark propagation. */
  public static final long DEFAULT_DRIVER_LIMIT = 5_000_000L;

  /** {@link #cluster(Dataset, Dataset, double, int, long)} with the default driver limit. */
  public static Result cluster(Dataset<Row> nodes, Dataset<Row> edges, double threshold, int maxSize) {
    return cluster(nodes, edges, threshold, maxSize, DEFAULT_DRIVER_LIMIT);
  }

  /**
   * Clusters links with an over-large-cluster guard. Edges with {@code fixed} true (deterministic
   * links) are always kept; probabilistic edges need {@code match_probability >= threshold}. When a
   * component has more than {@code maxSize} nodes, its probabilistic edges must pass a threshold ten
   * times closer to 1, up to three times; then only its fixed edges remain. Components still too
   * large are flagged {@code guarded} (and reported): they are never silently merged further. For the
   * guard a component's size counts units, records joined by fixed edges counting once (a person
   * with hundreds of verified records is one unit), on both engines.
   *
   * <p>Spark filters the edges; when at most {@code driverLimit} are accepted (a linkage graph is
   * sparse: about one edge per record) the components are found by union-find on the driver, which
   * costs one Spark job instead of several per propagation round; otherwise by {@link
   * #connectedComponents} in Spark. Both give the same clusters, labelled by their least id.
   *
   * @param nodes column {@code id}
   * @param edges columns {@code src, dst, match_probability, fixed}
   * @return {@code id, cluster_id, cluster_size, guarded}
   */
  public static Result cluster(Dataset<Row> nodes, Dataset<Row> edges, double threshold, int maxSize,
      long driverLimit) {
    Dataset<Row> accepted = edges.where(col(FIXED).or(col(PROBABILITY).geq(threshold)))
        .select(col(SRC), col(DST), org.apache.spark.sql.functions.coalesce(col(PROBABILITY), lit(1.0)).as(PROBABILITY),
            col(FIXED));
    if (driverLimit > 0) {
      java.util.List<Row> rows = accepted.limit((int) Math.min(Integer.MAX_VALUE - 1, driverLimit + 1)).collectAsList();
      if (rows.size() <= driverLimit) {
        return clusterOnDriver(nodes, rows, threshold, maxSize);
      }
    }
    return clusterInSpark(nodes, accepted.localCheckpoint(), threshold, maxSize);
  }

  private static Result clusterOnDriver(Dataset<Row> nodes, java.util.List<Row> rows, double threshold, int maxSize) {
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    java.util.List<String> names = new java.util.ArrayList<>();
    int n = rows.size();
    int[] a = new int[n];
    int[] b = new int[n];
    double[] p = new double[n];
    boolean[] fixed = new boolean[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      a[i] = index.computeIfAbsent(r.getString(0), k -> { names.add(k); return names.size() - 1; });
      b[i] = index.computeIfAbsent(r.getString(1), k -> { names.add(k); return names.size() - 1; });
      p[i] = r.getDouble(2);
      fixed[i] = r.getBoolean(3);
    }
    int v = names.size();
    boolean[] keep = new boolean[n];
    java.util.Arrays.fill(keep, true);
    // the guard counts units: records joined by fixed (deterministic) edges count once, so a person
    // with hundreds of verified records is not an over-large cluster
    int[] unitOf = unionFind(v, a, b, fixed.clone());
    int[] parent = unionFind(v, a, b, keep);
    int[] size = sizes(parent);
    int[] units = units(parent, unitOf);
    long found = countOversized(parent, units, maxSize);
    double t = threshold;
    for (int round = 0; round <= 3 && countOversized(parent, units, maxSize) > 0; round++) {
      t = round < 3 ? 1 - (1 - t) / 10 : 2.0;
      for (int i = 0; i < n; i++) {
        if (keep[i] && !fixed[i] && units[parent[a[i]]] > maxSize && p[i] < t) {
          keep[i] = false;
        }
      }
      parent = unionFind(v, a, b, keep);
      size = sizes(parent);
      units = units(parent, unitOf);
    }
    long left = countOversized(parent, units, maxSize);
    // label = least id of the component
    String[] label = new String[v];
    for (int i = 0; i < v; i++) {
      int r = parent[i];
      if (label[r] == null || names.get(i).compareTo(label[r]) < 0) {
        label[r] = names.get(i);
      }
    }
    // the per-node result goes to the tasks as one broadcast of plain arrays, and Spark builds the
    // rows in parallel (a local relation of this many rows would be converted and shipped row by row)
    long[] sizeOf = new long[v];
    boolean[] guardedOf = new boolean[v];
    String[] labelOf = new String[v];
    for (int i = 0; i < v; i++) {
      labelOf[i] = label[parent[i]];
      sizeOf[i] = size[parent[i]];
      guardedOf[i] = units[parent[i]] > maxSize;
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("l_" + ID, org.apache.spark.sql.types.DataTypes.StringType)
        .add("l_" + LinkColumns.CLUSTER_ID, org.apache.spark.sql.types.DataTypes.StringType)
        .add("l_" + LinkColumns.CLUSTER_SIZE, org.apache.spark.sql.types.DataTypes.LongType)
        .add("l_" + LinkColumns.GUARDED, org.apache.spark.sql.types.DataTypes.BooleanType);
    Dataset<Row> linked = linkedFrame(nodes.sparkSession(), new NodeLabels(names.toArray(String[]::new), labelOf,
        sizeOf, guardedOf), schema);
    Dataset<Row> all = nodes.select(col(ID)).distinct()
        .join(linked, col(ID).equalTo(col("l_" + ID)), "left")
        .select(col(ID),
            org.apache.spark.sql.functions.coalesce(col("l_" + LinkColumns.CLUSTER_ID), col(ID)).as(LinkColumns.CLUSTER_ID),
            org.apache.spark.sql.functions.coalesce(col("l_" + LinkColumns.CLUSTER_SIZE), lit(1L)).as(LinkColumns.CLUSTER_SIZE),
            org.apache.spark.sql.functions.coalesce(col("l_" + LinkColumns.GUARDED), lit(false)).as(LinkColumns.GUARDED));
    return new Result(all, 1, found, left, "driver union-find");
  }

  /** Per node index: its id, cluster label, cluster size and guard flag (shipped to tasks by broadcast). */
  private record NodeLabels(String[] ids, String[] labels, long[] sizes, boolean[] guarded)
      implements java.io.Serializable {}

  private static Dataset<Row> linkedFrame(org.apache.spark.sql.SparkSession spark, NodeLabels labels,
      org.apache.spark.sql.types.StructType schema) {
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.broadcast.Broadcast<NodeLabels> b = jsc.broadcast(labels);
    int parts = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), labels.ids().length / 10_000 + 1));
    return spark.range(0, labels.ids().length, 1, parts).mapPartitions(
        (org.apache.spark.api.java.function.MapPartitionsFunction<Long, Row>) it -> {
          NodeLabels l = b.value();
          java.util.List<Row> rows = new java.util.ArrayList<>();
          while (it.hasNext()) {
            int i = (int) (long) it.next();
            rows.add(org.apache.spark.sql.RowFactory.create(l.ids()[i], l.labels()[i], l.sizes()[i], l.guarded()[i]));
          }
          return rows.iterator();
        }, org.apache.spark.sql.Encoders.row(schema));
  }

  private static int[] unionFind(int v, int[] a, int[] b, boolean[] keep) {
    int[] parent = new int[v];
    for (int i = 0; i < v; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < a.length; i++) {
      if (keep[i]) {
        int x = find(parent, a[i]);
        int y = find(parent, b[i]);
        if (x != y) {
          parent[Math.max(x, y)] = Math.min(x, y);
        }
      }
    }
    for (int i = 0; i < v; i++) {
      parent[i] = find(parent, i);
    }
    return parent;
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private static int[] sizes(int[] parent) {
    int[] size = new int[parent.length];
    for (int r : parent) {
      size[r]++;
    }
    return size;
  }

  /** Per component root: the number of fixed-edge units (groups joined by fixed edges) it holds. */
  private static int[] units(int[] parent, int[] unitOf) {
    int[] units = new int[parent.length];
    for (int i = 0; i < parent.length; i++) {
      if (unitOf[i] == i) {
        units[parent[i]]++;
      }
    }
    return units;
  }

  private static long countOversized(int[] parent, int[] size, int maxSize) {
    long c = 0;
    for (int i = 0; i < parent.length; i++) {
      if (parent[i] == i && size[i] > maxSize) {
        c++;
      }
    }
    return c;
  }

  private static Result clusterInSpark(Dataset<Row> nodes, Dataset<Row> accepted, double threshold, int maxSize) {
    // units for the guard, as on the driver: records joined by fixed edges count once
    Dataset<Row> units = connectedComponents(nodes, accepted.where(col(FIXED))).labels()
        .select(col(ID), col(LinkColumns.CLUSTER_ID).as(UNIT)).localCheckpoint();
    Components cc = connectedComponents(nodes, accepted);
    Dataset<Row> sized = withSizes(cc.labels(), units);
    int iterations = cc.iterations();
    long found = sized.where(col(UNITS).gt(maxSize)).select(LinkColumns.CLUSTER_ID).distinct().count();
    if (found == 0) {
      return new Result(sized.drop(UNITS).withColumn(LinkColumns.GUARDED, lit(false)), iterations, 0, 0,
          "spark propagation");
    }
    double t = threshold;
    for (int round = 0; round <= 3; round++) {
      t = round < 3 ? 1 - (1 - t) / 10 : 2.0; // round 3: fixed edges only
      Dataset<Row> big = sized.where(col(UNITS).gt(maxSize)).select(col(ID).as("big_id"));
      Dataset<Row> inBig = accepted.join(big, col(SRC).equalTo(col("big_id")), "left")
          .withColumn("in_big", col("big_id").isNotNull()).drop("big_id");
      accepted = inBig.where(org.apache.spark.sql.functions.not(col("in_big")).or(col(FIXED)).or(col(PROBABILITY).geq(t)))
          .drop("in_big").localCheckpoint();
      cc = connectedComponents(nodes, accepted);
      iterations += cc.iterations();
      sized = withSizes(cc.labels(), units);
      if (sized.where(col(UNITS).gt(maxSize)).isEmpty()) {
        break;
      }
    }
    Dataset<Row> out = sized.withColumn(LinkColumns.GUARDED, col(UNITS).gt(maxSize)).drop(UNITS);
    long left = out.where(col(LinkColumns.GUARDED)).select(LinkColumns.CLUSTER_ID).distinct().count();
    return new Result(out, iterations, found, left, "spark propagation");
  }

  private static final String UNIT = "__unit";
  private static final String UNITS = "__units";

  /** Labels with each cluster's record count and its count of units (fixed-edge groups). */
  private static Dataset<Row> withSizes(Dataset<Row> labels, Dataset<Row> units) {
    Dataset<Row> sizes = labels.join(units, ID).groupBy(LinkColumns.CLUSTER_ID)
        .agg(count(lit(1)).as(LinkColumns.CLUSTER_SIZE), org.apache.spark.sql.functions.countDistinct(col(UNIT)).as(UNITS));
    return labels.join(sizes, LinkColumns.CLUSTER_ID).select(ID, LinkColumns.CLUSTER_ID, LinkColumns.CLUSTER_SIZE, UNITS)
        .localCheckpoint();
  }
}
