package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.IdwException;
import io.idw.core.testing.SparkTest;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class ProjectPseudonymsTest {

  @Test
  void derivationIsHmacUnderAnHkdfProjectKey() throws Exception {
    KeySet ks = KeySet.of(List.of(CryptoVectorsTest.fixedKey()), "ktest01", true);
    byte[] pk = CryptoVectorsTest.jcaHkdf(ks.primary().material(SecretAccess.insecureSecretAccess()),
        "idw/hkdf/v1".getBytes(StandardCharsets.US_ASCII), "idw/v1/project/dsa-1".getBytes(StandardCharsets.UTF_8));
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(pk, "HmacSHA256"));
    String expected = HexFormat.of().formatHex(Arrays.copyOf(m.doFinal("P000123".getBytes(StandardCharsets.UTF_8)), 16));
    assertThat(ProjectPseudonyms.of(ks, "dsa-1").derive("P000123")).isEqualTo(expected);
  }

  @Test
  void twoProjectsCannotBeJoinedAndOldKeysStillWork(SparkSession spark) {
    KeySet v1 = KeySet.generate(true);
    KeySet v2 = v1.rotate();
    String oldKey = v1.primaryId();
    Dataset<Row> rows = spark.createDataFrame(List.of(
        RowFactory.create("P1", "aa11", oldKey), RowFactory.create("P2", "bb22", v2.primaryId()),
        RowFactory.create("P3", null, null)),
        new StructType().add("person_id", "string").add("nhs_pseudonym", "string").add("nhs_key_id", "string"));
    ProjectPseudonyms a = ProjectPseudonyms.of(v2, "dsa-a");
    ProjectPseudonyms b = ProjectPseudonyms.of(v2, "dsa-b");
    List<Row> ra = a.rekeyPseudonyms(a.rekeyColumns(rows, List.of("person_id"))).orderBy("nhs_key_id").collectAsList();
    List<Row> rb = b.rekeyColumns(rows, List.of("person_id")).collectAsList();
    assertThat(ra.stream().map(r -> (String) r.getAs("person_id")).toList())
        .doesNotContainAnyElementsOf(rb.stream().map(r -> (String) r.getAs("person_id")).toList())
        .doesNotContain("P1", "P2", "P3");
    Row first = ra.stream().filter(r -> oldKey.concat("/dsa-a").equals(r.getAs("nhs_key_id"))).findFirst().orElseThrow();
    assertThat((String) first.getAs("nhs_pseudonym")).isEqualTo(a.derive(oldKey, "aa11"));
    assertThat(ra.stream().filter(r -> r.getAs("nhs_key_id") == null).findFirst().orElseThrow().<Object>getAs("nhs_pseudonym")).isNull();
    assertThatThrownBy(() -> a.derive("knotthere", "x")).isInstanceOf(IdwException.class)
        .extracting(e -> ((IdwException) e).code()).isEqualTo("pseudonymise.key.unknown");
  }
}
