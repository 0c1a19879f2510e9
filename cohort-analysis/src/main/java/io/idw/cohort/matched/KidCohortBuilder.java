package io.idw.cohort.matched;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.try_to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.idw.cohort.CohortErrors;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Builds the KID home-safety-visit analysis table (one row per person and index month) from the
 * linked zone, with risk-set sampling of controls. A Spark step: it takes a reader (dataset name →
 * {@code Dataset<Row>}, normally {@code GovernedSession::read}) and returns a Dataset.
 *
 * <h2>Inputs (linked-zone datasets and the columns used)</h2>
 * <ul>
 *   <li>{@code fire_home_safety_visits}: person_id, visit_date</li>
 *   <li>{@code gp_registrations}: person_id, registration_date, deregistration_date, effective_date,
 *       age_band (e.g. {@code 65-69}, {@code 90+}), sex, imd_decile</li>
 *   <li>{@code gp_events}: person_id, event_date, ltc_count</li>
 *   <li>{@code ae_attendances}: person_id, arrival_date, arrival_source</li>
 *   <li>{@code apc_admissions}: person_id, admission_date, admission_type</li>
 * </ul>
 * Dates may be Spark dates or strings in ISO ({@code yyyy-MM-dd}) or UK ({@code dd/MM/yyyy}) form.
 *
 * <h2>Method</h2>
 * <ul>
 *   <li>Index month M: the calendar month of a person's first home safety visit. Index months are
 *       those with a full look-back ({@code lookback_months}) and follow-up ({@code
 *       follow_up_months}) inside the data (A&amp;E arrivals define the data's first and last month).</li>
 *   <li>Eligible at M: registered with a GP at least {@code registered_months} before M and not
 *       deregistered by the end of M; aged at least {@code min_age} at M. Age is not in the
 *       linked zone (no dates of birth past ingest): it is the lower bound of the person's earliest
 *       GP-registration age band plus the whole years from that record to M, so it never
 *       overstates age.</li>
 *   <li>Risk-set sampling: in each index month, treated rows are the eligible people first visited
 *       that month; control rows are a seeded sample of the eligible people not visited by then
 *       (they may be visited later), about {@code controls_per_treated} per treated row. A person
 *       can be a control in several months; exact matching on {@code index_month} keeps each
 *       matched set inside one month, and each control takes the treated person's index month.</li>
 *   <li>Covariates over the months [M − lookback, M − 1]; the outcome over [M + 1, M + follow_up]
 *       (the visit month itself is in neither), for treated and controls alike.</li>
 * </ul>
 *
 * <h2>Output columns</h2>
 * {@code unit_id} (person_id|index_month), {@code person_id}, {@code index_month} (yyyy-MM),
 * {@code treated} (int 0/1), {@code age} (int, see above), {@code sex} (string),
 * {@code imd_decile} (int), {@code ltc_count} (int, the latest GP record before M, 0 if none),
 * {@code prior_ae_12m}, {@code prior_nel_admissions_12m} (long, counts over the look-back),
 * {@code ae_home_followup} (long, A&amp;E attendances with the outcome arrival source over the
 * follow-up), {@code followup_days} (int, days observed in the follow-up, ended by
 * deregistration).
 *
 * <p>{@link #build} runs Spark jobs: it computes the data window and materialises the candidate
 * and unit rows once (local checkpoints), so the returned table's plan does not repeat them.
 */
public final class KidCohortBuilder {
  public static final String VISITS = "fire_home_safety_visits";
  public static final String REGISTRATIONS = "gp_registrations";
  public static final String GP_EVENTS = "gp_events";
  public static final String AE = "ae_attendances";
  public static final String ADMISSIONS = "apc_admissions";
  /** The datasets the builder reads. */
  public static final List<String> DATASETS = List.of(VISITS, REGISTRATIONS, GP_EVENTS, AE, ADMISSIONS);

  private static final scala.collection.immutable.Seq<String> KEYS =
      scala.jdk.javaapi.CollectionConverters.asScala(List.of("person_id", "index_m")).toList();
  private final KidCohortSettings s;

  private KidCohortBuilder(KidCohortSettings settings) {
    this.s = settings;
  }

  public static KidCohortBuilder of(KidCohortSettings settings) {
    return new KidCohortBuilder(settings == null ? KidCohortSettings.defaults() : settings);
  }

  /** A date from a date column or an ISO/UK date string. */
  static Column asDate(Column c) {
    Column str = c.cast("string");
    return coalesce(try_to_date(str, "yyyy-MM-dd"), try_to_date(str, "dd/MM/yyyy"),
        try_to_date(str, "yyyy-MM-dd HH:mm:ss"));
  }

  private static Dataset<Row> read(Function<String, Dataset<Row>> reader, String dataset, String... cols) {
    Dataset<Row> d = reader.apply(dataset);
    List<String> present = Arrays.asList(d.columns());
    List<String> missing = Arrays.stream(cols).filter(c -> !present.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw CohortErrors.columnsMissing("linked." + dataset, missing, present);
    }
    return d.select(Arrays.stream(cols).map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .where(col("person_id").isNotNull());
  }

  /** Builds the analysis table; see the class contract for its columns. */
  public Dataset<Row> build(Function<String, Dataset<Row>> reader) {
    Dataset<Row> visits = read(reader, VISITS, "person_id", "visit_date")
        .groupBy("person_id").agg(min(asDate(col("visit_date"))).as("first_visit"))
        .withColumn("visit_month", trunc(col("first_visit"), "month"))
        .select(col("person_id").as("v_person"), col("visit_month"));
    Dataset<Row> regs = read(reader, REGISTRATIONS, "person_id", "registration_date", "deregistration_date",
        "effective_date", "age_band", "sex", "imd_decile")
        .withColumn("eff", asDate(col("effective_date")))
        .groupBy("person_id").agg(
            min(asDate(col("registration_date"))).as("registered"),
            max(asDate(col("deregistration_date"))).as("deregistered"),
            min_by_struct("eff", "age_band").as("age_band"),
            min(col("eff")).as("age_at"),
            first(col("sex"), true).as("sex"),
            first(col("imd_decile"), true).as("imd_decile"));
    Dataset<Row> ae = read(reader, AE, "person_id", "arrival_date", "arrival_source")
        .withColumn("d", asDate(col("arrival_date"))).withColumn("m", trunc(col("d"), "month"));
    Dataset<Row> apc = read(reader, ADMISSIONS, "person_id", "admission_date", "admission_type")
        .withColumn("m", trunc(asDate(col("admission_date")), "month"));
    Dataset<Row> gp = read(reader, GP_EVENTS, "person_id", "event_date", "ltc_count")
        .withColumn("d", asDate(col("event_date")));

    // The data window, from A&E arrivals.
    Row span = ae.agg(min("m"), max("m")).first();
    if (span.isNullAt(0)) {
      throw CohortErrors.noUnits("linked." + AE + " has no dated attendances, so the data window is unknown");
    }
    Column firstIndex = add_months(lit(span.getDate(0)), s.lookbackMonths());
    Column lastIndex = add_months(lit(span.getDate(1)), -s.followUpMonths());
    Dataset<Row> months = visits.select("visit_month").distinct()
        .where(col("visit_month").geq(firstIndex).and(col("visit_month").leq(lastIndex)))
        .select(col("visit_month").as("index_m"));

    // Candidates: every registered person at every index month, then eligibility and risk sets.
    Column age = regexp_extract(col("age_band"), "^(\\d+)", 1).cast("int")
        .plus(floor(months_between(col("index_m"), col("age_at")).divide(12)).cast("int"));
    Dataset<Row> cand = regs.crossJoin(org.apache.spark.sql.functions.broadcast(months))
        .withColumn("age", age)
        .where(col("registered").leq(add_months(col("index_m"), -s.registeredMonths()))
            .and(col("deregistered").isNull().or(col("deregistered").gt(date_sub(add_months(col("index_m"), 1), 1))))
            .and(col("age").geq(s.minAge())))
        .join(visits, col("person_id").equalTo(col("v_person")), "left")
        .where(col("visit_month").isNull().or(col("visit_month").geq(col("index_m"))))
        .withColumn("treated", when(col("visit_month").equalTo(col("index_m")), 1).otherwise(0))
        .drop("v_person", "visit_month")
        .localCheckpoint(); // used twice below: computed once
    // Per index month: keep controls with probability min(1, k × treated / controls), seeded.
    Dataset<Row> rates = cand.groupBy("index_m").agg(sum("treated").as("n_t"), count("*").as("n_all"))
        .withColumn("p_keep", least(lit(1.0), col("n_t").multiply(s.controlsPerTreated())
            .divide(col("n_all").minus(col("n_t")))));
    Column u = xxhash64(col("person_id"), col("index_m").cast("string"), lit(s.seed()))
        .bitwiseAND(lit(0xFFFFFFL)).divide((double) 0x1000000);
    Dataset<Row> units = cand.join(org.apache.spark.sql.functions.broadcast(rates), "index_m")
        .where(col("treated").equalTo(1).or(u.lt(col("p_keep"))))
        .drop("n_t", "n_all", "p_keep")
        .withColumn("fu_start", add_months(col("index_m"), 1))
        .withColumn("fu_end", date_sub(add_months(col("index_m"), 1 + s.followUpMonths()), 1))
        .withColumn("lb_start", add_months(col("index_m"), -s.lookbackMonths()))
        .localCheckpoint(); // joined to each event table below: computed once, not once per join

    // Covariates and outcome per unit.
    Dataset<Row> aeCounts = units.select("person_id", "index_m", "lb_start", "fu_start", "fu_end")
        .join(ae.withColumnRenamed("person_id", "e_person"), col("person_id").equalTo(col("e_person")))
        .groupBy("person_id", "index_m").agg(
            sum(when(col("m").geq(col("lb_start")).and(col("m").lt(col("index_m"))), 1).otherwise(0)).as("prior_ae_12m"),
            sum(when(col("d").geq(col("fu_start")).and(col("d").leq(col("fu_end")))
                .and(col("arrival_source").equalTo(s.outcomeArrivalSource())), 1).otherwise(0)).as("ae_home_followup"));
    Dataset<Row> apcCounts = units.select("person_id", "index_m", "lb_start")
        .join(apc.withColumnRenamed("person_id", "a_person"), col("person_id").equalTo(col("a_person")))
        .where(col("m").geq(col("lb_start")).and(col("m").lt(col("index_m")))
            .and(col("admission_type").equalTo("non_elective")))
        .groupBy("person_id", "index_m").agg(count("*").as("prior_nel_admissions_12m"));
    Dataset<Row> ltc = units.select("person_id", "index_m")
        .join(gp.withColumnRenamed("person_id", "g_person"), col("person_id").equalTo(col("g_person")))
        .where(col("d").lt(col("index_m")))
        .groupBy("person_id", "index_m").agg(max_by(col("ltc_count"), col("d")).cast("int").as("ltc_count"));

    Column fuEnd = when(col("deregistered").isNotNull().and(col("deregistered").lt(col("fu_end"))),
        col("deregistered")).otherwise(col("fu_end"));
    return units
        .join(aeCounts, KEYS, "left")
        .join(apcCounts, KEYS, "left")
        .join(ltc, KEYS, "left")
        .withColumn("followup_days", datediff(fuEnd, col("fu_start")).plus(1))
        .where(col("followup_days").gt(0))
        .select(
            concat_ws("|", col("person_id"), date_format(col("index_m"), "yyyy-MM")).as("unit_id"),
            col("person_id"),
            date_format(col("index_m"), "yyyy-MM").as("index_month"),
            col("treated"),
            col("age"),
            coalesce(col("sex").cast("string"), lit("U")).as("sex"),
            col("imd_decile").cast("int").as("imd_decile"),
            coalesce(col("ltc_count"), lit(0)).as("ltc_count"),
            coalesce(col("prior_ae_12m").cast("long"), lit(0L)).as("prior_ae_12m"),
            coalesce(col("prior_nel_admissions_12m"), lit(0L)).as("prior_nel_admissions_12m"),
            coalesce(col("ae_home_followup").cast("long"), lit(0L)).as("ae_home_followup"),
            col("followup_days").cast("int").as("followup_days"))
        .where(col("imd_decile").isNotNull());
  }

  /** The value of {@code value} on the row with the smallest {@code key} (min_by). */
  private static Column min_by_struct(String key, String value) {
    return org.apache.spark.sql.functions.min_by(col(value), col(key));
  }
}
