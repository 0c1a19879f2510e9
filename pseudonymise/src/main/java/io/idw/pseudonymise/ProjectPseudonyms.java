package io.idw.pseudonymise;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Per-project pseudonyms: ids and warehouse pseudonyms re-keyed for one project (a data-sharing
 * agreement), {@code HMAC-SHA256(HKDF(master, "project/" + projectId), utf8(value))} truncated to
 * 128 bits, hex. Extracts of two projects can never be joined on them, and no clear identifier is
 * needed. The project key id written next to a re-keyed pseudonym is {@code <keyId>/<projectId>}.
 *
 * <pre>
 * ProjectPseudonyms p = ProjectPseudonyms.of(keySet, "dsa-2024-017");
 * Dataset&lt;Row&gt; out = p.rekeyColumns(rows, List.of("person_id"));   // person ids, primary key
 * Dataset&lt;Row&gt; out2 = p.rekeyPseudonyms(rows);                      // every *_pseudonym + *_key_id
 * </pre>
 */
public final class ProjectPseudonyms implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String projectId;
  private final String primaryKeyId;
  private final Map<String, Pseudonymiser> byKey;

  private ProjectPseudonyms(KeySet keys, String projectId) {
    if (projectId == null || projectId.isBlank()) {
      throw PseudonymiseErrors.mappingInvalid("the project id is blank", "pass the agreement id as the project id");
    }
    this.projectId = projectId;
    this.primaryKeyId = keys.primaryId();
    Map<String, Pseudonymiser> m = new LinkedHashMap<>();
    for (Key k : keys.keys()) {
      if (k.status() == KeyStatus.ENABLED) {
        m.put(k.id(), Pseudonymiser.forPurpose(k, DomainKeys.projectPurpose(projectId), 128));
      }
    }
    this.byKey = Map.copyOf(m);
  }

  /** Re-keying for a project under every enabled key of the key set. */
  public static ProjectPseudonyms of(KeySet keys, String projectId) {
    return new ProjectPseudonyms(Objects.requireNonNull(keys, "keys"), projectId);
  }

  public String projectId() {
    return projectId;
  }

  /** The key id written next to values re-keyed under master key {@code keyId}. */
  public String projectKeyId(String keyId) {
    return keyId + "/" + projectId;
  }

  /** The project value of {@code value} under the primary key; null for null. */
  public String derive(String value) {
    return derive(primaryKeyId, value);
  }

  /** The project value of a pseudonym made under master key {@code keyId}; refuses an unknown key. */
  public String derive(String keyId, String value) {
    if (value == null) {
      return null;
    }
    Pseudonymiser p = byKey.get(keyId);
    if (p == null) {
      throw PseudonymiseErrors.keyUnknown(keyId);
    }
    return p.pseudonym(value);
  }

  /** Spark: the project value of a string column under the primary key. */
  public Column derive(Column value) {
    ProjectPseudonyms self = this;
    return functions.udf((UDF1<String, String>) self::derive, DataTypes.StringType)
        .withName("idw_project_rekey").apply(value.cast("string"));
  }

  /** Spark: the project value of a pseudonym column, under the key named in its key-id column. */
  public Column derive(Column pseudonym, Column keyId) {
    ProjectPseudonyms self = this;
    return functions.udf((UDF2<String, String, String>) (k, v) -> v == null ? null : self.derive(k, v),
        DataTypes.StringType).withName("idw_project_rekey").apply(keyId, pseudonym);
  }

  /** Replaces each named column (for example {@code person_id}) by its project value; types become string. */
  public Dataset<Row> rekeyColumns(Dataset<Row> in, List<String> columns) {
    Dataset<Row> out = in;
    for (String c : columns) {
      out = out.withColumn(c, derive(out.col("`" + c + "`")));
    }
    return out;
  }

  /**
   * Replaces every present pair of {@code *_pseudonym} and {@code *_key_id} columns (see {@link
   * PseudoColumns#PSEUDONYM_KEY_PAIRS}) by project pseudonyms and project key ids.
   */
  public Dataset<Row> rekeyPseudonyms(Dataset<Row> in) {
    Dataset<Row> out = in;
    List<String> cols = List.of(in.columns());
    for (List<String> pair : PseudoColumns.PSEUDONYM_KEY_PAIRS) {
      if (cols.contains(pair.get(0)) && cols.contains(pair.get(1))) {
        Column k = out.col(pair.get(1));
        out = out.withColumn(pair.get(0), derive(out.col(pair.get(0)), k))
            .withColumn(pair.get(1), functions.when(k.isNull(), functions.lit(null).cast("string"))
                .otherwise(functions.concat(k, functions.lit("/" + projectId))));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "ProjectPseudonyms(project=" + projectId + ", keys=" + byKey.keySet() + ")";
  }
}
