package io.idw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.IdwMappers;
import io.idw.core.testing.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code idw generate}: writes the contract's layout with the planted effects it was given. */
class GenerateCommandTest {
  @TempDir Path tmp;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Main.commandLine(args);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void generatesTheLayoutWithThePlantedEffects() throws Exception {
    TestSpark.session();
    Path out = tmp.resolve("sample");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int exit = run(o, e, "generate", "--people", "300", "--months", "4", "--start", "2022-01", "--seed", "3",
        "--out", out.toString(), "--hsv-effect", "-0.15", "--falls-districts", "Thanet,Swale", "--dirt-scale", "0");
    assertThat(exit).as(e.toString()).isZero();
    assertThat(o.toString()).contains("300 people").contains("ae_attendances");
    assertThat(out.resolve("raw/ae_attendances/2022-03/ae_attendances_2022-03.csv")).exists();
    assertThat(out.resolve("specs/gp_registrations.yaml")).exists();
    assertThat(out.resolve("reference/practices.csv")).exists();
    JsonNode fx = IdwMappers.json().readTree(out.resolve("truth/effects.json").toFile());
    assertThat(fx.at("/home_safety_visits/effect").asDouble()).isEqualTo(-0.15);
    assertThat(fx.at("/falls_service/launch_districts").toString()).isEqualTo("[\"Swale\",\"Thanet\"]");
    assertThat(Files.readString(out.resolve("truth/dirt.csv")).lines().count()).isEqualTo(1); // header only: clean
  }

  @Test
  void badSettingsAreOneLineWithTheFix() {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int exit = run(o, e, "generate", "--people", "100", "--out", tmp.resolve("x").toString(), "--falls-districts", "Atlantis");
    assertThat(exit).isEqualTo(Main.EXIT_REFUSED);
    assertThat(e.toString().strip().lines().toList()).singleElement().asString()
        .contains("Atlantis").contains("Fix:");
  }
}
