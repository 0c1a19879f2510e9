package io.idw.linkage;

import io.idw.core.DeltaIO;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small pseudonymised tables in the contract's shape, written straight into a warehouse. Tokens are
 * stand-in strings and Bloom filters seeded bit patterns: linkage treats both as opaque.
 */
final class KidRecords {
  static final StructType SCHEMA = new StructType()
      .add("source", DataTypes.StringType).add("record_id", DataTypes.StringType)
      .add("extract_month", DataTypes.StringType)
      .add("nhs_pseudonym", DataTypes.StringType).add("nhs_status", DataTypes.StringType)
      .add("tok_given_name", DataTypes.StringType).add("tok_family_name", DataTypes.StringType)
      .add("bf_given_name", DataTypes.BinaryType).add("bf_family_name", DataTypes.BinaryType)
      .add("tok_dob", DataTypes.StringType).add("tok_dob_swapped", DataTypes.StringType)
      .add("tok_dob_ym", DataTypes.StringType).add("tok_yob", DataTypes.StringType).add("bf_dob", DataTypes.BinaryType)
      .add("tok_sex", DataTypes.StringType).add("tok_postcode", DataTypes.StringType)
      .add("tok_pc_sector", DataTypes.StringType).add("tok_pc_district", DataTypes.StringType)
      .add("uprn_pseudonym", DataTypes.StringType).add("enc_key_id", DataTypes.StringType)
      .add("activity", DataTypes.StringType);

  private KidRecords() {}

  /** One record: nhs may be null (then status missing); dob as yyyy-mm-dd; postcode like 'ME14 5AB'. */
  static Row rec(String source, String id, String month, String nhs, String given, String family, String dob,
      String sex, String postcode) {
    return RowFactory.create(source, id, month, nhs, nhs == null ? "missing" : "valid",
        tok(given), tok(family), bloom(given), bloom(family),
        tok(dob), dob == null ? null : tok(dob.substring(0, 5) + dob.substring(8) + "-" + dob.substring(5, 7)),
        dob == null ? null : tok(dob.substring(0, 7)), dob == null ? null : tok(dob.substring(0, 4)), bloom(dob),
        tok(sex), tok(postcode), postcode == null ? null : tok(postcode.substring(0, postcode.length() - 2)),
        postcode == null ? null : tok(postcode.split(" ")[0]), null, "k1", "visit-" + id);
  }

  static String tok(String v) {
    return v == null ? null : "t" + Integer.toHexString(v.hashCode());
  }

  static byte[] bloom(String v) {
    if (v == null) {
      return null;
    }
    byte[] b = new byte[128];
    for (int i = 0; i + 1 < v.length() + 1; i++) {
      Random r = new Random(((i == 0 ? "_" : v.substring(i - 1, i)) + (i < v.length() ? v.charAt(i) : '_')).hashCode());
      for (int k = 0; k < 15; k++) {
        int pos = r.nextInt(1024);
        b[pos / 8] |= (byte) (1 << (pos % 8));
      }
    }
    return b;
  }

  static void write(SparkSession spark, Warehouse w, String table, List<Row> rows) {
    DeltaIO.append(spark.createDataFrame(rows, SCHEMA), w.table(Zone.PSEUDONYMISED, table));
  }

  /** The default KID settings with m and u set by hand (so tests need no training). */
  static LinkageSettings handModel() {
    LinkageSettings s = KidSettings.defaults();
    List<Comparison> cs = new ArrayList<>();
    for (Comparison c : s.comparisons()) {
      int k = Linker.nonNullLevels(c);
      Comparison out = c;
      for (int i = 0; i < c.levels().size(); i++) {
        int g = c.gammaOf(i);
        if (g < 0) {
          continue;
        }
        double m = g == k - 1 ? 0.85 : g == 0 ? 0.05 : 0.1 / Math.max(1, k - 2);
        double u = g == k - 1 ? 0.005 : g == 0 ? 0.97 : 0.02;
        out = out.withLevel(i, out.levels().get(i).withM(m).withU(u));
      }
      cs.add(out);
    }
    return s.toBuilder().comparisons(cs).lambda(1e-3).build();
  }

  static String bytesToString(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** The latest version of every linked table, by table name (a run that commits nothing leaves it unchanged). */
  static Map<String, Long> linkedVersions(SparkSession spark, Warehouse w) {
    Map<String, Long> m = new HashMap<>();
    for (var t : w.tables(Zone.LINKED)) {
      m.put(t.name(), DeltaIO.latestVersion(spark, t));
    }
    return m;
  }
}
