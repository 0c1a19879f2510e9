package io.idw.cohort.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.its.InterruptedTimeSeries;
import io.idw.cohort.its.ItsResult;
import io.idw.cohort.its.ItsSpec;
import io.idw.core.IdwMappers;
import io.idw.core.testing.SparkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.spark.sql.SparkSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real controlled-ITS result (the ITS engine on its simulated golden series) rendered as a report. */
@SparkTest
class ItsReportTest {
  @TempDir Path tmp;

  @Test
  void reportOfARealControlledItsResultHoldsItsNumbersAndChart(SparkSession spark) throws Exception {
    var data = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("src/test/resources/its/golden/cits_simulated.csv");
    ItsSpec spec = ItsSpec.parse("""
        name: falls_prevention
        description: Falls-related non-elective admissions, service districts against the others
        columns: {period: month, outcome: falls, population: population, group: series}
        interruption: 2019-07
        comparison: {intervention: service, control: no_service}
        model: {family: quasi_poisson, harmonics: 1, slopeChange: true}
        """, "test");
    ItsResult r = InterruptedTimeSeries.evaluate(spec).series(data).run();
    Path json = tmp.resolve("its.json");
    r.writeJson(json);
    ReportWording words = new ReportWording(null, null, "the falls prevention service",
        "falls-related non-elective admissions", "people aged 65 and over", true);
    EvaluationSummary s = EvaluationResults.read(json, words);
    assertThat(s.kind()).isEqualTo(EvaluationKind.CONTROLLED_ITS);
    var file = CommissionerReport.builder().evaluation(s).resultFile(json)
        .release(ReportFixtures.released(json, DisclosureStatus.PASS)).build().writeTo(tmp);
    Document doc = Jsoup.parse(Files.readString(file.path()));

    JsonNode lc = IdwMappers.json().readTree(json.toFile()).path("levelChange");
    String headline = doc.getElementById("headline").text();
    for (String f : new String[] {"estimate", "lower", "upper"}) {
      assertThat(headline).contains(Wording.number(lc.path(f).asDouble()));
    }
    assertThat(file.path().getFileName().toString()).isEqualTo("falls-prevention.html");
    String src = doc.selectFirst("figure[data-figure=series] img").attr("src");
    String svg = new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8);
    assertThat(Jsoup.parse(svg, "", Parser.xmlParser()).select("text").text())
        .contains("service observed", "service fitted", "service counterfactual", "no service observed",
            "interruption 2019-07");
    assertThat(doc.getElementById("effects").text()).contains("Slope change");
    assertThat(doc.getElementById("key-figures").text()).contains("Events averted");
  }
}
