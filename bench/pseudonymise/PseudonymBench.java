import io.idw.core.IdentifierType;
import io.idw.core.IdwSpark;
import io.idw.pseudonymise.KeySet;
import io.idw.pseudonymise.Pseudonymiser;
import io.idw.pseudonymise.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Benchmark (not a test): keyed pseudonymisation of an N-row identifier column against Spark's own
 * unkeyed sha2(col, 256) on the same data in the same run, each written to the noop sink.
 * Rounds alternate the variants (the order rotates each round) so machine load hits them alike; medians are reported.
 *
 *   bench/pseudonymise/ratio.sh (compiles this file with javac, then runs it) [rows] [rounds] [json-out]
 *
 * Ratio = time(sha2) / time(keyed): at least 1.0 means keyed is at least as fast as Spark's unkeyed hash.
 */
public class PseudonymBench {
  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String out = args.length > 2 ? args[2] : null;
    SparkSession spark = IdwSpark.builder().appName("idw-bench-pseudonym").quiet(true).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    KeySet ks = KeySet.generate(true);
    Pseudonymiser p = Pseudonymiser.of(ks, IdentifierType.NHS_NUMBER);
    byte[] domainKey = p.domainKey(SecretAccess.insecureSecretAccess());

    // 10-digit identifier strings, as NHS numbers are (the same expression feeds every variant)
    Dataset<Row> ids = spark.range(0, rows, 1, spark.sparkContext().defaultParallelism())
        .select(functions.col("id").multiply(7919L).mod(5_999_999_999L).plus(4_000_000_000L).cast("string").as("v"));

    UDF1<String, String> jcaUdf = new UDF1<>() {
      private transient Mac mac;
      @Override
      public String call(String v) throws Exception {
        if (v == null) return null;
        if (mac == null) {
          mac = Mac.getInstance("HmacSHA256");
          mac.init(new SecretKeySpec(domainKey, "HmacSHA256"));
        }
        byte[] m = mac.doFinal(v.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(m, 0, 16);
      }
    };

    Map<String, Function<Column, Column>> variants = new LinkedHashMap<>();
    variants.put("scan_only", c -> functions.length(c));
    variants.put("spark_sha2_unkeyed", c -> functions.sha2(c.cast("binary"), 256));
    variants.put("idw_hmac_hex128", p::column);
    variants.put("idw_hmac_binary128", p::binaryColumn);
    variants.put("plain_jca_udf_hex128", c -> functions.udf(jcaUdf, DataTypes.StringType).apply(c));

    // correctness first: the fast path equals the plain JCA HMAC on a sample
    List<Row> check = ids.limit(1000).select(p.column(functions.col("v")), functions.udf(jcaUdf, DataTypes.StringType)
        .apply(functions.col("v"))).collectAsList();
    for (Row r : check) {
      if (!r.getString(0).equals(r.getString(1))) {
        throw new IllegalStateException("fast HMAC disagrees with JCA HMAC");
      }
    }

    Map<String, List<Double>> times = new LinkedHashMap<>();
    variants.keySet().forEach(k -> times.put(k, new ArrayList<>()));
    for (String k : variants.keySet()) { // warm-up
      run(ids, variants.get(k));
    }
    List<String> order = new ArrayList<>(variants.keySet());
    for (int r = 0; r < rounds; r++) {
      for (String k : order) {
        times.get(k).add(run(ids, variants.get(k)));
      }
      java.util.Collections.rotate(order, 1); // each variant follows a different one each round
    }
    double sha = median(times.get("spark_sha2_unkeyed"));
    String load = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
    StringBuilder json = new StringBuilder("{\n  \"rows\": " + rows + ",\n  \"rounds\": " + rounds
        + ",\n  \"master\": \"" + spark.sparkContext().master() + "\",\n  \"loadavg\": \"" + load + "\",\n  \"hmac_fast_path\": "
        + new io.idw.pseudonymise.internal.HmacSha256(new byte[32]).fast() + ",\n  \"variants\": {\n");
    boolean fast = new io.idw.pseudonymise.internal.HmacSha256(new byte[32]).fast();
    System.out.printf(Locale.ROOT, "pseudonym bench: %,d rows, %d rounds, master %s, load %s, HMAC fast path (SHA-NI state) %s%n",
        rows, rounds, spark.sparkContext().master(), load, fast ? "on" : "OFF (portable clone path)");
    int i = 0;
    for (Map.Entry<String, List<Double>> e : times.entrySet()) {
      double med = median(e.getValue());
      double ratio = sha / med;
      System.out.printf(Locale.ROOT, "  %-22s median %6.2f s  %6.2fM rows/s  ratio vs sha2 %.2f   runs %s%n", e.getKey(), med,
          rows / med / 1e6, ratio, e.getValue().stream().map(t -> String.format(Locale.ROOT, "%.2f", t)).toList());
      json.append(String.format(Locale.ROOT, "    \"%s\": {\"median_s\": %.3f, \"rows_per_s\": %.0f, \"ratio_vs_sha2\": %.3f}%s%n",
          e.getKey(), med, rows / med, ratio, ++i < times.size() ? "," : ""));
    }
    double ratioHex = sha / median(times.get("idw_hmac_hex128"));
    double ratioBin = sha / median(times.get("idw_hmac_binary128"));
    json.append("  },\n  \"ratio\": ").append(String.format(Locale.ROOT, "%.3f", ratioHex))
        .append(",\n  \"ratio_binary\": ").append(String.format(Locale.ROOT, "%.3f", ratioBin)).append("\n}\n");
    System.out.printf(Locale.ROOT, "RATIO keyed HMAC-SHA256 (128-bit hex, as stored) vs unkeyed sha2: %.2f (binary: %.2f); target >= 1.0%n",
        ratioHex, ratioBin);
    if (out != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(out), json.toString());
    }
    spark.stop();
  }

  static double run(Dataset<Row> ids, Function<Column, Column> f) {
    long t0 = System.nanoTime();
    ids.select(f.apply(functions.col("v")).as("h")).write().format("noop").mode("overwrite").save();
    return (System.nanoTime() - t0) / 1e9;
  }

  static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
