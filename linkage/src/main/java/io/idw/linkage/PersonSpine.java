package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Stable person ids across refreshes. Given this run's clusters and the previous run's record →
 * person ids: each previous person id goes to the cluster holding most of its records (ties: the
 * least cluster id), and each cluster keeps the previous id holding most of its records (ties: the
 * least id). Clusters with no previous id get new ids {@code P000000001...} after the largest
 * existing one, in cluster-id order. A previous id that lost records to a cluster that kept another
 * id is recorded as a {@code merge} (it kept no cluster) or a {@code split} (it kept one elsewhere).
 */
public final class PersonSpine {
  public static final String EVENT = "event";
  public static final String FROM_PERSON_ID = "from_person_id";
  public static final String MERGE = "merge";
  public static final String SPLIT = "split";
  /** Optional clusters column: how many records a row stands for. */
  public static final String WEIGHT = "weight";

  private PersonSpine() {}

  /**
   * @param records {@code record_key, person_id}
   * @param events {@code event, from_person_id, person_id, n_records}
   */
  public record Assignment(Dataset<Row> records, Dataset<Row> events) {}

  /** Parses the numeric part of ids like {@code P000000042}; 0 if none. */
  public static long maxIdNumber(Dataset<Row> personIds) {
    Row r = personIds.select(org.apache.spark.sql.functions.max(
        org.apache.spark.sql.functions.regexp_extract(col(LinkColumns.PERSON_ID), "^P(\\d+)$", 1).cast("long"))).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  /**
   * @param clusters {@code record_key, cluster_id} and optionally {@code weight} (long): the number of
   *     records the row stands for (1 when absent), which counts towards "most records"
   * @param previous {@code record_key, person_id} of the previous run (may be empty)
   * @param maxExisting the largest numeric id already issued
   */
  public static Assignment assign(Dataset<Row> clusters, Dataset<Row> previous, long maxExisting) {
    String key = LinkColumns.RECORD_KEY;
    String cid = LinkColumns.CLUSTER_ID;
    Dataset<Row> j = clusters.join(previous.select(col(key), col(LinkColumns.PERSON_ID).as("prev")), key, "left");
    // a node may stand for several records of one previous person (the refresh's contracted graph)
    org.apache.spark.sql.Column recordCount = java.util.Arrays.asList(clusters.columns()).contains(WEIGHT)
        ? org.apache.spark.sql.functions.sum(col(WEIGHT)).cast("long") : count(lit(1));
    Dataset<Row> cells = j.where(col("prev").isNotNull()).groupBy(cid, "prev").agg(recordCount.as("n")).cache();
    Dataset<Row> bestForPrev = cells.withColumn("rk", row_number().over(
            Window.partitionBy("prev").orderBy(col("n").desc(), col(cid).asc())))
        .where(col("rk").equalTo(1)).drop("rk");
    Dataset<Row> kept = bestForPrev.withColumn("rk", row_number().over(
            Window.partitionBy(cid).orderBy(col("n").desc(), col("prev").asc())))
        .where(col("rk").equalTo(1)).select(col(cid), col("prev").as(LinkColumns.PERSON_ID));
    Dataset<Row> fresh = clusters.select(cid).distinct().join(kept, cid, "left_anti")
        .withColumn("rn", row_number().over(Window.orderBy(col(cid))))
        .select(col(cid), format_string("P%09d", col("rn").plus(lit(maxExisting))).as(LinkColumns.PERSON_ID));
    Dataset<Row> ids = kept.unionByName(fresh).cache();
    Dataset<Row> records = clusters.join(ids, cid).select(key, LinkColumns.PERSON_ID);
    Dataset<Row> keptIds = kept.select(col(LinkColumns.PERSON_ID).as("k"));
    Dataset<Row> events = cells.join(ids, cid).where(col("prev").notEqual(col(LinkColumns.PERSON_ID)))
        .join(keptIds, col("prev").equalTo(col("k")), "left")
        .select(when(col("k").isNull(), lit(MERGE)).otherwise(lit(SPLIT)).as(EVENT),
            col("prev").as(FROM_PERSON_ID), col(LinkColumns.PERSON_ID), col("n").as(LinkColumns.N_RECORDS));
    return new Assignment(records, events);
  }

  /**
   * {@link #assign} computed on the driver from the collected rows, for inputs small enough to
   * collect (a refresh's touched clusters): the same rules and the same result, in one Spark job
   * instead of one per shuffle stage. Strings are ordered as Spark orders them (by UTF-8 bytes).
   */
  public static Assignment assignOnDriver(Dataset<Row> clusters, Dataset<Row> previous, long maxExisting) {
    String key = LinkColumns.RECORD_KEY;
    String cid = LinkColumns.CLUSTER_ID;
    Column weight = Arrays.asList(clusters.columns()).contains(WEIGHT)
        ? col(WEIGHT).cast("long") : lit(1L);
    List<Row> rows = clusters.join(previous.select(col(key), col(LinkColumns.PERSON_ID).as("prev")), key, "left")
        .select(col(key), col(cid), weight.as("w"), col("prev")).collectAsList();
    Comparator<String> order = PersonSpine::compareUtf8;
    // cells: (previous id, cluster) -> records; clusters in Spark's order
    Map<String, Map<String, Long>> cells = new HashMap<>();
    Set<String> clusterSet = new HashSet<>();
    for (Row r : rows) {
      clusterSet.add(r.getString(1));
      if (!r.isNullAt(3)) {
        cells.computeIfAbsent(r.getString(3), k -> new HashMap<>()).merge(r.getString(1), r.getLong(2), Long::sum);
      }
    }
    // each previous id's best cluster (most records, then least cluster id); each cluster keeps the
    // previous id that chose it with most records (then the least id)
    Map<String, String> keptBy = new HashMap<>();
    Map<String, Long> keptN = new HashMap<>();
    for (Map.Entry<String, Map<String, Long>> e : cells.entrySet()) {
      String best = null;
      long bestN = -1;
      for (Map.Entry<String, Long> c : e.getValue().entrySet()) {
        if (c.getValue() > bestN || (c.getValue() == bestN && order.compare(c.getKey(), best) < 0)) {
          best = c.getKey();
          bestN = c.getValue();
        }
      }
      String held = keptBy.get(best);
      if (held == null || bestN > keptN.get(best) || (bestN == keptN.get(best) && order.compare(e.getKey(), held) < 0)) {
        keptBy.put(best, e.getKey());
        keptN.put(best, bestN);
      }
    }
    Map<String, String> ids = new HashMap<>(keptBy);
    String[] clusterIds = clusterSet.toArray(String[]::new);
    Arrays.sort(clusterIds, order);
    long rn = 0;
    for (String c : clusterIds) {
      if (!keptBy.containsKey(c)) {
        ids.put(c, String.format("P%09d", ++rn + maxExisting));
      }
    }
    Set<String> keptIds = new HashSet<>(keptBy.values());
    Map<String, String> clusterOf = new LinkedHashMap<>();
    rows.forEach(r -> clusterOf.putIfAbsent(r.getString(0), r.getString(1)));
    List<Row> records = new ArrayList<>(clusterOf.size());
    clusterOf.forEach((k, c) -> records.add(RowFactory.create(k, ids.get(c))));
    List<Row> events = new ArrayList<>();
    cells.forEach((prev, byCluster) -> byCluster.forEach((c, n) -> {
      String now = ids.get(c);
      if (!prev.equals(now)) {
        events.add(RowFactory.create(keptIds.contains(prev) ? SPLIT : MERGE, prev, now, n));
      }
    }));
    SparkSession spark = clusters.sparkSession();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StructType recordSchema = new StructType()
        .add(key, DataTypes.StringType).add(LinkColumns.PERSON_ID, DataTypes.StringType);
    StructType eventSchema = new StructType()
        .add(EVENT, DataTypes.StringType).add(FROM_PERSON_ID, DataTypes.StringType)
        .add(LinkColumns.PERSON_ID, DataTypes.StringType)
        .add(LinkColumns.N_RECORDS, DataTypes.LongType);
    int slices = Math.max(1, Math.min(64, records.size() / 100_000 + 1));
    return new Assignment(spark.createDataFrame(jsc.parallelize(records, slices), recordSchema),
        spark.createDataFrame(jsc.parallelize(events, 1), eventSchema));
  }

  /**
   * Strings in the order of their UTF-8 bytes (Spark's string order), without encoding them: that
   * is the order of their code points, which UTF-16 order differs from only past surrogate pairs.
   */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
