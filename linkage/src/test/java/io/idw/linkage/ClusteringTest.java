package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class ClusteringTest {
  static final StructType NODES = new StructType().add("id", DataTypes.StringType);
  static final StructType EDGES = new StructType().add("src", DataTypes.StringType).add("dst", DataTypes.StringType)
      .add("match_probability", DataTypes.DoubleType).add("fixed", DataTypes.BooleanType);

  @Test
  void componentsEqualUnionFind(SparkSession spark) {
    Random rnd = new Random(1);
    int n = 300;
    List<Row> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(RowFactory.create(String.format("n%03d", i)));
    }
    List<Row> edges = new ArrayList<>();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    // a long chain (diameter 40) plus random edges
    for (int i = 0; i < 40; i++) {
      edges.add(RowFactory.create(String.format("n%03d", i), String.format("n%03d", i + 1), 1.0, false));
      union(parent, i, i + 1);
    }
    for (int k = 0; k < 120; k++) {
      int a = 50 + rnd.nextInt(n - 50);
      int b = 50 + rnd.nextInt(n - 50);
      edges.add(RowFactory.create(String.format("n%03d", a), String.format("n%03d", b), 1.0, false));
      union(parent, a, b);
    }
    Dataset<Row> labels = Clustering.connectedComponents(spark.createDataFrame(nodes, NODES),
        spark.createDataFrame(edges, EDGES)).labels();
    Map<String, String> got = new HashMap<>();
    labels.collectAsList().forEach(r -> got.put(r.getString(0), r.getString(1)));
    assertThat(got).hasSize(n);
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        boolean same = find(parent, a) == find(parent, b);
        assertThat(got.get(String.format("n%03d", a)).equals(got.get(String.format("n%03d", b))))
            .as("n%d n%d", a, b).isEqualTo(same);
      }
    }
    // the label is the least id of the component
    assertThat(got.get("n040")).isEqualTo("n000");
    // the driver engine agrees
    Dataset<Row> driver = Clustering.cluster(spark.createDataFrame(nodes, NODES), spark.createDataFrame(edges, EDGES),
        0.5, 1000).clusters();
    Map<String, String> viaDriver = new HashMap<>();
    driver.collectAsList().forEach(r -> viaDriver.put(r.getString(0), r.getString(1)));
    assertThat(viaDriver).isEqualTo(got);
  }

  @Test
  void guardBreaksOverLargeClusterOnDriver(SparkSession spark) {
    guardBreaksOverLargeClusterAtItsWeakestLinks(spark, Clustering.DEFAULT_DRIVER_LIMIT, "driver union-find");
  }

  @Test
  void guardCountsRecordsJoinedByFixedEdgesOnce(SparkSession spark) {
    guardCountsRecordsJoinedByFixedEdgesOnce(spark, Clustering.DEFAULT_DRIVER_LIMIT, "driver union-find");
  }

  @Test
  void sparkEngineGuardAlsoCountsRecordsJoinedByFixedEdgesOnce(SparkSession spark) {
    guardCountsRecordsJoinedByFixedEdgesOnce(spark, 0, "spark propagation");
  }

  void guardCountsRecordsJoinedByFixedEdgesOnce(SparkSession spark, long driverLimit, String engine) {
    // one person: 10 records joined deterministically, and one probabilistic record (a fire visit)
    List<Row> nodes = new ArrayList<>();
    List<Row> edges = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      nodes.add(RowFactory.create("g" + i));
      if (i > 0) {
        edges.add(RowFactory.create("g" + i, "g0", 1.0, true));
      }
    }
    nodes.add(RowFactory.create("f0"));
    edges.add(RowFactory.create("f0", "g3", 0.95, false));
    Clustering.Result r = Clustering.cluster(spark.createDataFrame(nodes, NODES), spark.createDataFrame(edges, EDGES),
        0.9, 5, driverLimit);
    assertThat(r.engine()).isEqualTo(engine);
    assertThat(r.oversizedFound()).isZero();
    Map<String, Row> byId = new HashMap<>();
    r.clusters().collectAsList().forEach(row -> byId.put(row.getString(0), row));
    assertThat(byId.get("f0").getString(1)).isEqualTo(byId.get("g0").getString(1));
    assertThat(byId.get("f0").getLong(2)).isEqualTo(11L);
    assertThat(byId.get("f0").getBoolean(3)).isFalse();
  }

  void guardBreaksOverLargeClusterAtItsWeakestLinks(SparkSession spark, long driverLimit, String engine) {
    List<Row> nodes = new ArrayList<>();
    List<Row> edges = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      nodes.add(RowFactory.create("a" + i));
    }
    // a0..a4 strongly linked, a5..a9 strongly linked, one weak bridge a4-a5, one fixed pair a8-a9
    for (int i = 0; i < 4; i++) {
      edges.add(RowFactory.create("a" + i, "a" + (i + 1), 0.99999, false));
    }
    for (int i = 5; i < 8; i++) {
      edges.add(RowFactory.create("a" + i, "a" + (i + 1), 0.99999, false));
    }
    edges.add(RowFactory.create("a8", "a9", 0.5, true));
    edges.add(RowFactory.create("a4", "a5", 0.95, false));
    Clustering.Result r = Clustering.cluster(spark.createDataFrame(nodes, NODES), spark.createDataFrame(edges, EDGES),
        0.9, 6, driverLimit);
    assertThat(r.engine()).isEqualTo(engine);
    assertThat(r.oversizedFound()).isEqualTo(1);
    assertThat(r.oversizedLeft()).isZero();
    Map<String, Long> size = new HashMap<>();
    r.clusters().collectAsList().forEach(row -> size.put(row.getString(0), row.getLong(2)));
    assertThat(size.get("a0")).isEqualTo(5L);
    assertThat(size.get("a9")).isEqualTo(5L);
  }

  private static int find(int[] p, int x) {
    while (p[x] != x) {
      x = p[x] = p[p[x]];
    }
    return x;
  }

  private static void union(int[] p, int a, int b) {
    p[find(p, a)] = find(p, b);
  }
}
