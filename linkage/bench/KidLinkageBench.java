import io.idw.core.IdwSpark;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.linkage.KidQuality;
import io.idw.linkage.LinkageJob;
import io.idw.linkage.PairwiseQuality;
import io.idw.pseudonymise.Ingest;
import io.idw.pseudonymise.KeySet;
import io.idw.sampledata.SampleData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Benchmark: the KID linkage job on seeded synthetic data. Run by run.sh ({@code run.sh kid PEOPLE
 * [MONTHS]}).
 *
 * <p>Generates PEOPLE people over MONTHS months (seed 42), ingests them into a fresh warehouse
 * under a generated test key set (not timed as linkage), then times {@link LinkageJob} (the step
 * the demo runs) and evaluates against {@code truth/record_person.csv}: pairwise precision, recall
 * and F1 overall, per source (pairs with at least one record of the source; fire visits carry no
 * NHS number) and per method.
 */
public class KidLinkageBench {
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--copy-of")) {
      copyOf(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args.length > 4 ? Double.parseDouble(args[4]) : 0);
      return;
    }
    int people = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int months = args.length > 1 ? Integer.parseInt(args[1]) : 36;
    Path dir = Path.of(args.length > 2 ? args[2] : "target/kid-bench").resolve("kid-" + people + "-" + months);
    SparkSession spark = IdwSpark.builder().appName("kid-linkage-bench").master("local[2]").quiet(true).getOrCreate();
    Path sample = dir.resolve("sample");
    Path wh = dir.resolve("warehouse");
    Path truth = sample.resolve("truth").resolve("record_person.csv");
    double gen = 0;
    double ingest = 0;
    Warehouse w;
    if (Files.exists(dir.resolve("ingested.ok"))) {
      // same seed and size: reuse the ingested warehouse, drop only the linked zone
      w = Warehouse.open(wh);
      delete(w.zonePath(Zone.LINKED));
      System.out.println("reusing the ingested warehouse " + wh);
    } else {
      long t0 = System.nanoTime();
      SampleData.generator().people(people).months(months).seed(42).out(sample).build().run(spark);
      gen = (System.nanoTime() - t0) / 1e9;
      delete(wh);
      w = Warehouse.create(wh);
      long t1 = System.nanoTime();
      Ingest.builder().warehouse(w).keySet(KeySet.generate(true)).input(sample).build().runAll(spark);
      ingest = (System.nanoTime() - t1) / 1e9;
      Files.writeString(dir.resolve("ingested.ok"), "ok\n");
    }
    long t2 = System.nanoTime();
    LinkageJob.Result r = LinkageJob.builder().warehouse(w).build().run(spark);
    double link = (System.nanoTime() - t2) / 1e9;
    System.out.printf(Locale.ROOT, "people %,d, months %d: generate %.1f s, ingest %.1f s (not linkage)%n", people,
        months, gen, ingest);
    System.out.printf(Locale.ROOT, "linkage job %.1f s: %,d records -> %,d people; %,d deterministic edges, "
        + "%,d probabilistic links accepted, %d conflicts%n", link, r.records(), r.people(), r.deterministicEdges(),
        r.acceptedLinks(), r.conflicts());
    System.out.printf(Locale.ROOT, "linkage job phases (s): %s%n", r.seconds());
    r.blocking().forEach(b -> System.out.printf(Locale.ROOT, "  rule %d %-70s %,d comparisons%n", b.matchKey(),
        b.blockingRule(), b.comparisons()));
    long t3 = System.nanoTime();
    KidQuality.Report q = KidQuality.evaluate(spark, w, truth);
    System.out.print(q.summary());
    System.out.printf(Locale.ROOT, "quality evaluated in %.1f s%n", (System.nanoTime() - t3) / 1e9);
    for (PairwiseQuality s : q.bySource()) {
      if (s.scope().endsWith("fire_home_safety_visits")) {
        System.out.printf(Locale.ROOT, "FIRE VISITS: precision %.4f recall %.4f F1 %.4f (targets: recall >= 0.97 at "
            + "precision >= 0.995)%n", s.precision(), s.recall(), s.f1());
      }
    }
    printRecordLevel(q);
    q.write(dir.resolve("quality"));
    spark.stop();
  }

  /**
   * Links a copy of another warehouse's pseudonymised zone (for example a demo's), so the linkage
   * step is timed on exactly the data a demo linked: {@code --copy-of WAREHOUSE TRUTH_CSV OUT [THRESHOLD]}.
   */
  static void copyOf(Path source, Path truth, Path out, double threshold) throws Exception {
    SparkSession spark = IdwSpark.builder().appName("kid-linkage-bench").master("local[2]").quiet(true).getOrCreate();
    delete(out);
    Warehouse w = Warehouse.create(out);
    Path from = source.resolve("pseudonymised");
    Path to = w.zonePath(Zone.PSEUDONYMISED);
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    LinkageJob.Builder b = LinkageJob.builder().warehouse(w);
    if (threshold > 0) {
      b.settings(io.idw.linkage.KidSettings.defaults().toBuilder().threshold(threshold).build());
    }
    System.out.printf(Locale.ROOT, "load before linkage: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    long t0 = System.nanoTime();
    LinkageJob.Result r = b.build().run(spark);
    double link = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "linkage job %.1f s (threshold %s): %,d records -> %,d people; %,d deterministic "
        + "edges, %,d probabilistic links accepted, %d conflicts; load after: %s%n", link,
        threshold > 0 ? threshold : "default", r.records(), r.people(), r.deterministicEdges(), r.acceptedLinks(),
        r.conflicts(), Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf(Locale.ROOT, "linkage job phases (s): %s%n", r.seconds());
    r.blocking().forEach(c -> System.out.printf(Locale.ROOT, "  rule %d %-70s %,d comparisons%n", c.matchKey(),
        c.blockingRule(), c.comparisons()));
    KidQuality.Report q = KidQuality.evaluate(spark, w, truth);
    System.out.print(q.summary());
    printRecordLevel(q);
    q.write(out.resolve("quality"));
    spark.stop();
  }

  /** Per source: of the records whose person has other records, the share linked to at least one of them. */
  static void printRecordLevel(KidQuality.Report q) {
    q.linkRates().stream().filter(l -> l.dimension().equals("source")).forEach(l -> System.out.printf(Locale.ROOT,
        "  record level %-26s should link %,7d, linked to a true partner %,7d: recall %.4f%n", l.value(),
        l.shouldLink(), l.correctlyLinked(), l.recordRecall()));
  }

  static void delete(Path p) throws java.io.IOException {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
