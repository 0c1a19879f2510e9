package io.idw.governance;

import static io.idw.governance.GovernanceColumns.NHS_PSEUDONYM;
import static io.idw.governance.GovernanceColumns.OPT_OUT_TABLE;
import static io.idw.governance.GovernanceColumns.PERSON_ID;
import static io.idw.governance.GovernanceColumns.PERSON_KEY_ID;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.idw.core.DeltaIO;
import io.idw.core.IdwException;
import io.idw.core.IdwVersion;
import io.idw.core.PersonMoves;
import io.idw.core.TableRef;
import io.idw.core.Warehouse;
import io.idw.core.Zone;
import io.idw.core.audit.AuditEvent;
import io.idw.core.audit.AuditLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.SparkSession;

/**
 * A user's session under one purpose and one data sharing agreement: the only way analysis code
 * reads linked data. Open it with {@link #builder()}; every open and every read is decided by the
 * {@link PolicyDecisionPoint} and recorded in the warehouse audit log, allowed or denied.
 *
 * <h2>Contract of {@link #read(String, List)}</h2>
 * The returned {@code Dataset<Row>} is table {@code linked.<dataset>} at its latest version (pinned:
 * the version is audited and in {@link #reads()}) with:
 * <ul>
 *   <li>each record as its current person's: the person moves a refresh left pending ({@link
 *       io.idw.core.PersonMoves}, pinned at their latest version, audited as {@code
 *       person_moves_version}) applied before everything below;</li>
 *   <li>only the requested columns (all columns the agreement grants when none are named), in the
 *       agreement's order when none are named, in the requested order otherwise;</li>
 *   <li>only the rows in the dataset's row scope (rows whose scope columns are null are excluded);</li>
 *   <li>when the purpose is not direct care: no row of any person on the national data opt-out
 *       list ({@code pseudonymised.national_opt_out}), and no row without a {@code person_id};</li>
 *   <li>{@code person_id} (string), if granted, replaced by the agreement's own pseudonym of the
 *       person: equal within one agreement for datasets the agreement lets be joined ({@code
 *       linkage.allowedJoins}), unrelated between agreements and between datasets it does not
 *       let be joined; followed by {@code person_key_id} (string), the id of the key used.</li>
 * </ul>
 * Anything the decision point cannot positively allow throws {@code governance.denied} (an {@link
 * IdwException}) after writing the denial to the audit log; no data is returned. An allowed read is
 * counted for its audit record and comes back persisted ({@code MEMORY_AND_DISK}, computed once):
 * {@code unpersist()} it when done.
 *
 * <p>A session opens only under the exact agreement file a governance officer approved for this
 * warehouse ({@link AgreementApprovals}): an unapproved agreement, or a file edited after its
 * approval, is refused ({@code governance.agreement.unapproved}) and the refusal audited with both
 * hashes; a tampered audit log refuses every open ({@code governance.audit.broken}).
 */
public final class GovernedSession {
  private final SparkSession spark;
  private final Warehouse warehouse;
  private final AgreementFile agreementFile;
  private final Agreement agreement;
  private final String user;
  private final String purpose;
  private final List<String> roles;
  private final boolean optOutApplies;
  private final PersonIdRekeying rekeying;
  private final Clock clock;
  private final String sessionId;
  private final AuditLog audit;
  private final PolicyDecisionPoint pdp;
  private final List<ReadRecord> reads = new ArrayList<>();
  private Dataset<Row> optedOutPersons;

  /** One governed read, for provenance: dataset, table version, columns and rows returned. */
  public record ReadRecord(String dataset, long tableVersion, List<String> columns, long rows) {}

  private GovernedSession(Builder b, AgreementFile af, Decision open) {
    this.spark = b.spark;
    this.warehouse = b.warehouse;
    this.agreementFile = af;
    this.agreement = af.agreement();
    this.user = b.user;
    this.purpose = b.purpose;
    this.roles = open.roles();
    this.optOutApplies = open.optOutApplies();
    this.rekeying = b.rekeying;
    this.clock = b.clock;
    this.sessionId = b.sessionId;
    this.audit = AuditLog.of(b.warehouse);
    this.pdp = PolicyDecisionPoint.of(agreement);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads a dataset's granted columns; see the class contract. */
  public Dataset<Row> read(String dataset) {
    return read(dataset, List.of());
  }

  /** Reads the named columns of a dataset; see the class contract. */
  public Dataset<Row> read(String dataset, List<String> columns) {
    AccessRequest req = new AccessRequest(user, purpose, "read", dataset, columns);
    LocalDate today = LocalDate.now(clock);
    Decision d = pdp.decide(req, today, DatasetCatalog.linkedZone(warehouse));
    String resource = "linked." + dataset;
    if (!d.allowed()) {
      throw deny("governance.read", resource, columns, d.reason());
    }
    try {
      TableRef t = warehouse.table(Zone.LINKED, dataset);
      long version = DeltaIO.latestVersion(spark, t);
      // a record a refresh moved to another person reads as that person's (pending moves applied)
      long movesVersion = PersonMoves.version(spark, warehouse);
      Dataset<Row> df = PersonMoves.resolve(spark, warehouse, dataset, DeltaIO.read(spark, t, version), movesVersion)
          .where(RowFilters.predicate(d.rowScope()));
      if (d.optOutApplies()) {
        df = df.where(col(PERSON_ID).isNotNull()).join(optedOutPersons(), df.col(PERSON_ID)
            .equalTo(optedOutPersons().col("opted_out_person")), "left_anti");
      }
      List<Column> select = new ArrayList<>();
      for (String c : d.columns()) {
        if (c.equals(PERSON_ID)) {
          select.add(rekeying.rekey(col(PERSON_ID), domainOf(dataset)).as(PERSON_ID));
          select.add(lit(rekeying.keyId(domainOf(dataset))).as(PERSON_KEY_ID));
        } else {
          select.add(col(c));
        }
      }
      // persisted before the audited row count, so the caller's first use does not compute it again
      Dataset<Row> out = df.select(select.toArray(new Column[0])).persist(StorageLevel.MEMORY_AND_DISK());
      long rows = out.count();
      reads.add(new ReadRecord(dataset, version, d.columns(), rows));
      AuditEvent.Builder allowed = base("governance.read", AuditEvent.ALLOW, d.reason()).resource(resource)
          .columns(d.columns()).rows(rows).tableVersion(version);
      if (movesVersion >= 0) {
        allowed.detail("person_moves_version", movesVersion);
      }
      audit.append(allowed.build());
      return out;
    } catch (IdwException e) {
      throw deny("governance.read", resource, columns, e.problem() + ": " + e.reason());
    }
  }

  /**
   * The pseudonym domain of a dataset: the agreement's domain plus the smallest dataset name of
   * its join group (datasets linked by {@code allowedJoins}, transitively).
   */
  String domainOf(String dataset) {
    Map<String, String> parent = new HashMap<>();
    for (Agreement.DatasetGrant g : agreement.datasets()) {
      parent.put(g.name(), g.name());
    }
    for (Agreement.Join j : agreement.linkage().allowedJoins()) {
      for (int i = 1; i < j.datasets().size(); i++) {
        String a = find(parent, j.datasets().get(0));
        String b = find(parent, j.datasets().get(i));
        if (!a.equals(b)) {
          parent.put(a.compareTo(b) < 0 ? b : a, a.compareTo(b) < 0 ? a : b);
        }
      }
    }
    TreeSet<String> group = new TreeSet<>();
    String root = find(parent, dataset);
    for (String n : parent.keySet()) {
      if (find(parent, n).equals(root)) {
        group.add(n);
      }
    }
    return agreement.linkage().pseudonymDomain() + "/" + group.first();
  }

  private static String find(Map<String, String> parent, String x) {
    while (!parent.get(x).equals(x)) {
      x = parent.get(x);
    }
    return x;
  }

  /** Person ids (warehouse ids) of everyone on the opt-out list, found through any linked table. */
  private Dataset<Row> optedOutPersons() {
    if (optedOutPersons != null) {
      return optedOutPersons;
    }
    TableRef list = warehouse.table(Zone.PSEUDONYMISED, OPT_OUT_TABLE);
    if (!DeltaIO.exists(spark, list)) {
      throw GovernanceErrors.optOutListMissing(list.qualifiedName());
    }
    Dataset<Row> optOut = DeltaIO.read(spark, list).select(col(NHS_PSEUDONYM).as("opt_nhs")).distinct();
    Dataset<Row> persons = null;
    for (TableRef t : warehouse.tables(Zone.LINKED)) {
      List<String> cols = DatasetCatalog.linkedZone(warehouse).columns(t.name()).orElse(List.of());
      if (cols.contains(PERSON_ID) && cols.contains(NHS_PSEUDONYM)) {
        Dataset<Row> p = PersonMoves.resolve(spark, warehouse, t.name(), DeltaIO.read(spark, t)).select(col(PERSON_ID), col(NHS_PSEUDONYM))
            .join(optOut, col(NHS_PSEUDONYM).equalTo(col("opt_nhs")))
            .select(col(PERSON_ID).as("opted_out_person"));
        persons = persons == null ? p : persons.union(p);
      }
    }
    if (persons == null) {
      persons = spark.emptyDataFrame().selectExpr("cast(null as string) as opted_out_person").limit(0);
    }
    optedOutPersons = persons.distinct().cache();
    return optedOutPersons;
  }

  private IdwException deny(String action, String resource, List<String> columns, String reason) {
    audit.append(base(action, AuditEvent.DENY, reason).resource(resource).columns(columns).rows(0L).build());
    return GovernanceErrors.denied("reading " + resource + " as '" + user + "' for '" + purpose + "'", reason);
  }

  private AuditEvent.Builder base(String action, String decision, String reason) {
    return AuditEvent.builder().action(action).decision(decision).reason(reason).user(user).roles(roles)
        .purpose(purpose)
        .agreement(agreement.id(), agreement.version(), agreementFile.sha256())
        .detail("session", sessionId);
  }

  public Agreement agreement() { return agreement; }
  public AgreementFile agreementFile() { return agreementFile; }
  public String user() { return user; }
  public String purpose() { return purpose; }
  /** The user's roles that grant the purpose. */
  public List<String> roles() { return roles; }
  public String sessionId() { return sessionId; }
  public SparkSession spark() { return spark; }
  public Warehouse warehouse() { return warehouse; }
  public boolean optOutApplies() { return optOutApplies; }
  /** The reads made so far, in order. */
  public List<ReadRecord> reads() { return List.copyOf(reads); }

  /**
   * Provenance for results made in this session: agreement id, version and file hash, purpose,
   * user, session id, idw version and {@code table.<dataset>} = the version read.
   */
  public Map<String, String> provenance() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("agreement_id", agreement.id());
    p.put("agreement_version", agreement.version());
    p.put("agreement_sha256", agreementFile.sha256());
    p.put("purpose", purpose);
    p.put("user", user);
    p.put("session", sessionId);
    p.put("idw_version", IdwVersion.get());
    for (ReadRecord r : reads) {
      p.put("table.linked." + r.dataset(), Long.toString(r.tableVersion()));
    }
    return p;
  }

  /** Opens a {@link GovernedSession}. spark, warehouse, agreement, user, purpose and rekeying are required. */
  public static final class Builder {
    private SparkSession spark;
    private Warehouse warehouse;
    private AgreementFile agreement;
    private Path agreementPath;
    private String user;
    private String purpose;
    private PersonIdRekeying rekeying;
    private Clock clock = Clock.systemUTC();
    private final String sessionId = UUID.randomUUID().toString();

    public Builder spark(SparkSession v) { this.spark = v; return this; }
    public Builder warehouse(Warehouse v) { this.warehouse = v; return this; }
    /** An agreement already loaded. */
    public Builder agreement(AgreementFile v) { this.agreement = v; return this; }
    /** An agreement file, loaded (and validated) at {@link #open()}; an invalid file is a denial. */
    public Builder agreement(Path v) { this.agreementPath = v; return this; }
    public Builder user(String v) { this.user = v; return this; }
    public Builder purpose(String v) { this.purpose = v; return this; }
    /** How person ids are re-keyed into the agreement's pseudonym domain (required: no key, no read). */
    public Builder rekeying(PersonIdRekeying v) { this.rekeying = v; return this; }
    /** The clock validity and training dates are checked against (default: system UTC). */
    public Builder clock(Clock v) { this.clock = v; return this; }

    /** Decides and audits the open; throws {@code governance.denied} if refused. */
    public GovernedSession open() {
      Objects.requireNonNull(spark, "spark");
      Objects.requireNonNull(warehouse, "warehouse");
      AuditLog audit = AuditLog.of(warehouse);
      AuditEvent.Builder ev = AuditEvent.builder().action("governance.session.open").user(user).purpose(purpose)
          .detail("session", sessionId);
      AgreementFile af = agreement;
      if (af == null) {
        if (agreementPath == null) {
          audit.append(ev.decision(AuditEvent.DENY).reason("no agreement was given").build());
          throw GovernanceErrors.denied("opening a session", "no agreement was given");
        }
        try {
          af = Agreements.load(agreementPath);
        } catch (IdwException e) {
          audit.append(ev.decision(AuditEvent.DENY).resource(agreementPath.toString())
              .reason("the agreement cannot be used: " + e.reason()).build());
          throw GovernanceErrors.denied("opening a session under " + agreementPath, e.getMessage());
        }
      }
      Agreement a = af.agreement();
      ev.agreement(a.id(), a.version(), af.sha256());
      AgreementApprovals.Check approval;
      try {
        approval = AgreementApprovals.of(warehouse).check(af);
      } catch (IdwException e) {
        audit.append(ev.decision(AuditEvent.DENY).reason(e.getMessage()).build());
        throw e;
      }
      if (!approval.approved()) {
        if (approval.approval() != null) {
          ev.detail("approved_sha256", approval.approval().sha256());
        }
        audit.append(ev.decision(AuditEvent.DENY).reason(approval.reason()).build());
        throw GovernanceErrors.agreementNotApproved(af.origin(), approval.reason());
      }
      ev.detail("approved_sequence", approval.approval().sequence());
      Decision d = PolicyDecisionPoint.of(a).decideSession(user, purpose, LocalDate.now(clock));
      if (d.allowed() && rekeying == null) {
        d = Decision.deny("no pseudonym key was given to re-key person ids into domain '"
            + a.linkage().pseudonymDomain() + "'", d.roles());
      }
      ev.roles(d.roles());
      if (!d.allowed()) {
        audit.append(ev.decision(AuditEvent.DENY).reason(d.reason()).build());
        throw GovernanceErrors.denied("opening a session as '" + user + "' for '" + purpose + "' under "
            + a.label(), d.reason());
      }
      audit.append(ev.decision(AuditEvent.ALLOW).reason(d.reason())
          .detail("opt_out_applies", d.optOutApplies()).build());
      return new GovernedSession(this, af, d);
    }
  }

  @Override
  public String toString() {
    return "GovernedSession(" + user + ", " + purpose + ", " + agreement.label() + ", " + sessionId + ")";
  }
}
