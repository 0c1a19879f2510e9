package io.idw.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.core.SourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The output follows the cross-module contract: layout, specs, reference and truth files. */
class LayoutTest {

  @Test
  void everySourceHasAMonthlyExtractWithTheSpecsHeader() throws IOException {
    GenerateResult r = Samples.main();
    assertThat(r.months()).hasSize(36).startsWith("2021-04").endsWith("2024-03");
    for (String source : Sources.ALL) {
      SourceSpec spec = r.spec(source);
      assertThat(spec).isEqualTo(Sources.spec(source));
      String header = spec.columns().stream().map(SourceSpec.Column::name).collect(Collectors.joining(","));
      for (String m : r.months()) {
        Path f = r.rawFile(source, m);
        assertThat(f).exists();
        assertThat(f.toString()).endsWith("raw/" + source + "/" + m + "/" + source + "_" + m + ".csv");
        try (Stream<String> lines = Files.lines(f)) {
          assertThat(lines.findFirst()).contains(header);
        }
      }
      if (!source.equals(Sources.FALLS_SERVICE)) {
        assertThat(r.rows(source)).as(source).isPositive();
      }
    }
    // nothing but the contract's folders
    try (Stream<Path> s = Files.list(r.outDir())) {
      assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .containsExactlyInAnyOrder("raw", "specs", "reference", "truth");
    }
  }

  @Test
  void specsMarkIdentifiersRecordIdsAndEventDates() {
    GenerateResult r = Samples.main();
    for (String source : Sources.ALL) {
      SourceSpec spec = r.spec(source);
      assertThat(spec.column(spec.recordId())).isPresent();
      assertThat(spec.eventDate()).isNotNull();
      assertThat(spec.identifierColumns()).as(source).isNotEmpty();
    }
    assertThat(r.spec(Sources.FIRE_HOME_SAFETY_VISITS).column("nhs_number")).isEmpty();
    assertThat(r.spec(Sources.SOCIAL_CARE).column("person_ref").orElseThrow().identifier().wireName())
        .isEqualTo("social_care_id");
  }

  @Test
  void recordIdsAreUniqueAndEveryRecordHasATruePerson() {
    GenerateResult r = Samples.main();
    List<Map<String, String>> truth = Samples.read(r.recordPersonFile());
    Set<String> people = Samples.read(r.peopleFile()).stream().map(m -> m.get("person_id")).collect(Collectors.toSet());
    Set<String> keys = new HashSet<>();
    for (Map<String, String> t : truth) {
      assertThat(keys.add(t.get("source") + "/" + t.get("record_id"))).isTrue();
      assertThat(people).contains(t.get("person_id"));
    }
    long dataRows = r.totalRows();
    assertThat((long) truth.size()).isEqualTo(dataRows);
    for (String source : List.of(Sources.AE_ATTENDANCES, Sources.SOCIAL_CARE, Sources.FIRE_HOME_SAFETY_VISITS)) {
      String id = Sources.spec(source).recordId();
      for (Map<String, String> row : Samples.readSource(r, source)) {
        assertThat(keys).contains(source + "/" + row.get(id));
      }
    }
  }

  @Test
  void referenceTablesCoverThePractices() {
    GenerateResult r = Samples.main();
    List<Map<String, String>> practices = Samples.read(r.practicesFile());
    assertThat(practices).hasSizeGreaterThanOrEqualTo(14);
    Set<String> ccgs = practices.stream().map(p -> p.get("ccg_code")).collect(Collectors.toSet());
    assertThat(ccgs).hasSize(7);
    long feeding = practices.stream().filter(p -> p.get("feeds_data").equals("true")).count();
    assertThat(feeding).isEqualTo(Math.round(practices.size() * 0.8));
    Set<String> lsoas = Samples.read(r.lsoaImdFile()).stream().map(m -> m.get("lsoa")).collect(Collectors.toSet());
    for (Map<String, String> pc : Samples.read(r.postcodeLsoaFile())) {
      assertThat(lsoas).contains(pc.get("lsoa"));
    }
    Set<String> codes = practices.stream().map(p -> p.get("practice_code")).collect(Collectors.toSet());
    for (Map<String, String> reg : Samples.readSource(r, Sources.GP_REGISTRATIONS)) {
      assertThat(codes).contains(reg.get("practice_code"));
    }
  }
}
