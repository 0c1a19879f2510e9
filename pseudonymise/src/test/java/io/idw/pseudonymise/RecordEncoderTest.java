package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.IdentifierType;
import io.idw.core.testing.SparkTest;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class RecordEncoderTest {

  static final StructType SCHEMA = new StructType()
      .add("rec", DataTypes.StringType).add("nhs", DataTypes.StringType)
      .add("first", DataTypes.StringType).add("last", DataTypes.StringType)
      .add("dob", DataTypes.StringType).add("gender", DataTypes.StringType)
      .add("pc", DataTypes.StringType).add("visit", DataTypes.StringType);

  static Dataset<Row> frame(SparkSession spark) {
    return spark.createDataFrame(List.of(
        RowFactory.create("r1", "943 476 5919", "José", "Smith", "1980-03-07", "F", "me14 5ab", "2024-03-10"),
        RowFactory.create("r2", "9434765919", "JOSE", "Smyth", "1980-07-03", "female", "ME145AB", "2024-03-11"),
        RowFactory.create("r3", "943 476 5918", "Alan", "Brown", "1950-12-25", "1", "CT1 1AA", "2024-03-12"),
        RowFactory.create("r4", "1111111111", null, null, "not a date", null, "nonsense", "2024-03-13"),
        RowFactory.create("r5", null, "Zed", "Zulu", "1934-01-01", "M", null, "2024-03-14")), SCHEMA);
  }

  static ColumnMapping mapping() {
    return ColumnMapping.builder().recordId("rec").source("test_source").extractMonth("2024-03")
        .nhsNumber("nhs").givenName("first").familyName("last").dateOfBirth("dob").sex("gender")
        .postcode("pc").ageAt("visit").build();
  }

  @Test
  void encodesTheContractColumnsAndDropsClearIdentifiers(SparkSession spark) {
    KeySet ks = KeySet.generate(true);
    Dataset<Row> out = RecordEncoder.of(ks, mapping()).encode(frame(spark).repartition(2)); // forces task serialization
    List<String> cols = List.of(out.columns());
    assertThat(cols).containsAll(PseudoColumns.ENCODED)
        .contains("record_id", "source", "extract_month", "age_band", "sex", "visit")
        .doesNotContain("nhs", "first", "last", "dob", "gender", "pc");
    assertThat(out.schema().apply("clk").dataType()).isEqualTo(DataTypes.BinaryType);

    Map<String, Row> byId = out.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("record_id"), r -> r));
    Row r1 = byId.get("r1");
    Row r2 = byId.get("r2");
    String expectedNhs = Pseudonymiser.of(ks, IdentifierType.NHS_NUMBER).pseudonym("9434765919");
    assertThat((String) r1.getAs("nhs_pseudonym")).isEqualTo(expectedNhs).hasSize(32);
    assertThat((String) r2.getAs("nhs_pseudonym")).isEqualTo(expectedNhs);
    assertThat((String) r1.getAs("nhs_key_id")).isEqualTo(ks.primaryId());
    assertThat((String) r1.getAs("nhs_status")).isEqualTo("valid");
    assertThat((String) byId.get("r3").getAs("nhs_status")).isEqualTo("invalid_check_digit");
    assertThat((Object) byId.get("r3").getAs("nhs_pseudonym")).isNull();
    assertThat((Object) byId.get("r3").getAs("nhs_key_id")).isNull();
    assertThat((String) byId.get("r4").getAs("nhs_status")).isEqualTo("placeholder");
    assertThat((String) byId.get("r5").getAs("nhs_status")).isEqualTo("missing");

    // normalisation: accents, case, postcode spacing, sex codes
    assertThat((String) r1.getAs("tok_given_name")).isEqualTo(r2.getAs("tok_given_name"));
    assertThat((String) r1.getAs("tok_postcode")).isEqualTo(r2.getAs("tok_postcode"));
    assertThat((String) r1.getAs("tok_sex")).isEqualTo(r2.getAs("tok_sex"));
    assertThat((String) r1.getAs("sex")).isEqualTo("F");
    assertThat((String) byId.get("r3").getAs("sex")).isEqualTo("M");
    // day/month swap: r2's DOB is r1's with day and month swapped
    assertThat((String) r1.getAs("tok_dob_swapped")).isEqualTo(r2.getAs("tok_dob"));
    assertThat((String) r1.getAs("tok_yob")).isEqualTo(r2.getAs("tok_yob"));
    assertThat((String) r1.getAs("tok_dob_ym")).isNotEqualTo(r2.getAs("tok_dob_ym"));
    assertThat((Object) byId.get("r3").getAs("tok_dob_swapped")).as("25/12 cannot swap").isNull();
    assertThat((String) r1.getAs("tok_family_name")).isNotEqualTo(r2.getAs("tok_family_name"));
    // unparseable DOB and postcode give nulls, not hashes of junk
    Row r4 = byId.get("r4");
    assertThat((Object) r4.getAs("tok_dob")).isNull();
    assertThat((Object) r4.getAs("bf_dob")).isNull();
    assertThat((Object) r4.getAs("tok_postcode")).isNull();
    assertThat((Object) r4.getAs("clk")).isNull();
    assertThat((Object) r4.getAs("enc_key_id")).isNull();
    assertThat((String) r1.getAs("enc_key_id")).isEqualTo(ks.primaryId());
    // ages at the event date: 44 on 2024-03-10, 89 / 90+ for 1934-01-01 on 2024-03-14
    assertThat((String) r1.getAs("age_band")).isEqualTo("40-44");
    assertThat((String) byId.get("r5").getAs("age_band")).isEqualTo("90+");
    assertThat((byte[]) r1.getAs("bf_family_name")).hasSize(128);

    // Dice: Smith vs Smyth similar, Smith vs Brown not
    double similar = BloomEncoder.dice(r1.getAs("bf_family_name"), r2.getAs("bf_family_name"));
    double different = BloomEncoder.dice(r1.getAs("bf_family_name"), byId.get("r3").getAs("bf_family_name"));
    assertThat(similar).isGreaterThan(different + 0.2);
    assertThat(BloomEncoder.dice(r1.getAs("bf_postcode"), r2.getAs("bf_postcode"))).isEqualTo(1.0);
  }

  @Test
  void anotherKeySetGivesUnrelatedOutputs(SparkSession spark) {
    Row a = RecordEncoder.of(KeySet.generate(true), mapping()).encode(frame(spark)).where("record_id = 'r1'").first();
    Row b = RecordEncoder.of(KeySet.generate(true), mapping()).encode(frame(spark)).where("record_id = 'r1'").first();
    assertThat((String) a.getAs("nhs_pseudonym")).isNotEqualTo(b.getAs("nhs_pseudonym"));
    assertThat((String) a.getAs("tok_dob")).isNotEqualTo(b.getAs("tok_dob"));
    assertThat(BloomEncoder.dice(a.getAs("bf_family_name"), b.getAs("bf_family_name"))).isLessThan(0.5);
  }

  @Test
  void fullNameIsSplitAndReferenceTablesGiveLsoaAndImd(SparkSession spark) {
    Dataset<Row> in = spark.createDataFrame(List.of(
        RowFactory.create("a", "Mary Ann Jones", "ME14 5AB"), RowFactory.create("b", "Bob", "ZZ1 1ZZ")),
        new StructType().add("id", "string").add("name", "string").add("postcode", "string"));
    Dataset<Row> pcl = spark.createDataFrame(List.of(RowFactory.create("ME145AB", "E01024012")),
        new StructType().add("postcode", "string").add("lsoa", "string"));
    Dataset<Row> imd = spark.createDataFrame(List.of(RowFactory.create("E01024012", 3)),
        new StructType().add("lsoa", "string").add("imd_decile", "int"));
    KeySet ks = KeySet.generate(true);
    Dataset<Row> out = RecordEncoder.of(ks, ColumnMapping.builder().recordId("id").fullName("name").postcode("postcode").build())
        .withReference(pcl, imd).encode(in);
    Map<String, Row> byId = out.collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("record_id"), r -> r));
    Pseudonymiser name = Pseudonymiser.forPurpose(ks.primary(), DomainKeys.tokenPurpose("name"), 128);
    assertThat((String) byId.get("a").getAs("tok_given_name")).isEqualTo(name.pseudonym("MARY"));
    assertThat((String) byId.get("a").getAs("tok_family_name")).isEqualTo(name.pseudonym("JONES"));
    assertThat((String) byId.get("a").getAs("lsoa")).isEqualTo("E01024012");
    assertThat((Integer) byId.get("a").getAs("imd_decile")).isEqualTo(3);
    assertThat((Object) byId.get("b").getAs("lsoa")).isNull();
    assertThat((String) byId.get("b").getAs("tok_family_name")).isEqualTo(name.pseudonym("BOB"));
    assertThat(out.columns()).doesNotContain("name", "postcode");
  }
}
