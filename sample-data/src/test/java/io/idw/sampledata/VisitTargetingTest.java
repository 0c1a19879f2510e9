package io.idw.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Home safety visits go to people at risk, so a naive visited-vs-not comparison is biased. */
class VisitTargetingTest {

  @Test
  void visitedPeopleAreOlderFrailerPoorerAndHeavierAeUsers() {
    GenerateResult r = Samples.main();
    LocalDate start = LocalDate.parse(r.months().get(0) + "-01");
    List<Map<String, String>> adults = Samples.read(r.peopleFile()).stream()
        .filter(p -> Period.between(LocalDate.parse(p.get("date_of_birth")), start).getYears() >= 18).toList();
    List<Map<String, String>> visited = adults.stream().filter(p -> !p.get("home_safety_visit_date").isEmpty()).toList();
    List<Map<String, String>> others = adults.stream().filter(p -> p.get("home_safety_visit_date").isEmpty()).toList();

    // about 10,000 visits a year per 1.5M people
    double perYear = visited.size() / (r.months().size() / 12.0);
    double expected = 10_000.0 * (r.people() + r.entrants()) / 1_500_000;
    assertThat(perYear).isBetween(expected * 0.5, expected * 1.6);
    assertThat(visited).hasSizeGreaterThan(30);

    assertThat(mean(visited, p -> age(p, start))).isGreaterThan(mean(others, p -> age(p, start)) + 5);
    assertThat(mean(visited, p -> Double.parseDouble(p.get("ltc_count"))))
        .isGreaterThan(mean(others, p -> Double.parseDouble(p.get("ltc_count"))) + 0.3);
    assertThat(mean(visited, p -> Double.parseDouble(p.get("frailty"))))
        .isGreaterThan(mean(others, p -> Double.parseDouble(p.get("frailty"))));
    assertThat(mean(visited, p -> Double.parseDouble(p.get("imd_decile"))))
        .isLessThan(mean(others, p -> Double.parseDouble(p.get("imd_decile"))) - 0.5);

    // A&E attendances in the 12 months before the visit, against adults' yearly rate
    Map<String, String> personOf = new HashMap<>();
    for (Map<String, String> t : Samples.read(r.recordPersonFile())) {
      if (t.get("source").equals(Sources.AE_ATTENDANCES)) {
        personOf.put(t.get("record_id"), t.get("person_id"));
      }
    }
    Map<String, String> visitOf = new HashMap<>();
    visited.forEach(p -> visitOf.put(p.get("person_id"), p.get("home_safety_visit_date")));
    Map<String, Boolean> adult = new HashMap<>();
    adults.forEach(p -> adult.put(p.get("person_id"), true));
    long before = 0;
    long withHistory = 0;
    long adultAe = 0;
    long otherHome = 0;
    long visitedHomeAfter = 0;
    double visitedMonthsAfter = 0;
    for (Map<String, String> row : Samples.readSource(r, Sources.AE_ATTENDANCES)) {
      String person = personOf.get(row.get("attendance_id"));
      LocalDate arrival = LocalDate.parse(row.get("arrival_date"));
      if (adult.containsKey(person)) {
        adultAe++;
        if (!visitOf.containsKey(person) && row.get("arrival_source").equals("home")) {
          otherHome++;
        }
      }
      String visit = visitOf.get(person);
      if (visit != null) {
        LocalDate v = LocalDate.parse(visit);
        if (arrival.isBefore(v) && !arrival.isBefore(v.minusMonths(12))) {
          before++;
        }
        if (row.get("arrival_source").equals("home") && arrival.getYear() * 12 + arrival.getMonthValue()
            > v.getYear() * 12 + v.getMonthValue()) {
          visitedHomeAfter++;
        }
      }
    }
    for (Map<String, String> p : visited) {
      LocalDate v = LocalDate.parse(p.get("home_safety_visit_date"));
      long monthsBefore = Math.min(12, java.time.temporal.ChronoUnit.MONTHS.between(start, v.withDayOfMonth(1)));
      withHistory += monthsBefore;
      LocalDate end = LocalDate.parse(r.months().get(r.months().size() - 1) + "-01").plusMonths(1);
      if (!p.get("exit_month").isEmpty()) {
        end = LocalDate.parse(p.get("exit_month") + "-01").plusMonths(1);
      }
      visitedMonthsAfter += Math.max(0, java.time.temporal.ChronoUnit.MONTHS.between(v.withDayOfMonth(1).plusMonths(1), end));
    }
    double adultRatePerMonth = adultAe / (adults.size() * (double) r.months().size());
    assertThat(before / (double) withHistory).as("A&E rate before a visit vs all adults")
        .isGreaterThan(1.5 * adultRatePerMonth);

    // the naive comparison: even with the planted 30% reduction, visited people still attend A&E
    // from home more than other adults do, so visited-vs-not would wrongly say visits do harm
    double otherHomeRate = otherHome / (others.size() * (double) r.months().size());
    assertThat(visitedHomeAfter / visitedMonthsAfter).isGreaterThan(otherHomeRate);
  }

  /** --hsv-uptake X multiplies the visit rate (same targeting) and is recorded in the truth. */
  @Test
  void uptakeMultipliesTheVisitRateAndIsRecordedInTheTruth() throws Exception {
    double uptake = 10;
    GenerateResult r = Samples.get("uptake", b -> b.people(2000).months(12).seed(11).homeSafetyVisitUptake(uptake));
    long visited = Samples.read(r.peopleFile()).stream().filter(p -> !p.get("home_safety_visit_date").isEmpty()).count();
    double expected = uptake * 10_000.0 * (r.people() + r.entrants()) / 1_500_000 * r.months().size() / 12.0;
    assertThat((double) visited).isBetween(expected * 0.5, expected * 1.6);
    var truth = io.idw.core.IdwMappers.json().readTree(r.effectsFile().toFile()).path("home_safety_visits");
    assertThat(truth.path("uptake").asDouble()).isEqualTo(uptake);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleData.generator().homeSafetyVisitUptake(-1)
        .out(java.nio.file.Path.of("x")).build()).hasMessageContaining("uptake");
  }

  private static double age(Map<String, String> p, LocalDate at) {
    return Period.between(LocalDate.parse(p.get("date_of_birth")), at).getYears();
  }

  private static double mean(List<Map<String, String>> rows, java.util.function.ToDoubleFunction<Map<String, String>> f) {
    return rows.stream().mapToDouble(f).average().orElseThrow();
  }
}
