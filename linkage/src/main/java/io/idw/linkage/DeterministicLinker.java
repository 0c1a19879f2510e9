package io.idw.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

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

  private DeterministicLinker() {}

  /**
   * @param edges {@code src, dst} record keys (a star per verified pseudonym group)
   * @param resolved {@code record_key, resolved}: true when the record linked on a verified pseudonym
   * @param conflicts {@code record_key, source, record_id, nhs_pseudonym, conflict} ({@code
   *     dob_mismatch} or {@code sex_mismatch}), one row per record and kind
   */
  public record Result(Dataset<Row> edges, Dataset<Row> resolved, Dataset<Row> conflicts) {}

  /**
   * @param records {@code record_key, source, record_id, nhs_pseudonym, nhs_status, tok_dob, tok_sex}
   */
  public static Result link(Dataset<Row> records) {
    String key = LinkColumns.RECORD_KEY;
    Dataset<Row> valid = records
        .where(col(LinkColumns.NHS_STATUS).equalTo("valid").and(col(LinkColumns.NHS_PSEUDONYM).isNotNull()))
        .select(key, LinkColumns.SOURCE, LinkColumns.RECORD_ID, LinkColumns.NHS_PSEUDONYM, LinkColumns.TOK_DOB,
            LinkColumns.TOK_SEX);
    Dataset<Row> dobMode = mode(valid, LinkColumns.TOK_DOB, "mode_dob");
    Dataset<Row> sexMode = mode(valid, LinkColumns.TOK_SEX, "mode_sex");
    Dataset<Row> checked = valid.join(dobMode, LinkColumns.NHS_PSEUDONYM, "left")
        .join(sexMode, LinkColumns.NHS_PSEUDONYM, "left")
        .withColumn("dob_bad", disagrees(LinkColumns.TOK_DOB, "mode_dob"))
        .withColumn("sex_bad", disagrees(LinkColumns.TOK_SEX, "mode_sex"))
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
    return new Result(edges, resolved, conflicts);
  }

  /** The most frequent non-null value per pseudonym (ties: the least value). */
  private static Dataset<Row> mode(Dataset<Row> valid, String column, String as) {
    Dataset<Row> counts = valid.where(col(column).isNotNull()).groupBy(LinkColumns.NHS_PSEUDONYM, column)
        .agg(count(lit(1)).as("c"));
    return counts.withColumn("rk", row_number().over(Window.partitionBy(LinkColumns.NHS_PSEUDONYM)
            .orderBy(col("c").desc(), col(column).asc())))
        .where(col("rk").equalTo(1)).select(col(LinkColumns.NHS_PSEUDONYM), col(column).as(as));
  }

  private static Column disagrees(String column, String mode) {
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
