package io.idw.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The same settings give byte-identical output whatever the blocks and partitions. */
class DeterminismTest {

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  @Test
  void sameSeedSameBytesWhateverThePartitioning() throws IOException {
    GenerateResult a = Samples.get("det-a", b -> b.people(1500).months(12).seed(99));
    GenerateResult b = Samples.get("det-b", x -> x.people(1500).months(12).seed(99).blockSize(200).partitions(5));
    List<Path> fa = files(a.outDir());
    assertThat(files(b.outDir())).isEqualTo(fa);
    assertThat(fa).hasSizeGreaterThan(Sources.ALL.size() * 12);
    for (Path f : fa) {
      assertThat(Files.mismatch(a.outDir().resolve(f), b.outDir().resolve(f))).as(f.toString()).isEqualTo(-1L);
    }
    assertThat(b.sourceRows()).isEqualTo(a.sourceRows());

    GenerateResult c = Samples.get("det-c", x -> x.people(1500).months(12).seed(100));
    Path ae = Path.of("raw", Sources.AE_ATTENDANCES, "2021-04", Sources.AE_ATTENDANCES + "_2021-04.csv");
    assertThat(Files.mismatch(a.outDir().resolve(ae), c.outDir().resolve(ae))).isNotEqualTo(-1L);
  }

  @Test
  void regeneratingIntoAnEarlierSampleReplacesIt() throws IOException {
    GenerateResult a = Samples.get("det-a", b -> b.people(1500).months(12).seed(99));
    Path again = Samples.root().resolve("det-again");
    GenerateResult first = SampleData.generator().people(300).months(3).seed(99).out(again).build()
        .run(io.idw.core.testing.TestSpark.session());
    GenerateResult second = SampleData.generator().people(1500).months(12).seed(99).out(again).build()
        .run(io.idw.core.testing.TestSpark.session());
    assertThat(first.months()).hasSize(3);
    for (Path f : files(a.outDir())) {
      assertThat(Files.mismatch(a.outDir().resolve(f), second.outDir().resolve(f))).as(f.toString()).isEqualTo(-1L);
    }
    assertThat(files(second.outDir())).isEqualTo(files(a.outDir()));
  }

  @Test
  void refusesADirectoryThatIsNotASample() throws IOException {
    Path other = Samples.root().resolve("not-a-sample");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "keep me");
    var gen = SampleData.generator().people(100).months(2).out(other).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> gen.run(io.idw.core.testing.TestSpark.session()))
        .isInstanceOf(io.idw.core.IdwException.class).hasMessageContaining("cannot generate into");
    assertThat(other.resolve("notes.txt")).exists();
  }

  @Test
  void invalidSettingsAreRefusedWithTheFix() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleData.generator().people(0).out(Path.of("x")).build())
        .hasMessageContaining("people").hasMessageContaining("Fix:");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleData.generator().out(Path.of("x"))
        .fallsLaunch(java.time.YearMonth.of(2030, 1)).build()).hasMessageContaining("falls launch month");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SampleData.generator().out(Path.of("x"))
        .homeSafetyVisitEffect(-2).build()).hasMessageContaining("home safety visit effect");
  }
}
