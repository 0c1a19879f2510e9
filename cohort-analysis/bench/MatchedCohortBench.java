import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.idw.cohort.Provenance;
import io.idw.cohort.matched.MatchedCohortEvaluation;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.cohort.matched.MatchedCohortSpec;
import io.idw.core.IdwSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark: 10,000 treated units against a pool of 1,500,000 controls, matched 1:1 with a 0.2 SD
 * caliper in exact strata (12 index months × sex), with five covariates (one categorical with 10
 * levels). Prints the wall time of the evaluation (Parquet read → JSON-ready result), excluding
 * Spark start-up and data generation. Run with bench/run.sh [pool] [treated] [continuous-age].
 *
 * <p>Age is in whole years at index, as KidCohortBuilder computes it, so the covariates have a few
 * thousand patterns and the propensity fit runs on grouped rows. With a third argument
 * {@code continuous-age} age is a double and every unit is its own pattern (the slow case).
 */
public final class MatchedCohortBench {
  public static void main(String[] args) throws Exception {
    long pool = args.length > 0 ? Long.parseLong(args[0]) : 1_500_000L;
    long treatedN = args.length > 1 ? Long.parseLong(args[1]) : 10_000L;
    boolean continuousAge = args.length > 2 && args[2].equals("continuous-age");
    Path dir = Files.createTempDirectory("idw-matched-bench");
    long t0 = System.nanoTime();
    SparkSession spark = IdwSpark.builder().appName("matched-bench").master("local[*]").quiet(true).getOrCreate();
    System.out.printf("spark started in %.1f s (%s)%n", (System.nanoTime() - t0) / 1e9, spark.sparkContext().master());

    long tg = System.nanoTime();
    long n = pool + treatedN;
    Dataset<Row> d = spark.range(n).toDF("id")
        .withColumn("treated", when(col("id").lt(treatedN), 1).otherwise(0))
        .withColumn("u1", rand(1)).withColumn("u2", rand(2)).withColumn("u3", rand(3))
        .withColumn("age", continuousAge ? lit(65).plus(col("u1").multiply(30)).plus(col("treated").multiply(3))
            : floor(lit(65).plus(col("u1").multiply(30)).plus(col("treated").multiply(3))).cast("int"))
        .withColumn("female", when(col("u2").lt(0.55), 1).otherwise(0))
        .withColumn("imd_decile", pmod(xxhash64(col("id"), lit(7)), lit(10)).plus(1))
        .withColumn("prior_ae", floor(col("u3").multiply(col("u3")).multiply(4).plus(col("treated").multiply(col("u2")))))
        .withColumn("ltc_count", pmod(xxhash64(col("id"), lit(11)), lit(5)))
        .withColumn("index_month", pmod(xxhash64(col("id"), lit(13)), lit(12)))
        .withColumn("sex", when(col("female").equalTo(1), "F").otherwise("M"))
        .withColumn("ae_after", floor(rand(4).multiply(exp(col("prior_ae").multiply(0.3))).multiply(2)))
        .withColumn("person_id", col("id").cast("string"))
        .drop("u1", "u2", "u3");
    d.write().parquet(dir.resolve("table").toString());
    System.out.printf("generated %,d rows (%,d treated, %s age) in %.1f s%n", n, treatedN,
        continuousAge ? "continuous" : "whole-year", (System.nanoTime() - tg) / 1e9);

    MatchedCohortSpec spec = MatchedCohortSpec.parse("""
        name: bench
        data:
          id: person_id
          treatment: treated
          covariates:
            - {name: age}
            - {name: female, type: binary}
            - {name: imd_decile, type: categorical}
            - {name: prior_ae}
            - {name: ltc_count}
          outcome: ae_after
        matching: {ratio: 1, caliper: 0.2, exact: [index_month, sex]}
        """, "bench spec");
    for (int rep = 1; rep <= 2; rep++) {
      long te = System.nanoTime();
      Dataset<Row> table = spark.read().parquet(dir.resolve("table").toString());
      MatchedCohortResult r = MatchedCohortEvaluation.of(spec).run(table, Provenance.builder(spec.hash())).result();
      double secs = (System.nanoTime() - te) / 1e9;
      System.out.printf("run %d: evaluation in %.1f s: %d treated matched of %d (%d outside caliper), %d pairs%n", rep, secs,
          r.sizes().treatedMatched(), r.sizes().treatedBefore(), r.sizes().outsideCaliper(), r.pairs().size());
      long tj = System.nanoTime();
      r.writeJson(dir.resolve("result.json"));
      System.out.printf("       JSON written in %.1f s (%,d bytes)%n", (System.nanoTime() - tj) / 1e9,
          Files.size(dir.resolve("result.json")));
    }
    spark.stop();
  }
}
