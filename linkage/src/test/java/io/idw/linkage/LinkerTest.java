package io.idw.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.idw.core.testing.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class LinkerTest {

  @Test
  void trainingRecoversPlantedMAndU(SparkSession spark) {
    int people = 3000;
    double dupRate = 0.5;
    Dataset<Row> records = PlantedRecords.frame(spark, people, dupRate, 11);
    Training t = Linker.of(spark, PlantedRecords.settings()).train(records);
    LinkageSettings model = t.model();
    assertThat(model.isTrained()).isTrue();
    for (int f = 0; f < PlantedRecords.FIELDS.length; f++) {
      ComparisonLevel exact = model.comparisons().get(f).levels().get(1);
      assertThat(exact.m()).as("m exact %s", PlantedRecords.FIELDS[f])
          .isCloseTo(1 - PlantedRecords.ERROR[f], within(0.03));
      assertThat(exact.u()).as("u exact %s", PlantedRecords.FIELDS[f])
          .isCloseTo(1.0 / PlantedRecords.POOL[f], within(0.6 / PlantedRecords.POOL[f] + 0.0005));
    }
    // λ: the planted matches over all pairs
    long n = records.count();
    double planted = n - people; // one true pair per duplicated person
    double truthLambda = planted / (n * (n - 1) / 2.0);
    assertThat(model.lambda()).isCloseTo(truthLambda, within(truthLambda * 0.15));
    assertThat(t.sessions()).hasSize(2);
    assertThat(t.sessions().get(0).deactivated()).containsExactly("dob");
    assertThat(t.sessions().get(1).deactivated()).containsExactly("family");
  }

  @Test
  void trainingDependsOnlyOnTheRecordsNotOnTheirOrderOrPartitioning(SparkSession spark) {
    Dataset<Row> records = PlantedRecords.frame(spark, 3000, 0.5, 5);
    Linker linker = Linker.of(spark, PlantedRecords.settings());
    // u's record sample is a strict subset here, so the sample itself is what must not move
    Dataset<Row> shuffled = records.repartition(7, org.apache.spark.sql.functions.rand(3)).sortWithinPartitions("family");
    Dataset<Row> a = linker.sampleByKey(records.coalesce(1), 0.2, 42);
    Dataset<Row> b = linker.sampleByKey(shuffled, 0.2, 42);
    long n = records.count();
    long sampled = a.count();
    assertThat(sampled).isBetween((long) (n * 0.2 * 0.85), (long) (n * 0.2 * 1.15));
    assertThat(a.exceptAll(b).count() + b.exceptAll(a).count()).isZero();
    assertThat(linker.sampleByKey(records, 0.2, 43).exceptAll(a).count()).as("another seed, another sample").isPositive();
    LinkageSettings m1 = linker.train(records.coalesce(1)).model();
    LinkageSettings m2 = linker.train(shuffled).model();
    for (int c = 0; c < m1.comparisons().size(); c++) {
      for (int l = 0; l < m1.comparisons().get(c).levels().size(); l++) {
        ComparisonLevel x = m1.comparisons().get(c).levels().get(l);
        ComparisonLevel y = m2.comparisons().get(c).levels().get(l);
        if (x.u() == null) {
          assertThat(y.u()).as("u %d/%d", c, l).isNull();
        } else {
          assertThat(y.u()).as("u %d/%d", c, l).isCloseTo(x.u(), within(1e-12));
        }
        if (x.m() == null) {
          assertThat(y.m()).as("m %d/%d", c, l).isNull();
        } else {
          assertThat(y.m()).as("m %d/%d", c, l).isCloseTo(x.m(), within(1e-9));
        }
      }
    }
    assertThat(m2.lambda()).isCloseTo(m1.lambda(), within(m1.lambda() * 1e-9));
  }

  @Test
  void blockingCountsEqualBruteForce(SparkSession spark) {
    List<Row> rows = PlantedRecords.rows(400, 0.5, 3);
    LinkageSettings s = PlantedRecords.settings().toBuilder()
        .blockingRule("l.pc = r.pc and l.given = r.given").build();
    List<Linker.BlockingCount> counts = Linker.of(spark, s)
        .countComparisons(spark.createDataFrame(rows, PlantedRecords.SCHEMA), s.predictionRules());
    // brute force: each pair counted under the first rule it meets
    long[] expected = new long[3];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < rows.size(); j++) {
        Row a = rows.get(i);
        Row b = rows.get(j);
        if (a.getString(0).compareTo(b.getString(0)) >= 0) {
          continue;
        }
        if (Objects.equals(a.get(4), b.get(4))) {
          expected[0]++;
        } else if (Objects.equals(a.get(3), b.get(3))) {
          expected[1]++;
        } else if (Objects.equals(a.get(5), b.get(5)) && Objects.equals(a.get(2), b.get(2))) {
          expected[2]++;
        }
      }
    }
    List<Long> got = new ArrayList<>();
    counts.forEach(c -> got.add(c.comparisons()));
    assertThat(got).containsExactly(expected[0], expected[1], expected[2]);
    assertThat(expected[0]).isPositive();
  }

  @Test
  void asymmetricAndGeneralRulesCountLikeBruteForce(SparkSession spark) {
    // a: small pool, b: the same pool, c: a second key; rule 0 is asymmetric (l.a = r.b), rule 1
    // symmetric, rule 2 is no pure conjunction of equalities (joined under its full condition)
    java.util.Random rnd = new java.util.Random(17);
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("unique_id", "string").add("a", "string").add("b", "string").add("c", "string").add("y", "int");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(org.apache.spark.sql.RowFactory.create(String.format("u%03d", (i * 7919) % 300),
          rnd.nextInt(10) == 0 ? null : "v" + rnd.nextInt(12), "v" + rnd.nextInt(12), "c" + rnd.nextInt(3),
          rnd.nextInt(40)));
    }
    LinkageSettings s = LinkageSettings.builder()
        .blockingRule("l.a = r.b and l.c = r.c")
        .blockingRule("l.b = r.b and l.c = r.c")
        .blockingRule("l.c = r.c and abs(l.y - r.y) < 1")
        .comparison(Comparisons.exact("c", "c"))
        .build();
    List<Linker.BlockingCount> counts = Linker.of(spark, s)
        .countComparisons(spark.createDataFrame(rows, schema), s.predictionRules());
    long[] expected = new long[3];
    for (Row l : rows) {
      for (Row r : rows) {
        if (l.getString(0).compareTo(r.getString(0)) >= 0) {
          continue;
        }
        boolean sameC = l.getString(3).equals(r.getString(3));
        if (sameC && l.getString(1) != null && l.getString(1).equals(r.getString(2))) {
          expected[0]++;
        } else if (sameC && l.getString(2).equals(r.getString(2))) {
          expected[1]++;
        } else if (sameC && l.getInt(4) == r.getInt(4)) {
          expected[2]++;
        }
      }
    }
    assertThat(counts.stream().map(Linker.BlockingCount::comparisons).toList())
        .containsExactly(expected[0], expected[1], expected[2]);
    assertThat(java.util.Arrays.stream(expected).min().getAsLong()).isPositive();
  }

  @Test
  void generatedMethodsStayCompilableUnlessTheSessionSaysOtherwise(SparkSession spark) {
    String before = spark.conf().contains(Linker.HUGE_METHOD_LIMIT) ? spark.conf().get(Linker.HUGE_METHOD_LIMIT) : null;
    try {
      spark.conf().unset(Linker.HUGE_METHOD_LIMIT);
      Linker.of(spark, PlantedRecords.settings());
      assertThat(spark.conf().get(Linker.HUGE_METHOD_LIMIT)).isEqualTo("8000");
      spark.conf().set(Linker.HUGE_METHOD_LIMIT, "20000");
      Linker.of(spark, PlantedRecords.settings());
      assertThat(spark.conf().get(Linker.HUGE_METHOD_LIMIT)).isEqualTo("20000");
    } finally {
      if (before == null) {
        spark.conf().unset(Linker.HUGE_METHOD_LIMIT);
      } else {
        spark.conf().set(Linker.HUGE_METHOD_LIMIT, before);
      }
    }
  }

  @Test
  void predictionsFindEveryPairWithAtMostOneDisagreement(SparkSession spark) {
    List<Row> rows = PlantedRecords.rows(1500, 0.5, 5);
    Dataset<Row> records = spark.createDataFrame(rows, PlantedRecords.SCHEMA);
    Linker trained = Linker.of(spark, Linker.of(spark, PlantedRecords.settings()).train(records).model());
    java.util.Map<String, Row> byId = new java.util.HashMap<>();
    rows.forEach(r -> byId.put(r.getString(0), r));
    java.util.Set<String> linked = new java.util.HashSet<>();
    long fp = 0;
    long tp = 0;
    for (Row r : trained.predict(records, null)
        .select("unique_id_l", "unique_id_r", LinkColumns.MATCH_PROBABILITY, LinkColumns.MATCH_WEIGHT).collectAsList()) {
      assertThat(r.getDouble(3)).isCloseTo(Linker.weightOfProbability(r.getDouble(2)), within(1e-6));
      if (r.getDouble(2) >= 0.9) {
        boolean same = person(r.getString(0)).equals(person(r.getString(1)));
        tp += same ? 1 : 0;
        fp += same ? 0 : 1;
        linked.add(r.getString(0) + "|" + r.getString(1));
      }
    }
    // every true pair differing in at most one field carries at least two strong agreements: it must link
    long easy = 0;
    long easyFound = 0;
    for (Row r : rows) {
      Row b = byId.get("r" + person(r.getString(0)) + "b");
      if (!r.getString(0).endsWith("a") || b == null) {
        continue;
      }
      int disagree = 0;
      for (int f = 2; f < 6; f++) {
        disagree += Objects.equals(r.get(f), b.get(f)) ? 0 : 1;
      }
      if (disagree <= 1) {
        easy++;
        easyFound += linked.contains(r.getString(0) + "|" + b.getString(0)) ? 1 : 0;
      }
    }
    assertThat(easy).isPositive();
    assertThat(easyFound).isEqualTo(easy);
    assertThat((double) fp / Math.max(1, tp + fp)).isLessThan(0.01);
  }

  private static String person(String uid) {
    return uid.substring(1, uid.length() - 1);
  }
}
