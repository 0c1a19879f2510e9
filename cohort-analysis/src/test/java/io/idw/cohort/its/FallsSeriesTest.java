package io.idw.cohort.its;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.testing.SparkTest;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class FallsSeriesTest {

  @Test
  void buildsTheTwoSeriesFromLinkedRows(SparkSession spark) {
    Dataset<Row> districts = spark.createDataFrame(List.of(
        RowFactory.create("E01", "Thanet"), RowFactory.create("E02", "Dover"), RowFactory.create("E03", "Ashford")),
        new StructType().add("lsoa", DataTypes.StringType).add("district", DataTypes.StringType));
    StructType regSchema = new StructType().add("person_id", DataTypes.StringType)
        .add("registration_date", DataTypes.StringType).add("deregistration_date", DataTypes.StringType)
        .add("effective_date", DataTypes.StringType).add("age_band", DataTypes.StringType)
        .add("lsoa", DataTypes.StringType);
    Dataset<Row> regs = spark.createDataFrame(List.of(
        // r1: Thanet 70-74 throughout
        RowFactory.create("r1", "1990-01-01", null, "2021-01-01", "70-74", "E01"),
        // r2: Dover 90+, leaves on 2021-02-10 (the leaver row is the latest)
        RowFactory.create("r2", "2000-05-05", null, "2021-01-01", "90+", "E02"),
        RowFactory.create("r2", "2000-05-05", "2021-02-10", "2021-02-10", "90+", "E02"),
        // r3: Ashford 65-69, joins 2021-03-15
        RowFactory.create("r3", "2021-03-15", null, "2021-03-15", "65-69", "E03"),
        // r4: Ashford 60-64: too young
        RowFactory.create("r4", "1980-01-01", null, "2021-01-01", "60-64", "E03")), regSchema);
    Dataset<Row> pop = FallsSeries.registeredPopulation65(regs, "person_id", districts, YearMonth.of(2021, 1), YearMonth.of(2021, 3));
    Map<String, Long> p = pop.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r.getLong(2)));
    assertThat(p).containsEntry("Thanet/2021-01", 1L).containsEntry("Thanet/2021-03", 1L)
        .containsEntry("Dover/2021-02", 1L).containsEntry("Dover/2021-03", 0L)
        .containsEntry("Ashford/2021-02", 0L).containsEntry("Ashford/2021-03", 1L)
        .hasSize(9);

    StructType admSchema = new StructType().add("admission_date", DataTypes.StringType)
        .add("admission_type", DataTypes.StringType).add("cause_code", DataTypes.StringType)
        .add("age_band", DataTypes.StringType).add("lsoa", DataTypes.StringType);
    Dataset<Row> adm = spark.createDataFrame(List.of(
        RowFactory.create("2021-01-05", "non_elective", "W01", "70-74", "E01"),   // counts: Thanet Jan
        RowFactory.create("2021-01-20", "non_elective", "W19.0", "85-89", "E02"), // counts: Dover Jan
        RowFactory.create("2021-02-02", "non_elective", "W10", "90+", "E03"),     // counts: Ashford Feb
        RowFactory.create("2021-02-03", "elective", "W01", "70-74", "E01"),       // elective
        RowFactory.create("2021-02-04", "non_elective", "X59", "70-74", "E01"),   // not a fall
        RowFactory.create("2021-02-05", "non_elective", null, "70-74", "E01"),    // no cause
        RowFactory.create("2021-03-06", "non_elective", "W05", "60-64", "E01"),   // under 65
        RowFactory.create("2021-03-07", "non_elective", "W20", "80-84", "E01")),  // W20 is not a fall code
        admSchema);
    Dataset<Row> falls = FallsSeries.fallsAdmissions65(adm, districts);
    assertThat(falls.count()).isEqualTo(3);

    List<Row> series = FallsSeries.controlledSeries(falls, pop, List.of("Thanet", "Dover")).collectAsList();
    assertThat(series).extracting(r -> r.getString(0) + " " + r.getString(1) + " " + r.getLong(2) + "/" + r.getLong(3))
        .containsExactly(
            "2021-01 with_service 2/2", "2021-02 with_service 0/2", "2021-03 with_service 0/1",
            "2021-01 without_service 0/0", "2021-02 without_service 1/0", "2021-03 without_service 0/1");
  }

  @Test
  void theStudySpecIsAControlledQuasiPoissonWithSlopeChange() {
    ItsSpec s = FallsSeries.spec(YearMonth.of(2021, 4), 0);
    assertThat(s.controlled()).isTrue();
    assertThat(s.model().family()).isEqualTo(ItsSpec.Family.QUASI_POISSON);
    assertThat(s.model().slopeChange()).isTrue();
    assertThat(s.comparison().intervention()).isEqualTo(FallsSeries.WITH_SERVICE);
  }
}
