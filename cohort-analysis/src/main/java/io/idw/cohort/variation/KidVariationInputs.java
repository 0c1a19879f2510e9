package io.idw.cohort.variation;

import static io.idw.cohort.variation.VariationColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Steps that turn the linked KID tables (each source's pseudonymised rows with {@code person_id})
 * into the inputs of practice variation and comparator practices. Column names are the sample
 * data's (sample-data/README.md) plus the safe attributes ingest derives ({@code age_band},
 * {@code sex}, {@code imd_decile}, {@code gp_practice}).
 *
 * <p>Costs: GP events, A&E attendances and non-elective admissions carry their own {@code cost};
 * adult social care is {@code weekly_cost} for the days each service line is active in its month;
 * community contacts are costed per hour of {@code duration_minutes} and out-of-hours contacts per
 * contact, at the {@link UnitCosts} given.
 */
public final class KidVariationInputs {
  private KidVariationInputs() {}

  /** Unit costs for activity that carries no cost of its own. */
  public record UnitCosts(double communityPerHour, double outOfHoursPerContact) {
    /** Defaults in the region of PSSRU unit costs: £60 per community nursing hour, £75 per out-of-hours contact. */
    public static UnitCosts defaults() {
      return new UnitCosts(60.0, 75.0);
    }
  }

  /**
   * The registered population: each person's latest GP registration row.
   *
   * @param gpRegistrations linked {@code gp_registrations}: {@code person_id}, {@code practice_code}
   *     (or {@code gp_practice}), {@code age_band}, {@code sex}, {@code imd_decile}, and
   *     {@code effective_date} and/or {@code extract_month} to order rows
   * @return {@code person_id, practice_code, age_band, sex, imd_decile}, one row per person
   */
  public static Dataset<Row> population(Dataset<Row> gpRegistrations) {
    List<String> cols = Arrays.asList(gpRegistrations.columns());
    Column practice = cols.contains(PRACTICE) ? col(PRACTICE) : col("gp_practice");
    Column order1 = cols.contains("extract_month") ? col("extract_month") : lit("");
    Column order2 = cols.contains("effective_date") ? col("effective_date").cast("string") : lit("");
    Column record = cols.contains("record_id") ? col("record_id") : lit("");
    return gpRegistrations
        .filter(col(PERSON_ID).isNotNull().and(practice.isNotNull()))
        .withColumn("_rk", functions.row_number().over(Window.partitionBy(PERSON_ID)
            .orderBy(order1.desc(), order2.desc(), record.desc())))
        .filter(col("_rk").equalTo(1))
        .select(col(PERSON_ID), practice.as(PRACTICE), col(AGE_BAND), col(SEX), col(IMD_DECILE).cast("int").as(IMD_DECILE));
  }

  /**
   * Costs per person and setting from the linked activity tables ({@code null} tables are skipped).
   *
   * @param tables linked tables by source name: {@code gp_events}, {@code ae_attendances},
   *     {@code apc_admissions}, {@code social_care}, {@code community_contacts}, {@code ooh_contacts}
   * @return {@code person_id, setting, cost}
   */
  public static Dataset<Row> costs(Map<String, Dataset<Row>> tables, UnitCosts unit) {
    Dataset<Row> out = null;
    out = union(out, tables.get("gp_events"), t -> t.select(col(PERSON_ID), lit(PRIMARY_CARE).as(SETTING),
        col("cost").cast("double").as(COST)));
    out = union(out, tables.get("ae_attendances"), t -> t.select(col(PERSON_ID), lit(AE).as(SETTING),
        col("cost").cast("double").as(COST)));
    out = union(out, tables.get("apc_admissions"), t -> t.filter(nonElective())
        .select(col(PERSON_ID), lit(NON_ELECTIVE).as(SETTING), col("cost").cast("double").as(COST)));
    out = union(out, tables.get("social_care"), t -> {
      Column start = functions.to_date(col("period_start").cast("string"));
      Column monthEnd = functions.last_day(start);
      Column end = functions.to_date(col("service_end_date").cast("string"));
      Column until = when(end.isNotNull().and(end.lt(monthEnd)), end).otherwise(monthEnd);
      Column days = functions.greatest(lit(0), functions.datediff(until, start).plus(1));
      return t.select(col(PERSON_ID), lit(ADULT_SOCIAL_CARE).as(SETTING),
          col("weekly_cost").cast("double").multiply(days).divide(7.0).as(COST));
    });
    out = union(out, tables.get("community_contacts"), t -> t.select(col(PERSON_ID), lit(COMMUNITY_CARE).as(SETTING),
        functions.coalesce(col("duration_minutes").cast("double"), lit(30.0)).divide(60.0).multiply(unit.communityPerHour()).as(COST)));
    out = union(out, tables.get("ooh_contacts"), t -> t.select(col(PERSON_ID), lit(OUT_OF_HOURS).as(SETTING),
        lit(unit.outOfHoursPerContact()).as(COST)));
    if (out == null) {
      throw io.idw.cohort.report.ReportErrors.variationInput("no activity tables to cost",
          "none of gp_events, ae_attendances, apc_admissions, social_care, community_contacts, ooh_contacts was given",
          "read the linked activity tables through the governed session first");
    }
    return out.filter(col(PERSON_ID).isNotNull().and(col(COST).isNotNull()));
  }

  /**
   * Acute events (A&E attendances and non-elective admissions) by month.
   *
   * @return {@code person_id, month} (YYYY-MM), one row per event
   */
  public static Dataset<Row> acuteEvents(Dataset<Row> aeAttendances, Dataset<Row> apcAdmissions) {
    Dataset<Row> ae = aeAttendances.select(col(PERSON_ID), functions.date_format(
        functions.to_date(col("arrival_date").cast("string")), "yyyy-MM").as(MONTH));
    Dataset<Row> ne = apcAdmissions.filter(nonElective()).select(col(PERSON_ID), functions.date_format(
        functions.to_date(col("admission_date").cast("string")), "yyyy-MM").as(MONTH));
    return ae.unionByName(ne).filter(col(PERSON_ID).isNotNull().and(col(MONTH).isNotNull()));
  }

  /** The first and last month of a set of events, as {@code [first, last]} (YYYY-MM). */
  public static String[] monthRange(Dataset<Row> events) {
    Row r = events.agg(functions.min(MONTH), functions.max(MONTH)).first();
    return new String[] {r.getString(0), r.getString(1)};
  }

  private static Column nonElective() {
    return functions.lower(col("admission_type").cast("string")).isin("non_elective", "non-elective", "emergency");
  }

  private static Dataset<Row> union(Dataset<Row> acc, Dataset<Row> t, java.util.function.Function<Dataset<Row>, Dataset<Row>> f) {
    if (t == null) {
      return acc;
    }
    Dataset<Row> d = f.apply(t);
    return acc == null ? d : acc.unionByName(d);
  }
}
