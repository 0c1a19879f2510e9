package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.idw.cohort.matched.GovernedMatchedCohortJob;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two modes of {@code evaluate matched-cohort} refuse ambiguous or incomplete requests before any read. */
class EvaluateMatchedCohortCommandTest {
  @TempDir Path tmp;

  Path kidSpec() throws Exception {
    Path p = tmp.resolve("kid.yaml");
    try (InputStream in = GovernedMatchedCohortJob.class.getResourceAsStream(GovernedMatchedCohortJob.KID_SPEC_RESOURCE)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void eitherAnInputOrTheGovernedOptions() throws Exception {
    String spec = kidSpec().toString();
    MainTest.Result none = MainTest.run("evaluate", "matched-cohort", "--spec", spec);
    assertThat(none.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(none.err()).contains("no input was given").contains("--warehouse DIR --agreement FILE --purpose P --user U");

    MainTest.Result both = MainTest.run("evaluate", "matched-cohort", "--spec", spec, "--input", "t.csv",
        "--purpose", "home-safety-visit-evaluation");
    assertThat(both.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(both.err()).contains("both --input and governed options were given");

    MainTest.Result partial = MainTest.run("evaluate", "matched-cohort", "--spec", spec,
        "--warehouse", tmp.resolve("wh").toString(), "--purpose", "home-safety-visit-evaluation");
    assertThat(partial.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(partial.err()).contains("governed mode needs --agreement, --user");
    assertThat(Files.exists(tmp.resolve("wh"))).isFalse();
  }
}
