package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Deterministic links on the pseudonymised NHS number, verified as the KID's black box does: the
 * records sharing a valid pseudonym must agree on the date-of-birth and sex tokens. Per pseudonym
 * the most frequent DOB token and sex token form the verified profile; a record whose token
 * differs (a missing token does not contradict) is a conflict: it is recorded, not linked on the
 * pseudonym, and left to probabilistic linkage.
 */
public final class DeterministicLinker {
  public static final String RESOLVED = "resolved";
  public static final String CONFLICT = "conflict";
  public static final String DOB_MISMATCH = "dob_mismatch";
  public static final String SEX_MISMATCH = "sex_mismatch";
  /** Per-pseudonym group columns: the token combinations and their counts, sorted. */
  public static final String TOKENS = "tokens";
  /** Count column of a token combination. */
  public static final String N = "n";
  public static final String MODE_DOB = "mode_dob";
  public static final String MODE_SEX = "mode_sex";
  /** Records of the group that agree with its modes. */
  public static final String N_VERIFIED = "n_verified";
  /** The group's least verified record key when two or more records are verified (else null). */
  public static final String HUB = "hub";

  private DeterministicLinker() {}

  /**
   * @param edges {@code src, dst} record keys (a star per verified pseudonym group)
   * @param resolved {@code record_key, resolved}: true when the record linked on a verified pseudonym
   * @param conflicts {@code record_key, source, record_id, nhs_pseudonym, conflict} ({@code
   *     dob_mismatch} or {@code sex_mismatch}), one row per record and kind
   * @param groups one row per valid pseudonym: {@code nhs_pseudonym, tokens} (array of {@code
   *     tok_dob, tok_sex, n}, sorted), {@code mode_dob, mode_sex, n_verified, hub}: what a later
   *     run needs to verify new records against the group without reading it
   */
  public record Result(Dataset<Row> edges, Dataset<Row> resolved, Dataset<Row> conflicts, Dataset<Row> groups) {}

  /**
   * @param records {@code record_key, source, record_id, nhs_pseudonym, nhs_status, tok_dob, tok_sex}
   */
  public static Result link(Dataset<Row> records) {
    String key = LinkColumns.RECORD_KEY;
    Dataset<Row> valid = records
        .where(col(LinkColumns.NHS_STATUS).equalTo("valid").and(col(LinkColumns.NHS_PSEUDONYM).isNotNull()))
        .select(key, LinkColumns.SOURCE, LinkColumns.RECORD_ID, LinkColumns.NHS_PSEUDONYM, LinkColumns.TOK_DOB,
            LinkColumns.TOK_SEX);
    Dataset<Row> summary = summarise(valid.groupBy(LinkColumns.NHS_PSEUDONYM, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX)
        .agg(count(lit(1)).as(N))).cache();
    Dataset<Row> checked = valid.join(summary.select(LinkColumns.NHS_PSEUDONYM, MODE_DOB, MODE_SEX), LinkColumns.NHS_PSEUDONYM)
        .withColumn("dob_bad", disagrees(LinkColumns.TOK_DOB, MODE_DOB))
        .withColumn("sex_bad", disagrees(LinkColumns.TOK_SEX, MODE_SEX))
        .withColumn("ok", functions_not(col("dob_bad")).and(functions_not(col("sex_bad"))))
        .cache();
    Dataset<Row> verified = checked.where(col("ok"));
    Dataset<Row> hub = verified.groupBy(LinkColumns.NHS_PSEUDONYM).agg(min(key).as("hub"), count(lit(1)).as("n"))
        .where(col("n").gt(1));
    Dataset<Row> edges = verified.join(hub, LinkColumns.NHS_PSEUDONYM)
        .where(col(key).notEqual(col("hub")))
        .select(col(key).as(Clustering.SRC), col("hub").as(Clustering.DST));
    Dataset<Row> linkedKeys = verified.join(hub.select(LinkColumns.NHS_PSEUDONYM), LinkColumns.NHS_PSEUDONYM)
        .select(col(key), lit(true).as(RESOLVED));
    Dataset<Row> resolved = records.select(key).join(linkedKeys, key, "left")
        .select(col(key), org.apache.spark.sql.functions.coalesce(col(RESOLVED), lit(false)).as(RESOLVED));
    Dataset<Row> base = checked.select(key, LinkColumns.SOURCE, LinkColumns.RECORD_ID, LinkColumns.NHS_PSEUDONYM,
        "dob_bad", "sex_bad");
    Dataset<Row> conflicts = base.where(col("dob_bad")).drop("dob_bad", "sex_bad").withColumn(CONFLICT, lit(DOB_MISMATCH))
        .unionByName(base.where(col("sex_bad")).drop("dob_bad", "sex_bad").withColumn(CONFLICT, lit(SEX_MISMATCH)));
    Dataset<Row> groups = summary.join(hub.select(col(LinkColumns.NHS_PSEUDONYM), col("hub").as(HUB)), LinkColumns.NHS_PSEUDONYM,
        "left").select(LinkColumns.NHS_PSEUDONYM, TOKENS, MODE_DOB, MODE_SEX, N_VERIFIED, HUB);
    return new Result(edges, resolved, conflicts, groups);
  }

  private static final StructType STATS = new StructType().add(MODE_DOB, DataTypes.StringType)
      .add(MODE_SEX, DataTypes.StringType).add(N_VERIFIED, DataTypes.LongType);

  /**
   * A group's modes and verified count from its token combinations: per token the most frequent
   * non-null value (ties: the least, by UTF-8 bytes as Spark orders strings), and how many records
   * agree with both modes (a missing token or mode does not contradict).
   */
  private static final UserDefinedFunction GROUP_STATS = functions.udf((UDF1<scala.collection.Seq<Row>, Row>) tokens -> {
    Map<String, Long> dob = new HashMap<>();
    Map<String, Long> sex = new HashMap<>();
    scala.collection.Iterator<Row> it = tokens.iterator();
    java.util.List<Row> all = new java.util.ArrayList<>();
    while (it.hasNext()) {
      Row t = it.next();
      all.add(t);
      long c = t.getLong(2);
      if (!t.isNullAt(0)) {
        dob.merge(t.getString(0), c, Long::sum);
      }
      if (!t.isNullAt(1)) {
        sex.merge(t.getString(1), c, Long::sum);
      }
    }
    String md = mode(dob);
    String ms = mode(sex);
    long verified = 0;
    for (Row t : all) {
      boolean dobOk = t.isNullAt(0) || md == null || t.getString(0).equals(md);
      boolean sexOk = t.isNullAt(1) || ms == null || t.getString(1).equals(ms);
      if (dobOk && sexOk) {
        verified += t.getLong(2);
      }
    }
    return RowFactory.create(md, ms, verified);
  }, STATS);

  private static String mode(Map<String, Long> counts) {
    String best = null;
    long bestCount = -1;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      long c = e.getValue();
      if (c > bestCount || (c == bestCount && utf8Less(e.getKey(), best))) {
        best = e.getKey();
        bestCount = c;
      }
    }
    return best;
  }

  private static boolean utf8Less(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y) < 0;
  }

  /**
   * Per pseudonym, its token combinations and what they verify.
   *
   * @param combos {@code nhs_pseudonym, tok_dob, tok_sex, n} (one row per combination present)
   * @return {@code nhs_pseudonym, tokens} (array of {@code tok_dob, tok_sex, n}, sorted), {@code
   *     mode_dob, mode_sex, n_verified}
   */
  public static Dataset<Row> summarise(Dataset<Row> combos) {
    return combos.groupBy(LinkColumns.NHS_PSEUDONYM)
        .agg(functions.array_sort(functions.collect_list(functions.struct(col(LinkColumns.TOK_DOB), col(LinkColumns.TOK_SEX),
            col(N).cast("long").as(N)))).as(TOKENS))
        .withColumn("__stats", GROUP_STATS.apply(col(TOKENS)))
        .select(col(LinkColumns.NHS_PSEUDONYM), col(TOKENS), col("__stats." + MODE_DOB).as(MODE_DOB),
            col("__stats." + MODE_SEX).as(MODE_SEX), col("__stats." + N_VERIFIED).as(N_VERIFIED));
  }

  /** True when a present token differs from a present mode (a missing one does not contradict). */
  public static Column disagrees(String column, String mode) {
    return when(col(column).isNull().or(col(mode).isNull()), lit(false)).otherwise(col(column).notEqual(col(mode)));
  }

  private static Column functions_not(Column c) {
    return org.apache.spark.sql.functions.not(c);
  }

  /** Distinct DOB tokens per pseudonym, for reporting pseudonyms with conflicting dates of birth. */
  public static Dataset<Row> pseudonymsWithSeveralDobs(Dataset<Row> records) {
    return records.where(col(LinkColumns.NHS_STATUS).equalTo("valid"))
        .groupBy(LinkColumns.NHS_PSEUDONYM).agg(countDistinct(LinkColumns.TOK_DOB).as("dobs"))
        .where(col("dobs").gt(1));
  }
}
