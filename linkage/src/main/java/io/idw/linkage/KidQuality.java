package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.idw.core.DeltaIO;
import io.idw.core.IdwMappers;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Linkage quality of the linked zone against sample-data truth ({@code truth/record_person.csv}:
 * source, record_id, person_id): pairwise precision, recall and F1 overall, per source and per
 * method (pairs with at least one record of that source or method), and link rates by source, age
 * band, sex and IMD decile (share of records linked to at least one other record, and of those that
 * should have been, the share that were) to show linkage bias.
 */
public final class KidQuality {
  private KidQuality() {}

  /** A link rate for one value of one attribute. */
  public record LinkRate(
      @JsonProperty("dimension") String dimension,
      @JsonProperty("value") String value,
      @JsonProperty("records") long records,
      @JsonProperty("linked") long linked,
      @JsonProperty("should_link") long shouldLink,
      @JsonProperty("correctly_linked") long correctlyLinked) {
    @JsonProperty("link_rate")
    public double linkRate() {
      return records == 0 ? 0 : (double) linked / records;
    }

    @JsonProperty("record_recall")
    public double recordRecall() {
      return shouldLink == 0 ? 1 : (double) correctlyLinked / shouldLink;
    }
  }

  /** The report. */
  public record Report(
      @JsonProperty("overall") PairwiseQuality overall,
      @JsonProperty("by_source") List<PairwiseQuality> bySource,
      @JsonProperty("by_method") List<PairwiseQuality> byMethod,
      @JsonProperty("link_rates") List<LinkRate> linkRates) {

    /** The console summary. */
    public String summary() {
      StringBuilder sb = new StringBuilder();
      sb.append(overall.line()).append('\n');
      bySource.forEach(q -> sb.append("  ").append(q.line()).append('\n'));
      byMethod.forEach(q -> sb.append("  ").append(q.line()).append('\n'));
      return sb.toString();
    }

    /** Writes quality.json and quality.csv (one row per scope, then link rates) into a directory. */
    public void write(Path dir) {
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("linkage_quality.json"), IdwMappers.json().writeValueAsString(this));
        StringBuilder csv = new StringBuilder("scope,records,precision,recall,f1,true_positives,predicted_pairs,true_pairs\n");
        List<PairwiseQuality> all = new ArrayList<>();
        all.add(overall);
        all.addAll(bySource);
        all.addAll(byMethod);
        for (PairwiseQuality q : all) {
          csv.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%d,%d,%d%n", q.scope(), q.records(), q.precision(),
              q.recall(), q.f1(), q.truePositives(), q.predictedPairs(), q.truePairs()));
        }
        csv.append("\ndimension,value,records,linked,link_rate,should_link,correctly_linked,record_recall\n");
        for (LinkRate r : linkRates) {
          csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%.6f,%d,%d,%.6f%n", r.dimension(), r.value(), r.records(),
              r.linked(), r.linkRate(), r.shouldLink(), r.correctlyLinked(), r.recordRecall()));
        }
        Files.writeString(dir.resolve("linkage_quality.csv"), csv.toString());
      } catch (IOException e) {
        throw LinkageErrors.outputIo(dir.toString(), e);
      }
    }
  }

  /** Evaluates the linked zone against a truth file. */
  public static Report evaluate(SparkSession spark, Warehouse w, Path recordPersonCsv) {
    if (!Files.isRegularFile(recordPersonCsv)) {
      throw LinkageErrors.truthMissing(recordPersonCsv.toString());
    }
    if (!DeltaIO.exists(spark, w.table(Zone.LINKED, "record_links"))) {
      throw LinkageErrors.notLinked(w.root().toString());
    }
    Dataset<Row> truth = spark.read().option("header", "true").csv(recordPersonCsv.toString())
        .select(concat(col("source"), lit("/"), col("record_id")).as(LinkColumns.RECORD_KEY),
            col("person_id").as(FileLinker.TRUTH_ID));
    Dataset<Row> links = DeltaIO.read(spark, w.table(Zone.LINKED, "record_links"))
        .select(concat(col(LinkColumns.SOURCE), lit("/"), col(LinkColumns.RECORD_ID)).as(LinkColumns.RECORD_KEY),
            col(LinkColumns.SOURCE), col(LinkColumns.METHOD), col(LinkColumns.PERSON_ID).as(LinkColumns.CLUSTER_ID));
    Dataset<Row> attrs = attributes(spark, w);
    Dataset<Row> j = links.join(truth, LinkColumns.RECORD_KEY).join(attrs, LinkColumns.RECORD_KEY, "left").cache();
    try {
      PairwiseQuality overall = PairwiseQuality.of("all", j);
      List<PairwiseQuality> bySource = new ArrayList<>();
      for (Row r : j.select(LinkColumns.SOURCE).distinct().orderBy(LinkColumns.SOURCE).collectAsList()) {
        String s = r.getString(0);
        bySource.add(PairwiseQuality.restrictedTo("source " + s, overall,
            PairwiseQuality.of("x", j.where(col(LinkColumns.SOURCE).notEqual(s)))));
      }
      List<PairwiseQuality> byMethod = new ArrayList<>();
      for (String m : List.of(LinkColumns.DETERMINISTIC, LinkColumns.PROBABILISTIC, LinkColumns.SINGLETON)) {
        byMethod.add(PairwiseQuality.restrictedTo("method " + m, overall,
            PairwiseQuality.of("x", j.where(col(LinkColumns.METHOD).notEqual(m)))));
      }
      return new Report(overall, bySource, byMethod, linkRates(j));
    } finally {
      j.unpersist();
    }
  }

  /** Age band, sex and IMD decile per record, from the pseudonymised tables where present. */
  static Dataset<Row> attributes(SparkSession spark, Warehouse w) {
    Dataset<Row> out = null;
    for (TableRef t : LinkageJob.sourceTables(spark, w)) {
      Dataset<Row> d = DeltaIO.read(spark, t);
      Set<String> cols = Set.of(d.columns());
      Dataset<Row> a = d.select(concat(col(LinkColumns.SOURCE), lit("/"), col(LinkColumns.RECORD_ID)).as(LinkColumns.RECORD_KEY),
          (cols.contains(LinkColumns.AGE_BAND) ? col(LinkColumns.AGE_BAND) : lit(null)).cast("string").as(LinkColumns.AGE_BAND),
          (cols.contains(LinkColumns.SEX) ? col(LinkColumns.SEX) : lit(null)).cast("string").as(LinkColumns.SEX),
          (cols.contains(LinkColumns.IMD_DECILE) ? col(LinkColumns.IMD_DECILE) : lit(null)).cast("string").as(LinkColumns.IMD_DECILE));
      out = out == null ? a : out.unionByName(a);
    }
    return out.dropDuplicates(LinkColumns.RECORD_KEY);
  }

  static List<LinkRate> linkRates(Dataset<Row> j) {
    Dataset<Row> sizes = j.groupBy(LinkColumns.CLUSTER_ID).agg(count(lit(1)).as("csize"));
    Dataset<Row> truthSizes = j.groupBy(FileLinker.TRUTH_ID).agg(count(lit(1)).as("tsize"));
    Dataset<Row> cell = j.groupBy(LinkColumns.CLUSTER_ID, FileLinker.TRUTH_ID).agg(count(lit(1)).as("cell"));
    Dataset<Row> per = j.join(sizes, LinkColumns.CLUSTER_ID).join(truthSizes, FileLinker.TRUTH_ID)
        .join(cell, List.of(LinkColumns.CLUSTER_ID, FileLinker.TRUTH_ID).toArray(new String[0]))
        .withColumn("linked", when(col("csize").gt(1), 1L).otherwise(0L))
        .withColumn("should", when(col("tsize").gt(1), 1L).otherwise(0L))
        .withColumn("correct", when(col("tsize").gt(1).and(col("cell").gt(1)), 1L).otherwise(0L)).cache();
    List<LinkRate> out = new ArrayList<>();
    for (String dim : List.of(LinkColumns.SOURCE, LinkColumns.AGE_BAND, LinkColumns.SEX, LinkColumns.IMD_DECILE)) {
      for (Row r : per.groupBy(dim).agg(count(lit(1)), sum("linked"), sum("should"), sum("correct"))
          .orderBy(dim).collectAsList()) {
        out.add(new LinkRate(dim, r.isNullAt(0) ? "unknown" : r.get(0).toString(), r.getLong(1), r.getLong(2),
            r.getLong(3), r.getLong(4)));
      }
    }
    per.unpersist();
    return out;
  }
}
