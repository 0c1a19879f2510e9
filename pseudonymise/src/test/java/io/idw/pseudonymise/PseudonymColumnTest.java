package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.IdentifierType;
import io.idw.core.testing.SparkTest;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class PseudonymColumnTest {

  @Test
  void generatedCodeColumnEqualsTheJavaPseudonymAndHidesTheKey(SparkSession spark) {
    KeySet ks = KeySet.of(List.of(CryptoVectorsTest.fixedKey()), "ktest01", true);
    Pseudonymiser p = Pseudonymiser.of(ks, IdentifierType.NHS_NUMBER);
    Dataset<Row> in = spark.createDataFrame(List.of(RowFactory.create("9434765919"), RowFactory.create((Object) null),
        RowFactory.create("Zoë-Ångström"), RowFactory.create("")), new StructType().add("v", "string"))
        .repartition(2); // through task serialization
    Dataset<Row> out = in.select(functions.col("v"), p.column(functions.col("v")).as("h"),
        p.binaryColumn(functions.col("v")).as("b"), p.withBits(64).column(functions.col("v")).as("h64"));
    for (Row r : out.collectAsList()) {
      String v = r.getString(0);
      assertThat(r.<String>getAs("h")).isEqualTo(p.pseudonym(v));
      assertThat(r.<String>getAs("h64")).isEqualTo(p.withBits(64).pseudonym(v));
      if (v == null) {
        assertThat((Object) r.getAs("b")).isNull();
      } else {
        assertThat(HexFormat.of().formatHex((byte[]) r.getAs("b"))).isEqualTo(p.pseudonym(v));
      }
    }
    // the published known answer (see CryptoVectorsTest) through the Spark path
    assertThat(out.where("v = '9434765919'").first().<String>getAs("h")).isEqualTo("55c4c61514a52040c4f62639f67283f3");
    String key = HexFormat.of().formatHex(p.domainKey(SecretAccess.insecureSecretAccess()));
    String plan = out.queryExecution().toString() + out.queryExecution().executedPlan().toString();
    assertThat(plan).contains("key redacted").doesNotContain(key).doesNotContain(key.substring(0, 12));
  }
}
