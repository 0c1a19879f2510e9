package example;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.idw.core.Warehouse;
import io.idw.governance.Agreements;
import io.idw.governance.GovernedSession;
import io.idw.governance.KeySetRekeying;
import io.idw.governance.sdc.CheckResult;
import io.idw.governance.sdc.CrossTable;
import io.idw.governance.sdc.DisclosureControl;
import io.idw.governance.sdc.DisclosureProfile;
import io.idw.pseudonymise.Kek;
import io.idw.pseudonymise.KeySetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An analyst's own Spark job, submitted with spark-submit, that reads ONLY through a governed
 * session: A&amp;E attendances by age band, for people referred to the falls service or not. The
 * counts pass disclosure control before they are written; nothing is released (a release officer
 * does that with {@code io.idw.governance.sdc.Release}).
 *
 * <pre>
 * args: WAREHOUSE AGREEMENT.yaml KEYSET.json USER PURPOSE OUT_DIR   (KEK in IDW_KEK or KEK_FILE env)
 * </pre>
 */
public final class FallsAttendanceCounts {
  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: WAREHOUSE AGREEMENT KEYSET USER PURPOSE OUT_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("falls-attendance-counts").getOrCreate();
    String kekFile = System.getenv("KEK_FILE");
    GovernedSession session = GovernedSession.builder()
        .spark(spark)
        .warehouse(Warehouse.open(Path.of(args[0])))
        .agreement(Agreements.load(Path.of(args[1])))
        .rekeying(KeySetRekeying.of(KeySetStore.read(Path.of(args[2]), Kek.resolve(kekFile == null ? null : Path.of(kekFile)))))
        .user(args[3])
        .purpose(args[4])
        .open();

    Dataset<Row> ae = session.read("ae_attendances", List.of("person_id", "age_band"));
    Dataset<Row> referred = session.read("falls_service", List.of("person_id")).distinct()
        .withColumn("referred", lit(true));
    List<Row> rows = ae.join(referred, "person_id", "left")
        .withColumn("group", when(col("referred"), lit("referred")).otherwise(lit("not referred")))
        .groupBy("age_band").pivot("group", List.of("referred", "not referred")).agg(count(lit(1)))
        .na().fill(0).orderBy("age_band").collectAsList();

    List<String> bands = new ArrayList<>();
    long[][] counts = new long[rows.size()][2];
    for (int i = 0; i < rows.size(); i++) {
      bands.add(String.valueOf(rows.get(i).get(0)));
      counts[i][0] = rows.get(i).getLong(1);
      counts[i][1] = rows.get(i).getLong(2);
    }
    CheckResult check = DisclosureControl.with(DisclosureProfile.of(session.agreement().outputs().disclosureProfile()))
        .check(CrossTable.counts("A&E attendances by age band and falls referral", bands,
            List.of("referred", "not referred"), counts));
    Path out = Files.createDirectories(Path.of(args[5]));
    Files.writeString(out.resolve("attendances_by_age_band.csv"), check.table().toCsv());
    Files.writeString(out.resolve("disclosure_check.txt"), check.status() + "\n" + String.join("\n", check.reasons()) + "\n");
    Files.writeString(out.resolve("provenance.txt"), session.provenance().toString() + "\n");
    System.out.println("disclosure check: " + check.status() + "; " + check.table().suppressedCount()
        + " cell(s) suppressed; outputs in " + out);
    spark.stop();
  }
}
