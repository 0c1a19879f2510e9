package io.idw.cohort.its;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The KID falls prevention study's series: monthly falls-related non-elective admissions of people
 * aged 65+ in the districts with the service and in those without, each with its registered 65+
 * population. Spark steps over linked (pseudonymised) rows; no identifiers are needed.
 *
 * <p>A falls-related non-elective admission has {@code admission_type = non_elective} and an
 * ICD-10 external cause {@code cause_code} from W00 to W19. Age is the record's {@code age_band}
 * (65+ when its lower bound is at least 65); the district is the record's {@code lsoa}'s district.
 */
public final class FallsSeries {
  /** Output column: month, YYYY-MM. */
  public static final String MONTH = "month";
  /** Output column: the series, {@link #WITH_SERVICE} or {@link #WITHOUT_SERVICE}. */
  public static final String SERIES = "series";
  /** Output column: falls-related non-elective admissions aged 65+ (long). */
  public static final String FALLS = "falls";
  /** Output column: registered population aged 65+ (long). */
  public static final String POPULATION = "population";
  public static final String DISTRICT = "district";
  public static final String WITH_SERVICE = "with_service";
  public static final String WITHOUT_SERVICE = "without_service";

  private FallsSeries() {}

  /**
   * The ITS spec of the study: a controlled ITS, quasi-Poisson with a log-population offset, two
   * harmonic pairs, level and slope change, the interruption at the launch month.
   */
  public static ItsSpec spec(YearMonth launch, int transitionMonths) {
    return ItsSpec.parse("""
        name: falls_service_cits
        description: Falls prevention service, falls-related non-elective admissions aged 65+, districts with vs without the service
        columns: {period: month, outcome: falls, population: population, group: series}
        interruption: %s
        transitionMonths: %d
        comparison: {intervention: with_service, control: without_service}
        model: {family: quasi_poisson, harmonics: 2, slopeChange: true}
        """.formatted(launch, transitionMonths), "FallsSeries.spec");
  }

  /**
   * Registered population aged 65+ per district and month, from GP registration rows.
   *
   * <p>Input columns: {@code personKey} (such as {@code person_id}), {@code registration_date},
   * {@code deregistration_date} (null while registered), {@code effective_date}, {@code age_band},
   * {@code lsoa}; and {@code lsoaDistricts} with {@code lsoa}, {@code district}. A person counts in a
   * month when their registration started by the month's end and did not end before its start; their
   * age band and LSOA are those of their latest row (so the 65+ population is people 65+ at their
   * latest registration record; people who turn 65 later are not added, in either series). Returns {@code district} string, {@code month} string YYYY-MM,
   * {@code population} long, for every district with registrations and every month from..to.
   */
  public static Dataset<Row> registeredPopulation65(Dataset<Row> registrations, String personKey,
      Dataset<Row> lsoaDistricts, YearMonth from, YearMonth to) {
    Dataset<Row> regs = registrations
        .filter(col(personKey).isNotNull())
        .groupBy(col(personKey).as("person_key"))
        .agg(min(to_date(col("registration_date"))).as("reg_start"),
            max(to_date(col("deregistration_date"))).as("reg_end"),
            max_by(col("age_band"), to_date(col("effective_date"))).as("age_band"),
            max_by(col("lsoa"), to_date(col("effective_date"))).as("lsoa"))
        .filter(aged65(col("age_band")))
        .join(lsoaDistricts.select("lsoa", DISTRICT), "lsoa");
    Dataset<Row> months = months(registrations.sparkSession(), from, to);
    Dataset<Row> active = regs.crossJoin(months)
        .filter(col("reg_start").leq(col("month_end"))
            .and(col("reg_end").isNull().or(col("reg_end").geq(col("month_start")))));
    Dataset<Row> counts = active.groupBy(DISTRICT, MONTH).agg(countDistinct("person_key").as(POPULATION));
    Dataset<Row> grid = regs.select(DISTRICT).distinct().crossJoin(months.select(MONTH));
    return grid.join(counts, new String[] {DISTRICT, MONTH}, "left")
        .select(col(DISTRICT), col(MONTH), coalesce(col(POPULATION), lit(0L)).as(POPULATION));
  }

  /**
   * Monthly falls-related non-elective admissions aged 65+ per district.
   *
   * <p>Input columns: {@code admission_date}, {@code admission_type}, {@code cause_code},
   * {@code age_band}, {@code lsoa}; and {@code lsoaDistricts}. Returns {@code district}, {@code month}
   * YYYY-MM, {@code falls} long (only district-months with falls).
   */
  public static Dataset<Row> fallsAdmissions65(Dataset<Row> admissions, Dataset<Row> lsoaDistricts) {
    return admissions
        .filter(col("admission_type").equalTo("non_elective")
            .and(substring(col("cause_code"), 1, 3).between("W00", "W19"))
            .and(aged65(col("age_band"))))
        .join(lsoaDistricts.select("lsoa", DISTRICT), "lsoa")
        .withColumn(MONTH, date_format(to_date(col("admission_date")), "yyyy-MM"))
        .groupBy(DISTRICT, MONTH).agg(count(lit(1)).as(FALLS));
  }

  /**
   * The two series for the controlled ITS: per month and series (districts with the service vs the
   * rest), falls summed over districts (0 where none) and population summed. Input: the outputs of
   * {@link #fallsAdmissions65} and {@link #registeredPopulation65}. Returns {@code month} string,
   * {@code series} string, {@code falls} long, {@code population} long, ordered by series and month;
   * months outside the population's range are dropped.
   */
  public static Dataset<Row> controlledSeries(Dataset<Row> falls, Dataset<Row> population,
      Collection<String> serviceDistricts) {
    Column series = when(col(DISTRICT).isin(serviceDistricts.toArray()), lit(WITH_SERVICE)).otherwise(lit(WITHOUT_SERVICE));
    return population.join(falls, new String[] {DISTRICT, MONTH}, "left")
        .withColumn(SERIES, series)
        .groupBy(MONTH, SERIES)
        .agg(org.apache.spark.sql.functions.sum(coalesce(col(FALLS), lit(0L))).cast("long").as(FALLS),
            org.apache.spark.sql.functions.sum(col(POPULATION)).cast("long").as(POPULATION))
        .orderBy(SERIES, MONTH);
  }

  /** True when an age band's lower bound ({@code 65-69}, {@code 90+}) is at least 65. */
  static Column aged65(Column ageBand) {
    return regexp_extract(ageBand, "^(\\d+)", 1).cast("int").geq(65);
  }

  private static Dataset<Row> months(SparkSession spark, YearMonth from, YearMonth to) {
    List<String> ms = new ArrayList<>();
    for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
      ms.add(m.toString());
    }
    return spark.createDataset(ms, Encoders.STRING()).toDF(MONTH)
        .withColumn("month_start", to_date(col(MONTH), "yyyy-MM"))
        .withColumn("month_end", org.apache.spark.sql.functions.last_day(col("month_start")));
  }
}
