import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.upper;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.its.FallsSeries;
import io.idw.cohort.its.InterruptedTimeSeries;
import io.idw.cohort.its.ItsResult;
import io.idw.core.IdwMappers;
import io.idw.core.IdwSpark;
import io.idw.pseudonymise.RecordEncoder;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The falls-service ITS targets on generated sample data (run by falls-targets.sh): builds the two
 * series with the same FallsSeries steps the KID job uses, from the raw extracts (age band from the
 * date of birth, LSOA from the postcode, as pseudonymise derives them), fits the controlled ITS and
 * compares with truth/effects.json. Prints one line per sample directory.
 */
public class FallsItsTargets {
  public static void main(String[] args) throws Exception {
    SparkSession spark = IdwSpark.builder().appName("falls-its-targets").master("local[2]").quiet(true)
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    for (String dir : args) {
      long t0 = System.nanoTime();
      Path d = Path.of(dir);
      Dataset<Row> pcLsoa = csv(spark, d.resolve("reference/postcode_lsoa.csv"))
          .withColumn("pc", upper(regexp_replace(col("postcode"), "\\s", ""))).select("pc", "lsoa");
      Dataset<Row> lsoaDistricts = csv(spark, d.resolve("reference/lsoa_imd.csv")).select("lsoa", "district");
      List<Row> districts = csv(spark, d.resolve("reference/districts.csv")).collectAsList();
      List<String> service = districts.stream().filter(r -> !r.isNullAt(r.fieldIndex("falls_service_launch")))
          .map(r -> r.<String>getAs("district")).toList();
      YearMonth launch = districts.stream().filter(r -> !r.isNullAt(r.fieldIndex("falls_service_launch")))
          .map(r -> YearMonth.parse(r.getAs("falls_service_launch").toString().substring(0, 7))).findFirst().orElseThrow();
      Dataset<Row> apc = derive(csv(spark, d.resolve("raw/apc_admissions/*/*.csv")), pcLsoa, "admission_date");
      Dataset<Row> regs = derive(csv(spark, d.resolve("raw/gp_registrations/*/*.csv")), pcLsoa, "effective_date");
      JsonNode manifest = IdwMappers.json().readTree(d.resolve("truth/manifest.json").toFile());
      YearMonth from = YearMonth.parse(manifest.at("/settings/start").asText());
      YearMonth to = from.plusMonths(manifest.at("/settings/months").asInt() - 1);
      Dataset<Row> series = FallsSeries.controlledSeries(FallsSeries.fallsAdmissions65(apc, lsoaDistricts),
          FallsSeries.registeredPopulation65(regs, "registration_id", lsoaDistricts, from, to), service).cache();
      ItsResult r = InterruptedTimeSeries.evaluate(FallsSeries.spec(launch, 0)).series(series).run();
      JsonNode fx = IdwMappers.json().readTree(d.resolve("truth/effects.json").toFile()).get("falls_service");
      double level = 1 + fx.get("level_change").asDouble();
      double slope = Math.exp(fx.get("slope_change_per_month").asDouble());
      long falls = series.filter(col("series").equalTo("with_service")).agg(org.apache.spark.sql.functions.sum("falls")).first().getLong(0);
      System.out.printf("%s: %d months, launch %s, %d falls in the service series; level RR %.3f (%.3f-%.3f) truth %.3f %s;"
              + " slope RR/month %.4f (%.4f-%.4f) truth %.4f %s; events averted %.1f (%.1f to %.1f); dispersion %.2f; %.0f s%n",
          dir, r.series().size() / 2, launch, falls,
          r.levelChange().estimate(), r.levelChange().lower(), r.levelChange().upper(), level,
          covers(r.levelChange(), level), r.slopeChange().estimate(), r.slopeChange().lower(), r.slopeChange().upper(),
          slope, covers(r.slopeChange(), slope), r.events().averted(), r.events().avertedLower(), r.events().avertedUpper(),
          r.fit().dispersion(), (System.nanoTime() - t0) / 1e9);
      r.writeJson(d.resolve("falls_its_result.json"));
    }
    spark.stop();
  }

  static String covers(ItsResult.Effect e, double truth) {
    return truth >= e.lower() && truth <= e.upper() ? "COVERED" : "NOT COVERED";
  }

  static Dataset<Row> csv(SparkSession spark, Path p) {
    return spark.read().option("header", "true").csv(p.toString());
  }

  /** age_band at the event date and lsoa from the postcode, as pseudonymise derives them. */
  static Dataset<Row> derive(Dataset<Row> raw, Dataset<Row> pcLsoa, String eventDate) {
    return raw.withColumn("pc", upper(regexp_replace(col("postcode"), "\\s", "")))
        .join(pcLsoa, "pc")
        .withColumn("age_band", RecordEncoder.ageBand(to_date(col("date_of_birth")), to_date(col(eventDate))));
  }
}
