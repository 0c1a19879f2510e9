import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.idw.core.IdwSpark;
import io.idw.linkage.Clustering;
import io.idw.linkage.FileLinker;
import io.idw.linkage.KidSettings;
import io.idw.linkage.LinkColumns;
import io.idw.linkage.LinkageSettings;
import io.idw.linkage.Linker;
import io.idw.linkage.PairwiseQuality;
import io.idw.linkage.Training;
import io.idw.pseudonymise.ColumnMapping;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.RecordEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Benchmark: probabilistic linkage of N encoded records (default 1,000,000). Run by run.sh.
 *
 * <p>Stage 1 (not timed as linkage): seeded synthetic people in clear (half the records are
 * originals, half corrupted duplicates: name typos, DOB transpositions, moves), encoded with
 * pseudonymise's RecordEncoder under a fresh key, written to Parquet. The person id is kept aside
 * as truth. Stage 2 (timed): read the encodings, train (u by random sampling, m by EM), predict
 * with the KID blocking rules and comparisons, and cluster. Prints seconds per stage, the
 * comparison count per blocking rule, and pairwise precision/recall/F1 against the planted truth.
 */
public class LinkageBench {
  public static void main(String[] args) throws Exception {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    Path dir = Path.of(args.length > 1 ? args[1] : "target/linkage-bench");
    SparkSession spark = IdwSpark.builder().appName("linkage-bench").master("local[2]").quiet(true)
        .config("spark.sql.shuffle.partitions", "8").getOrCreate();
    Path enc = dir.resolve("encoded-" + n + ".parquet");
    // reused only when its write completed: written to a temporary directory, then renamed
    if (!Files.exists(enc.resolve("_SUCCESS"))) {
      long t0 = System.nanoTime();
      Dataset<Row> clear = clear(spark, n);
      ColumnMapping mapping = ColumnMapping.builder().givenName("given").familyName("family").dateOfBirth("dob")
          .sex("sex").postcode("postcode").build();
      Path tmp = dir.resolve("encoded-" + n + ".parquet.tmp");
      deleteTree(tmp);
      RecordEncoder.of(KeySet.generate(false), mapping).encode(clear)
          .write().mode("overwrite").parquet(tmp.toString());
      deleteTree(enc);
      Files.move(tmp, enc, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      System.out.printf(Locale.ROOT, "generated and encoded %,d records in %.1f s (not part of the linkage time)%n", n,
          (System.nanoTime() - t0) / 1e9);
    }
    Dataset<Row> all = spark.read().parquet(enc.toString());
    Dataset<Row> truth = all.select(col("record_key").as(Clustering.ID), col("person").as(FileLinker.TRUTH_ID));
    Dataset<Row> records = all.drop("person");
    LinkageSettings settings = KidSettings.defaults();

    double c1 = cpu();
    long t1 = System.nanoTime();
    Training training = Linker.of(spark, settings).train(records);
    double train = (System.nanoTime() - t1) / 1e9;
    double c2 = cpu();
    long t2 = System.nanoTime();
    Dataset<Row> pred = Linker.of(spark, training.model()).predict(records, null)
        .select(col(LinkColumns.RECORD_KEY + "_l"), col(LinkColumns.RECORD_KEY + "_r"), col(LinkColumns.MATCH_KEY),
            col(LinkColumns.MATCH_PROBABILITY))
        .cache();
    List<Linker.BlockingCount> counts = blockingCounts(pred, settings);
    double predict = (System.nanoTime() - t2) / 1e9;
    double c3 = cpu();
    long t3 = System.nanoTime();
    Dataset<Row> edges = pred.select(col(LinkColumns.RECORD_KEY + "_l").as(Clustering.SRC),
        col(LinkColumns.RECORD_KEY + "_r").as(Clustering.DST), col(LinkColumns.MATCH_PROBABILITY),
        functions.lit(false).as(Clustering.FIXED));
    Clustering.Result cl = Clustering.cluster(records.select(col(LinkColumns.RECORD_KEY).as(Clustering.ID)), edges,
        settings.threshold(), settings.maxClusterSize());
    Dataset<Row> clusters = cl.clusters().cache();
    long nClusters = clusters.select(LinkColumns.CLUSTER_ID).distinct().count();
    double cluster = (System.nanoTime() - t3) / 1e9;
    double c4 = cpu();
    long comparisons = counts.stream().mapToLong(Linker.BlockingCount::comparisons).sum();
    System.out.printf(Locale.ROOT, "records %,d; comparisons %,d%n", n, comparisons);
    counts.forEach(c -> System.out.printf(Locale.ROOT, "  rule %d %-70s %,d%n", c.matchKey(), c.blockingRule(), c.comparisons()));
    System.out.printf(Locale.ROOT, "linkage seconds: train %.1f (u pairs %,d, EM sessions %d), predict %.1f, cluster %.1f (%s) = %.1f total%n",
        train, training.uPairs(), training.sessions().size(), predict, cluster, cl.engine(), train + predict + cluster);
    // CPU seconds of this JVM (both cores): less sensitive than wall time to other work on the machine
    System.out.printf(Locale.ROOT, "linkage CPU seconds (JVM, all threads): train %.1f, predict %.1f, cluster %.1f = %.1f%n",
        c2 - c1, c3 - c2, c4 - c3, c4 - c1);
    PairwiseQuality q = PairwiseQuality.of("bench clusters", clusters.join(truth, Clustering.ID));
    System.out.printf(Locale.ROOT, "clusters %,d; %s%n", nClusters, q.line());
    spark.stop();
  }

  static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  static void deleteTree(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (java.util.stream.Stream<Path> w = Files.walk(p)) {
        for (Path q : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      }
    }
  }

  static List<Linker.BlockingCount> blockingCounts(Dataset<Row> pred, LinkageSettings s) {
    java.util.Map<Integer, Long> m = new java.util.HashMap<>();
    pred.groupBy(LinkColumns.MATCH_KEY).count().collectAsList().forEach(r -> m.put(r.getInt(0), r.getLong(1)));
    List<Linker.BlockingCount> out = new java.util.ArrayList<>();
    for (int k = 0; k < s.predictionRules().size(); k++) {
      out.add(new Linker.BlockingCount(k, s.predictionRules().get(k).blockingRule(), m.getOrDefault(k, 0L)));
    }
    return out;
  }

  /** Seeded clear records: columns record_key, person, given, family, dob, sex, postcode. */
  static Dataset<Row> clear(SparkSession spark, long n) {
    String given = "array('OLIVER','GEORGE','HARRY','JACK','JACOB','NOAH','CHARLIE','MUHAMMAD','THOMAS','OSCAR','WILLIAM',"
        + "'JAMES','HENRY','LEO','ALFIE','JOSHUA','FREDDIE','ARCHIE','ETHAN','ISAAC','OLIVIA','AMELIA','ISLA','AVA',"
        + "'EMILY','ISABELLA','MIA','POPPY','ELLA','LILY','GRACE','SOPHIA','EVIE','SCARLETT','RUBY','CHLOE','DAISY',"
        + "'FREYA','PHOEBE','ALICE','MARGARET','JOAN','DOROTHY','PETER','JOHN','DAVID','SUSAN','MARY','ANN','ALAN')";
    String s1 = "array('SMI','JON','WIL','BRO','TAY','DAV','EVA','THO','JOH','ROB','WAL','WRI','HAR','GRE','GRA',"
        + "'HAL','CLA','LEW','KIN','PAT','BAK','HUG','MOR','COO','WAR','PRI','BEN','MAR','FOS','ELL')";
    String s2 = "array('TH','ES','SON','ER','LEY','WOOD','MAN','INS','FORD','TON','ELL','OCK','ARD','IS','AN',"
        + "'ETT','OWS','FIELD','HAM','LAND','RY','LOW','WELL','BURY','GATE','STONE','WICK','DALE','MORE','SEY')";
    String areas = "array('ME','CT','DA','TN','BR','SE','RH','MK','CM','SS')";
    long people = n / 2;
    Dataset<Row> r = spark.range(n).toDF("r")
        .withColumn("person", expr("CASE WHEN r < " + people + " THEN r ELSE pmod(xxhash64(r, 7), " + people + ") END"))
        .withColumn("dup", expr("r >= " + people))
        .withColumn("u", expr("pmod(xxhash64(r, 11), 1000000) / 1000000.0"))
        .withColumn("given0", expr("element_at(" + given + ", cast(pmod(xxhash64(person, 1), 50) + 1 as int))"))
        .withColumn("family0", expr("concat(element_at(" + s1 + ", cast(pmod(xxhash64(person, 2), 30) + 1 as int)), "
            + "element_at(" + s2 + ", cast(pmod(xxhash64(person, 3), 30) + 1 as int)))"))
        .withColumn("dob0", expr("date_add(date'1925-01-01', cast(pmod(xxhash64(person, 4), 35000) as int))"))
        .withColumn("sex", expr("CASE WHEN pmod(xxhash64(person, 5), 2) = 0 THEN 'M' ELSE 'F' END"))
        .withColumn("pc0", expr("concat(element_at(" + areas + ", cast(pmod(xxhash64(person, 6), 10) + 1 as int)), "
            + "cast(pmod(xxhash64(person, 8), 20) + 1 as string), ' ', cast(pmod(xxhash64(person, 9), 10) as string), "
            + "char(65 + cast(pmod(xxhash64(person, 10), 26) as int)), char(65 + cast(pmod(xxhash64(person, 12), 26) as int)))"));
    // corruption of duplicates
    return r.select(
        expr("concat('bench/', cast(r as string))").as("record_key"),
        col("person").cast("string").as("person"),
        expr("CASE WHEN dup AND u < 0.08 THEN overlay(given0 placing 'X' from 2 for 1) "
            + "WHEN dup AND u < 0.12 THEN NULL ELSE given0 END").as("given"),
        expr("CASE WHEN dup AND u >= 0.12 AND u < 0.22 THEN overlay(family0 placing 'Q' from 3 for 1) ELSE family0 END")
            .as("family"),
        expr("date_format(CASE WHEN dup AND u >= 0.22 AND u < 0.26 AND day(dob0) <= 12 "
            + "THEN make_date(year(dob0), day(dob0), month(dob0)) "
            + "WHEN dup AND u >= 0.26 AND u < 0.29 THEN date_add(dob0, 1) ELSE dob0 END, 'yyyy-MM-dd')").as("dob"),
        col("sex"),
        expr("CASE WHEN dup AND u >= 0.29 AND u < 0.44 THEN concat(substring(pc0, 1, length(pc0) - 2), 'ZZ') ELSE pc0 END")
            .as("postcode"));
  }
}
