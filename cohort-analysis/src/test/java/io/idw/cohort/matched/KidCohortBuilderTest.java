package io.idw.cohort.matched;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The KID cohort builder on a handful of people whose eligibility and counts are worked by hand. */
@SparkTest
class KidCohortBuilderTest {
  private static Dataset<Row> frame(SparkSession spark, String cols, Object[]... rows) {
    StructType schema = new StructType();
    for (String c : cols.split(",")) {
      schema = schema.add(c.trim(), DataTypes.StringType);
    }
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), schema);
  }

  @Test
  void eligibilityRiskSetsCovariatesAndOutcome(SparkSession spark) {
    Map<String, Dataset<Row>> linked = new HashMap<>();
    // data window from A&E: 2021-01 .. 2023-12, so index months 2022-01 .. 2022-12
    linked.put(KidCohortBuilder.VISITS, frame(spark, "person_id, visit_date",
        new Object[] {"P1", "15/03/2022"},   // treated at 2022-03
        new Object[] {"P5", "10/12/2021"},   // visited before: never a control at 2022-03
        new Object[] {"P7", "02/03/2022"})); // deregistered in the index month: not eligible
    linked.put(KidCohortBuilder.REGISTRATIONS, frame(spark,
        "person_id, registration_date, deregistration_date, effective_date, age_band, sex, imd_decile",
        new Object[] {"P1", "2015-01-01", null, "2021-01-01", "70-74", "F", "3"},
        new Object[] {"P2", "2015-01-01", null, "2021-01-01", "80-84", "M", "7"},
        new Object[] {"P3", "2015-01-01", null, "2021-01-01", "55-59", "F", "5"},   // too young
        new Object[] {"P4", "2021-09-01", null, "2021-09-01", "75-79", "M", "5"},   // registered < 12 months
        new Object[] {"P5", "2015-01-01", null, "2021-01-01", "75-79", "M", "5"},
        new Object[] {"P6", "2015-01-01", "2022-08-31", "2021-01-01", "90+", "F", "2"}, // dies in follow-up
        new Object[] {"P7", "2015-01-01", "2022-03-20", "2021-01-01", "85-89", "F", "2"}));
    linked.put(KidCohortBuilder.AE, frame(spark, "person_id, arrival_date, arrival_source",
        new Object[] {"P1", "2021-06-10", "home"},      // prior
        new Object[] {"P1", "2022-03-20", "home"},      // index month: neither prior nor outcome
        new Object[] {"P1", "2022-05-01", "home"},      // outcome
        new Object[] {"P1", "2022-06-01", "care_home"}, // not from home
        new Object[] {"P1", "2023-04-01", "home"},      // after follow-up
        new Object[] {"P2", "2021-01-05", "home"},      // before the look-back
        new Object[] {"P2", "2023-12-01", "home"},
        new Object[] {null, "2022-05-01", "home"}));    // unlinked record: ignored
    linked.put(KidCohortBuilder.ADMISSIONS, frame(spark, "person_id, admission_date, admission_type",
        new Object[] {"P1", "2021-12-01", "non_elective"},
        new Object[] {"P1", "2021-11-01", "elective"}));
    linked.put(KidCohortBuilder.GP_EVENTS, frame(spark, "person_id, event_date, ltc_count",
        new Object[] {"P1", "2021-05-01", "2"},
        new Object[] {"P1", "2022-02-01", "3"},
        new Object[] {"P1", "2022-04-01", "5"}));     // after the index: not used

    KidCohortSettings settings = KidCohortSettings.of(null, null, null, null, 1000, null, null);
    List<Row> rows = KidCohortBuilder.of(settings).build(linked::get).orderBy("person_id").collectAsList();

    assertThat(rows).extracting(r -> r.getAs("unit_id")).containsExactly("P1|2022-03", "P2|2022-03", "P6|2022-03");
    Row p1 = rows.get(0);
    assertThat((int) p1.getAs("treated")).isEqualTo(1);
    assertThat((int) p1.getAs("age")).isEqualTo(70 + 1); // band floor + one whole year since 2021-01
    assertThat((long) p1.getAs("prior_ae_12m")).isEqualTo(1);
    assertThat((long) p1.getAs("prior_nel_admissions_12m")).isEqualTo(1);
    assertThat((int) p1.getAs("ltc_count")).isEqualTo(3);
    assertThat((long) p1.getAs("ae_home_followup")).isEqualTo(1);
    assertThat((int) p1.getAs("followup_days")).isEqualTo(365); // 2022-04-01 .. 2023-03-31
    assertThat((int) p1.getAs("imd_decile")).isEqualTo(3);

    Row p2 = rows.get(1);
    assertThat((int) p2.getAs("treated")).isZero();
    assertThat((String) p2.getAs("index_month")).isEqualTo("2022-03");
    assertThat((long) p2.getAs("prior_ae_12m")).isZero();
    assertThat((long) p2.getAs("ae_home_followup")).isZero();
    assertThat((int) p2.getAs("ltc_count")).isZero();

    Row p6 = rows.get(2);
    assertThat((int) p6.getAs("followup_days")).isEqualTo(30 + 31 + 30 + 31 + 31); // April..August 2022
  }
}
