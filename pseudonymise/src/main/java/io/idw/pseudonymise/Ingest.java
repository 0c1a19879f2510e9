package io.idw.pseudonymise;

import static io.idw.pseudonymise.internal.ExtractValidation.CORRUPT;
import static io.idw.pseudonymise.internal.ExtractValidation.MONTH;
import static io.idw.pseudonymise.internal.ExtractValidation.REASON;
import static io.idw.pseudonymise.internal.ExtractValidation.ROW;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.idw.core.DeltaIO;
import io.idw.core.IdwMappers;
import io.idw.core.IdwVersion;
import io.idw.core.SourceSpec;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.pseudonymise.internal.ExtractValidation;
import io.idw.pseudonymise.internal.JobClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The ingest job: raw extracts in, pseudonymised Delta tables out. For one source and one or more
 * extract months it
 * <ol>
 *   <li>reads the raw extracts ({@code raw/<source>/<YYYY-MM>/}, CSV or Parquet) per the source
 *       spec ({@code specs/<source>.yaml});</li>
 *   <li>validates the schema: every declared column must be in the file (undeclared columns are
 *       never loaded);</li>
 *   <li>quarantines bad rows with a reason (malformed lines, missing required values, values not of
 *       the declared type, duplicate record ids, invalid NHS numbers when the spec says
 *       {@code quarantine}) into {@code quarantine.<source>} (columns {@code source},
 *       {@code extract_month}, {@link #QUARANTINE_ROW_NUMBER row_number} (the record number in its
 *       file), {@code reason}, {@code ingest_run}, every declared column as its raw string, and
 *       {@code malformed_line});</li>
 *   <li>derives safe attributes (age band, sex, LSOA and IMD decile from {@code reference/} when
 *       present, GP practice from a practice-code column);</li>
 *   <li>replaces identifiers with pseudonyms and encodings ({@link RecordEncoder});</li>
 *   <li>drops every direct identifier and quasi-identifier column;</li>
 *   <li>MERGEs into {@code pseudonymised.<source>} keyed on {@code record_id} and
 *       {@code extract_month}, inserting only new keys, so a re-ingest changes nothing.</li>
 * </ol>
 * Rows in = loaded + quarantined is checked, printed by the caller, appended to
 * {@code audit.ingest_runs} and written to the audit log. The data-quality profile goes to
 * {@code audit.data_quality} (Delta) and {@code audit/data_quality_profiles/<source>_<YYYY-MM>.json}.
 *
 * <p>Refuses to run without a key set, and refuses to add to a table made under a key the key set
 * does not hold. Nothing here logs values.
 */
public final class Ingest {
  public static final String INGEST_RUNS = "ingest_runs";
  public static final String DATA_QUALITY = "data_quality";
  /**
   * The audit-zone folder of the JSON quality profiles: beside the {@code data_quality} Delta table,
   * not inside it, where VACUUM would delete them as unreferenced files.
   */
  public static final String DATA_QUALITY_JSON = "data_quality_profiles";
  public static final String QUARANTINE_REASON = "reason";
  /**
   * Column of {@code quarantine.<source>}: the quarantined row's record number in its source file
   * (long), the same however Spark split the file. For CSV the header is record 1, so the first data
   * row is 2; this is the file's line number unless a blank or comment line (skipped by the reader)
   * or a quoted field holding line breaks comes before it. For Parquet the first row is 1.
   */
  public static final String QUARANTINE_ROW_NUMBER = "row_number";
  public static final String INGEST_RUN = "ingest_run";
  /**
   * The table property of every pseudonymised table listing (comma-separated, sorted) the ids of the
   * keys its rows may have been made with, so an incremental ingest checks the key set without
   * reading the table. Written before the rows it covers.
   */
  public static final String KEY_IDS_PROPERTY = "idw.key_ids";
  /** The commits of one source's run, in order (names for {@code Builder.afterCommit}, tests only). */
  static final String STEP_PSEUDONYMISED = "pseudonymised";
  static final String STEP_QUARANTINE = "quarantine";
  static final String STEP_QUALITY = "data_quality";
  /** Sources ingested at once by {@link #runAll} unless the builder says otherwise. */
  public static final int DEFAULT_PARALLELISM = 2;
  /** Commits to the shared audit tables are serialised (concurrent creates and replaceWhere would conflict). */
  private static final Object RECORD_LOCK = new Object();
  /** Tries of a shared audit-table write that another process's concurrent ingest keeps beating. */
  private static final int SHARED_WRITE_ATTEMPTS = 8;
  private static final Pattern MONTH_DIR = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
  private static final Set<String> SAFE_DERIVED = Set.of(PseudoColumns.SEX, PseudoColumns.AGE_BAND,
      PseudoColumns.LSOA, PseudoColumns.IMD_DECILE, PseudoColumns.GP_PRACTICE);
  /** Reference CSVs up to this size are read into driver memory once (Kent's postcode list is ~3 MB). */
  private static final long LOCAL_REFERENCE_BYTES = 64L << 20;
  private static final List<String> PRACTICE_COLUMNS = List.of("gp_practice_code", "practice_code", "registered_practice");

  private final Warehouse warehouse;
  private final KeySet keys;
  private final Path input;
  private final int pseudonymBits;
  private final int parallelism;
  private final java.util.function.Consumer<String> afterCommit;
  private Reference reference;

  private Ingest(Builder b) {
    this.warehouse = Objects.requireNonNull(b.warehouse, "warehouse");
    if (b.keys == null) {
      throw PseudonymiseErrors.keySetInvalid("no key set was given; ingest never runs unkeyed");
    }
    this.keys = b.keys;
    this.input = Objects.requireNonNull(b.input, "input").toAbsolutePath().normalize();
    this.pseudonymBits = b.pseudonymBits;
    if (b.parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + b.parallelism);
    }
    this.parallelism = b.parallelism;
    this.afterCommit = b.afterCommit;
    Pseudonymiser.of(keys.primary(), io.idw.core.IdentifierType.NHS_NUMBER, pseudonymBits); // validates bits
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: warehouse, key set and the input folder (holding raw/, specs/ and optionally reference/). */
  public static final class Builder {
    private Warehouse warehouse;
    private KeySet keys;
    private Path input;
    private int pseudonymBits = Pseudonymiser.DEFAULT_BITS;
    private int parallelism = DEFAULT_PARALLELISM;
    private java.util.function.Consumer<String> afterCommit = step -> { };

    public Builder warehouse(Warehouse w) { this.warehouse = w; return this; }
    public Builder keySet(KeySet k) { this.keys = k; return this; }
    /** The folder with {@code raw/<source>/<YYYY-MM>/}, {@code specs/<source>.yaml} and {@code reference/}. */
    public Builder input(Path p) { this.input = p; return this; }
    public Builder pseudonymBits(int bits) { this.pseudonymBits = bits; return this; }
    /**
     * How many sources {@link #runAll} ingests at once (default {@value #DEFAULT_PARALLELISM}): one
     * source's driver-side work (planning, Delta commits) overlaps another's tasks.
     */
    public Builder parallelism(int n) { this.parallelism = n; return this; }
    /** Called with each step's name after its commit (tests simulate a crash by throwing). */
    Builder afterCommit(java.util.function.Consumer<String> c) { this.afterCommit = c; return this; }
    public Ingest build() { return new Ingest(this); }
  }

  /** The sources with a spec and at least one extract month under the input folder, sorted. */
  public List<String> sources() {
    Path raw = input.resolve("raw");
    if (!Files.isDirectory(raw)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(raw)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> specFile(n) != null && !months(n).isEmpty()).sorted().toList();
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(raw, e);
    }
  }

  /** The extract months present for a source, sorted. */
  public List<String> months(String source) {
    Path dir = input.resolve("raw").resolve(source);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> MONTH_DIR.matcher(n).matches()).sorted().toList();
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(dir, e);
    }
  }

  /**
   * Ingests every source and month under the input folder: each source in one pass over all its
   * months, up to {@code parallelism} sources at once. See {@link #run(SparkSession, Map)}.
   */
  public List<IngestResult> runAll(SparkSession spark) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    sources().forEach(s -> all.put(s, List.of()));
    return run(spark, all);
  }

  /**
   * Ingests several sources, each in one pass over its given months (all its months when the list
   * is empty), up to {@code parallelism} sources at once. Results are in the map's order. If a
   * source fails, the sources already running finish (each commits atomically), no new one starts,
   * and the first failure is thrown.
   */
  public List<IngestResult> run(SparkSession spark, Map<String, List<String>> monthsBySource) {
    List<String> sources = List.copyOf(monthsBySource.keySet());
    if (parallelism == 1 || sources.size() < 2) {
      List<IngestResult> out = new ArrayList<>();
      for (String s : sources) {
        out.add(run(spark, s, monthsBySource.get(s)));
      }
      return out;
    }
    reference(spark); // read once, before the threads start
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, sources.size()), r -> {
      Thread t = new Thread(r, "idw-ingest");
      t.setDaemon(true);
      return t;
    });
    AtomicBoolean failed = new AtomicBoolean();
    try {
      List<Future<IngestResult>> futures = new ArrayList<>();
      for (String s : sources) {
        futures.add(pool.submit(() -> {
          if (failed.get()) {
            return null;
          }
          try {
            return run(spark, s, monthsBySource.get(s));
          } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
          }
        }));
      }
      List<IngestResult> out = new ArrayList<>();
      RuntimeException first = null;
      for (Future<IngestResult> f : futures) {
        try {
          IngestResult r = f.get();
          if (r != null) {
            out.add(r);
          }
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while ingesting", e);
        }
      }
      if (first != null) {
        throw first;
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  private Path specFile(String source) {
    for (String ext : List.of(".yaml", ".yml", ".json")) {
      Path p = input.resolve("specs").resolve(source + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** Ingests the given months of a source (all its months when the list is empty). */
  public IngestResult run(SparkSession spark, String source, List<String> requestedMonths) {
    Laps laps = new Laps();
    String jobGroup = "idw-ingest-" + UUID.randomUUID();
    String previousGroup = spark.sparkContext().getLocalProperty("spark.jobGroup.id");
    String previousDescription = spark.sparkContext().getLocalProperty("spark.job.description");
    JobClock clock = JobClock.of(spark.sparkContext());
    clock.start(jobGroup);
    spark.sparkContext().setJobGroup(jobGroup, "idw ingest " + source, false);
    try {
      IngestResult r = run(spark, source, requestedMonths, laps);
      long[] jobs = clock.finish(jobGroup);
      return new IngestResult(r.source(), r.runId(), r.months(), r.tableVersion(), r.quarantineVersion(), r.keyId(),
          r.specHash(), laps.seconds, (int) jobs[0], jobs[1] / 1000.0);
    } finally {
      clock.finish(jobGroup);
      spark.sparkContext().setLocalProperty("spark.jobGroup.id", previousGroup);
      spark.sparkContext().setLocalProperty("spark.job.interruptOnCancel", null);
      spark.sparkContext().setLocalProperty("spark.job.description", previousDescription);
    }
  }

  /** Wall seconds per phase of one source's run, in order. */
  private static final class Laps {
    final Map<String, Double> seconds = new LinkedHashMap<>();
    long last = System.nanoTime();

    void lap(String phase) {
      long now = System.nanoTime();
      seconds.merge(phase, (now - last) / 1e9, Double::sum);
      last = now;
    }
  }

  private IngestResult run(SparkSession spark, String source, List<String> requestedMonths, Laps laps) {
    Path specPath = specFile(source);
    if (specPath == null) {
      throw PseudonymiseErrors.sourceNotFound(source, input.resolve("specs").resolve(source + ".yaml"));
    }
    SourceSpec spec = SourceSpec.read(specPath);
    String specHash = sha256(specPath);
    List<String> available = months(source);
    List<String> months = requestedMonths.isEmpty() ? available : requestedMonths;
    for (String m : months) {
      if (!MONTH_DIR.matcher(m).matches()) {
        throw PseudonymiseErrors.badMonth(m);
      }
      if (!available.contains(m)) {
        throw PseudonymiseErrors.extractNotFound(source, m, input.resolve("raw").resolve(source).resolve(m));
      }
    }
    if (months.isEmpty()) {
      throw PseudonymiseErrors.extractNotFound(source, "any month", input.resolve("raw").resolve(source));
    }
    TableRef target = warehouse.table(Zone.PSEUDONYMISED, spec.name());
    boolean targetExisted = DeltaIO.exists(spark, target);
    java.util.Optional<Set<String>> recordedKeyIds = targetExisted ? tableKeyIds(spark, target) : java.util.Optional.empty();
    Set<String> tableKeyIds = targetExisted ? requireKeySetMatches(target, recordedKeyIds.orElseGet(
        () -> scanKeyIds(spark, target))) : Set.of();
    Reference ref = reference(spark);
    laps.lap("prepare");

    String runId = UUID.randomUUID().toString();
    Instant started = Instant.now();
    // one read of every month's files, one validation pass (kept in memory for the three uses below)
    Dataset<Row> raw = read(spark, spec, source, months);
    // validation's shuffle (duplicate ids) leaves spark.sql.shuffle.partitions partitions, and a
    // cached plan keeps them: partitions follow the extract's size instead, so a month of a small
    // source is not written as one file per shuffle partition
    Dataset<Row> validated = ExtractValidation.validate(raw, spec).coalesce(partitionsFor(spark, source, months))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<QualityProfile> profiles = QualityProfile.compute(validated, spec);
      for (QualityProfile p : profiles) {
        if (p.rowsIn() != p.loaded() + p.quarantined()) {
          throw PseudonymiseErrors.notBalanced(source, p.extractMonth(), p.rowsIn(), p.loaded(), p.quarantined());
        }
      }
      laps.lap("read+validate+profile");

      // Every write below is idempotent per (source, extract month) and none depends on another's
      // commit, so a crash between any two leaves a state that a re-run of the same extracts turns
      // into exactly what one uninterrupted run gives. The pseudonymised table goes first (the write
      // that can refuse: key set, schema), the run record and audit event last (the run is complete).

      // 1. load: typed declared columns, encoded, identifiers dropped, one MERGE for every month
      List<Column> good = new ArrayList<>();
      for (SourceSpec.Column c : spec.columns()) {
        good.add(col("`" + c.name() + "`"));
      }
      good.add(col(MONTH).as(PseudoColumns.EXTRACT_MONTH));
      Dataset<Row> accepted = validated.where(col(REASON).isNull()).select(good.toArray(new Column[0]));
      RecordEncoder encoder = RecordEncoder.of(keys, mappingFor(spec), pseudonymBits, null);
      if (ref.postcodeLsoa() != null) {
        encoder.withReference(ref.postcodeLsoa(), ref.lsoaImd());
      }
      Dataset<Row> encoded = encoder.encode(accepted);
      String practice = PRACTICE_COLUMNS.stream().filter(c -> spec.column(c).isPresent()
          && spec.column(c).get().identifier() == null).findFirst().orElse(null);
      if (practice != null) {
        encoded = encoded.withColumn(PseudoColumns.GP_PRACTICE, col("`" + practice + "`").cast("string"));
      }
      encoded = encoded.withColumn(INGEST_RUN, lit(runId));
      requireNoIdentifierColumns(encoded, spec);
      // the key ids go into the table's properties before any row made with them (a superset is safe)
      // (a new table gets them in the commit that creates it with its first rows)
      boolean fresh = !targetExisted;
      if (!fresh && !recordedKeyIds.map(ids -> ids.contains(keys.primaryId())).orElse(false)) {
        setKeyIds(spark, target, tableKeyIds, keys.primaryId());
      }
      // an incremental MERGE reads only the target files that can hold these months (min/max
      // skipping). The usual new month is in no file yet (the statistics answer that without reading
      // rows): an insert guarded by the months' predicate then does the MERGE's work without its
      // scans, and fails rather than duplicating rows if a concurrent run inserts them first
      long loadedTotal = profiles.stream().mapToLong(QualityProfile::loaded).sum();
      WriteResult wr = fresh ? DeltaIO.createAs(encoded, target, Map.of(KEY_IDS_PROPERTY, keys.primaryId()))
          : loadedTotal > 0 ? DeltaIO.insertIfNone(encoded, target, PseudoColumns.EXTRACT_MONTH, months) : null;
      if (wr == null) {
        wr = DeltaIO.merge(encoded, target, List.of(PseudoColumns.RECORD_ID, PseudoColumns.EXTRACT_MONTH),
            DeltaIO.MergeMode.INSERT_NEW,
            col(DeltaIO.MERGE_TARGET + "." + PseudoColumns.EXTRACT_MONTH).isin(months.toArray()));
      }
      afterCommit.accept(STEP_PSEUDONYMISED);

      // newly inserted per month: all or nothing from the commit's metrics, else what this run added
      long insertedTotal = "NOOP".equals(wr.operation()) ? 0 : wr.rowsInserted();
      Map<String, Long> inserted = new LinkedHashMap<>();
      if (insertedTotal == loadedTotal) {
        profiles.forEach(p -> inserted.put(p.extractMonth(), p.loaded()));
      } else if (insertedTotal > 0) {
        for (Row r : DeltaIO.read(spark, target).where(col(INGEST_RUN).equalTo(runId))
            .groupBy(PseudoColumns.EXTRACT_MONTH).count().collectAsList()) {
          inserted.put(r.getString(0), r.getLong(1));
        }
      }

      laps.lap("pseudonymised");

      // 2. quarantine: raw strings and reason, the months replaced, so a re-run writes the same rows
      TableRef qTable = warehouse.table(Zone.QUARANTINE, spec.name());
      Dataset<Row> bad = validated.where(col(REASON).isNotNull());
      // true record numbers in the file (a job over the cached rows), only when something is quarantined
      bad = profiles.stream().mapToLong(QualityProfile::quarantined).sum() == 0
          ? bad.withColumn(ExtractValidation.LINE, lit(null).cast("long"))
          : ExtractValidation.withLineNumbers(bad, validated, spec.format() == SourceSpec.Format.CSV ? 1 : 0);
      List<Column> qCols = new ArrayList<>(List.of(lit(spec.name()).as(PseudoColumns.SOURCE),
          col(MONTH).as(PseudoColumns.EXTRACT_MONTH), col(ExtractValidation.LINE).as(QUARANTINE_ROW_NUMBER),
          col(REASON).as(QUARANTINE_REASON),
          lit(runId).as(INGEST_RUN)));
      for (SourceSpec.Column c : spec.columns()) {
        qCols.add(col("`_raw_" + c.name() + "`").as(c.name()));
      }
      if (List.of(raw.columns()).contains(CORRUPT)) {
        qCols.add(col(CORRUPT).as("malformed_line"));
      } else {
        qCols.add(lit(null).cast("string").as("malformed_line"));
      }
      Dataset<Row> quarantined = bad.select(qCols.toArray(new Column[0]));
      String monthList = months.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", "));
      if (!DeltaIO.exists(spark, qTable)) {
        // created with its rows in one commit (nothing to replace yet); no per-file min/max
        // statistics: Delta would keep (and log at INFO) clear identifier values
        DeltaIO.createAs(quarantined, qTable, Map.of("delta.dataSkippingNumIndexedCols", "0"));
      } else {
        quarantined.write().format("delta").mode(SaveMode.Overwrite)
            .option("replaceWhere", PseudoColumns.EXTRACT_MONTH + " IN (" + monthList + ")").save(qTable.location());
      }
      long quarantineVersion = committedVersion(qTable);
      laps.lap("quarantine");
      afterCommit.accept(STEP_QUARANTINE);

      List<IngestResult.MonthCounts> counts = new ArrayList<>();
      for (QualityProfile p : profiles) {
        counts.add(new IngestResult.MonthCounts(p.extractMonth(), p.rowsIn(), p.loaded(), p.quarantined(),
            inserted.getOrDefault(p.extractMonth(), 0L)));
      }
      for (String m : months) {
        if (profiles.stream().noneMatch(p -> p.extractMonth().equals(m))) {
          counts.add(new IngestResult.MonthCounts(m, 0, 0, 0, 0)); // an extract with no data rows
        }
      }
      IngestResult result = new IngestResult(spec.name(), runId, counts, wr.version(), quarantineVersion,
          keys.primaryId(), specHash);
      record(spark, result, profiles, started, laps, fresh);
      return result;
    } finally {
      validated.unpersist();
    }
  }

  /** The mapping of a spec, with {@code extract_month} coming from the data (several months at once). */
  static ColumnMapping mappingFor(SourceSpec spec) {
    ColumnMapping fromSpec = ColumnMapping.fromSpec(spec, null);
    ColumnMapping.Builder b = ColumnMapping.builder().recordId(spec.recordId()).source(spec.name())
        .dobFormat(fromSpec.dobFormat());
    fromSpec.columns().forEach(b::column);
    fromSpec.dropped().forEach(b::drop);
    fromSpec.ageAt().ifPresent(b::ageAt);
    return b.build();
  }

  /**
   * Refuses unless the key set holds every key the table's rows were made with: the ids of its
   * {@value #KEY_IDS_PROPERTY} property (no data read) or, for a table written before the property
   * existed, of a scan of its key-id columns (the property is then set at this run's write).
   */
  private Set<String> requireKeySetMatches(TableRef target, Set<String> ids) {
    for (String id : ids) {
      if (keys.find(id).isEmpty()) {
        throw PseudonymiseErrors.wrongKeySetForTable(target.qualifiedName(), id);
      }
    }
    return ids;
  }

  /** The key ids recorded in a pseudonymised table's {@value #KEY_IDS_PROPERTY} property, if any. */
  public static java.util.Optional<Set<String>> tableKeyIds(SparkSession spark, TableRef table) {
    Row detail = io.delta.tables.DeltaTable.forPath(spark, table.location()).detail().select("properties").first();
    Map<String, String> props = detail.isNullAt(0) ? Map.of() : detail.getJavaMap(0);
    String v = props.get(KEY_IDS_PROPERTY);
    if (v == null) {
      return java.util.Optional.empty();
    }
    Set<String> out = new java.util.TreeSet<>();
    for (String id : v.split(",")) {
      if (!id.isBlank()) {
        out.add(id.strip());
      }
    }
    return java.util.Optional.of(out);
  }

  private static Set<String> scanKeyIds(SparkSession spark, TableRef target) {
    Dataset<Row> t = DeltaIO.read(spark, target);
    List<String> keyCols = new ArrayList<>();
    for (List<String> pair : PseudoColumns.PSEUDONYM_KEY_PAIRS) {
      if (List.of(t.columns()).contains(pair.get(1))) {
        keyCols.add(pair.get(1));
      }
    }
    if (List.of(t.columns()).contains(PseudoColumns.ENC_KEY_ID)) {
      keyCols.add(PseudoColumns.ENC_KEY_ID);
    }
    Set<String> ids = new java.util.TreeSet<>();
    if (keyCols.isEmpty()) {
      return ids;
    }
    Column[] arr = keyCols.stream().map(functions::col).toArray(Column[]::new);
    for (Row r : t.select(functions.explode(functions.array(arr)).as("k")).where(col("k").isNotNull())
        .distinct().collectAsList()) {
      ids.add(r.getString(0));
    }
    return ids;
  }

  /** Sets the table's key-id property to the known ids plus {@code keyId} (one metadata commit). */
  private static void setKeyIds(SparkSession spark, TableRef target, Set<String> known, String keyId) {
    Set<String> ids = new java.util.TreeSet<>(known);
    ids.add(keyId);
    spark.sql("ALTER TABLE delta.`" + target.location().replace("`", "``") + "` SET TBLPROPERTIES ('"
        + KEY_IDS_PROPERTY + "' = '" + String.join(",", ids) + "')");
  }

  private static void requireNoIdentifierColumns(Dataset<Row> out, SourceSpec spec) {
    Set<String> cols = new LinkedHashSet<>(List.of(out.columns()));
    for (SourceSpec.Column c : spec.identifierColumns()) {
      // a clear column is gone unless the encoder re-made a safe column of that name (sex as M/F/U)
      if (cols.contains(c.name()) && !SAFE_DERIVED.contains(c.name())) {
        throw new IllegalStateException("identifier column " + c.name() + " would reach the pseudonymised zone");
      }
    }
    for (String c : cols) {
      if (c.startsWith("_")) {
        throw new IllegalStateException("internal column " + c + " would reach the pseudonymised zone");
      }
    }
  }

  /** Bytes of extract per partition of the validated rows. */
  private static final long BYTES_PER_PARTITION = 16L << 20;

  /**
   * The validated rows' partitions: one per {@value #BYTES_PER_PARTITION} bytes of the months'
   * extract files, at least two (both cores of a small machine) and at most
   * {@code spark.sql.shuffle.partitions}.
   */
  private int partitionsFor(SparkSession spark, String source, List<String> months) {
    long bytes = 0;
    for (String m : months) {
      try (Stream<Path> files = Files.walk(input.resolve("raw").resolve(source).resolve(m))) {
        bytes += files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
      } catch (IOException e) {
        throw io.idw.core.CoreErrors.warehouseIo(input.resolve("raw").resolve(source).resolve(m), e);
      }
    }
    int most = Math.max(2, Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")));
    return (int) Math.max(2, Math.min(most, (bytes + BYTES_PER_PARTITION - 1) / BYTES_PER_PARTITION));
  }

  private Dataset<Row> read(SparkSession spark, SourceSpec spec, String source, List<String> months) {
    Dataset<Row> all = null;
    Map<List<String>, List<String>> byHeader = new LinkedHashMap<>();
    for (String m : months) {
      Path dir = input.resolve("raw").resolve(source).resolve(m);
      byHeader.computeIfAbsent(header(spark, spec, dir, source), k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<List<String>, List<String>> e : byHeader.entrySet()) {
      List<String> header = e.getKey();
      Set<String> missing = new LinkedHashSet<>();
      spec.columns().forEach(c -> {
        if (!header.contains(c.name())) {
          missing.add(c.name());
        }
      });
      if (!missing.isEmpty()) {
        throw PseudonymiseErrors.schemaMismatch(source, input.resolve("raw").resolve(source).resolve(e.getValue().get(0)).toString(), missing);
      }
      String[] paths = e.getValue().stream().map(m -> input.resolve("raw").resolve(source).resolve(m).toUri().toString())
          .toArray(String[]::new);
      Dataset<Row> df;
      if (spec.format() == SourceSpec.Format.CSV) {
        StructType schema = new StructType();
        for (String h : header) {
          schema = schema.add(h, DataTypes.StringType);
        }
        schema = schema.add(CORRUPT, DataTypes.StringType);
        df = spark.read().options(spec.options()).option("header", "true").option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT).option("enforceSchema", "true")
            .option("pathGlobFilter", "*.csv").schema(schema).csv(paths);
      } else {
        df = spark.read().options(spec.options()).option("pathGlobFilter", "*.parquet").parquet(paths);
        for (SourceSpec.Column c : spec.columns()) {
          df = df.withColumn(c.name(), col("`" + c.name() + "`").cast("string"));
        }
        df = df.withColumn(CORRUPT, lit(null).cast("string"));
      }
      // every column of the file stays selected until validation: Spark's CSV column pruning would
      // otherwise stop it from seeing lines with too many or too few fields
      List<Column> sel = new ArrayList<>();
      for (String h : header) {
        sel.add(col("`" + h + "`"));
      }
      sel.add(col(CORRUPT));
      sel.add(functions.regexp_extract(functions.input_file_name(), "/(\\d{4}-\\d{2})/[^/]*$", 1).as(MONTH));
      sel.add(functions.input_file_name().as(ExtractValidation.FILE));
      sel.add(functions.expr("input_file_block_start()").as(ExtractValidation.SPLIT));
      sel.add(functions.monotonically_increasing_id().as(ROW));
      df = df.select(sel.toArray(new Column[0]));
      all = all == null ? df : all.unionByName(df, true);
    }
    return all;
  }

  /** The column names of the month's first file (CSV header line or Parquet schema). */
  private List<String> header(SparkSession spark, SourceSpec spec, Path dir, String source) {
    String ext = spec.format() == SourceSpec.Format.CSV ? ".csv" : ".parquet";
    Path first;
    try (Stream<Path> s = Files.list(dir)) {
      first = s.filter(p -> p.getFileName().toString().endsWith(ext)).sorted().findFirst().orElse(null);
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(dir, e);
    }
    if (first == null) {
      throw PseudonymiseErrors.extractNotFound(source, dir.getFileName().toString(), dir.resolve(source + "_" + dir.getFileName() + ext));
    }
    if (spec.format() == SourceSpec.Format.PARQUET) {
      return List.of(spark.read().parquet(first.toUri().toString()).columns());
    }
    String delim = spec.options().getOrDefault("delimiter", spec.options().getOrDefault("sep", ","));
    Charset cs = Charset.forName(spec.options().getOrDefault("encoding", "UTF-8"));
    String line = firstLine(first, cs, source);
    if (line == null) {
      throw PseudonymiseErrors.emptyExtract(source, first);
    }
    if (line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    List<String> out = new ArrayList<>();
    for (String h : line.split(Pattern.quote(delim), -1)) {
      String t = h.strip();
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1);
      }
      out.add(t);
    }
    return out;
  }

  /**
   * The file's first line (without its line end) decoded strictly in {@code cs}, or null for an
   * empty file. Only that line is decoded: bytes further down that are not valid in the charset are
   * the rows' business (quarantined with a reason), not a reason to refuse the whole extract.
   */
  private static String firstLine(Path file, Charset cs, String source) {
    try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        head.write(b);
      }
      if (b == -1 && head.size() == 0) {
        return null;
      }
      String line = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head.toByteArray())).toString();
      return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    } catch (CharacterCodingException e) {
      throw PseudonymiseErrors.headerNotDecodable(source, file, cs.name());
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(file, e);
    }
  }

  /** The reference tables of the input folder (null where absent), read once per job. */
  private record Reference(Dataset<Row> postcodeLsoa, Dataset<Row> lsoaImd) {}

  private synchronized Reference reference(SparkSession spark) {
    if (reference == null) {
      Path dir = input.resolve("reference");
      reference = new Reference(readReference(spark, dir.resolve("postcode_lsoa.csv")),
          readReference(spark, dir.resolve("lsoa_imd.csv")));
    }
    return reference;
  }

  /**
   * A small reference CSV (all columns strings), held as local rows so that every source's join
   * with it is a broadcast without a Spark job; a large one stays a file-backed Dataset.
   */
  private static Dataset<Row> readReference(SparkSession spark, Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    // the header line gives the (string) schema, so Spark runs no job to find the column names
    String head = firstLine(file, StandardCharsets.UTF_8, "reference " + file.getFileName());
    if (head == null) {
      return null;
    }
    StructType schema = new StructType();
    for (String h : head.replace("\uFEFF", "").split(",", -1)) {
      String t = h.strip();
      schema = schema.add(t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t,
          DataTypes.StringType);
    }
    Dataset<Row> d = spark.read().option("header", "true").schema(schema).csv(file.toUri().toString());
    try {
      if (Files.size(file) > LOCAL_REFERENCE_BYTES) {
        return d;
      }
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(file, e);
    }
    return spark.createDataFrame(d.collectAsList(), d.schema());
  }

  /** The version of a Delta table's newest commit, from its log folder (no Spark job). */
  private static long committedVersion(TableRef table) {
    Path log = table.path().resolve("_delta_log");
    try (Stream<Path> s = Files.list(log)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max()
          .orElseThrow(() -> new IllegalStateException("no commit in " + log));
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(log, e);
    }
  }

  /**
   * Writes the quality profile, then the run record and audit events. {@code freshSource}: this run
   * created the pseudonymised table, so no earlier run of the source got past its first commit and
   * the shared {@code data_quality} table holds none of its rows: the profile is appended instead of
   * replacing the source's months (which would scan the table).
   */
  private void record(SparkSession spark, IngestResult r, List<QualityProfile> profiles, Instant started, Laps laps,
      boolean freshSource) {
    Instant finished = Instant.now();
    List<Row> runRows = new ArrayList<>();
    for (IngestResult.MonthCounts m : r.months()) {
      runRows.add(org.apache.spark.sql.RowFactory.create(r.runId(), r.source(), m.month(), m.rowsIn(), m.loaded(),
          m.quarantined(), m.inserted(), r.tableVersion(), r.quarantineVersion(), r.keyId(), r.specHash(),
          IdwVersion.get(), java.sql.Timestamp.from(started), java.sql.Timestamp.from(finished)));
    }
    StructType runSchema = new StructType().add("run_id", "string").add("source", "string")
        .add("extract_month", "string").add("rows_in", "long").add("loaded", "long").add("quarantined", "long")
        .add("inserted", "long").add("table_version", "long").add("quarantine_version", "long")
        .add("key_id", "string").add("spec_hash", "string").add("idw_version", "string")
        .add("started_at", "timestamp").add("finished_at", "timestamp");
    TableRef dq = warehouse.table(Zone.AUDIT, DATA_QUALITY);
    String months = r.months().stream().map(m -> "'" + m.month() + "'").collect(Collectors.joining(", "));
    // serialised within this JVM; another process's ingest may still commit first: then retry
    synchronized (RECORD_LOCK) {
      DeltaIO.retryingConflicts(SHARED_WRITE_ATTEMPTS, () -> {
        var w = QualityProfile.toDataset(spark, profiles).write().format("delta");
        if (freshSource) {
          w.mode(SaveMode.Append);
        } else {
          w.mode(SaveMode.Overwrite).option("replaceWhere", "source = '" + r.source() + "' AND extract_month IN (" + months + ")");
        }
        w.save(dq.location());
        return null;
      });
    }
    ObjectMapper json = IdwMappers.json().copy().enable(SerializationFeature.INDENT_OUTPUT);
    Path dir = warehouse.zonePath(Zone.AUDIT).resolve(DATA_QUALITY_JSON);
    try {
      Files.createDirectories(dir);
      for (QualityProfile p : profiles) {
        Path f = dir.resolve(p.source() + "_" + p.extractMonth() + ".json");
        Path tmp = dir.resolve("." + f.getFileName() + "." + r.runId() + ".tmp");
        json.writeValue(tmp.toFile(), p);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw io.idw.core.CoreErrors.warehouseIo(dir, e);
    }
    laps.lap("quality");
    afterCommit.accept(STEP_QUALITY);

    // the run's own record comes last: a run with no record did not complete (its re-run repairs it)
    synchronized (RECORD_LOCK) {
      DeltaIO.retryingConflicts(SHARED_WRITE_ATTEMPTS, () -> {
        spark.createDataFrame(runRows, runSchema).write().format("delta").mode(SaveMode.Append)
            .save(warehouse.table(Zone.AUDIT, INGEST_RUNS).location());
        return null;
      });
    }
    AuditLog log = AuditLog.of(warehouse);
    for (IngestResult.MonthCounts m : r.months()) {
      log.append(AuditEvent.builder().action("pseudonymise.ingest").decision(AuditEvent.OK)
          .resource(Zone.PSEUDONYMISED.dir() + "." + r.source()).rows(m.loaded()).tableVersion(r.tableVersion())
          .detail("run_id", r.runId()).detail("extract_month", m.month()).detail("rows_in", m.rowsIn())
          .detail("loaded", m.loaded()).detail("quarantined", m.quarantined()).detail("inserted", m.inserted())
          .detail("key_id", r.keyId()).detail("spec_hash", r.specHash())
          .detail("quarantine_version", r.quarantineVersion()).detail("idw_version", IdwVersion.get()).build());
    }
    laps.lap("record");
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (Exception e) {
      throw io.idw.core.CoreErrors.specUnreadable(file.toString(), e);
    }
  }

  @Override
  public String toString() {
    return "Ingest(input=" + input + ", " + keys + ")";
  }
}
