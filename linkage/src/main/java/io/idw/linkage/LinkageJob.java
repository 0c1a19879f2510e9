package io.idw.linkage;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.idw.core.DeltaIO;
import io.idw.core.IdwMappers;
import io.idw.core.IdwVersion;
import io.idw.core.PersonMoves;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.WriteResult;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import io.idw.linkage.internal.BlockKeys;
import io.idw.linkage.internal.BloomKeys;
import io.idw.linkage.internal.ChangedRows;
import io.idw.linkage.internal.PhaseClock;
import io.idw.linkage.internal.PseudonymGroups;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The linkage job: reads every pseudonymised table, links deterministically on verified NHS
 * pseudonyms and probabilistically (Fellegi-Sunter on encodings) for the rest, clusters into a
 * person spine with stable ids, and writes the linked zone:
 * <ul>
 *   <li>{@code linked.person_spine}: person_id, first_seen_month, last_seen_month, n_records,
 *       status ({@code active} or {@code merged}), merged_into, link_run;</li>
 *   <li>{@code linked.record_links}: source, record_id, person_id, method ({@code deterministic},
 *       {@code probabilistic}, {@code singleton}), match_weight, match_probability, link_run;</li>
 *   <li>{@code linked.<source>}: the pseudonymised rows with person_id;</li>
 *   <li>{@code linked.spine_events} (merges and splits), {@code linked.link_conflicts} (records
 *       whose DOB or sex token contradicts their pseudonym's), {@code linked.linkage_runs} (model
 *       JSON, training report, provenance);</li>
 *   <li>{@code linked.pseudonym_groups}: per valid NHS pseudonym its (DOB token, sex token) counts,
 *       modes, verified count and hub ({@link DeterministicLinker.Result#groups()}), so a refresh
 *       verifies new records without reading their groups.</li>
 * </ul>
 * Incremental: records already linked keep their person (as an anchor node); only pairs with a new
 * record are scored. A monthly refresh (record_links exist, not {@code rebuild} or {@code retrain})
 * works on the work set only: the new records, the records they can form a scored pair with (found
 * in a narrow scan through Bloom filters), and what stands for their NHS pseudonyms' groups
 * (verified from {@code pseudonym_groups}' counts); it writes the same tables as linking the whole history with anchors would (see
 * {@code IncrementalRefreshTest}). The first run, {@code rebuild} and a linked zone that no longer
 * matches the records (after a provider withdrawal, or a run for an earlier month) take the full path. Idempotent: only new or changed rows are merged (Delta MERGE), so re-running a
 * month commits nothing. Crash-safe: every write is keyed (MERGE) and {@code record_links} is
 * written last, after the activity tables, spine events, spine and run row; the run id is derived
 * from the inputs and record_links' version; so a run killed at any point leaves tables that its
 * re-run brings to exactly what an uninterrupted run writes. {@code rebuild} re-scores every pair and re-derives every cluster, keeping
 * ids by overlap (splits are recorded).
 */
public final class LinkageJob {
  public static final List<String> OUTPUT_TABLES = List.of("person_spine", "record_links", "spine_events",
      "link_conflicts", "linkage_runs", PseudonymGroups.TABLE);

  private final Warehouse warehouse;
  private final String month;
  private final LinkageSettings settings;
  private final boolean rebuild;
  private final boolean retrain;
  private final String failAfter;
  private final boolean fullRefresh;

  private LinkageJob(Builder b) {
    this.warehouse = b.warehouse;
    this.month = b.month;
    this.settings = b.settings == null ? KidSettings.defaults() : b.settings;
    this.rebuild = b.rebuild;
    this.retrain = b.retrain;
    this.failAfter = b.failAfter;
    this.fullRefresh = b.fullRefresh;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for the job. */
  public static final class Builder {
    private Warehouse warehouse;
    private String month;
    private LinkageSettings settings;
    private boolean rebuild;
    private boolean retrain;
    private String failAfter;
    private boolean fullRefresh;

    public Builder warehouse(Warehouse w) { this.warehouse = w; return this; }
    /** Link records of extract months up to and including this one (YYYY-MM); null for all. */
    public Builder month(String m) { this.month = m; return this; }
    public Builder settings(LinkageSettings s) { this.settings = s; return this; }
    public Builder rebuild(boolean v) { this.rebuild = v; return this; }
    public Builder retrain(boolean v) { this.retrain = v; return this; }
    /** Tests only: stop as a crash would, right after writing this linked table. */
    Builder failAfterWriting(String table) { this.failAfter = table; return this; }
    /** Tests only: a monthly refresh takes the full-history path rather than the incremental one. */
    Builder fullRefresh(boolean v) { this.fullRefresh = v; return this; }

    public LinkageJob build() {
      if (warehouse == null) {
        throw new IllegalArgumentException("warehouse is required");
      }
      if (month != null && !month.matches("\\d{4}-(0[1-9]|1[0-2])")) {
        throw io.idw.core.CoreErrors.specInvalid("--month", "month", "'" + month + "' is not YYYY-MM", "use e.g. 2024-03");
      }
      return new LinkageJob(this);
    }
  }

  /** What a run did. */
  public record Result(
      @JsonProperty("link_run") String linkRun,
      @JsonProperty("records") long records,
      @JsonProperty("new_records") long newRecords,
      @JsonProperty("deterministic_edges") long deterministicEdges,
      @JsonProperty("conflicts") long conflicts,
      @JsonProperty("blocking") List<Linker.BlockingCount> blocking,
      @JsonProperty("accepted_probabilistic_links") long acceptedLinks,
      @JsonProperty("people") long people,
      @JsonProperty("merges") long merges,
      @JsonProperty("splits") long splits,
      @JsonProperty("oversized_clusters_found") long oversizedFound,
      @JsonProperty("oversized_clusters_left") long oversizedLeft,
      @JsonProperty("rows_written") Map<String, Long> rowsWritten,
      @JsonProperty("tables_read") Map<String, Long> tablesRead,
      @JsonProperty("changed") boolean changed,
      @JsonProperty("seconds") Map<String, Double> seconds,
      @JsonProperty("work_set_records") long workSetRecords,
      // records the refresh read wide and scored (FULL_PATH on the full path)
      @JsonProperty("scored_records") long scoredRecords) {}

  /** {@link Result#workSetRecords} of a run that took the full-history path. */
  public static final long FULL_PATH = -1;

  /** The pseudonymised tables that follow the record contract. */
  public static List<TableRef> sourceTables(SparkSession spark, Warehouse w) {
    List<TableRef> out = new ArrayList<>();
    for (TableRef t : w.tables(Zone.PSEUDONYMISED)) {
      Set<String> cols = Set.of(DeltaIO.read(spark, t).columns());
      if (cols.contains(LinkColumns.RECORD_ID) && cols.contains(LinkColumns.SOURCE) && cols.contains("enc_key_id")) {
        out.add(t);
      }
    }
    return out;
  }

  public Result run(SparkSession spark) {
    LinkageFunctions.register(spark);
    PhaseClock clock = new PhaseClock();
    String key = LinkColumns.RECORD_KEY;
    List<TableRef> sources = sourceTables(spark, warehouse);
    if (sources.isEmpty()) {
      throw LinkageErrors.noInput("the pseudonymised zone of " + warehouse.root() + " has no record tables");
    }
    Map<String, Long> versions = new LinkedHashMap<>();
    Dataset<Row> recs = null;
    for (TableRef t : sources) {
      long v = DeltaIO.latestVersion(spark, t);
      versions.put(t.qualifiedName(), v);
      Dataset<Row> d = selectRecordColumns(DeltaIO.read(spark, t, v));
      recs = recs == null ? d : recs.unionByName(d);
    }
    if (month != null) {
      recs = recs.where(col(LinkColumns.EXTRACT_MONTH).leq(month));
    }
    recs = recs.dropDuplicates(key);
    TableRef linksRef = warehouse.table(Zone.LINKED, "record_links");
    TableRef spineRef = warehouse.table(Zone.LINKED, "person_spine");
    boolean hasPrev = DeltaIO.exists(spark, linksRef);
    if (hasPrev) {
      // a warehouse linked before deletion vectors: its record tables take them now, before the run
      // id is taken (it covers record_links' version), so a re-run after a crash shares it
      for (String name : linkedRecordTables(sources)) {
        TableRef t = warehouse.table(Zone.LINKED, name);
        if (DeltaIO.exists(spark, t)) {
          DeltaIO.enableDeletionVectors(spark, t);
        }
      }
    }
    // record_links is written last: it is the commit point, and the run id is a function of the
    // inputs and of it, so a run interrupted at any point and its re-run share one id
    long linksVersion = hasPrev ? DeltaIO.latestVersion(spark, linksRef) : -1;
    String linkRun = linkRunId(versions, linksVersion);
    if (hasPrev && !rebuild && !retrain && !fullRefresh) {
      LinkageSettings known = settings.isTrained() ? settings : lastModel(spark, linkRun);
      if (known != null && refreshKeys(known) != null) {
        Result r = refresh(spark, sources, versions, linkRun, linksVersion, known, clock, false);
        if (r != null) {
          return r;
        }
      }
    }
    Dataset<Row> prev = hasPrev
        ? DeltaIO.read(spark, linksRef).select(concat(col(LinkColumns.SOURCE), lit("/"), col(LinkColumns.RECORD_ID)).as(key),
            col(LinkColumns.PERSON_ID), col(LinkColumns.METHOD), col(LinkColumns.MATCH_WEIGHT),
            col(LinkColumns.MATCH_PROBABILITY))
        : spark.emptyDataFrame().select(lit(null).cast("string").as(key), lit(null).cast("string").as(LinkColumns.PERSON_ID),
            lit(null).cast("string").as(LinkColumns.METHOD), lit(null).cast("double").as(LinkColumns.MATCH_WEIGHT),
            lit(null).cast("double").as(LinkColumns.MATCH_PROBABILITY));
    prev = prev.localCheckpoint();
    recs = recs.join(prev.select(col(key), col(LinkColumns.PERSON_ID).as("prev_person")), key, "left")
        .withColumn("is_new", col("prev_person").isNull()).localCheckpoint();
    long n = recs.count();
    long newRecords = recs.where(col("is_new")).count();
    if (newRecords == 0 && !rebuild) {
      audit(spark, "linkage.run", AuditEvent.OK, n, "no new records: nothing changed");
      return new Result(linkRun, n, 0, 0, 0, List.of(), 0, 0, 0, 0, 0, 0, Map.of(), versions, false, clock.seconds(), 0, 0);
    }

    clock.lap("read");
    // deterministic
    DeterministicLinker.Result det = DeterministicLinker.link(recs);
    Dataset<Row> detEdges = det.edges().localCheckpoint();
    Dataset<Row> conflicts = det.conflicts().localCheckpoint();
    recs = recs.join(det.resolved(), key).withColumn("unresolved", org.apache.spark.sql.functions.not(col("resolved")))
        .localCheckpoint();

    // records a verified pseudonym already joins that carry the same encodings score the same in every
    // pair: compare one representative per (pseudonym, encodings) profile, not every such record
    Dataset<Row> linkRecs = profiles(recs, settings).localCheckpoint();

    clock.lap("deterministic");
    // model: the settings if trained, else the last run's model, else train now
    Training training = null;
    LinkageSettings model = settings.isTrained() && !retrain ? settings : (retrain ? null : lastModel(spark, linkRun));
    if (model == null) {
      training = Linker.of(spark, settings).train(linkRecs);
      model = training.model();
    }
    clock.lap("train");
    Scored scored = score(spark, model, linkRecs, rebuild
        ? new Linker.PairRestriction("(unresolved_l OR unresolved_r)", List.of("unresolved"))
        : NEW_PAIRS);
    Dataset<Row> accepted = scored.accepted();
    double threshold = model.threshold();

    clock.lap("predict");
    // graph: each verified pseudonym group is contracted to one node named by its hub (the group's
    // least record key), so its deterministic edges vanish and only accepted pairs and (incremental)
    // anchors of old records to their person remain; a group is one unit for the guard either way,
    // and a component's least node is its least record, so the clusters equal the full graph's
    Dataset<Row> nodeOf = recs.select(col(key)).join(detEdges.select(col(Clustering.SRC).as(key), col(Clustering.DST).as(NODE)),
            key, "left")
        .select(col(key), coalesce(col(NODE), col(key)).as(NODE)).localCheckpoint();
    Dataset<Row> edges = contract(probEdges(accepted), nodeOf);
    if (!rebuild) {
      Dataset<Row> anchors = recs.where(col("prev_person").isNotNull()).join(nodeOf, key)
          .select(col(NODE).as(Clustering.SRC), concat(lit("~"), col("prev_person")).as(Clustering.DST),
              lit(1.0).as(Clustering.PROBABILITY), lit(true).as(Clustering.FIXED)).distinct();
      edges = edges.unionByName(anchors);
    }
    Clustering.Result cr = Clustering.cluster(nodeOf.select(col(NODE).as(Clustering.ID)).distinct(), edges, threshold,
        model.maxClusterSize());
    Dataset<Row> recordClusters = nodeOf.join(cr.clusters().select(col(Clustering.ID).as(NODE), col(LinkColumns.CLUSTER_ID)), NODE)
        .select(col(key), col(LinkColumns.CLUSTER_ID)).localCheckpoint();
    clock.lap("cluster");
    Dataset<Row> recordSizes = recordClusters.groupBy(LinkColumns.CLUSTER_ID).agg(count(lit(1)).as("rsize"));
    // the largest id issued by committed runs: ids on record_links, and merged ids (only on the
    // spine); active spine rows of an interrupted run do not count, so its re-run issues the same ids
    long maxExisting = Math.max(PersonSpine.maxIdNumber(prev.select(LinkColumns.PERSON_ID)),
        DeltaIO.exists(spark, spineRef) ? PersonSpine.maxIdNumber(DeltaIO.read(spark, spineRef)
            .where(col(LinkColumns.STATUS).equalTo("merged"))) : 0);
    PersonSpine.Assignment asg = PersonSpine.assign(recordClusters, prev.select(key, LinkColumns.PERSON_ID), maxExisting);
    Dataset<Row> events = asg.events().localCheckpoint();

    // method per record
    Dataset<Row> detKeys = detKeys(detEdges);
    Dataset<Row> probBest = probBest(accepted);
    Dataset<Row> links = recs.select(col(key), col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID), col("prev_person"))
        .join(asg.records(), key)
        .join(recordClusters, key).join(recordSizes, LinkColumns.CLUSTER_ID)
        .join(detKeys, key, "left").join(probBest, key, "left")
        .join(prev.select(col(key), col(LinkColumns.METHOD).as("prev_method"), col(LinkColumns.MATCH_WEIGHT).as("prev_w"),
            col(LinkColumns.MATCH_PROBABILITY).as("prev_p")), key, "left");
    Dataset<Row> linkRows = links.select(linkRowColumns(linkRun, rebuild)).localCheckpoint();

    // spine
    Dataset<Row> months = recs.select(col(key), col(LinkColumns.EXTRACT_MONTH));
    Dataset<Row> active = asg.records().join(months, key).groupBy(LinkColumns.PERSON_ID)
        .agg(min(LinkColumns.EXTRACT_MONTH).as(LinkColumns.FIRST_SEEN_MONTH),
            max(LinkColumns.EXTRACT_MONTH).as(LinkColumns.LAST_SEEN_MONTH), count(lit(1)).as(LinkColumns.N_RECORDS));
    Dataset<Row> prevSpine = DeltaIO.exists(spark, spineRef) ? DeltaIO.read(spark, spineRef) : null;
    Dataset<Row> spineRows = spineRows(active, events, prevSpine, linkRun);

    clock.lap("spine");
    // writes, each keyed and idempotent (only new or changed rows are merged), record_links last: a
    // crash at any point leaves record_links as the previous run left it, so the re-run sees the same
    // new records, recomputes the same rows and ids, and re-merging what was already written
    // changes nothing
    Map<String, Long> written = new LinkedHashMap<>();
    List<String> linkCompare = List.of(LinkColumns.SOURCE, LinkColumns.RECORD_ID, LinkColumns.PERSON_ID, LinkColumns.METHOD,
        LinkColumns.MATCH_WEIGHT, LinkColumns.MATCH_PROBABILITY);
    Dataset<Row> changedLinks = hasPrev ? linkRows.join(DeltaIO.read(spark, linksRef).select(linkCompare.stream()
        .map(c -> col(c).as("__e_" + c)).toArray(Column[]::new)), sameAs(linkRows, linkCompare), "left_anti").localCheckpoint()
        : linkRows;
    long conflictCount = writeConflicts(conflicts, written);
    writeGroups(PseudonymGroups.replace(det.groups(), warehouse.table(Zone.LINKED, PseudonymGroups.TABLE)), written);

    // activity tables: the rows whose person changed or are new, compared with record_links as the
    // last run left it; the moves a refresh left pending are written into the tables first, so they
    // hold that state (after a crash in between, the re-run finds the moves written and none pending)
    if (hasPrev) {
      PersonMoves.materialise(spark, warehouse);
    }
    Dataset<Row> changedKeys = changedLinks.select(col(LinkColumns.SOURCE).as("__s"), col(LinkColumns.RECORD_ID).as("__r"),
        col(LinkColumns.PERSON_ID).as("__p"));
    // one action finds the sources with changes, so unchanged sources cost no Spark job
    Set<String> changedSources = new java.util.HashSet<>();
    Set<String> allSources = new java.util.HashSet<>();
    changedLinks.select(LinkColumns.SOURCE).distinct().collectAsList().forEach(r -> changedSources.add(r.getString(0)));
    linkRows.select(LinkColumns.SOURCE).distinct().collectAsList().forEach(r -> allSources.add(r.getString(0)));
    for (TableRef t : sources) {
      Dataset<Row> rows = DeltaIO.read(spark, t, versions.get(t.qualifiedName()));
      if (month != null) {
        rows = rows.where(col(LinkColumns.EXTRACT_MONTH).leq(month));
      }
      Dataset<Row> withPerson = rows.join(changedKeys, rows.col(LinkColumns.SOURCE).equalTo(col("__s"))
              .and(rows.col(LinkColumns.RECORD_ID).equalTo(col("__r"))))
          .withColumn(LinkColumns.PERSON_ID, col("__p")).drop("__s", "__r", "__p").dropDuplicates(LinkColumns.RECORD_ID);
      // tables are named after their source; a table named otherwise is checked by a query
      boolean changed = allSources.contains(t.name()) ? changedSources.contains(t.name()) : !withPerson.isEmpty();
      if (changed) {
        WriteResult aw = upsertLinked(spark, withPerson, warehouse.table(Zone.LINKED, t.name()), List.of(LinkColumns.RECORD_ID), null);
        written.put(t.name(), aw.rowsInserted() + aw.rowsUpdated());
        crashPoint(t.name());
      }
    }
    clock.lap("write_activity");
    long[] ms = writeEventsAndSpine(events, spineRows, linkRun, written);
    long people = asg.records().select(LinkColumns.PERSON_ID).distinct().count();
    long detCount = detEdges.count();
    written.put("record_links", changedLinks.count());
    clock.lap("write_spine");
    Result result = new Result(linkRun, n, newRecords, detCount, conflictCount, scored.blocking(), scored.acceptedCount(), people,
        ms[0], ms[1], cr.oversizedFound(), cr.oversizedLeft(), written, versions, true, clock.seconds(), FULL_PATH,
        FULL_PATH);
    commit(spark, linkRun, model, training, result, hasPrev ? null : linkRows, changedLinks);
    return result;
  }

  /**
   * The linked zone's per-record tables (record_links and one activity table per source). They are
   * created with deletion vectors, so a refresh's in-place updates (a moved record's person_id, a
   * changed record_links row) write the changed rows rather than every file holding one; erasure
   * purges them ({@link DeltaIO#purgeDeletionVectors}).
   */
  static final Map<String, String> LINKED_RECORD_PROPERTIES = Map.of(DeltaIO.DELETION_VECTORS, "true");

  private static List<String> linkedRecordTables(List<TableRef> sources) {
    List<String> out = new ArrayList<>();
    out.add("record_links");
    sources.forEach(t -> out.add(t.name()));
    return out;
  }

  /** Upserts rows into a linked per-record table by key, creating it (with deletion vectors) when absent. */
  private static WriteResult upsertLinked(SparkSession spark, Dataset<Row> rows, TableRef target, List<String> keys,
      Column targetFilter) {
    if (!DeltaIO.exists(spark, target)) {
      return DeltaIO.createAs(rows, target, LINKED_RECORD_PROPERTIES);
    }
    return DeltaIO.merge(rows, target, keys, DeltaIO.MergeMode.UPSERT, targetFilter);
  }

  /** Upserts the changed conflict rows (the first write of a run); returns this run's conflict count. */
  private long writeConflicts(Dataset<Row> conflicts, Map<String, Long> written) {
    WriteResult cw = ChangedRows.upsert(conflicts, warehouse.table(Zone.LINKED, "link_conflicts"),
        List.of(LinkColumns.RECORD_KEY, DeterministicLinker.CONFLICT),
        List.of(LinkColumns.RECORD_KEY, DeterministicLinker.CONFLICT, LinkColumns.NHS_PSEUDONYM));
    written.put("link_conflicts", cw == null ? 0 : cw.rowsInserted() + cw.rowsUpdated());
    crashPoint("link_conflicts");
    long conflictCount = conflicts.count();
    return conflictCount;
  }

  /** Records the write of pseudonym_groups (before the activity tables and record_links). */
  private void writeGroups(WriteResult w, Map<String, Long> written) {
    written.put(PseudonymGroups.TABLE, w == null ? 0 : w.rowsInserted() + w.rowsUpdated());
    crashPoint(PseudonymGroups.TABLE);
  }

  /**
   * Writes this run's merge and split events and the spine rows that changed (person_spine after
   * spine_events); returns the counts of merges and splits.
   */
  private long[] writeEventsAndSpine(Dataset<Row> events, Dataset<Row> spineRows, String linkRun, Map<String, Long> written) {
    // merges and splits in one job, not one count each
    Row eventCounts = events.agg(
        functions.count(functions.when(col(PersonSpine.EVENT).equalTo(PersonSpine.MERGE), 1)),
        functions.count(functions.when(col(PersonSpine.EVENT).equalTo(PersonSpine.SPLIT), 1))).first();
    long merges = eventCounts.getLong(0);
    long splits = eventCounts.getLong(1);
    if (merges + splits > 0) {
      List<String> eventKey = List.of(PersonSpine.EVENT, PersonSpine.FROM_PERSON_ID, LinkColumns.PERSON_ID,
          LinkColumns.LINK_RUN);
      List<String> eventCompare = new ArrayList<>(eventKey);
      eventCompare.add(LinkColumns.N_RECORDS);
      WriteResult ew = ChangedRows.upsert(events.withColumn(LinkColumns.LINK_RUN, lit(linkRun)),
          warehouse.table(Zone.LINKED, "spine_events"), eventKey, eventCompare);
      written.put("spine_events", ew == null ? 0 : ew.rowsInserted() + ew.rowsUpdated());
      crashPoint("spine_events");
    }
    WriteResult sw = ChangedRows.upsert(spineRows, warehouse.table(Zone.LINKED, "person_spine"), List.of(LinkColumns.PERSON_ID),
        List.of(LinkColumns.PERSON_ID, LinkColumns.FIRST_SEEN_MONTH, LinkColumns.LAST_SEEN_MONTH, LinkColumns.N_RECORDS,
            LinkColumns.STATUS, LinkColumns.MERGED_INTO));
    written.put("person_spine", sw == null ? 0 : sw.rowsInserted() + sw.rowsUpdated());
    crashPoint("person_spine");
    return new long[] {merges, splits};
  }

  /**
   * The commit: the run row, then record_links (all rows on the first run, else the changed rows),
   * then the audit record.
   */
  private void commit(SparkSession spark, String linkRun, LinkageSettings model, Training training, Result result,
      Dataset<Row> firstRows, Dataset<Row> changedLinks) {
    TableRef linksRef = warehouse.table(Zone.LINKED, "record_links");
    writeRun(spark, linkRun, model, training, result);
    crashPoint("linkage_runs");
    if (firstRows != null) {
      DeltaIO.createAs(firstRows, linksRef, LINKED_RECORD_PROPERTIES);
    } else if (!changedLinks.isEmpty()) {
      DeltaIO.merge(changedLinks, linksRef, List.of(LinkColumns.SOURCE, LinkColumns.RECORD_ID), DeltaIO.MergeMode.UPSERT);
    }
    audit(spark, "linkage.run", AuditEvent.OK, result.records(), "linked " + result.records() + " records into "
        + result.people() + " people");
  }

  /**
   * The record_links columns from a frame with {@code source, record_id, person_id}, {@code rsize}
   * (records in the record's cluster), {@code det} (non-null when deterministically linked), {@code
   * p_best, w_best} (best accepted pair, null if none) and {@code prev_method, prev_w, prev_p} (the
   * previous run's row, null if none).
   */
  private static Column[] linkRowColumns(String linkRun, boolean rebuild) {
    Column keepPrev = col("prev_method").isNotNull().and(col("prev_method").notEqual(LinkColumns.SINGLETON))
        .and(col("det").isNull()).and(col("p_best").isNull()).and(lit(!rebuild));
    Column method = when(col("rsize").equalTo(1), lit(LinkColumns.SINGLETON))
        .when(col("det").isNotNull(), lit(LinkColumns.DETERMINISTIC))
        .when(col("p_best").isNotNull(), lit(LinkColumns.PROBABILISTIC))
        .when(keepPrev, col("prev_method"))
        .otherwise(lit(LinkColumns.PROBABILISTIC));
    Column weight = when(col("det").isNotNull().or(col("rsize").equalTo(1)), lit(null).cast("double"))
        .when(col("p_best").isNotNull(), col("w_best")).otherwise(col("prev_w"));
    Column prob = when(col("rsize").equalTo(1), lit(null).cast("double"))
        .when(col("det").isNotNull(), lit(1.0)).when(col("p_best").isNotNull(), col("p_best")).otherwise(col("prev_p"));
    return new Column[] {col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID), col(LinkColumns.PERSON_ID),
        method.as(LinkColumns.METHOD), weight.as(LinkColumns.MATCH_WEIGHT), prob.as(LinkColumns.MATCH_PROBABILITY),
        lit(linkRun).as(LinkColumns.LINK_RUN)};
  }

  /**
   * The spine rows to upsert: {@code active} persons ({@code person_id, first_seen_month,
   * last_seen_month, n_records}) and the ids merged away by {@code events} (status merged, their
   * months from the previous spine), each with the run id.
   */
  private static Dataset<Row> spineRows(Dataset<Row> active, Dataset<Row> events, Dataset<Row> prevSpine, String linkRun) {
    active = active.withColumn(LinkColumns.STATUS, lit("active")).withColumn(LinkColumns.MERGED_INTO, lit(null).cast("string"));
    Dataset<Row> merged = events.where(col(PersonSpine.EVENT).equalTo(PersonSpine.MERGE))
        .groupBy(PersonSpine.FROM_PERSON_ID).agg(min(LinkColumns.PERSON_ID).as(LinkColumns.MERGED_INTO))
        .join(active.select(col(LinkColumns.PERSON_ID).as("a")), col(PersonSpine.FROM_PERSON_ID).equalTo(col("a")), "left_anti");
    Dataset<Row> mergedRows = merged.select(col(PersonSpine.FROM_PERSON_ID).as(LinkColumns.PERSON_ID),
        lit(null).cast("string").as(LinkColumns.FIRST_SEEN_MONTH), lit(null).cast("string").as(LinkColumns.LAST_SEEN_MONTH),
        lit(0L).as(LinkColumns.N_RECORDS), lit("merged").as(LinkColumns.STATUS), col(LinkColumns.MERGED_INTO));
    if (prevSpine != null) {
      Dataset<Row> ps = prevSpine.select(col(LinkColumns.PERSON_ID).as("pp"), col(LinkColumns.FIRST_SEEN_MONTH).as("pf"),
          col(LinkColumns.LAST_SEEN_MONTH).as("pl"));
      mergedRows = mergedRows.join(ps, col(LinkColumns.PERSON_ID).equalTo(col("pp")), "left")
          .select(col(LinkColumns.PERSON_ID), col("pf").as(LinkColumns.FIRST_SEEN_MONTH), col("pl").as(LinkColumns.LAST_SEEN_MONTH),
              col(LinkColumns.N_RECORDS), col(LinkColumns.STATUS), col(LinkColumns.MERGED_INTO));
    }
    return active.select(LinkColumns.PERSON_ID, LinkColumns.FIRST_SEEN_MONTH, LinkColumns.LAST_SEEN_MONTH,
            LinkColumns.N_RECORDS, LinkColumns.STATUS, LinkColumns.MERGED_INTO)
        .unionByName(mergedRows).withColumn(LinkColumns.LINK_RUN, lit(linkRun)).localCheckpoint();
  }

  /**
   * Per prediction rule, its cross-side equality keys ({@link BlockKeys#implied}: left columns, then
   * right columns); null when
   * some rule has none, so the work set cannot be found by keys (such settings refresh on the full
   * path).
   */
  static List<List<List<String>>> refreshKeys(LinkageSettings model) {
    List<List<List<String>>> out = new ArrayList<>();
    for (BlockingRule r : model.predictionRules()) {
      BlockKeys k = BlockKeys.implied(r.blockingRule());
      if (k == null) {
        return null;
      }
      out.add(List.of(k.left(), k.right()));
    }
    return out;
  }

  private static final String NODE = "__node";
  private static final List<String> SOURCE_RECORD = List.of(LinkColumns.SOURCE, LinkColumns.RECORD_ID);

  /**
   * The 64-bit block values of each record, one per rule and side: a record {@code x} can form a
   * pair with a record {@code y} under rule k only if one of {@code x}'s probe values equals one of
   * {@code y}'s insert values (for {@code l.a = r.b}: x on the left needs {@code hash(x.a) =
   * hash(y.b)}, x on the right {@code hash(x.b) = hash(y.a)}); null where a key is null.
   */
  private static List<Column> blockValues(List<List<List<String>>> keys, boolean insert) {
    List<Column> out = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      List<String> left = keys.get(k).get(0);
      List<String> right = keys.get(k).get(1);
      if (left.equals(right)) {
        out.add(keyHash("k" + k, left));
      } else {
        out.add(keyHash("k" + k + "r", insert ? right : left));
        out.add(keyHash("k" + k + "l", insert ? left : right));
      }
    }
    return out;
  }

  private static Column keyHash(String tag, List<String> cols) {
    Column notNull = lit(true);
    List<Column> parts = new ArrayList<>();
    parts.add(lit(tag));
    for (String c : cols) {
      notNull = notNull.and(col(c).isNotNull());
      parts.add(col(c));
    }
    return when(notNull, functions.xxhash64(parts.toArray(Column[]::new)));
  }

  /** The narrow columns the refresh reads of every record: ids, month, pseudonym, its checks, and the block keys. */
  private static Dataset<Row> thinColumns(Dataset<Row> d, List<List<List<String>>> keys) {
    Set<String> present = Set.of(d.columns());
    List<Column> cols = new ArrayList<>();
    cols.add(concat(col(LinkColumns.SOURCE), lit("/"), col(LinkColumns.RECORD_ID)).as(LinkColumns.RECORD_KEY));
    Set<String> names = new java.util.LinkedHashSet<>(List.of(LinkColumns.SOURCE, LinkColumns.RECORD_ID,
        LinkColumns.EXTRACT_MONTH, LinkColumns.NHS_PSEUDONYM, LinkColumns.NHS_STATUS, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX));
    keys.forEach(k -> k.forEach(names::addAll));
    for (String c : names) {
      cols.add(present.contains(c) ? col(c).cast("string").as(c) : lit(null).cast("string").as(c));
    }
    return d.select(cols.toArray(Column[]::new));
  }

  /** The name of the narrow scan's observed counts. */
  private static final String THIN_COUNTS = "idw_thin_counts";

  /** Records up to the month, those with a valid pseudonym, and their sources. */
  private static final class ThinCounts {
    final long n;
    final long valid;
    final Set<String> sources = new java.util.HashSet<>();

    /** From the narrow scan's observed metrics ({@code n, v, s}). */
    ThinCounts(Row observed) {
      n = observed.getLong(0);
      valid = observed.getLong(1);
      sources.addAll(observed.<String>getList(2));
    }

    /** Counted by a job of their own. */
    ThinCounts(Dataset<Row> thin) {
      long all = 0;
      long v = 0;
      for (Row r : thin.groupBy(LinkColumns.SOURCE).agg(count(lit(1)), count(when(validPseudonym(), 1))).collectAsList()) {
        sources.add(r.getString(0));
        all += r.getLong(1);
        v += r.getLong(2);
      }
      n = all;
      valid = v;
    }
  }

  /** The pseudonym groups derived again from the linked records' thin rows (the new records left out). */
  private static void rebuildGroups(Dataset<Row> thin, Dataset<Row> fresh, Column keyHash, long newRecords, TableRef groupsRef) {
    Column maybeNew = BloomKeys.mightContainAny(BloomKeys.of(fresh, keyHash, newRecords), List.of(keyHash));
    Dataset<Row> validThin = thin.where(validPseudonym());
    Dataset<Row> old = validThin.where(functions.not(maybeNew))
        .unionByName(validThin.where(maybeNew).join(fresh.select(LinkColumns.RECORD_KEY), LinkColumns.RECORD_KEY, "left_anti"));
    PseudonymGroups.replace(DeterministicLinker.link(old).groups(), groupsRef);
  }

  private static final List<String> WORK_COLUMNS = List.of(LinkColumns.RECORD_KEY, LinkColumns.SOURCE, LinkColumns.RECORD_ID,
      LinkColumns.EXTRACT_MONTH, LinkColumns.NHS_PSEUDONYM, LinkColumns.NHS_STATUS, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX);

  private static Column validPseudonym() {
    return col(LinkColumns.NHS_STATUS).equalTo("valid").and(col(LinkColumns.NHS_PSEUDONYM).isNotNull());
  }

  /**
   * The incremental monthly refresh: the same tables as the full-history refresh, computed from the
   * work set only. Returns null (the caller then takes the full path) when the linked zone does not
   * match the records (record_links rows for records no longer read, or a spine whose record counts
   * do not add up to record_links), as after a provider withdrawal or a run for an earlier month.
   *
   * <p>The work set: the new records (in no record_links row; with a month, looked for among that
   * month's records, and when records up to the month do not add up to the new ones plus record_links,
   * some other record is unlinked and the full path runs). No group of an NHS pseudonym is read to
   * verify a new record: {@code pseudonym_groups} holds each group's token counts, so its modes and
   * verified count with the new records are computed from the counts, and every record's status
   * (resolved: its tokens agree with its group's modes in a group of two or more verified records)
   * is known exactly from its group's row. An old record's status changes only when its group's
   * modes change, or its group had one verified record and now has more; those groups are read whole
   * and verified again. Otherwise the old verified records of a group are one person already (their
   * edges were fixed), so the group's hub (least verified record) stands for them, and a star over
   * the new verified records and the hub joins the group as the full path's star does. Beside these,
   * the work set holds the records that may be unresolved sharing a block value with a new record
   * (on either side of a rule) and every record sharing one with an unresolved new record, found in
   * one narrow scan through Bloom filters (false positives only add records): so every pair the full
   * path scores (one side new, one unresolved) is among them, and every (pseudonym, inputs) profile
   * in such a pair holds its new records (identical inputs give identical block values). Scored are
   * the new records, the unresolved ones and those sharing a block value with an unresolved new
   * record. Old records outside the work set keep their method, weight and probability; only the
   * rows of persons whose id changes are rewritten. Conflicts are written for the new records and the
   * groups verified again (any other old record's conflict was recorded when it arose).
   *
   * <p>Clustering runs on a contracted graph: each old record is the node of its previous person
   * ({@code ~person_id}), weighted by the person's record count, so the oversized-cluster guard (it
   * counts units, and a previous person is one unit) and the spine's "most records" rule see what
   * the full graph shows them.
   */
  private Result refresh(SparkSession spark, List<TableRef> sources, Map<String, Long> versions, String linkRun,
      long linksVersion, LinkageSettings model, PhaseClock clock, boolean groupsRebuilt) {
    String key = LinkColumns.RECORD_KEY;
    TableRef linksRef = warehouse.table(Zone.LINKED, "record_links");
    TableRef spineRef = warehouse.table(Zone.LINKED, "person_spine");
    List<List<List<String>>> keys = refreshKeys(model);
    scala.collection.immutable.Seq<String> sr = scala.jdk.javaapi.CollectionConverters.asScala(SOURCE_RECORD).toSeq();
    // each table's version read once (one snapshot), then projected as each step needs
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (TableRef t : sources) {
      tables.put(t.qualifiedName(), DeltaIO.read(spark, t, versions.get(t.qualifiedName())));
    }
    Dataset<Row> thin = null;
    for (TableRef t : sources) {
      Dataset<Row> d = thinColumns(tables.get(t.qualifiedName()), keys);
      thin = thin == null ? d : thin.unionByName(d);
    }
    if (month != null) {
      thin = thin.where(col(LinkColumns.EXTRACT_MONTH).leq(month));
    }
    Dataset<Row> links = DeltaIO.read(spark, linksRef, linksVersion);
    // the new records are looked for among the month's records only (Delta skips the other months'
    // files), and record_links is read through a Bloom filter of their ids, so no step shuffles
    // every record. Exact: n records up to the month = new + linked holds only when every record_links
    // row is a record and every other record is linked (checked below; else the full path runs)
    // with a month its thin rows are read once (they are about one month's records)
    Dataset<Row> candidates = month == null ? thin : thin.where(col(LinkColumns.EXTRACT_MONTH).equalTo(month)).localCheckpoint();
    Dataset<Row> candidateIds = candidates.select(LinkColumns.SOURCE, LinkColumns.RECORD_ID).localCheckpoint();
    Dataset<Row> linkIds = links.select(LinkColumns.SOURCE, LinkColumns.RECORD_ID);
    Dataset<Row> freshIds = candidateIds.join(month == null ? linkIds : BloomKeys.prefilter(linkIds, candidateIds, SOURCE_RECORD),
        sr, "left_anti").localCheckpoint();
    long freshIdCount = freshIds.count();
    Dataset<Row> fresh;
    if (freshIdCount == 0) {
      fresh = thin.limit(0);
    } else if (month == null) {
      fresh = BloomKeys.semiJoin(candidates, freshIds, SOURCE_RECORD).dropDuplicates(key).localCheckpoint();
    } else {
      // one month's records: a record key is there once unless two tables hold it, so the wide
      // rows are shuffled to drop duplicates only when a narrow count finds some (the join keeps
      // one row per id of freshIds, duplicates included)
      fresh = candidates.join(freshIdCount <= MAX_BROADCAST_KEYS ? functions.broadcast(freshIds) : freshIds, sr, "left_semi")
          .localCheckpoint();
      if (fresh.select(key).distinct().count() != freshIdCount) {
        fresh = fresh.dropDuplicates(key).localCheckpoint();
      }
    }
    long newRecords = fresh.count();
    long linked = links.count();
    if (newRecords == 0) {
      long n = new ThinCounts(thin).n;
      if (n == linked) {
        audit(spark, "linkage.run", AuditEvent.OK, n, "no new records: nothing changed");
        return new Result(linkRun, n, 0, 0, 0, List.of(), 0, 0, 0, 0, 0, 0, Map.of(), versions, false, clock.seconds(), 0, 0);
      }
      return null;
    }
    if (!DeltaIO.exists(spark, spineRef)) {
      return null;
    }
    Dataset<Row> prevSpine = DeltaIO.read(spark, spineRef);
    Row spineSum = prevSpine.where(col(LinkColumns.STATUS).equalTo("active"))
        .agg(functions.sum(LinkColumns.N_RECORDS), count(lit(1)),
            functions.count(when(col(LinkColumns.LINK_RUN).equalTo(linkRun), 1))).first();
    // the spine adds up to record_links, unless this run wrote it before a crash (it then already
    // counts the new records, and re-deriving its rows from it gives the same rows)
    if (spineSum.getLong(2) == 0 && (spineSum.isNullAt(0) || spineSum.getLong(0) != linked)) {
      return null;
    }
    long prevPeople = spineSum.getLong(1);
    clock.lap("read");

    // the pseudonym groups as the last run left them (derived again from the linked records when
    // absent, or when a run that wrote them was interrupted: their counts then do not add up to the
    // linked records with a valid pseudonym, which the narrow scan below counts)
    String pseudonym = LinkColumns.NHS_PSEUDONYM;
    TableRef groupsRef = warehouse.table(Zone.LINKED, PseudonymGroups.TABLE);
    long freshValid = fresh.where(validPseudonym()).count();
    Column keyHash = functions.xxhash64(col(key));
    PseudonymGroups.Counted groups = PseudonymGroups.counted(spark, groupsRef);
    if (groups == null) {
      rebuildGroups(thin, fresh, keyHash, newRecords, groupsRef);
      groupsRebuilt = true;
      groups = PseudonymGroups.counted(spark, groupsRef);
    }
    Dataset<Row> state = groups.rows().localCheckpoint();
    clock.lap("groups");

    // the groups of the new records' valid pseudonyms, their counts merged with the new records'. An
    // old record's status (verified: its tokens agree with its group's modes; resolved: verified in a
    // group of two or more verified records) can change only when its group's modes change, or its
    // group had one verified record and now has more: such groups are verified again whole. Any other
    // old record keeps its status, so the work set need not hold its group
    String modeDob = DeterministicLinker.MODE_DOB;
    String modeSex = DeterministicLinker.MODE_SEX;
    String nVerified = DeterministicLinker.N_VERIFIED;
    String tokens = DeterministicLinker.TOKENS;
    Dataset<Row> freshCombos = fresh.where(validPseudonym()).groupBy(pseudonym, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX)
        .agg(count(lit(1)).as(DeterministicLinker.N));
    Dataset<Row> before = state.join(freshCombos.select(pseudonym).distinct(), pseudonym, "left_semi");
    Dataset<Row> oldCombos = before.select(col(pseudonym), functions.explode(col(tokens)).as("t"))
        .select(col(pseudonym), col("t." + LinkColumns.TOK_DOB).as(LinkColumns.TOK_DOB),
            col("t." + LinkColumns.TOK_SEX).as(LinkColumns.TOK_SEX), col("t." + DeterministicLinker.N).as(DeterministicLinker.N));
    Dataset<Row> affected = DeterministicLinker.summarise(oldCombos.unionByName(freshCombos)
            .groupBy(pseudonym, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX).agg(functions.sum(DeterministicLinker.N).as(DeterministicLinker.N)))
        .join(before.select(col(pseudonym), col(modeDob).as("__od"), col(modeSex).as("__os"), col(nVerified).as("__ov"),
            col(DeterministicLinker.HUB).as("__oh")), pseudonym, "left")
        .withColumn("changed", col("__ov").isNotNull().and(functions.not(col(modeDob).eqNullSafe(col("__od")))
            .or(functions.not(col(modeSex).eqNullSafe(col("__os"))))
            .or(col("__ov").equalTo(1).and(col(nVerified).geq(2)))))
        .localCheckpoint();
    Dataset<Row> groupsNow = state.join(affected.select(pseudonym), pseudonym, "left_anti")
        .select(col(pseudonym), col(tokens), col(modeDob), col(modeSex), col(nVerified), lit(false).as("changed"))
        .unionByName(affected.select(col(pseudonym), col(tokens), col(modeDob), col(modeSex), col(nVerified), col("changed")))
        .localCheckpoint();
    Column agrees = functions.not(DeterministicLinker.disagrees(LinkColumns.TOK_DOB, modeDob))
        .and(functions.not(DeterministicLinker.disagrees(LinkColumns.TOK_SEX, modeSex)));
    Column resolvedNow = validPseudonym().and(coalesce(col(nVerified).geq(2).and(agrees), lit(false)));
    Dataset<Row> unresolvedNew = fresh.join(affected.select(pseudonym, modeDob, modeSex, nVerified), pseudonym, "left")
        .where(functions.not(resolvedNow)).localCheckpoint();
    long unresolvedNewCount = unresolvedNew.count();

    // the work set, in one narrow scan: the new records; the records of the groups verified again;
    // the hub (least verified record) of every other group of a new record's pseudonym with two or
    // more verified records, which stands for the person they are in; the records that may be
    // unresolved sharing a block value with a new record (on either side of a rule); and any record
    // sharing one with an unresolved new record. So every pair the full path scores (one side new,
    // one unresolved) is among them, and every (pseudonym, inputs) profile in such a pair holds its
    // new records (identical inputs give identical block values). A record may be unresolved when
    // its pseudonym is not valid or its (pseudonym, DOB token, sex token) is, by the groups as they
    // are now, unverified or in a group of fewer than two verified records (a Bloom filter of those
    // combinations: false positives only add resolved records)
    List<Column> probe = blockValues(keys, false);
    List<Column> values = new ArrayList<>(blockValues(keys, true));
    values.addAll(probe);
    Dataset<Row> unverified = groupsNow.where(col(nVerified).lt(2).or(functions.size(col(tokens)).gt(1)))
        .select(col(pseudonym), col(modeDob), col(modeSex), col(nVerified), functions.explode(col(tokens)).as("t"))
        .select(col(pseudonym), col(modeDob), col(modeSex), col(nVerified), col("t." + LinkColumns.TOK_DOB).as(LinkColumns.TOK_DOB),
            col("t." + LinkColumns.TOK_SEX).as(LinkColumns.TOK_SEX))
        .where(col(nVerified).lt(2).or(functions.not(agrees)))
        .select(functions.xxhash64(col(pseudonym), col(LinkColumns.TOK_DOB), col(LinkColumns.TOK_SEX)).as("h")).localCheckpoint();
    Dataset<Row> changedGroups = affected.where(col("changed")).select(pseudonym).localCheckpoint();
    Dataset<Row> hubs = affected.where(functions.not(col("changed")).and(col("__ov").geq(2))).select(col("__oh").as(key))
        .localCheckpoint();
    Column pseudonymHash = functions.xxhash64(col(pseudonym));
    // one Bloom-filter call per record tests: 0 new record, 1 group verified again, 2 hub, 3 a block
    // value of a new record, then only for the records that have one: 4 a block value of an
    // unresolved new record (a subset of 3's values), 5 a combination that may be unresolved (used
    // only with 3)
    List<Column> hashes = new ArrayList<>(List.of(keyHash, when(validPseudonym(), pseudonymHash),
        when(validPseudonym(), functions.xxhash64(col(pseudonym), col(LinkColumns.TOK_DOB), col(LinkColumns.TOK_SEX)))));
    hashes.addAll(probe);
    int[] probeAt = java.util.stream.IntStream.range(3, hashes.size()).toArray();
    Column blockValuesOf = functions.explode(functions.array(values.toArray(Column[]::new))).as("v");
    Column flags = BloomKeys.flags(List.of(
            BloomKeys.of(fresh, keyHash, newRecords),
            BloomKeys.of(changedGroups, pseudonymHash, changedGroups.count()),
            BloomKeys.of(hubs, keyHash, hubs.count()),
            BloomKeys.of(fresh.select(blockValuesOf), col("v"), newRecords * values.size()),
            BloomKeys.of(unresolvedNew.select(blockValuesOf), col("v"), unresolvedNewCount * values.size()),
            BloomKeys.of(unverified, col("h"), unverified.count())),
        List.of(new int[] {0}, new int[] {1}, new int[] {0}, probeAt, probeAt, new int[] {2}), new int[] {-1, -1, -1, -1, 3, 3},
        hashes);
    Column f = col("__flags");
    Column[] workCols = Stream.concat(WORK_COLUMNS.stream().map(functions::col),
        Stream.of(BloomKeys.hasFlag(f, 4).as("near_unresolved_new"))).toArray(Column[]::new);
    // the scan also counts the records up to the month, those with a valid pseudonym, and their
    // sources (observed metrics: no job of their own)
    Dataset<Row> scanQuery = thin.observe(THIN_COUNTS, count(lit(1)).as("n"), count(when(validPseudonym(), 1)).as("v"),
            functions.collect_set(col(LinkColumns.SOURCE)).as("s"))
        .withColumn("__flags", flags)
        .where(f.bitwiseAND(1 | 2 | 4 | 16).notEqual(0)
            .or(BloomKeys.hasFlag(f, 3).and(functions.not(validPseudonym()).or(BloomKeys.hasFlag(f, 5)))))
        .select(workCols);
    Dataset<Row> scan = scanQuery.localCheckpoint();
    scala.Option<Row> observed = scanQuery.queryExecution().observedMetrics().get(THIN_COUNTS);
    ThinCounts thinCounts = observed.isDefined() ? new ThinCounts(observed.get()) : new ThinCounts(thin);
    // every record up to the month is new or in record_links, else the full path runs
    if (thinCounts.n != newRecords + linked) {
      return null;
    }
    Set<String> sourceNames = thinCounts.sources;
    if (groups.total() != thinCounts.valid - freshValid) {
      if (groupsRebuilt) {
        return null;
      }
      // groups written by an interrupted run: derived again, and the refresh starts over with them
      rebuildGroups(thin, fresh, keyHash, newRecords, groupsRef);
      return refresh(spark, sources, versions, linkRun, linksVersion, model, clock, true);
    }
    // previous rows: record_links through a Bloom filter of the candidates (the left join drops its
    // false positives); each record's status from its group as it is now (exact)
    Dataset<Row> prev = BloomKeys.prefilter(links, scan, SOURCE_RECORD).select(col(LinkColumns.SOURCE),
        col(LinkColumns.RECORD_ID), col(LinkColumns.PERSON_ID).as("prev_person"), col(LinkColumns.METHOD).as("prev_method"),
        col(LinkColumns.MATCH_WEIGHT).as("prev_w"), col(LinkColumns.MATCH_PROBABILITY).as("prev_p"));
    Dataset<Row> work = scan.join(prev, sr, "left").withColumn("is_new", col("prev_person").isNull())
        .join(groupsNow.select(pseudonym, modeDob, modeSex, nVerified, "changed"), pseudonym, "left")
        .withColumn("resolved", resolvedNow)
        .withColumn("unresolved", functions.not(col("resolved")))
        .withColumn("recheck", coalesce(col("changed"), lit(false)))
        .withColumn("dob_bad", validPseudonym().and(DeterministicLinker.disagrees(LinkColumns.TOK_DOB, modeDob)))
        .withColumn("sex_bad", validPseudonym().and(DeterministicLinker.disagrees(LinkColumns.TOK_SEX, modeSex)))
        .drop(modeDob, modeSex, nVerified, "changed").localCheckpoint();
    // deterministic links: a star per pseudonym over its resolved records here, centred on the least.
    // With the new records, the groups verified again and the hubs this joins every verified record
    // of a group to its person (old verified records of one group are one person: their edges were
    // fixed); stars of other groups join records of one person only
    Dataset<Row> resolvedRecs = work.where(col("resolved")).select(key, pseudonym);
    Dataset<Row> centres = resolvedRecs.groupBy(pseudonym).agg(min(key).as(DeterministicLinker.HUB)).localCheckpoint();
    Dataset<Row> detEdges = resolvedRecs.join(centres, pseudonym).where(col(key).notEqual(col(DeterministicLinker.HUB)))
        .select(col(key).as(Clustering.SRC), col(DeterministicLinker.HUB).as(Clustering.DST)).localCheckpoint();
    // conflicts of the new records and of the groups verified again (an old record of another group
    // keeps its status, and its conflict was recorded when it arose)
    Dataset<Row> checkedRows = work.where(col("is_new").or(col("recheck")))
        .select(col(key), col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID), col(pseudonym), col("dob_bad"), col("sex_bad"));
    Dataset<Row> conflicts = checkedRows.where(col("dob_bad")).select(col(key), col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID),
            col(pseudonym), lit(DeterministicLinker.DOB_MISMATCH).as(DeterministicLinker.CONFLICT))
        .unionByName(checkedRows.where(col("sex_bad")).select(col(key), col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID),
            col(pseudonym), lit(DeterministicLinker.SEX_MISMATCH).as(DeterministicLinker.CONFLICT)))
        .localCheckpoint();
    // the groups' rows as they are now: the hub is the least resolved record of the group here (the
    // old hub, the new records and the groups verified again are all here)
    Dataset<Row> groupRows = affected.join(centres, pseudonym, "left")
        .withColumn(DeterministicLinker.HUB, when(col(nVerified).geq(2), col(DeterministicLinker.HUB)));
    Column wasDeterministic = validPseudonym().and(coalesce(col("prev_method").equalTo(LinkColumns.DETERMINISTIC), lit(false)));
    long workCount = work.count();
    clock.lap("work_set");

    // the encodings of the work set only, then scoring as on the full path
    Dataset<Row> wide = null;
    for (TableRef t : sources) {
      Dataset<Row> d = selectRecordColumns(tables.get(t.qualifiedName()));
      wide = wide == null ? d : wide.unionByName(d);
    }
    if (month != null) {
      wide = wide.where(col(LinkColumns.EXTRACT_MONTH).leq(month));
    }
    // of the block-key hits only these can be in a pair the full path scores (one side new, one
    // unresolved): new records, unresolved records, and resolved records sharing a block value with an
    // unresolved new record. A resolved old record sharing one only with resolved new records pairs
    // with none; where it shared a profile (pseudonym and inputs) with a new record, that profile's
    // representative becomes a new record, which scores the same pairs, is joined to the old one by
    // the group's deterministic edges, and is written deterministic either way
    // materialised once: counted here, then read by the Bloom prefilter (its count and filter) and the join
    Column isScored = col("is_new").or(col("unresolved")).or(col("near_unresolved_new"));
    Dataset<Row> scoredWork = work.where(isScored).localCheckpoint();
    long scoredCount = scoredWork.count();
    Dataset<Row> workRecs = BloomKeys.prefilter(wide, scoredWork, List.of(key))
        .join(scoredWork.select(key, "resolved", "unresolved", "is_new"), key)
        .localCheckpoint(); // profiles reads it twice (unresolved records, resolved representatives): one scan
    Dataset<Row> linkRecs = profiles(workRecs, settings).localCheckpoint();
    Scored scored = score(spark, model, linkRecs, NEW_PAIRS);
    Dataset<Row> accepted = scored.accepted();
    double threshold = model.threshold();
    clock.lap("predict");

    // the contracted graph: a new record is its own node, an old record its previous person's
    Dataset<Row> nodeOf = work.select(col(key), when(col("is_new"), col(key))
        .otherwise(concat(lit("~"), col("prev_person"))).as(NODE)).localCheckpoint();
    Dataset<Row> edges = contract(clusterEdges(detEdges, accepted), nodeOf);
    Clustering.Result cr = Clustering.cluster(nodeOf.select(col(NODE).as(Clustering.ID)).distinct(), edges, threshold,
        model.maxClusterSize());
    // the old work set's persons and their record counts (weights): the previous spine's n_records,
    // which count each person's record_links rows, unless this run wrote spine rows before a crash
    // (they then count new records too, and the counts come from record_links)
    Dataset<Row> persons = work.where(col("prev_person").isNotNull()).select(col("prev_person").as(LinkColumns.PERSON_ID)).distinct()
        .localCheckpoint();
    Dataset<Row> personCounts = spineSum.getLong(2) == 0
        ? prevSpine.where(col(LinkColumns.STATUS).equalTo("active")).join(persons, LinkColumns.PERSON_ID, "left_semi")
            .select(col(LinkColumns.PERSON_ID), col(LinkColumns.N_RECORDS).cast("long").as(PersonSpine.WEIGHT))
        : BloomKeys.semiJoin(links, persons, List.of(LinkColumns.PERSON_ID)).groupBy(LinkColumns.PERSON_ID)
            .agg(count(lit(1)).as(PersonSpine.WEIGHT));
    Dataset<Row> weights = personCounts.select(concat(lit("~"), col(LinkColumns.PERSON_ID)).as(key), col(PersonSpine.WEIGHT));
    Dataset<Row> clusters = cr.clusters().select(col(Clustering.ID).as(key), col(LinkColumns.CLUSTER_ID),
            col(LinkColumns.CLUSTER_SIZE))
        .join(weights, key, "left")
        .withColumn(PersonSpine.WEIGHT, functions.coalesce(col(PersonSpine.WEIGHT), lit(1L))).localCheckpoint();
    // a cluster is touched when it holds a new record or joins nodes; the others are one previous
    // person, unchanged
    Dataset<Row> touched = clusters.where(col(LinkColumns.CLUSTER_SIZE).gt(1).or(functions.not(col(key).startsWith("~"))))
        .drop(LinkColumns.CLUSTER_SIZE).localCheckpoint();
    // an old record's node is its previous person's
    Dataset<Row> previousNodes = persons.select(concat(lit("~"), col(LinkColumns.PERSON_ID)).as(key), col(LinkColumns.PERSON_ID));
    long maxExisting = Math.max(PersonSpine.maxIdNumber(links.select(LinkColumns.PERSON_ID)),
        PersonSpine.maxIdNumber(prevSpine.where(col(LinkColumns.STATUS).equalTo("merged"))));
    // a month's touched clusters are few enough to assign ids on the driver (one job, not one per stage)
    PersonSpine.Assignment asg = touched.count() <= MAX_DRIVER_ASSIGN
        ? PersonSpine.assignOnDriver(touched, previousNodes, maxExisting)
        : PersonSpine.assign(touched, previousNodes, maxExisting);
    Dataset<Row> events = asg.events().localCheckpoint();
    Dataset<Row> assigned = asg.records().localCheckpoint();
    Dataset<Row> rsize = touched.groupBy(LinkColumns.CLUSTER_ID).agg(functions.sum(PersonSpine.WEIGHT).as("rsize"));
    Dataset<Row> touchedNodes = assigned.join(touched.select(key, LinkColumns.CLUSTER_ID), key).join(rsize, LinkColumns.CLUSTER_ID)
        .select(col(key).as(NODE), col(LinkColumns.PERSON_ID), col("rsize"), col(LinkColumns.CLUSTER_ID)).localCheckpoint();
    Dataset<Row> nodes = touchedNodes.drop(LinkColumns.CLUSTER_ID).unionByName(clusters.join(touched.select(key), key, "left_anti")
        .select(col(key).as(NODE), functions.substring(col(key), 2, Integer.MAX_VALUE).as(LinkColumns.PERSON_ID),
            col(PersonSpine.WEIGHT).as("rsize")));
    clock.lap("cluster");

    // record_links rows: the work set's that can change, and those of every other record of the
    // persons whose id changes. A work-set row can change only when the record is new, scored (only
    // scored records are in accepted pairs), resolved otherwise than its previous method says, was a
    // singleton, or its person's id changes; the rows of the others are filtered out below as
    // unchanged anyway, so they are left out before the joins. A record is on a deterministic edge
    // exactly when it is resolved
    Dataset<Row> renamed = previousNodes.join(assigned.select(col(key), col(LinkColumns.PERSON_ID).as("__now")), key)
        .where(col("__now").notEqual(col(LinkColumns.PERSON_ID))).select(LinkColumns.PERSON_ID).localCheckpoint();
    long renamedCount = renamed.count();
    Column personRenamed = lit(false);
    if (renamedCount > 0) {
      personRenamed = BloomKeys.mightContainAny(BloomKeys.of(renamed, functions.xxhash64(col(LinkColumns.PERSON_ID)), renamedCount),
          List.of(functions.xxhash64(col("prev_person"))));
    }
    Column mayChange = col("is_new").or(isScored).or(col("resolved").notEqual(wasDeterministic))
        .or(coalesce(col("prev_method").equalTo(LinkColumns.SINGLETON), lit(false))).or(personRenamed);
    Dataset<Row> probBest = probBest(accepted);
    Dataset<Row> workRows = work.where(mayChange).join(probBest, key, "left")
        .select(col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID), col(LinkColumns.EXTRACT_MONTH),
            when(col("is_new"), col(key)).otherwise(concat(lit("~"), col("prev_person"))).as(NODE),
            when(col("resolved"), lit(true)).as("det"),
            col("p_best"), col("w_best"), col("prev_person"), col("prev_method"), col("prev_w"), col("prev_p")).localCheckpoint();
    // outside the work set a record of a person with two or more records keeps its method, weight
    // and probability (a resolved record is deterministic already), so only its person can change:
    // rows of the persons whose id changes, read from record_links through a Bloom filter of them
    // materialised: the Bloom filter of them (its count, emptiness check and build) and the join
    // below would otherwise each scan record_links
    Dataset<Row> renamedRecs = renamedCount == 0 ? links.limit(0)
        : BloomKeys.semiJoin(links, renamed, List.of(LinkColumns.PERSON_ID)).localCheckpoint();
    Dataset<Row> otherRows = renamedRecs
        .join(BloomKeys.prefilter(workRows.select(LinkColumns.SOURCE, LinkColumns.RECORD_ID), renamedRecs, SOURCE_RECORD), sr, "left_anti")
        .select(col(LinkColumns.SOURCE), col(LinkColumns.RECORD_ID), lit(null).cast("string").as(LinkColumns.EXTRACT_MONTH),
            concat(lit("~"), col(LinkColumns.PERSON_ID)).as(NODE),
            when(col(LinkColumns.METHOD).equalTo(LinkColumns.DETERMINISTIC), lit(true)).as("det"),
            lit(null).cast("double").as("p_best"), lit(null).cast("double").as("w_best"),
            col(LinkColumns.PERSON_ID).as("prev_person"), col(LinkColumns.METHOD).as("prev_method"),
            col(LinkColumns.MATCH_WEIGHT).as("prev_w"), col(LinkColumns.MATCH_PROBABILITY).as("prev_p"));
    Dataset<Row> rows = workRows.unionByName(otherRows).join(nodes, NODE);
    List<Column> out = new ArrayList<>(List.of(linkRowColumns(linkRun, false)));
    out.add(col("prev_person"));
    out.add(col(LinkColumns.EXTRACT_MONTH));
    out.add(col("prev_method").as("__pm"));
    out.add(col("prev_w").as("__pw"));
    out.add(col("prev_p").as("__pp"));
    Column same = col(LinkColumns.PERSON_ID).eqNullSafe(col("prev_person"))
        .and(col(LinkColumns.METHOD).eqNullSafe(col("__pm")))
        .and(col(LinkColumns.MATCH_WEIGHT).eqNullSafe(col("__pw")))
        .and(col(LinkColumns.MATCH_PROBABILITY).eqNullSafe(col("__pp")));
    Dataset<Row> changedAll = rows.select(out.toArray(Column[]::new)).where(functions.not(same))
        .drop("__pm", "__pw", "__pp").localCheckpoint();
    Dataset<Row> changedLinks = changedAll.drop("prev_person", LinkColumns.EXTRACT_MONTH);

    // spine rows of the touched persons: their months from the previous spine (only the rows of
    // touched previous persons are joined: a Bloom filter of them) and the new records
    Dataset<Row> previousTouched = touchedNodes.where(col(NODE).startsWith("~"))
        .select(functions.substring(col(NODE), 2, Integer.MAX_VALUE).as(LinkColumns.PERSON_ID));
    Dataset<Row> nodeMonths = work.where(col("is_new")).select(col(key).as(NODE), col(LinkColumns.EXTRACT_MONTH).as("f"),
            col(LinkColumns.EXTRACT_MONTH).as("l"))
        .unionByName(BloomKeys.prefilter(prevSpine, previousTouched, List.of(LinkColumns.PERSON_ID))
            .select(concat(lit("~"), col(LinkColumns.PERSON_ID)).as(NODE),
            col(LinkColumns.FIRST_SEEN_MONTH).as("f"), col(LinkColumns.LAST_SEEN_MONTH).as("l")));
    Dataset<Row> active = touchedNodes.join(nodeMonths, NODE).groupBy(LinkColumns.PERSON_ID)
        .agg(min("f").as(LinkColumns.FIRST_SEEN_MONTH), max("l").as(LinkColumns.LAST_SEEN_MONTH),
            functions.first("rsize").cast("long").as(LinkColumns.N_RECORDS));
    Dataset<Row> spineRows = spineRows(active, events, prevSpine, linkRun);
    clock.lap("spine");

    // the writes before the commit, each keyed and idempotent (run two at a time they took longer:
    // both cores are busy either way, and their jobs then compete)
    Map<String, Long> written = new LinkedHashMap<>();
    long conflictCount = writeConflicts(conflicts, written);
    writeGroups(PseudonymGroups.upsert(groupRows, groupsRef), written);
    writeActivityIncrementally(spark, sources, tables, sourceNames, changedAll, linkRun, written);
    long[] ms = writeEventsAndSpine(events, spineRows, linkRun, written);
    clock.lap("writes");
    long freshPeople = assigned.select(LinkColumns.PERSON_ID).distinct()
        .join(previousNodes.select(LinkColumns.PERSON_ID), LinkColumns.PERSON_ID, "left_anti").count();
    long changedLinkCount = changedLinks.count();
    written.put("record_links", changedLinkCount);
    clock.lap("counts");
    Result result = new Result(linkRun, thinCounts.n, newRecords, detEdges.count(), conflictCount, scored.blocking(), scored.acceptedCount(),
        prevPeople + freshPeople - ms[0], ms[0], ms[1], cr.oversizedFound(), cr.oversizedLeft(), written, versions, true,
        clock.seconds(), workCount, scoredCount);
    // a month's changed rows are broadcast to the MERGE: its scans of record_links for matched rows
    // then join without shuffling the table (inserts still need a shuffled outer join)
    commit(spark, linkRun, model, null, result, null,
        changedLinkCount <= MAX_BROADCAST_LINKS ? functions.broadcast(changedLinks) : changedLinks);
    return result;
  }

  /** Pairs with a new record on one side and an unresolved record on one side: a refresh's pairs. */
  private static final Linker.PairRestriction NEW_PAIRS = new Linker.PairRestriction(
      "((unresolved_l OR unresolved_r) AND (is_new_l OR is_new_r))", List.of("unresolved", "is_new"));

  /**
   * The scored pairs' per-rule counts, and the accepted pairs ({@code src, dst, match_probability,
   * match_weight}: record keys, probability at or above the model's threshold) with their count.
   */
  private record Scored(List<Linker.BlockingCount> blocking, Dataset<Row> accepted, long acceptedCount) {}

  private static Scored score(SparkSession spark, LinkageSettings model, Dataset<Row> linkRecs,
      Linker.PairRestriction restriction) {
    String key = LinkColumns.RECORD_KEY;
    Dataset<Row> pred = Linker.of(spark, model).predict(linkRecs, restriction).localCheckpoint();
    List<Linker.BlockingCount> blocking = FileLinker.blockingCounts(pred, model.predictionRules());
    Dataset<Row> accepted = pred.where(col(LinkColumns.MATCH_PROBABILITY).geq(model.threshold()))
        .select(col(key + "_l").as(Clustering.SRC), col(key + "_r").as(Clustering.DST),
            col(LinkColumns.MATCH_PROBABILITY), col(LinkColumns.MATCH_WEIGHT)).localCheckpoint();
    return new Scored(blocking, accepted, accepted.count());
  }

  /** The clustering edges: deterministic edges (fixed, probability 1) and accepted pairs. */
  private static Dataset<Row> clusterEdges(Dataset<Row> detEdges, Dataset<Row> accepted) {
    return detEdges.select(col(Clustering.SRC), col(Clustering.DST), lit(1.0).as(Clustering.PROBABILITY),
            lit(true).as(Clustering.FIXED))
        .unionByName(probEdges(accepted));
  }

  /** The accepted pairs as clustering edges (not fixed). */
  private static Dataset<Row> probEdges(Dataset<Row> accepted) {
    return accepted.select(col(Clustering.SRC), col(Clustering.DST), col(Clustering.PROBABILITY), lit(false).as(Clustering.FIXED));
  }

  /** {@code record_key, det} (true) for every record on a deterministic edge. */
  private static Dataset<Row> detKeys(Dataset<Row> detEdges) {
    return detEdges.select(col(Clustering.SRC).as(LinkColumns.RECORD_KEY)).union(detEdges.select(col(Clustering.DST)))
        .distinct().withColumn("det", lit(true));
  }

  /** {@code record_key, p_best, w_best}: the best accepted pair's probability and weight per record. */
  private static Dataset<Row> probBest(Dataset<Row> accepted) {
    String key = LinkColumns.RECORD_KEY;
    return accepted.select(col(Clustering.SRC).as(key), col(Clustering.PROBABILITY), col(LinkColumns.MATCH_WEIGHT))
        .unionByName(accepted.select(col(Clustering.DST).as(key), col(Clustering.PROBABILITY), col(LinkColumns.MATCH_WEIGHT)))
        .groupBy(key).agg(max(Clustering.PROBABILITY).as("p_best"), max(LinkColumns.MATCH_WEIGHT).as("w_best"));
  }

  /** Edges with each end replaced by its node ({@code record_key, __node}); edges within one node dropped. */
  private static Dataset<Row> contract(Dataset<Row> edges, Dataset<Row> nodeOf) {
    String key = LinkColumns.RECORD_KEY;
    return edges.join(nodeOf.select(col(key).as(Clustering.SRC), col(NODE).as("__s")), Clustering.SRC)
        .join(nodeOf.select(col(key).as(Clustering.DST), col(NODE).as("__d")), Clustering.DST)
        .where(col("__s").notEqual(col("__d")))
        .select(col("__s").as(Clustering.SRC), col("__d").as(Clustering.DST), col(Clustering.PROBABILITY), col(Clustering.FIXED));
  }

  /**
   * The activity tables on the incremental path: new records' rows are read from the extract months
   * they are in (Delta skips the other months' files) and upserted with a target filter on those
   * months; an old record whose person changed is recorded in {@link PersonMoves} (which reads of the
   * activity tables apply), so no table is read whole; past {@link #MAX_PENDING_MOVES} pending, the
   * moves are written into the tables (after this month's inserts).
   *
   * @param changed the changed record_links rows with {@code prev_person} and the new records'
   *     {@code extract_month} (null for old records)
   */
  private void writeActivityIncrementally(SparkSession spark, List<TableRef> sources, Map<String, Dataset<Row>> tables,
      Set<String> sourceNames, Dataset<Row> changed, String linkRun, Map<String, Long> written) {
    Dataset<Row> fresh = changed.where(col("prev_person").isNull());
    Dataset<Row> moved = changed.where(col("prev_person").isNotNull().and(col(LinkColumns.PERSON_ID).notEqual(col("prev_person"))))
        .select(LinkColumns.SOURCE, LinkColumns.RECORD_ID, LinkColumns.PERSON_ID).localCheckpoint();
    Map<String, List<Object>> freshMonths = new java.util.HashMap<>();
    Map<String, Long> freshCounts = new java.util.HashMap<>();
    for (Row r : fresh.groupBy(LinkColumns.SOURCE, LinkColumns.EXTRACT_MONTH).count().collectAsList()) {
      freshMonths.computeIfAbsent(r.getString(0), s -> new ArrayList<>()).add(r.getString(1));
      freshCounts.merge(r.getString(0), r.getLong(2), Long::sum);
    }
    long movedCount = moved.count();
    List<Object> allMonths = freshMonths.values().stream().flatMap(List::stream).distinct().sorted().toList();
    Dataset<Row> freshKeys = fresh.select(col(LinkColumns.SOURCE).as("__s"), col(LinkColumns.RECORD_ID).as("__r"),
        col(LinkColumns.PERSON_ID).as("__p"));
    for (TableRef t : sources) {
      // tables are named after their source (as on the full path); a table named otherwise is
      // joined to every change
      boolean named = sourceNames.contains(t.name());
      List<Object> months = named ? freshMonths.getOrDefault(t.name(), List.of()) : allMonths;
      if (months.isEmpty()) {
        continue;
      }
      TableRef target = warehouse.table(Zone.LINKED, t.name());
      Dataset<Row> rows = tables.get(t.qualifiedName()).where(col(LinkColumns.EXTRACT_MONTH).isin(months.toArray()));
      // the usual month: one month of a named table, whose rows are unique per record id (ingest
      // quarantines an id repeated in an extract, and keys the table on record id and month) and
      // join one changed row each (one per record): no shuffle of the wide rows to drop duplicates,
      // and the source's new records (a month's: few) are broadcast to the join
      boolean oneMonth = named && months.size() == 1;
      Dataset<Row> keys = named ? freshKeys.where(col("__s").equalTo(t.name())) : freshKeys;
      if (oneMonth && freshCounts.getOrDefault(t.name(), 0L) <= MAX_BROADCAST_KEYS) {
        keys = functions.broadcast(keys);
      }
      Dataset<Row> withPerson = rows.join(keys, rows.col(LinkColumns.SOURCE).equalTo(col("__s"))
              .and(rows.col(LinkColumns.RECORD_ID).equalTo(col("__r"))))
          .withColumn(LinkColumns.PERSON_ID, col("__p")).drop("__s", "__r", "__p");
      if (!oneMonth) {
        withPerson = withPerson.dropDuplicates(LinkColumns.RECORD_ID);
      }
      if (named || !withPerson.isEmpty()) {
        // the usual month: the table holds no row of these months yet (Delta's file statistics
        // answer that without reading rows), so the MERGE would only insert: an insert guarded by
        // the months' predicate does that without the MERGE's scans, and fails rather than
        // duplicating rows if another run inserts them first. A re-run after a crash finds the
        // rows and merges
        WriteResult aw = DeltaIO.insertIfNone(withPerson, target, LinkColumns.EXTRACT_MONTH, months);
        if (aw == null) {
          aw = upsertLinked(spark, withPerson, target, List.of(LinkColumns.RECORD_ID),
              col(DeltaIO.MERGE_TARGET + "." + LinkColumns.EXTRACT_MONTH).isin(months.toArray()));
        }
        written.put(t.name(), aw.rowsInserted() + aw.rowsUpdated());
        crashPoint(t.name());
      }
    }
    // an old record whose person changed: its new person is recorded as a pending move, which reads
    // of the activity tables apply, rather than updated in place (a MERGE per table that reads every
    // file holding a moved row)
    if (movedCount > 0) {
      written.put(PersonMoves.TABLE, PersonMoves.record(moved, warehouse, linkRun));
      crashPoint(PersonMoves.TABLE);
      if (PersonMoves.pending(spark, warehouse) > MAX_PENDING_MOVES) {
        PersonMoves.materialise(spark, warehouse).forEach((k, v) -> written.merge(k, v, Long::sum));
      }
    }
  }

  /**
   * The most pending person moves a refresh leaves for reads to apply (each read broadcasts them,
   * about 100 bytes each); past it the refresh writes them into the activity tables.
   */
  static final long MAX_PENDING_MOVES = 200_000;

  /** The most touched cluster nodes whose person ids a refresh assigns on the driver (about 100 bytes each). */
  private static final long MAX_DRIVER_ASSIGN = 3_000_000;

  /**
   * The most (source, record id, person id) rows broadcast to an activity write: a source's new
   * records to the insert's join, or the month's new records to the duplicate check (about 60 bytes
   * each).
   */
  private static final long MAX_BROADCAST_KEYS = 1_000_000;

  /** The most changed record_links rows broadcast to the commit's MERGE (about 150 bytes each). */
  private static final long MAX_BROADCAST_LINKS = 2_000_000;

  /**
   * The records probabilistic linkage compares: every unresolved record, and for resolved records
   * (joined by a verified pseudonym) one representative (the least record key) per pseudonym and
   * distinct combination of the settings' input columns; {@code is_new} is true when any record of
   * the profile is new. Every resolved record is joined to its representative by deterministic edges,
   * so a link accepted for the representative holds for the profile.
   *
   * @param recs {@code record_key, nhs_pseudonym, resolved, unresolved, is_new} and the input columns
   * @return {@code record_key, unresolved, is_new} and the input columns
   */
  static Dataset<Row> profiles(Dataset<Row> recs, LinkageSettings settings) {
    String key = LinkColumns.RECORD_KEY;
    List<Column> inputs = settings.inputColumns().stream().map(org.apache.spark.sql.functions::col).toList();
    List<Column> out = new ArrayList<>();
    out.add(col(key));
    out.add(col("unresolved"));
    out.add(col("is_new"));
    out.addAll(inputs);
    Dataset<Row> unresolved = recs.where(col("unresolved")).select(out.toArray(Column[]::new));
    List<Column> group = new ArrayList<>();
    group.add(col(LinkColumns.NHS_PSEUDONYM));
    group.addAll(inputs);
    Dataset<Row> reps = recs.where(col("resolved")).groupBy(group.toArray(Column[]::new))
        .agg(min(key).as(key), max(col("is_new").cast("int")).equalTo(1).as("is_new"))
        .withColumn("unresolved", lit(false))
        .select(out.toArray(Column[]::new));
    return unresolved.unionByName(reps);
  }

  /**
   * The run id: the month (or {@code all}) and a digest of what the run reads (each source table's
   * version, record_links' version, the settings and the flags), so a run and its re-run after a
   * crash share it.
   */
  private String linkRunId(Map<String, Long> sourceVersions, long linksVersion) {
    String inputs = new java.util.TreeMap<>(sourceVersions) + "|record_links=" + linksVersion + "|" + settings.hash()
        + "|rebuild=" + rebuild + "|retrain=" + retrain + "|month=" + month;
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(inputs.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return (month == null ? "all" : month) + "@" + java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void crashPoint(String table) {
    if (table.equals(failAfter)) {
      throw new IllegalStateException("simulated crash after writing linked." + table);
    }
  }

  private static Column sameAs(Dataset<Row> rows, List<String> compare) {
    Column same = null;
    for (String c : compare) {
      Column eq = rows.col(c).eqNullSafe(col("__e_" + c));
      same = same == null ? eq : same.and(eq);
    }
    return same;
  }

  /** The record columns linkage reads; absent encodings become typed nulls. */
  private Dataset<Row> selectRecordColumns(Dataset<Row> d) {
    Set<String> present = Set.of(d.columns());
    List<Column> cols = new ArrayList<>();
    cols.add(concat(col(LinkColumns.SOURCE), lit("/"), col(LinkColumns.RECORD_ID)).as(LinkColumns.RECORD_KEY));
    for (String c : List.of(LinkColumns.SOURCE, LinkColumns.RECORD_ID, LinkColumns.EXTRACT_MONTH, LinkColumns.NHS_PSEUDONYM,
        LinkColumns.NHS_STATUS, LinkColumns.TOK_DOB, LinkColumns.TOK_SEX)) {
      cols.add(present.contains(c) ? col(c).cast("string").as(c) : lit(null).cast("string").as(c));
    }
    for (String c : settings.inputColumns()) {
      if (List.of(LinkColumns.TOK_DOB, LinkColumns.TOK_SEX).contains(c)) {
        continue;
      }
      boolean binary = c.startsWith("bf_") || c.equals("clk");
      cols.add(present.contains(c) ? col(c) : lit(null).cast(binary ? DataTypes.BinaryType : DataTypes.StringType).as(c));
    }
    return d.select(cols.toArray(Column[]::new));
  }

  /** The model of the latest run other than this one (a re-run after a crash trains as the first try did). */
  private LinkageSettings lastModel(SparkSession spark, String linkRun) {
    TableRef runs = warehouse.table(Zone.LINKED, "linkage_runs");
    if (!DeltaIO.exists(spark, runs)) {
      return null;
    }
    List<Row> last = DeltaIO.read(spark, runs).where(col("model_json").isNotNull())
        .where(col(LinkColumns.LINK_RUN).notEqual(linkRun))
        .orderBy(col("created_at").desc()).limit(1).select("model_json").collectAsList();
    return last.isEmpty() ? null : LinkageSettings.parse(last.get(0).getString(0), "linked.linkage_runs model_json");
  }

  private void writeRun(SparkSession spark, String linkRun, LinkageSettings model, Training training, Result result) {
    try {
      String resultJson = IdwMappers.json().writeValueAsString(result);
      Row row = org.apache.spark.sql.RowFactory.create(linkRun, month, Instant.now().toString(), model.toJson(),
          training == null ? null : training.reportJson(), model.hash(), resultJson, IdwVersion.get());
      org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
          .add(LinkColumns.LINK_RUN, DataTypes.StringType).add("month", DataTypes.StringType)
          .add("created_at", DataTypes.StringType).add("model_json", DataTypes.StringType)
          .add("training_json", DataTypes.StringType).add("settings_hash", DataTypes.StringType)
          .add("result_json", DataTypes.StringType).add("idw_version", DataTypes.StringType);
      // keyed on the run id, so a re-run after a crash replaces the row rather than adding one
      ChangedRows.upsert(spark.createDataFrame(List.of(row), schema), warehouse.table(Zone.LINKED, "linkage_runs"),
          List.of(LinkColumns.LINK_RUN), List.of(schema.fieldNames()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void audit(SparkSession spark, String action, String decision, long rows, String detail) {
    AuditLog.of(warehouse).append(AuditEvent.builder().action(action).decision(decision)
        .resource("linked.record_links").rows(rows).detail("summary", detail).build());
  }
}
