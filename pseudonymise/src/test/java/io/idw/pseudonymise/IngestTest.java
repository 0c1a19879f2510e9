package io.idw.pseudonymise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditLog;
import io.idw.core.testing.SparkTest;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class IngestTest {

  @Test
  void ingestBalancesQuarantinesIsIdempotentAndLeaksNoIdentifier(SparkSession spark, Warehouse w, @TempDir Path tmp)
      throws Exception {
    IngestFixture fx = new IngestFixture(tmp.resolve("in"));
    KeySet ks = KeySet.generate(true);
    Ingest ingest = Ingest.builder().warehouse(w).keySet(ks).input(fx.dir).build();
    assertThat(ingest.sources()).containsExactly("clinic_contacts", "home_visits");

    StringWriter logs = new StringWriter();
    List<IngestResult> results = withCapturedLogs(logs, () -> ingest.runAll(spark));
    assertThat(logs.toString()).as("logs were captured").isNotEmpty();
    IngestResult clinic = results.get(0);
    IngestResult r = results.get(1);
    assertThat(r.source()).isEqualTo("home_visits");

    // quarantine policy: clinic_contacts quarantines invalid NHS numbers, keeps missing ones
    assertThat(clinic.rowsIn()).isEqualTo(fx.clinicRows);
    assertThat(clinic.quarantined()).isEqualTo(fx.clinicBad);
    assertThat(DeltaIO.read(spark, w.table(Zone.QUARANTINE, "clinic_contacts"))
        .select("reason").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("nhs_number is invalid_check_digit", "nhs_number is placeholder");

    Map<String, IngestResult.MonthCounts> m = r.months().stream()
        .collect(Collectors.toMap(IngestResult.MonthCounts::month, x -> x));
    assertThat(m.get("2024-03").rowsIn()).isEqualTo(fx.visitsRowsMarch);
    assertThat(m.get("2024-03").quarantined()).isEqualTo(fx.visitsBadMarch);
    assertThat(m.get("2024-03").loaded()).isEqualTo(fx.visitsRowsMarch - fx.visitsBadMarch);
    assertThat(m.get("2024-04").rowsIn()).isEqualTo(fx.visitsRowsApril);
    assertThat(m.get("2024-04").loaded()).isEqualTo(fx.visitsRowsApril);
    for (IngestResult.MonthCounts c : r.months()) {
      assertThat(c.rowsIn()).isEqualTo(c.loaded() + c.quarantined());
      assertThat(c.inserted()).isEqualTo(c.loaded());
    }

    Dataset<Row> table = DeltaIO.read(spark, w.table(Zone.PSEUDONYMISED, "home_visits"));
    assertThat(table.count()).isEqualTo(r.loaded());
    assertThat(table.columns()).contains("record_id", "source", "extract_month", "nhs_pseudonym", "nhs_key_id",
        "nhs_status", "uprn_pseudonym", "clk", "tok_dob", "age_band", "sex", "lsoa", "imd_decile", "gp_practice",
        "visit_date", "cost", "ingest_run")
        .doesNotContain("nhs_number", "forename", "surname", "dob", "address_line", "postcode", "uprn", "extra_undeclared");
    Map<String, String> status = table.where("extract_month = '2024-03'").collectAsList().stream()
        .collect(Collectors.toMap(x -> x.getAs("record_id"), x -> x.getAs("nhs_status")));
    assertThat(status).containsEntry("V1", "valid").containsEntry("V4", "invalid_check_digit")
        .containsEntry("V5", "placeholder");
    Row v1 = table.where("record_id = 'V1' AND extract_month = '2024-03'").first();
    assertThat((String) v1.getAs("nhs_pseudonym"))
        .isEqualTo(Pseudonymiser.of(ks, io.idw.core.IdentifierType.NHS_NUMBER).pseudonym("9434765919"));
    assertThat((String) v1.getAs("uprn_pseudonym"))
        .isEqualTo(Pseudonymiser.of(ks, io.idw.core.IdentifierType.UPRN).pseudonym("100023336956"));
    assertThat((String) v1.getAs("lsoa")).isEqualTo("E01024012");
    assertThat((Integer) v1.getAs("imd_decile")).isEqualTo(4);
    assertThat((String) v1.getAs("gp_practice")).isEqualTo("G82001");
    assertThat((String) v1.getAs("age_band")).isEqualTo("40-44");

    Dataset<Row> q = DeltaIO.read(spark, w.table(Zone.QUARANTINE, "home_visits"));
    assertThat(q.count()).isEqualTo(r.quarantined());
    List<String> reasons = q.select("reason").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(reasons).anyMatch(x -> x.contains("duplicate record id"))
        .anyMatch(x -> x.contains("required column visit_id"))
        .anyMatch(x -> x.contains("visit_date is not a valid date"))
        .anyMatch(x -> x.contains("cost is not a valid decimal"))
        .anyMatch(x -> x.contains("malformed line"));

    // the quarantine table (clear values by design) keeps no per-file min/max statistics in its log
    try (Stream<Path> s = Files.walk(w.table(Zone.QUARANTINE, "home_visits").path().resolve("_delta_log"))) {
      for (Path f : s.filter(p -> p.toString().endsWith(".json")).toList()) {
        String log = Files.readString(f);
        assertThat(log).doesNotContain("minValues");
        fx.canaries.forEach(c -> assertThat(log).doesNotContain(c));
      }
    }

    // re-ingest: nothing changes
    long version = DeltaIO.latestVersion(spark, w.table(Zone.PSEUDONYMISED, "home_visits"));
    IngestResult again = ingest.run(spark, "home_visits", List.of("2024-03"));
    assertThat(again.inserted()).isZero();
    assertThat(again.months().get(0).rowsIn()).isEqualTo(fx.visitsRowsMarch);
    assertThat(again.months().get(0).quarantined()).isEqualTo(fx.visitsBadMarch);
    assertThat(DeltaIO.latestVersion(spark, w.table(Zone.PSEUDONYMISED, "home_visits"))).isEqualTo(version);
    assertThat(DeltaIO.read(spark, w.table(Zone.PSEUDONYMISED, "home_visits")).count()).isEqualTo(r.loaded());
    assertThat(DeltaIO.read(spark, w.table(Zone.QUARANTINE, "home_visits")).count()).isEqualTo(r.quarantined());

    // recorded: audit log, ingest_runs, data quality (Delta + JSON)
    assertThat(AuditLog.of(w).verify().intact()).isTrue();
    assertThat(AuditLog.of(w).read()).filteredOn(a -> a.event().action().equals("pseudonymise.ingest")).hasSize(4); // clinic 03, visits 03 and 04, visits 03 again
    Dataset<Row> runs = DeltaIO.read(spark, w.table(Zone.AUDIT, Ingest.INGEST_RUNS));
    assertThat(runs.where("rows_in != loaded + quarantined").count()).isZero();
    assertThat(runs.count()).isEqualTo(4);
    Dataset<Row> dq = DeltaIO.read(spark, w.table(Zone.AUDIT, Ingest.DATA_QUALITY));
    assertThat(dq.where("source = 'home_visits' AND measure = 'rows' AND item = 'in' AND extract_month = '2024-03'").first().<Long>getAs("count"))
        .isEqualTo(fx.visitsRowsMarch);
    assertThat(dq.where("source = 'home_visits' AND measure = 'duplicates' AND extract_month = '2024-03'").first().<Long>getAs("count")).isEqualTo(1L);
    assertThat(dq.where("source = 'home_visits' AND measure = 'timeliness' AND item = 'before_month' AND extract_month = '2024-03'")
        .first().<Long>getAs("count")).isEqualTo(1L); // V3 on 28/02
    assertThat(dq.where("source = 'home_visits' AND measure = 'rows' AND item = 'in'").count()).as("replaced, not duplicated").isEqualTo(2);
    assertThat(w.zonePath(Zone.AUDIT).resolve(Ingest.DATA_QUALITY_JSON).resolve("home_visits_2024-03.json")).exists();
    assertThat(w.zonePath(Zone.AUDIT).resolve(Ingest.DATA_QUALITY).resolve("home_visits_2024-03.json"))
        .as("not inside the Delta table, where VACUUM deletes unreferenced files").doesNotExist();

    // canary scan
    StringBuilder console = new StringBuilder();
    results.forEach(x -> x.lines().forEach(l -> console.append(l).append('\n')));

    // every file under the pseudonymised and audit zones, byte for byte (Delta logs hold column stats)
    List<Path> files = new ArrayList<>();
    for (Zone z : List.of(Zone.PSEUDONYMISED, Zone.AUDIT)) {
      try (Stream<Path> s = Files.walk(w.zonePath(z))) {
        s.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    assertThat(files).isNotEmpty();
    List<String> texts = new ArrayList<>();
    for (Path f : files) {
      texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
    }
    // every value of every table in the zone, decoded (Parquet pages are compressed)
    for (var t : w.tables(Zone.PSEUDONYMISED)) {
      Dataset<Row> d = DeltaIO.read(spark, t);
      var cols = java.util.Arrays.stream(d.columns()).map(c -> functions.coalesce(
          d.schema().apply(c).dataType() instanceof org.apache.spark.sql.types.BinaryType
              ? functions.hex(functions.col(c)) : functions.col(c).cast("string"), functions.lit(""))).toArray(org.apache.spark.sql.Column[]::new);
      d.select(functions.concat_ws("|", cols)).as(org.apache.spark.sql.Encoders.STRING()).collectAsList().forEach(texts::add);
    }
    texts.add(logs.toString());
    texts.add(console.toString());
    for (String canary : fx.canaries) {
      for (String text : texts) {
        assertThat(text).as("canary '%s' must not appear past ingest", canary).doesNotContain(canary);
      }
    }
    // no key material: the master key and every domain key ingest derived, as hex, Base64 or raw bytes
    for (String secret : keyCanaries(ks)) {
      for (String text : texts) {
        assertThat(text.contains(secret)).as("key material must not appear in logs, console or files").isFalse();
      }
    }
    // while the quarantine zone (identifiable by design) does hold them: the scan can see values
    Dataset<Row> qz = DeltaIO.read(spark, w.table(Zone.QUARANTINE, "home_visits"));
    assertThat(qz.where(functions.col("surname").equalTo("Featherstonehaugh")).count()).isPositive();
  }

  @Test
  void aNewMonthLoadsIncrementallyAndSourcesIngestedInParallelMatchOneAtATime(SparkSession spark, Warehouse w,
      @TempDir Path tmp) throws Exception {
    IngestFixture fx = new IngestFixture(tmp.resolve("in"));
    KeySet ks = KeySet.generate(true);
    Ingest ingest = Ingest.builder().warehouse(w).keySet(ks).input(fx.dir).build();
    IngestResult march = ingest.run(spark, "home_visits", List.of("2024-03"));
    assertThat(march.inserted()).isEqualTo(fx.visitsRowsMarch - fx.visitsBadMarch);
    long version = DeltaIO.latestVersion(spark, w.table(Zone.PSEUDONYMISED, "home_visits"));

    // the monthly case: one new month MERGEs into the existing table and adds exactly its rows
    IngestResult april = ingest.run(spark, "home_visits", List.of("2024-04"));
    assertThat(april.months()).singleElement().satisfies(m -> {
      assertThat(m.month()).isEqualTo("2024-04");
      assertThat(m.rowsIn()).isEqualTo(fx.visitsRowsApril);
      assertThat(m.inserted()).isEqualTo(fx.visitsRowsApril - fx.visitsBadApril);
    });
    assertThat(april.tableVersion()).isEqualTo(version + 1);
    Dataset<Row> table = DeltaIO.read(spark, w.table(Zone.PSEUDONYMISED, "home_visits"));
    assertThat(table.count()).isEqualTo(march.loaded() + april.loaded());
    assertThat(table.where(functions.col("ingest_run").equalTo(april.runId())).count()).isEqualTo(april.loaded());
    // quarantine of March is kept when April is replaced
    assertThat(DeltaIO.read(spark, w.table(Zone.QUARANTINE, "home_visits")).count()).isEqualTo(fx.visitsBadMarch);

    // several sources at once (the thread pool) give what one source at a time gives
    Warehouse w2 = Warehouse.create(tmp.resolve("wh2"));
    Ingest parallel = Ingest.builder().warehouse(w2).keySet(ks).input(fx.dir).parallelism(2).build();
    Map<String, List<String>> both = new java.util.LinkedHashMap<>();
    both.put("home_visits", List.of());
    both.put("clinic_contacts", List.of());
    List<IngestResult> rs = parallel.run(spark, both);
    assertThat(rs).extracting(IngestResult::source).containsExactly("home_visits", "clinic_contacts");
    assertThat(rs.get(0).loaded()).isEqualTo(march.loaded() + april.loaded());
    assertThat(rs.get(1).quarantined()).isEqualTo(fx.clinicBad);
    Dataset<Row> sequential = table.drop("ingest_run");
    Dataset<Row> fromPool = DeltaIO.read(spark, w2.table(Zone.PSEUDONYMISED, "home_visits")).drop("ingest_run");
    assertThat(fromPool.exceptAll(sequential).count()).isZero();
    assertThat(sequential.exceptAll(fromPool).count()).isZero();
    assertThat(DeltaIO.read(spark, w2.table(Zone.AUDIT, Ingest.INGEST_RUNS)).where("rows_in != loaded + quarantined")
        .count()).isZero();
  }

  @Test
  void parquetExtractsIngestLikeCsv(SparkSession spark, Warehouse w, @TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("specs"));
    Files.writeString(in.resolve("specs/clinic_parquet.yaml"), """
        name: clinic_parquet
        format: parquet
        recordId: contact_id
        eventDate: {column: contact_date}
        onInvalidIdentifier: quarantine
        columns:
          - {name: contact_id, type: string, required: true}
          - {name: nhs_number, type: string, identifier: nhs_number}
          - {name: date_of_birth, type: date, identifier: date_of_birth}
          - {name: contact_date, type: date}
          - {name: minutes, type: int}
        """);
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("contact_id", "string").add("nhs_number", "string").add("date_of_birth", "date")
        .add("contact_date", "date").add("minutes", "int").add("provider_note", "string");
    java.sql.Date dob = java.sql.Date.valueOf("1980-03-07");
    java.sql.Date day = java.sql.Date.valueOf("2024-05-02");
    List<Row> rows = List.of(
        org.apache.spark.sql.RowFactory.create("P1", "943 476 5919", dob, day, 30, "undeclared"),
        org.apache.spark.sql.RowFactory.create("P2", "943 476 5918", dob, day, 15, "x"), // bad check digit: quarantined
        org.apache.spark.sql.RowFactory.create(null, "4010232137", dob, day, 15, "x"), // no record id: quarantined
        org.apache.spark.sql.RowFactory.create("P4", null, null, day, 45, "x")); // missing NHS number: loads
    spark.createDataFrame(rows, schema).coalesce(1).write()
        .parquet(in.resolve("raw/clinic_parquet/2024-05").toUri().toString());
    KeySet ks = KeySet.generate(true);
    IngestResult r = Ingest.builder().warehouse(w).keySet(ks).input(in).build().run(spark, "clinic_parquet", List.of());
    assertThat(r.months()).singleElement().satisfies(m -> {
      assertThat(m.month()).isEqualTo("2024-05");
      assertThat(m.rowsIn()).isEqualTo(rows.size());
      assertThat(m.quarantined()).isEqualTo(2);
      assertThat(m.loaded()).isEqualTo(2);
      assertThat(m.inserted()).isEqualTo(2);
    });
    Dataset<Row> t = DeltaIO.read(spark, w.table(Zone.PSEUDONYMISED, "clinic_parquet"));
    assertThat(t.columns()).doesNotContain("nhs_number", "date_of_birth", "provider_note").contains("minutes", "tok_dob");
    assertThat(t.where("record_id = 'P1'").first().<String>getAs("nhs_pseudonym"))
        .isEqualTo(Pseudonymiser.of(ks, io.idw.core.IdentifierType.NHS_NUMBER).pseudonym("9434765919"));
    assertThat(t.where("record_id = 'P4'").first().<String>getAs("nhs_status")).isEqualTo("missing");
    assertThat(DeltaIO.read(spark, w.table(Zone.QUARANTINE, "clinic_parquet")).select("reason")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("nhs_number is invalid_check_digit", "required column contact_id is missing");
  }

  @Test
  void aCrashAfterAnyCommitIsRepairedByARerunToWhatOneCleanRunGives(SparkSession spark, Warehouse w, @TempDir Path tmp)
      throws Exception {
    IngestFixture fx = new IngestFixture(tmp.resolve("in"));
    KeySet ks = KeySet.generate(true);
    String source = "clinic_contacts"; // one month with loaded and quarantined rows: small and quick
    IngestResult clean = Ingest.builder().warehouse(w).keySet(ks).input(fx.dir).build().run(spark, source, List.of());

    // one warehouse crashed after the pseudonymised commit, then its re-run crashed after the quarantine
    // commit (a crash after the quality profile leaves what a plain re-ingest replaces, tested above)
    Warehouse crashed = Warehouse.create(tmp.resolve("crashed"));
    for (String step : List.of(Ingest.STEP_PSEUDONYMISED, Ingest.STEP_QUARANTINE)) {
      Ingest dying = Ingest.builder().warehouse(crashed).keySet(ks).input(fx.dir).afterCommit(s -> {
        if (s.equals(step)) {
          throw new IllegalStateException("simulated crash after the " + s + " commit");
        }
      }).build();
      assertThatThrownBy(() -> dying.run(spark, source, List.of())).hasMessageContaining("simulated crash");
      assertThat(DeltaIO.exists(spark, crashed.table(Zone.AUDIT, Ingest.INGEST_RUNS))).as("no run record yet").isFalse();
    }
    IngestResult repaired = Ingest.builder().warehouse(crashed).keySet(ks).input(fx.dir).build().run(spark, source, List.of());

    assertThat(repaired.months()).extracting(IngestResult.MonthCounts::rowsIn, IngestResult.MonthCounts::loaded,
        IngestResult.MonthCounts::quarantined).containsExactlyElementsOf(clean.months().stream()
        .map(m -> org.assertj.core.groups.Tuple.tuple(m.rowsIn(), m.loaded(), m.quarantined())).toList());
    for (Zone z : List.of(Zone.PSEUDONYMISED, Zone.QUARANTINE)) {
      assertSameRows(DeltaIO.read(spark, w.table(z, source)).drop(Ingest.INGEST_RUN),
          DeltaIO.read(spark, crashed.table(z, source)).drop(Ingest.INGEST_RUN), z.dir());
    }
    assertSameRows(DeltaIO.read(spark, w.table(Zone.AUDIT, Ingest.DATA_QUALITY)),
        DeltaIO.read(spark, crashed.table(Zone.AUDIT, Ingest.DATA_QUALITY)), "data quality");
    String json = source + "_2024-03.json";
    assertThat(crashed.zonePath(Zone.AUDIT).resolve(Ingest.DATA_QUALITY_JSON).resolve(json))
        .hasSameTextualContentAs(w.zonePath(Zone.AUDIT).resolve(Ingest.DATA_QUALITY_JSON).resolve(json));
    assertThat(DeltaIO.read(spark, crashed.table(Zone.AUDIT, Ingest.INGEST_RUNS)).count())
        .as("one record, of the run that completed").isEqualTo(1);
  }

  @Test
  void quarantinedRowsCarryTheirLineNumberInTheFileHoweverSparkSplitsIt(SparkSession spark, Warehouse w,
      @TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in.resolve("specs"));
    Files.writeString(in.resolve("specs/clinic_contacts.yaml"), IngestFixture.CLINIC_SPEC);
    // two monthly files; every 9th data row of each is bad in one of four ways; the expected line
    // numbers are the rows' positions in the written files (header = line 1)
    List<String> expected = new ArrayList<>();
    for (String month : List.of("2024-03", "2024-04")) {
      List<String> lines = new ArrayList<>(List.of("contact_id,nhs_number,date_of_birth,contact_date,minutes"));
      for (int i = 1; i <= 90; i++) {
        String id = month + "-C" + i;
        String line = switch (i % 9 == 0 ? (i / 9) % 4 : -1) {
          case 0 -> "," + "4010232137,1950-12-25," + month + "-02,15"; // no record id
          case 1 -> id + ",4010232137,1950-12-25," + month + "-02,lots"; // not an int
          case 2 -> month + "-C1,4010232137,1950-12-25," + month + "-02,15"; // duplicate of row 1 (kept)
          case 3 -> id + ",4010232137,1950-12-25," + month + "-02,15,extra,fields"; // malformed
          default -> id + ",4010232137,1950-12-25," + month + "-02,15";
        };
        lines.add(line);
        if (i % 9 == 0) {
          expected.add(month + ":" + lines.size());
        }
      }
      Path d = in.resolve("raw/clinic_contacts/" + month);
      Files.createDirectories(d);
      Files.writeString(d.resolve("clinic_contacts_" + month + ".csv"), String.join("\n", lines) + "\n");
    }
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "600");
    try {
      String file = in.resolve("raw/clinic_contacts/2024-03").toUri().toString();
      assertThat(spark.read().csv(file).select(functions.expr("input_file_block_start()")).distinct().count())
          .as("the file is read in several splits").isGreaterThan(3);
      IngestResult r = Ingest.builder().warehouse(w).keySet(KeySet.generate(true)).input(in).build()
          .run(spark, "clinic_contacts", List.of());
      assertThat(r.quarantined()).isEqualTo(expected.size());
      assertThat(DeltaIO.read(spark, w.table(Zone.QUARANTINE, "clinic_contacts"))
          .select(functions.concat_ws(":", functions.col("extract_month"), functions.col(Ingest.QUARANTINE_ROW_NUMBER)))
          .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
          .containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
  }

  private static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, String what) {
    assertThat(actual.count()).as(what).isEqualTo(expected.count());
    assertThat(actual.exceptAll(expected).count()).as(what).isZero();
    assertThat(expected.exceptAll(actual).count()).as(what).isZero();
  }

  /** The key set's master keys and the domain keys ingest uses, as hex, Base64 and raw bytes (ISO-8859-1). */
  static List<String> keyCanaries(KeySet ks) {
    List<byte[]> secrets = new ArrayList<>();
    SecretAccess access = SecretAccess.insecureSecretAccess();
    Key k = ks.primary();
    secrets.add(k.material(access));
    for (io.idw.core.IdentifierType t : List.of(io.idw.core.IdentifierType.NHS_NUMBER, io.idw.core.IdentifierType.UPRN,
        io.idw.core.IdentifierType.SOCIAL_CARE_ID, io.idw.core.IdentifierType.LOCAL_ID)) {
      secrets.add(DomainKeys.derive(k, DomainKeys.pseudonymPurpose(t), access));
    }
    for (String f : List.of("dob", "dob_ym", "yob", "sex", "postcode", "pc_sector", "pc_district", "name")) {
      secrets.add(DomainKeys.derive(k, DomainKeys.tokenPurpose(f), access));
    }
    for (String f : BloomEncoder.DEFAULT_K.keySet()) {
      secrets.add(DomainKeys.derive(k, DomainKeys.bloomPurpose(f), access));
    }
    List<String> out = new ArrayList<>();
    for (byte[] b : secrets) {
      out.add(java.util.HexFormat.of().formatHex(b));
      out.add(java.util.HexFormat.of().withUpperCase().formatHex(b));
      out.add(java.util.Base64.getEncoder().encodeToString(b));
      out.add(new String(b, StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  @Test
  void aWrongOrMissingKeyRefusesToRun(SparkSession spark, Warehouse w, @TempDir Path tmp) throws Exception {
    IngestFixture fx = new IngestFixture(tmp.resolve("in"));
    KeySet right = KeySet.generate(false);
    Ingest.builder().warehouse(w).keySet(right).input(fx.dir).build().run(spark, "clinic_contacts", List.of());
    io.idw.core.TableRef table = w.table(Zone.PSEUDONYMISED, "clinic_contacts");
    assertThat(Ingest.tableKeyIds(spark, table)).contains(java.util.Set.of(right.primaryId()));
    long version = DeltaIO.latestVersion(spark, table);
    KeySet wrong = KeySet.generate(false);
    Runnable wrongRun = () -> Ingest.builder().warehouse(w).keySet(wrong).input(fx.dir).build()
        .run(spark, "clinic_contacts", List.of());
    assertThatThrownBy(wrongRun::run)
        .isInstanceOf(IdwException.class)
        .satisfies(e -> assertThat(((IdwException) e).code()).isEqualTo("pseudonymise.keyset.wrong_for_table"))
        .hasMessageContaining(right.primaryId())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(
            java.util.HexFormat.of().formatHex(wrong.primary().material(SecretAccess.insecureSecretAccess()))));
    assertThat(DeltaIO.latestVersion(spark, table)).isEqualTo(version);

    // a table written before the key-id property: its key-id columns are read, then the property set
    spark.sql("ALTER TABLE delta.`" + table.location() + "` UNSET TBLPROPERTIES ('" + Ingest.KEY_IDS_PROPERTY + "')");
    assertThat(Ingest.tableKeyIds(spark, table)).isEmpty();
    assertThatThrownBy(wrongRun::run).isInstanceOf(IdwException.class).hasMessageContaining(right.primaryId());
    // a rotated key set: the new primary joins the property before any row made with it
    KeySet rotated = right.rotate();
    Ingest.builder().warehouse(w).keySet(rotated).input(fx.dir).build().run(spark, "clinic_contacts", List.of());
    assertThat(Ingest.tableKeyIds(spark, table)).contains(java.util.Set.of(right.primaryId(), rotated.primaryId()));
    assertThatThrownBy(() -> Ingest.builder().warehouse(w).keySet(KeySet.of(List.of(rotated.primary()),
        rotated.primaryId(), false)).input(fx.dir).build().run(spark, "clinic_contacts", List.of()))
        .isInstanceOf(IdwException.class).hasMessageContaining(right.primaryId());
    assertThatThrownBy(() -> Ingest.builder().warehouse(w).input(fx.dir).build())
        .isInstanceOf(IdwException.class).hasMessageContaining("never runs unkeyed");
    assertThatThrownBy(() -> Ingest.builder().warehouse(w).keySet(right).input(fx.dir).build()
        .run(spark, "clinic_contacts", List.of("2031-01")))
        .isInstanceOf(IdwException.class).hasMessageContaining("no extract of clinic_contacts for 2031-01");
  }

  /** Runs an action with every log event (INFO and up) of every logger written to {@code logs}. */
  static <T> T withCapturedLogs(StringWriter logs, java.util.function.Supplier<T> action) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration cfg = ctx.getConfiguration();
    WriterAppender app = WriterAppender.newBuilder().setName("canary").setTarget(logs)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n%ex").build()).build();
    app.start();
    cfg.getRootLogger().addAppender(app, Level.ALL, null);
    Level before = cfg.getRootLogger().getLevel();
    Configurator.setRootLevel(Level.INFO);
    try {
      return action.get();
    } finally {
      Configurator.setRootLevel(before);
      cfg.getRootLogger().removeAppender("canary");
      app.stop();
    }
  }
}
