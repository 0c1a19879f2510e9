package io.idw.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSpecTest {
  private static final Path GOLDEN = Path.of("src/test/resources/specs/ae_attendances.yaml");

  @Test
  void goldenSpecParsesAndRoundTrips() throws Exception {
    SourceSpec spec = SourceSpec.read(GOLDEN);
    assertThat(spec.name()).isEqualTo("ae_attendances");
    assertThat(spec.format()).isEqualTo(SourceSpec.Format.CSV);
    assertThat(spec.identifierColumns()).extracting(SourceSpec.Column::identifier)
        .containsExactly(IdentifierType.NHS_NUMBER, IdentifierType.DATE_OF_BIRTH, IdentifierType.POSTCODE);
    assertThat(spec.onInvalidIdentifier()).isEqualTo(SourceSpec.InvalidIdentifierAction.FLAG);
    assertThat(spec.ddl()).startsWith("`attendance_id` string, `nhs_number` string");

    String yaml = IdwMappers.yaml().writeValueAsString(spec);
    SourceSpec again = IdwMappers.readString(yaml, "round-trip", SourceSpec.class);
    assertThat(again).isEqualTo(spec);
    String json = IdwMappers.json().writeValueAsString(spec);
    assertThat(IdwMappers.json().readValue(json, SourceSpec.class)).isEqualTo(spec);
  }

  @Test
  void unknownKeyNamesFileFieldAndFix(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, Files.readString(GOLDEN).replace("recordId:", "colour: red\nrecordId:"));
    assertThatThrownBy(() -> SourceSpec.read(f)).isInstanceOf(IdwException.class)
        .hasMessageContaining("bad.yaml").hasMessageContaining("colour").hasMessageContaining("Fix:");
  }

  @Test
  void badColumnTypeNamesTheColumnPath(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, Files.readString(GOLDEN).replace("type: date", "type: datetime2"));
    assertThatThrownBy(() -> SourceSpec.read(f)).isInstanceOf(IdwException.class)
        .hasMessageContaining("columns[").hasMessageContaining("datetime2");
  }

  @Test
  void recordIdMustBeADeclaredColumn(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, Files.readString(GOLDEN).replace("recordId: attendance_id", "recordId: nope"));
    assertThatThrownBy(() -> SourceSpec.read(f)).isInstanceOf(IdwException.class)
        .hasMessageContaining("'recordId'").hasMessageContaining("nope");
  }

  @Test
  void unknownIdentifierTypeListsTheKnownOnes(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("bad.yaml");
    Files.writeString(f, Files.readString(GOLDEN).replace("identifier: postcode", "identifier: zipcode"));
    assertThatThrownBy(() -> SourceSpec.read(f)).isInstanceOf(IdwException.class)
        .hasMessageContaining("zipcode").hasMessageContaining("nhs_number");
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> SourceSpec.read(Path.of("does/not/exist.yaml")))
        .isInstanceOf(IdwException.class).hasMessageContaining("exist.yaml");
  }
}
