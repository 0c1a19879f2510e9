package io.idw.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.IdwMappers;
import java.io.IOException;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The planted effects, recovered directly: observed events come from the raw extracts (mapped to
 * people with the truth), counterfactual events are observed plus those the ledger says an
 * effect averted, and the ratio must match the planted rate ratio within binomial error.
 */
class PlantedEffectsTest {

  private static Map<String, Map<String, String>> people(GenerateResult r) {
    Map<String, Map<String, String>> people = new HashMap<>();
    for (Map<String, String> p : Samples.read(r.peopleFile())) {
      people.put(p.get("person_id"), p);
    }
    return people;
  }

  private static Map<String, String> personOf(GenerateResult r, String source) {
    Map<String, String> out = new HashMap<>();
    for (Map<String, String> t : Samples.read(r.recordPersonFile())) {
      if (t.get("source").equals(source)) {
        out.put(t.get("record_id"), t.get("person_id"));
      }
    }
    return out;
  }

  /** Raw rows of a source without the duplicate copies. */
  private static List<Map<String, String>> rowsWithoutDuplicates(GenerateResult r, String source) {
    Set<String> dups = Samples.read(r.dirtFile()).stream()
        .filter(d -> d.get("kind").equals("duplicate") && d.get("source").equals(source))
        .map(d -> d.get("record_id")).collect(Collectors.toSet());
    String id = Sources.spec(source).recordId();
    return Samples.readSource(r, source).stream().filter(row -> !dups.contains(row.get(id))).toList();
  }

  private static long averted(GenerateResult r, String effect, String source) {
    return Samples.read(r.effectLedgerFile()).stream()
        .filter(l -> l.get("effect").equals(effect) && l.get("source").equals(source) && l.get("change").equals("averted"))
        .count();
  }

  private static JsonNode effects(GenerateResult r) throws IOException {
    return IdwMappers.json().readTree(r.effectsFile().toFile());
  }

  /** Observed should be rr times the counterfactual, within 4 binomial SEs (malformed lines lose a few). */
  private static void assertThinned(String what, long observed, long averted, double rr) {
    long cf = observed + averted;
    assertThat(cf).as(what + " counterfactual events").isGreaterThan(20);
    double sd = Math.sqrt(cf * rr * (1 - rr));
    assertThat((double) observed).as("%s: %d observed of %d counterfactual, planted ratio %s", what, observed, cf, rr)
        .isBetween(cf * rr - 4 * sd - 2, cf * rr + 4 * sd + 2);
  }

  @Test
  void homeSafetyVisitEffectOnHomeAttendances() throws IOException {
    GenerateResult r = Samples.main();
    double rr = effects(r).at("/home_safety_visits/rate_ratio").asDouble();
    assertThat(rr).isEqualTo(0.7);
    Map<String, Map<String, String>> people = people(r);
    Map<String, String> personOf = personOf(r, Sources.AE_ATTENDANCES);
    long observed = 0;
    for (Map<String, String> row : rowsWithoutDuplicates(r, Sources.AE_ATTENDANCES)) {
      Map<String, String> p = people.get(personOf.get(row.get("attendance_id")));
      String visit = p.get("home_safety_visit_date");
      if (!visit.isEmpty() && row.get("arrival_source").equals("home")
          && row.get("arrival_date").substring(0, 7).compareTo(visit.substring(0, 7)) > 0) {
        observed++;
      }
    }
    assertThinned("home A&E after a visit", observed, averted(r, "home_safety_visits", Sources.AE_ATTENDANCES), rr);
  }

  @Test
  void fallsServiceLevelAndSlopeChange() throws IOException {
    GenerateResult r = Samples.main();
    JsonNode falls = effects(r).at("/falls_service");
    Set<String> launchDistricts = new java.util.HashSet<>();
    falls.get("launch_districts").forEach(d -> launchDistricts.add(d.asText()));
    Map<String, Double> rrByMonth = new HashMap<>();
    falls.get("rate_ratio_by_month").fields().forEachRemaining(e -> rrByMonth.put(e.getKey(), e.getValue().asDouble()));
    String launch = falls.get("launch_month").asText();
    assertThat(rrByMonth.get(launch)).isEqualTo(0.5);
    Map<String, String> lsoaDistrict = new HashMap<>();
    Samples.read(r.lsoaImdFile()).forEach(l -> lsoaDistrict.put(l.get("lsoa"), l.get("district")));
    Map<String, Map<String, String>> people = people(r);
    Map<String, String> personOf = personOf(r, Sources.APC_ADMISSIONS);

    // observed falls admissions of 65+ residents of launch districts, per post-launch month
    Map<String, Long> observed = new HashMap<>();
    for (Map<String, String> row : rowsWithoutDuplicates(r, Sources.APC_ADMISSIONS)) {
      String cause = row.get("cause_code");
      if (!row.get("admission_type").equals("non_elective") || cause.isEmpty()
          || cause.compareTo("W00") < 0 || cause.compareTo("W19") > 0) {
        continue;
      }
      String month = row.get("admission_date").substring(0, 7);
      if (month.compareTo(launch) < 0) {
        continue;
      }
      Map<String, String> p = people.get(personOf.get(row.get("spell_id")));
      String district = !p.get("move_month").isEmpty() && month.compareTo(p.get("move_month")) >= 0
          ? lsoaDistrict.get(p.get("new_lsoa")) : p.get("district");
      int age = Period.between(LocalDate.parse(p.get("date_of_birth")), LocalDate.parse(month + "-01")).getYears();
      if (launchDistricts.contains(district) && age >= 65) {
        observed.merge(month, 1L, Long::sum);
      }
    }
    Map<String, Long> avertedByMonth = new HashMap<>();
    for (Map<String, String> l : Samples.read(r.effectLedgerFile())) {
      if (l.get("effect").equals("falls_service")) {
        assertThat(l.get("event_month")).isGreaterThanOrEqualTo(launch);
        Map<String, String> p = people.get(l.get("person_id"));
        String district = !p.get("move_month").isEmpty() && l.get("event_month").compareTo(p.get("move_month")) >= 0
            ? lsoaDistrict.get(p.get("new_lsoa")) : p.get("district");
        assertThat(launchDistricts).contains(district);
        avertedByMonth.merge(l.get("event_month"), 1L, Long::sum);
      }
    }
    // expected observed = sum over counterfactual events of the month's ratio
    double expected = 0;
    double variance = 0;
    long obs = 0;
    long cf = 0;
    for (String month : rrByMonth.keySet()) {
      long o = observed.getOrDefault(month, 0L);
      long c = o + avertedByMonth.getOrDefault(month, 0L);
      double rr = rrByMonth.get(month);
      expected += c * rr;
      variance += c * rr * (1 - rr);
      obs += o;
      cf += c;
    }
    assertThat(cf).isGreaterThan(25);
    assertThat((double) obs).as("falls admissions: %d observed of %d counterfactual", obs, cf)
        .isBetween(expected - 4 * Math.sqrt(variance) - 2, expected + 4 * Math.sqrt(variance) + 2);
  }

  @Test
  void pilotPracticeAcuteChange() throws IOException {
    GenerateResult r = Samples.main();
    JsonNode pilot = effects(r).at("/pilot_practice");
    String practice = pilot.get("practice_code").asText();
    String from = pilot.get("start_month").asText();
    double rr = pilot.get("rate_ratio").asDouble();
    long observed = 0;
    for (Map<String, String> row : rowsWithoutDuplicates(r, Sources.AE_ATTENDANCES)) {
      if (row.get("gp_practice_code").equals(practice) && row.get("arrival_date").substring(0, 7).compareTo(from) >= 0) {
        observed++;
      }
    }
    for (Map<String, String> row : rowsWithoutDuplicates(r, Sources.APC_ADMISSIONS)) {
      if (row.get("gp_practice_code").equals(practice) && row.get("admission_type").equals("non_elective")
          && row.get("admission_date").substring(0, 7).compareTo(from) >= 0) {
        observed++;
      }
    }
    // events that survived the pilot but a home safety visit then averted still count as pilot survivors
    Map<String, Map<String, String>> people = people(r);
    for (Map<String, String> l : Samples.read(r.effectLedgerFile())) {
      if (l.get("effect").equals("home_safety_visits") && l.get("event_month").compareTo(from) >= 0
          && people.get(l.get("person_id")).get("practice_code").equals(practice)) {
        observed++;
      }
    }
    long averted = averted(r, "pilot_practice", Sources.AE_ATTENDANCES) + averted(r, "pilot_practice", Sources.APC_ADMISSIONS);
    assertThinned("pilot practice acute use", observed, averted, rr);
  }

  @Test
  void gpPracticeVariationIsTenFoldAndNotDeprivation() throws IOException {
    GenerateResult r = Samples.main();
    JsonNode gp = effects(r).at("/gp_practice_cost");
    Map<String, Double> multiplier = new HashMap<>();
    gp.get("multiplier_by_practice").fields().forEachRemaining(e -> multiplier.put(e.getKey(), e.getValue().asDouble()));
    double max = multiplier.values().stream().mapToDouble(d -> d).max().orElseThrow();
    double min = multiplier.values().stream().mapToDouble(d -> d).min().orElseThrow();
    assertThat(max / min).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-3));

    // GP cost per registered patient per practice, from the extracts
    Map<String, Double> cost = new HashMap<>();
    for (Map<String, String> row : rowsWithoutDuplicates(r, Sources.GP_EVENTS)) {
      cost.merge(row.get("practice_code"), Double.parseDouble(row.get("cost")), Double::sum);
    }
    Map<String, Long> patients = new HashMap<>();
    Map<String, Double> depSum = new HashMap<>();
    for (Map<String, String> p : Samples.read(r.peopleFile())) {
      if (p.get("practice_feeds_data").equals("true")) {
        patients.merge(p.get("practice_code"), 1L, Long::sum);
        depSum.merge(p.get("practice_code"), Double.parseDouble(p.get("imd_decile")), Double::sum);
      }
    }
    // regress log(cost per patient) on log(multiplier) and mean IMD decile: the multiplier's
    // coefficient should be about 1 (the planted spread survives the deprivation adjustment)
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (var e : patients.entrySet()) {
      String code = e.getKey();
      double perCapita = cost.getOrDefault(code, 0.0) / e.getValue();
      xs.add(new double[] {1, Math.log(multiplier.get(code)), depSum.get(code) / e.getValue()});
      ys.add(Math.log(perCapita));
    }
    double[] beta = ols(xs, ys);
    assertThat(xs.size()).isGreaterThanOrEqualTo(10);
    assertThat(beta[1]).as("coefficient of log multiplier").isBetween(0.8, 1.2);
  }

  @Test
  void increasesAreAddedEventsListedInTheLedger() throws IOException {
    GenerateResult r = Samples.get("increase", b -> b.people(2500).months(12).seed(5).pilotAcuteChange(1.0)
        .fallsLevelChange(0.5).fallsSlopeChange(0));
    JsonNode pilot = effects(r).at("/pilot_practice");
    String practice = pilot.get("practice_code").asText();
    String from = pilot.get("start_month").asText();
    Map<String, String> aeOwner = personOf(r, Sources.AE_ATTENDANCES);
    Map<String, String> apcOwner = personOf(r, Sources.APC_ADMISSIONS);
    long added = 0;
    for (Map<String, String> l : Samples.read(r.effectLedgerFile())) {
      assertThat(l.get("change")).isEqualTo("added");
      Map<String, String> owner = l.get("source").equals(Sources.AE_ATTENDANCES) ? aeOwner : apcOwner;
      assertThat(owner.get(l.get("record_id"))).as("added record %s", l.get("record_id")).isEqualTo(l.get("person_id"));
      if (l.get("effect").equals("pilot_practice") && l.get("source").equals(Sources.AE_ATTENDANCES)) {
        added++;
      }
    }
    long observed = 0;
    for (Map<String, String> row : rowsWithoutDuplicates(r, Sources.AE_ATTENDANCES)) {
      if (row.get("gp_practice_code").equals(practice) && row.get("arrival_date").substring(0, 7).compareTo(from) >= 0) {
        observed++;
      }
    }
    // rate ratio 2: as many added attendances as there were counterfactual ones (Poisson noise)
    long base = observed - added;
    assertThat(base).isGreaterThan(10);
    assertThat((double) added).isBetween(base - 4 * Math.sqrt(observed) - 2, base + 4 * Math.sqrt(observed) + 2);
  }

  /** Ordinary least squares by the normal equations (3 columns). */
  private static double[] ols(List<double[]> xs, List<Double> ys) {
    int k = xs.get(0).length;
    double[][] a = new double[k][k + 1];
    for (int i = 0; i < xs.size(); i++) {
      double[] x = xs.get(i);
      for (int r = 0; r < k; r++) {
        for (int c = 0; c < k; c++) {
          a[r][c] += x[r] * x[c];
        }
        a[r][k] += x[r] * ys.get(i);
      }
    }
    for (int p = 0; p < k; p++) {
      int best = p;
      for (int r = p + 1; r < k; r++) {
        if (Math.abs(a[r][p]) > Math.abs(a[best][p])) {
          best = r;
        }
      }
      double[] t = a[p];
      a[p] = a[best];
      a[best] = t;
      for (int r = 0; r < k; r++) {
        if (r != p) {
          double f = a[r][p] / a[p][p];
          for (int c = p; c <= k; c++) {
            a[r][c] -= f * a[p][c];
          }
        }
      }
    }
    double[] b = new double[k];
    for (int r = 0; r < k; r++) {
      b[r] = a[r][k] / a[r][r];
    }
    return b;
  }
}
