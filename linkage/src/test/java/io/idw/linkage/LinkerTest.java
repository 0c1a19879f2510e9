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
  void predictionsSeparatePlantedMatches(SparkSession spark) {
    Dataset<Row> records = PlantedRecords.frame(spark, 1500, 0.5, 5);
    Linker trained = Linker.of(spark, Linker.of(spark, PlantedRecords.settings()).train(records).model());
    Dataset<Row> pred = trained.predict(records, null).cache();
    List<Row> rows = pred.select("unique_id_l", "unique_id_r", LinkColumns.MATCH_PROBABILITY, LinkColumns.MATCH_WEIGHT)
        .collectAsList();
    long tp = 0;
    long fp = 0;
    for (Row r : rows) {
      boolean same = person(r.getString(0)).equals(person(r.getString(1)));
      double p = r.getDouble(2);
      assertThat(r.getDouble(3)).isCloseTo(Linker.weightOfProbability(p), within(1e-6));
      if (p >= 0.9) {
        if (same) {
          tp++;
        } else {
          fp++;
        }
      }
    }
    long truePairs = records.count() - 1500;
    // both blocking rules missed only when dob and family were both corrupted: 0.05 * 0.10
    assertThat((double) tp / truePairs).isGreaterThan(0.95);
    assertThat((double) fp / Math.max(1, tp + fp)).isLessThan(0.01);
    pred.unpersist();
  }

  private static String person(String uid) {
    return uid.substring(1, uid.length() - 1);
  }
}
