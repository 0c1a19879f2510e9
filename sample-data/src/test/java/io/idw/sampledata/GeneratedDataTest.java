package io.idw.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.sampledata.internal.NhsNumbers;
import io.idw.sampledata.internal.PersonSim;
import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.Period;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What was generated: population shape, identifiers and dirt, measured from the files. */
class GeneratedDataTest {
  private static final List<String> EVENT_SOURCES = List.of(Sources.GP_EVENTS, Sources.AE_ATTENDANCES,
      Sources.APC_ADMISSIONS, Sources.COMMUNITY_CONTACTS, Sources.MENTAL_HEALTH_CONTACTS, Sources.OOH_CONTACTS);

  /** |observed - expected| within 4 binomial standard errors (plus one count). */
  static void assertRate(String what, long hits, long n, double p) {
    double sd = Math.sqrt(n * p * (1 - p));
    assertThat((double) hits).as("%s: %d of %d, expected rate %s", what, hits, n, p)
        .isBetween(n * p - 4 * sd - 1, n * p + 4 * sd + 1);
  }

  @Test
  void ageAndSexFollowTheCountyPyramid() {
    GenerateResult r = Samples.main();
    LocalDate start = LocalDate.parse(r.months().get(0) + "-01");
    List<Map<String, String>> initial = Samples.read(r.peopleFile()).stream()
        .filter(p -> p.get("entry_month").equals(r.months().get(0))).toList();
    assertThat(initial).hasSize(r.people());
    // broad bands 0-15 (bands 0-2 and 1/5 of band 3), 16-64, 65-84, 85+ from the configured table
    double total = 0;
    for (double s : PersonSim.BAND_SHARE) {
      total += s;
    }
    double[] expected = new double[4];
    double female = 0;
    for (int b = 0; b < PersonSim.BAND_SHARE.length; b++) {
      double share = PersonSim.BAND_SHARE[b] / total;
      female += share * (1 - PersonSim.BAND_MALE[b]);
      if (b < 3) {
        expected[0] += share;
      } else if (b == 3) {
        expected[0] += share / 5;
        expected[1] += share * 4 / 5;
      } else if (b < 13) {
        expected[1] += share;
      } else if (b < 17) {
        expected[2] += share;
      } else {
        expected[3] += share;
      }
    }
    long[] counts = new long[4];
    long women = 0;
    long old = 0;
    for (Map<String, String> p : initial) {
      // the age at the start month as ageAt() computes it (birthdays after the 15th count next month)
      int age = Period.between(LocalDate.parse(p.get("date_of_birth")), start).getYears();
      counts[age < 16 ? 0 : age < 65 ? 1 : age < 85 ? 2 : 3]++;
      if (p.get("sex").equals("F")) {
        women++;
      }
      if (age >= 90) {
        old++;
      }
    }
    int n = initial.size();
    for (int k = 0; k < 4; k++) {
      assertRate("age band " + k, counts[k], n, expected[k]);
    }
    assertRate("women", women, n, female);
    assertThat(old).isPositive();
  }

  @Test
  void cleanNhsNumbersAreMod11ValidInThe999Range() {
    GenerateResult r = Samples.main();
    List<Map<String, String>> people = Samples.read(r.peopleFile());
    Map<String, String> nhsByPerson = new HashMap<>();
    for (Map<String, String> p : people) {
      String nhs = p.get("nhs_number");
      assertThat(NhsNumbers.isValid(nhs)).as(nhs).isTrue();
      assertThat(nhs).startsWith("999");
      nhsByPerson.put(p.get("person_id"), nhs);
    }
    assertThat(Set.copyOf(nhsByPerson.values())).hasSize(people.size());
    // every record without NHS-number dirt carries its person's clean, valid number
    Set<String> nhsDirt = Samples.read(r.dirtFile()).stream().filter(d -> d.get("kind").startsWith("nhs_"))
        .map(d -> d.get("source") + "/" + d.get("record_id")).collect(Collectors.toSet());
    Map<String, String> personOf = new HashMap<>();
    for (Map<String, String> t : Samples.read(r.recordPersonFile())) {
      personOf.put(t.get("source") + "/" + t.get("record_id"), t.get("person_id"));
    }
    long checked = 0;
    for (String source : List.of(Sources.AE_ATTENDANCES, Sources.APC_ADMISSIONS, Sources.GP_REGISTRATIONS)) {
      String id = Sources.spec(source).recordId();
      for (Map<String, String> row : Samples.readSource(r, source)) {
        String key = source + "/" + row.get(id);
        if (!nhsDirt.contains(key)) {
          assertThat(row.get("nhs_number")).isEqualTo(nhsByPerson.get(personOf.get(key)));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(5000);
    // the opt-out list holds about 5% of the people's clean numbers
    List<Map<String, String>> optOut = Samples.read(r.optOutFile());
    assertRate("opt-outs", optOut.size(), people.size(), 0.05);
    assertThat(nhsByPerson.values()).containsAll(optOut.stream().map(o -> o.get("nhs_number")).toList());
  }

  @Test
  void nhsNumberDirtRatesMatchTheSettings() {
    GenerateResult r = Samples.main();
    DirtRates d = DirtRates.defaults();
    long n = 0;
    long missing = 0;
    long spaces = 0;
    long hyphens = 0;
    long badCheck = 0;
    long placeholder = 0;
    for (String source : EVENT_SOURCES) {
      for (Map<String, String> row : Samples.readSource(r, source)) {
        String v = row.get("nhs_number");
        n++;
        if (v.isEmpty()) {
          missing++;
        } else if (v.equals("0000000000") || v.equals("9999999999")) {
          placeholder++;
        } else if (v.matches("\\d{3} \\d{3} \\d{4}")) {
          spaces++;
        } else if (v.matches("\\d{3}-\\d{3}-\\d{4}")) {
          hyphens++;
        } else if (!NhsNumbers.isValid(v)) {
          badCheck++;
        }
      }
    }
    assertThat(n).isGreaterThan(40_000);
    assertRate("missing", missing, n, d.nhsMissing());
    assertRate("spaces", spaces, n, d.nhsSpaces());
    assertRate("hyphens", hyphens, n, d.nhsHyphens());
    assertRate("bad check digit", badCheck, n, d.nhsBadCheckDigit());
    assertRate("placeholder", placeholder, n, d.nhsPlaceholder());
  }

  @Test
  void socialCareOftenLacksTheNhsNumber() {
    GenerateResult r = Samples.main();
    Map<String, Boolean> lacks = new HashMap<>();
    for (Map<String, String> row : Samples.readSource(r, Sources.SOCIAL_CARE)) {
      lacks.merge(row.get("person_ref"), row.get("nhs_number").isEmpty(), Boolean::logicalAnd);
    }
    long never = lacks.values().stream().filter(b -> b).count();
    // per person: not recorded (35%) or, rarely, blank in every row by record-level dirt
    assertRate("social care people without an NHS number", never, lacks.size(), DirtRates.defaults().socialCareNhsMissing());
  }

  @Test
  void recordDirtRatesMatchTheSettings() throws IOException {
    GenerateResult r = Samples.main();
    DirtRates d = DirtRates.defaults();
    Map<String, Map<String, String>> people = new HashMap<>();
    for (Map<String, String> p : Samples.read(r.peopleFile())) {
      people.put(p.get("person_id"), p);
    }
    Map<String, String> personOf = new HashMap<>();
    for (Map<String, String> t : Samples.read(r.recordPersonFile())) {
      personOf.put(t.get("source") + "/" + t.get("record_id"), t.get("person_id"));
    }
    // late: the event month differs from the extract month (not possible in the last month)
    long events = 0;
    long late = 0;
    long swapEligible = 0;
    long swapped = 0;
    for (int k = 0; k < r.months().size(); k++) {
      String m = r.months().get(k);
      for (Map<String, String> row : Samples.read(r.rawFile(Sources.GP_EVENTS, m))) {
        String eventMonth = row.get("event_date").substring(0, 7);
        if (!eventMonth.equals(r.months().get(r.months().size() - 1))) {
          events++;
          if (!eventMonth.equals(m)) {
            late++;
          }
        }
        LocalDate dob = LocalDate.parse(people.get(personOf.get(Sources.GP_EVENTS + "/" + row.get("event_id")))
            .get("date_of_birth"));
        if (dob.getDayOfMonth() <= 12 && dob.getDayOfMonth() != dob.getMonthValue()) {
          swapEligible++;
          String swappedDob = String.format("%04d-%02d-%02d", dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue());
          if (row.get("date_of_birth").equals(swappedDob)) {
            swapped++;
          }
        }
      }
    }
    assertRate("late", late, events, d.late());
    assertRate("dob swap among eligible dates", swapped, swapEligible, d.dobSwap());

    // name typos and nicknames in community contacts, against the true names
    long named = 0;
    long typos = 0;
    for (Map<String, String> row : Samples.readSource(r, Sources.COMMUNITY_CONTACTS)) {
      Map<String, String> p = people.get(personOf.get(Sources.COMMUNITY_CONTACTS + "/" + row.get("contact_id")));
      named++;
      if (!row.get("surname").equals(p.get("family_name"))) {
        typos++;
      }
    }
    assertRate("family name typos", typos, named, d.nameTypo());

    // malformed lines: exactly those the dirt ledger lists, at about the set rate
    long lines = 0;
    long broken = 0;
    for (String source : EVENT_SOURCES) {
      int width = Sources.width(source);
      for (String m : r.months()) {
        List<String> all = Files.readAllLines(r.rawFile(source, m));
        for (String line : all.subList(1, all.size())) {
          lines++;
          List<String> f = Samples.split(line);
          if (f == null || f.size() != width) {
            broken++;
          }
        }
      }
    }
    List<Map<String, String>> dirt = Samples.read(r.dirtFile());
    long ledgerMalformed = dirt.stream().filter(x -> x.get("kind").equals("malformed")
        && EVENT_SOURCES.contains(x.get("source"))).count();
    assertThat(broken).isEqualTo(ledgerMalformed);
    assertRate("malformed", broken, lines, d.malformed());

    long duplicates = dirt.stream().filter(x -> x.get("kind").equals("duplicate")
        && EVENT_SOURCES.contains(x.get("source"))).count();
    assertRate("duplicates", duplicates, lines - duplicates, d.duplicate());
  }

  @Test
  void duplicatesRepeatTheirOriginalUnderANewId() {
    GenerateResult r = Samples.main();
    Map<String, Map<String, String>> byId = new HashMap<>();
    for (Map<String, String> row : Samples.readSource(r, Sources.AE_ATTENDANCES)) {
      byId.put(row.get("attendance_id"), row);
    }
    List<Map<String, String>> dups = Samples.read(r.dirtFile()).stream()
        .filter(x -> x.get("kind").equals("duplicate") && x.get("source").equals(Sources.AE_ATTENDANCES)).toList();
    assertThat(dups).isNotEmpty();
    int compared = 0;
    for (Map<String, String> dup : dups) {
      Map<String, String> copy = byId.get(dup.get("record_id"));
      Map<String, String> original = byId.get(dup.get("detail"));
      if (copy == null || original == null) {
        continue; // one of the pair was written malformed
      }
      Map<String, String> a = new HashMap<>(copy);
      Map<String, String> b = new HashMap<>(original);
      a.remove("attendance_id");
      b.remove("attendance_id");
      assertThat(a).isEqualTo(b);
      compared++;
    }
    assertThat(compared).isPositive();
  }
}
