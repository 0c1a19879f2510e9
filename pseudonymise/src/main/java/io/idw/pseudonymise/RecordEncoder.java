package io.idw.pseudonymise;

import static io.idw.pseudonymise.PseudoColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.idw.core.IdentifierType;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF10;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Turns any Dataset's clear identifier columns into the pseudonymised-record columns (the
 * cross-module contract), given a {@link KeySet} and a {@link ColumnMapping}. A Spark step:
 * {@link #encode(Dataset)} is a function {@code Dataset<Row> -> Dataset<Row>}.
 *
 * <p>Output columns: every input column the mapping does not drop (and that does not clash with a
 * name below), then
 * <ul>
 *   <li>{@code record_id} (string; from the mapped record id column), {@code source} (string),
 *       {@code extract_month} (string YYYY-MM) when the mapping gives them;</li>
 *   <li>{@code nhs_pseudonym} (string hex), {@code nhs_key_id}, {@code nhs_status} ({@link NhsStatus}
 *       wire names; null when no NHS number column is mapped); {@code uprn_pseudonym},
 *       {@code social_care_pseudonym}, {@code local_id_pseudonym}, each with its {@code *_key_id};
 *       a key id is set exactly when its pseudonym is;</li>
 *   <li>{@code bf_given_name}, {@code bf_family_name}, {@code bf_dob}, {@code bf_postcode},
 *       {@code clk} (binary, {@link BloomEncoder#bits()} bits);</li>
 *   <li>{@code tok_dob}, {@code tok_dob_swapped}, {@code tok_dob_ym}, {@code tok_yob},
 *       {@code tok_sex}, {@code tok_postcode}, {@code tok_pc_sector}, {@code tok_pc_district},
 *       {@code tok_given_name}, {@code tok_family_name} (string hex, 128 bits); {@code enc_key_id};</li>
 *   <li>{@code age_band} (string such as {@code 35-39}, {@code 90+}), {@code sex} ({@code M},
 *       {@code F}, {@code U}), {@code lsoa} and {@code imd_decile} (int) when reference tables are
 *       given with {@link #withReference}.</li>
 * </ul>
 * Every column is nullable; an invalid or missing value gives nulls, never a hash of junk. The
 * given- and family-name tokens share one key, so a swapped name can be detected by comparing
 * {@code tok_given_name} with {@code tok_family_name}; each Bloom field has its own key.
 */
public final class RecordEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The struct the row function returns; its fields are {@link PseudoColumns#ENCODED} plus sex. */
  static final StructType ENCODED_STRUCT = encodedStruct();

  private final ColumnMapping mapping;
  private final String keyId;
  private final Pseudonymiser nhs;
  private final Pseudonymiser uprn;
  private final Pseudonymiser socialCare;
  private final Pseudonymiser localId;
  private final Pseudonymiser tokDob;
  private final Pseudonymiser tokDobYm;
  private final Pseudonymiser tokYob;
  private final Pseudonymiser tokSex;
  private final Pseudonymiser tokPostcode;
  private final Pseudonymiser tokPcSector;
  private final Pseudonymiser tokPcDistrict;
  private final Pseudonymiser tokName;
  private final BloomEncoder bloom;
  private transient Dataset<Row> postcodeLsoa;
  private transient Dataset<Row> lsoaImd;

  private RecordEncoder(KeySet keys, ColumnMapping mapping, int pseudonymBits, BloomEncoder bloom) {
    Key k = keys.primary();
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.keyId = k.id();
    this.nhs = Pseudonymiser.of(k, IdentifierType.NHS_NUMBER, pseudonymBits);
    this.uprn = Pseudonymiser.of(k, IdentifierType.UPRN, pseudonymBits);
    this.socialCare = Pseudonymiser.of(k, IdentifierType.SOCIAL_CARE_ID, pseudonymBits);
    this.localId = Pseudonymiser.of(k, IdentifierType.LOCAL_ID, pseudonymBits);
    this.tokDob = token(k, "dob");
    this.tokDobYm = token(k, "dob_ym");
    this.tokYob = token(k, "yob");
    this.tokSex = token(k, "sex");
    this.tokPostcode = token(k, "postcode");
    this.tokPcSector = token(k, "pc_sector");
    this.tokPcDistrict = token(k, "pc_district");
    this.tokName = token(k, "name");
    this.bloom = bloom == null ? BloomEncoder.of(keys) : bloom;
    if (!this.bloom.keyId().equals(keyId)) {
      throw PseudonymiseErrors.mappingInvalid("the Bloom encoder uses key " + this.bloom.keyId()
          + " but the key set's primary is " + keyId, "build the Bloom encoder from the same key set's primary key");
    }
  }

  private static Pseudonymiser token(Key k, String field) {
    return Pseudonymiser.forPurpose(k, DomainKeys.tokenPurpose(field), 128);
  }

  /** An encoder with 128-bit pseudonyms and the default Bloom encoder, under the primary key. */
  public static RecordEncoder of(KeySet keys, ColumnMapping mapping) {
    return new RecordEncoder(keys, mapping, Pseudonymiser.DEFAULT_BITS, null);
  }

  /** An encoder with a chosen pseudonym length and Bloom encoder (null for the default). */
  public static RecordEncoder of(KeySet keys, ColumnMapping mapping, int pseudonymBits, BloomEncoder bloom) {
    return new RecordEncoder(keys, mapping, pseudonymBits, bloom);
  }

  /**
   * Adds {@code lsoa} and {@code imd_decile} from reference tables: {@code postcodeLsoa(postcode,
   * lsoa)} and {@code lsoaImd(lsoa, imd_decile)} (either may be null).
   */
  public RecordEncoder withReference(Dataset<Row> postcodeLsoa, Dataset<Row> lsoaImd) {
    this.postcodeLsoa = postcodeLsoa;
    this.lsoaImd = lsoaImd;
    return this;
  }

  public String keyId() {
    return keyId;
  }

  public ColumnMapping mapping() {
    return mapping;
  }

  /** The step: see the class comment for the columns. */
  public Dataset<Row> encode(Dataset<Row> in) {
    Set<String> present = new LinkedHashSet<>(List.of(in.columns()));
    for (Map.Entry<IdentifierType, String> e : mapping.columns().entrySet()) {
      if (!present.contains(e.getValue())) {
        throw io.idw.core.CoreErrors.columnsMissing("the data to pseudonymise (" + e.getKey().wireName() + ")",
            List.of(e.getValue()), present);
      }
    }
    mapping.recordId().filter(c -> !present.contains(c)).ifPresent(c -> {
      throw io.idw.core.CoreErrors.columnsMissing("the data to pseudonymise (record id)", List.of(c), present);
    });

    Column dob = dobDate(in);
    Column ageAt = ageAtDate(in);
    Dataset<Row> df = in.withColumn("__dob", dob).withColumn("__age_at", ageAt);
    if (postcodeLsoa != null && mapping.column(IdentifierType.POSTCODE).isPresent()) {
      df = df.withColumn("__pc", postcodeSpacedUdf().apply(col(q(mapping.column(IdentifierType.POSTCODE).get()))));
    }

    List<Column> args = new ArrayList<>();
    for (IdentifierType t : ColumnMapping.ENCODED_TYPES) {
      if (t == IdentifierType.DATE_OF_BIRTH) {
        args.add(functions.date_format(col("__dob"), "yyyy-MM-dd"));
      } else {
        args.add(mapping.column(t).map(c -> col(q(c)).cast("string")).orElse(lit(null).cast("string")));
      }
    }
    RecordEncoder self = this;
    UDF10<String, String, String, String, String, String, String, String, String, String, Row> fn =
        self::encodeRow;
    Column encoded = functions.udf(fn, ENCODED_STRUCT).withName("idw_encode").apply(args.toArray(new Column[0]));
    df = df.withColumn("__enc", encoded);

    List<Column> out = new ArrayList<>();
    Set<String> outputNames = new LinkedHashSet<>(ENCODED);
    outputNames.addAll(List.of(RECORD_ID, SOURCE, EXTRACT_MONTH, AGE_BAND, SEX, LSOA, IMD_DECILE));
    for (String c : in.columns()) {
      if (!mapping.dropped().contains(c) && !outputNames.contains(c)) {
        out.add(col(q(c)));
      }
    }
    mapping.recordId().ifPresent(c -> out.add(col(q(c)).cast("string").as(RECORD_ID)));
    mapping.source().ifPresent(s -> out.add(lit(s).as(SOURCE)));
    mapping.extractMonth().ifPresent(m -> out.add(lit(m).as(EXTRACT_MONTH)));
    if (mapping.recordId().isEmpty() && present.contains(RECORD_ID)) {
      out.add(col(RECORD_ID));
    }
    if (mapping.source().isEmpty() && present.contains(SOURCE)) {
      out.add(col(SOURCE));
    }
    if (mapping.extractMonth().isEmpty() && present.contains(EXTRACT_MONTH)) {
      out.add(col(EXTRACT_MONTH));
    }
    for (String c : ENCODED) {
      out.add(col("__enc." + c).as(c));
    }
    out.add(ageBand(col("__dob"), col("__age_at")).as(AGE_BAND));
    out.add(col("__enc." + SEX).as(SEX));
    boolean withLsoa = postcodeLsoa != null && mapping.column(IdentifierType.POSTCODE).isPresent();
    if (withLsoa) {
      out.add(col("__pc"));
    }
    Dataset<Row> result = df.select(out.toArray(new Column[0]));
    if (withLsoa) {
      Dataset<Row> ref = postcodeLsoa.select(postcodeSpacedUdf().apply(col("postcode").cast("string")).as("__pc"),
              col("lsoa").cast("string").as(LSOA))
          .where(col("__pc").isNotNull()).dropDuplicates("__pc");
      result = result.join(functions.broadcast(ref), result.col("__pc").equalTo(ref.col("__pc")), "left")
          .drop(ref.col("__pc")).drop("__pc");
      if (lsoaImd != null) {
        Dataset<Row> imd = lsoaImd.select(col("lsoa").cast("string").as("__lsoa"),
            col("imd_decile").cast("int").as(IMD_DECILE)).dropDuplicates("__lsoa");
        result = result.join(functions.broadcast(imd), result.col(LSOA).equalTo(imd.col("__lsoa")), "left")
            .drop("__lsoa");
      }
    }
    return result;
  }

  private static String q(String c) {
    return "`" + c.replace("`", "``") + "`";
  }

  private Column dobDate(Dataset<Row> in) {
    if (mapping.column(IdentifierType.DATE_OF_BIRTH).isEmpty()) {
      return lit(null).cast("date");
    }
    String c = mapping.column(IdentifierType.DATE_OF_BIRTH).get();
    DataType t = in.schema().apply(c).dataType();
    if (t instanceof DateType) {
      return col(q(c));
    }
    if (t instanceof TimestampType) {
      return functions.to_date(col(q(c)));
    }
    return functions.try_to_date(functions.trim(col(q(c)).cast("string")), mapping.dobFormat());
  }

  private Column monthStart(Dataset<Row> in) {
    if (mapping.extractMonth().isPresent()) {
      return functions.to_date(lit(mapping.extractMonth().get() + "-01"));
    }
    if (List.of(in.columns()).contains(EXTRACT_MONTH)) {
      return functions.coalesce(functions.try_to_date(functions.concat(col(EXTRACT_MONTH), lit("-01"))),
          functions.current_date());
    }
    return functions.current_date();
  }

  private Column ageAtDate(Dataset<Row> in) {
    if (mapping.ageAt().isPresent() && List.of(in.columns()).contains(mapping.ageAt().get())) {
      String c = mapping.ageAt().get();
      DataType t = in.schema().apply(c).dataType();
      Column v = t instanceof DateType ? col(q(c))
          : t instanceof TimestampType ? functions.to_date(col(q(c))) : functions.try_to_date(col(q(c)).cast("string"));
      return functions.coalesce(v, monthStart(in));
    }
    return monthStart(in);
  }

  /** Five-year age bands {@code 0-4 .. 85-89}, then {@code 90+}; null if unknown or negative. */
  public static Column ageBand(Column dob, Column at) {
    Column age = functions.floor(functions.months_between(at, dob).divide(12)).cast("int");
    Column lo = age.divide(5).cast("int").multiply(5);
    Column band = functions.concat(lo.cast("string"), lit("-"), lo.plus(4).cast("string"));
    return functions.when(dob.isNull().or(age.lt(0)), lit(null).cast("string"))
        .when(age.geq(90), lit("90+"))
        .otherwise(band);
  }

  private static org.apache.spark.sql.expressions.UserDefinedFunction postcodeSpacedUdf() {
    return functions.udf((UDF1<String, String>) Normalise::postcodeSpaced, DataTypes.StringType);
  }

  /** The row function: clear values in, {@link #ENCODED_STRUCT} out. Arguments in {@link ColumnMapping#ENCODED_TYPES} order. */
  Row encodeRow(String nhsRaw, String given, String family, String full, String dobIso, String sexRaw,
      String postcodeRaw, String uprnRaw, String socialRaw, String localRaw) {
    Object[] v = new Object[ENCODED_STRUCT.size()];
    int i = 0;
    if (mapping.column(IdentifierType.NHS_NUMBER).isPresent()) {
      NhsNumber.Result r = NhsNumber.validate(nhsRaw);
      String p = r.valid() ? nhs.pseudonym(r.normalised()) : null;
      v[i++] = p;
      v[i++] = p == null ? null : keyId;
      v[i++] = r.status().wire();
    } else {
      i += 3;
    }
    i = pseudo(v, i, uprn, Normalise.uprn(uprnRaw));
    i = pseudo(v, i, socialCare, Normalise.socialCareId(socialRaw));
    i = pseudo(v, i, localId, Normalise.localId(localRaw));

    String g = Normalise.nameCompact(given != null ? given : Normalise.givenFromFull(full));
    String f = Normalise.nameCompact(family != null ? family : Normalise.familyFromFull(full));
    LocalDate d = dobIso == null ? null : LocalDate.parse(dobIso);
    String dobDigits = d == null ? null : dobIso.replace("-", "");
    String pc = Normalise.postcode(postcodeRaw);
    String sex = Normalise.sex(sexRaw);

    // each field's filter is made once and serves both its own encoding and the record's CLK
    long[] rg = bloom.rawFilter("given_name", g);
    long[] rf = bloom.rawFilter("family_name", f);
    long[] rd = bloom.rawFilter("dob", dobDigits);
    long[] rp = bloom.rawFilter("postcode", pc);
    v[i++] = bloom.encodeRaw(rg);
    v[i++] = bloom.encodeRaw(rf);
    v[i++] = bloom.encodeRaw(rd);
    v[i++] = bloom.encodeRaw(rp);
    v[i++] = bloom.clkOfRaw(rg, rf, rd, rp);

    v[i++] = tokDob.pseudonym(d == null ? null : dobIso);
    v[i++] = tokDob.pseudonym(Normalise.dobSwapped(d));
    v[i++] = tokDobYm.pseudonym(d == null ? null : dobIso.substring(0, 7));
    v[i++] = tokYob.pseudonym(d == null ? null : dobIso.substring(0, 4));
    v[i++] = tokSex.pseudonym(sex);
    v[i++] = tokPostcode.pseudonym(pc);
    v[i++] = tokPcSector.pseudonym(Normalise.postcodeSector(pc));
    v[i++] = tokPcDistrict.pseudonym(Normalise.postcodeDistrict(pc));
    v[i++] = tokName.pseudonym(g);
    v[i++] = tokName.pseudonym(f);
    boolean any = g != null || f != null || d != null || pc != null || sex != null;
    v[i++] = any ? keyId : null;
    v[i] = sex;
    return RowFactory.create(v);
  }

  private int pseudo(Object[] v, int i, Pseudonymiser p, String normalised) {
    String ps = p.pseudonym(normalised);
    v[i] = ps;
    v[i + 1] = ps == null ? null : keyId;
    return i + 2;
  }

  private static StructType encodedStruct() {
    List<StructField> f = new ArrayList<>();
    Set<String> binary = Set.of(BF_GIVEN_NAME, BF_FAMILY_NAME, BF_DOB, BF_POSTCODE, CLK);
    for (String c : ENCODED) {
      f.add(DataTypes.createStructField(c, binary.contains(c) ? DataTypes.BinaryType : DataTypes.StringType, true));
    }
    f.add(DataTypes.createStructField(SEX, DataTypes.StringType, true));
    return DataTypes.createStructType(f);
  }

  @Override
  public String toString() {
    return "RecordEncoder(key=" + keyId + ", " + mapping + ", " + bloom + ")";
  }
}
