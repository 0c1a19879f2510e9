package io.idw.linkage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Seeded people on plain columns with planted error rates: each person has one clean record and,
 * with probability {@code dupRate}, one copy in which each field is replaced by a random value
 * with the field's error rate. So m(exact) of a field is 1 − its error rate, and u(exact) is 1 /
 * its pool size, by construction.
 */
final class PlantedRecords {
  static final String[] FIELDS = {"given", "family", "dob", "pc"};
  static final int[] POOL = {400, 500, 9000, 300};
  static final double[] ERROR = {0.10, 0.10, 0.05, 0.20};

  static final StructType SCHEMA = new StructType()
      .add("unique_id", DataTypes.StringType).add("person", DataTypes.StringType)
      .add("given", DataTypes.StringType).add("family", DataTypes.StringType)
      .add("dob", DataTypes.StringType).add("pc", DataTypes.StringType);

  private PlantedRecords() {}

  static List<Row> rows(int people, double dupRate, long seed) {
    Random rnd = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < people; p++) {
      String[] v = new String[FIELDS.length];
      for (int f = 0; f < FIELDS.length; f++) {
        v[f] = FIELDS[f] + rnd.nextInt(POOL[f]);
      }
      rows.add(RowFactory.create("r" + p + "a", "p" + p, v[0], v[1], v[2], v[3]));
      if (rnd.nextDouble() < dupRate) {
        String[] w = v.clone();
        for (int f = 0; f < FIELDS.length; f++) {
          if (rnd.nextDouble() < ERROR[f]) {
            w[f] = FIELDS[f] + "x" + rnd.nextInt(POOL[f]);
          }
        }
        rows.add(RowFactory.create("r" + p + "b", "p" + p, w[0], w[1], w[2], w[3]));
      }
    }
    return rows;
  }

  static Dataset<Row> frame(SparkSession spark, int people, double dupRate, long seed) {
    return spark.createDataFrame(rows(people, dupRate, seed), SCHEMA);
  }

  static LinkageSettings settings() {
    LinkageSettings.Builder b = LinkageSettings.builder()
        .uMaxPairs(300_000)
        .blockingRule("l.dob = r.dob")
        .blockingRule("l.family = r.family")
        .trainingRule("l.dob = r.dob")
        .trainingRule("l.family = r.family")
        .threshold(0.9);
    for (String f : FIELDS) {
      b.comparison(Comparisons.exact(f, f));
    }
    return b.build();
  }
}
