package io.idw.cohort.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.Provenance;
import io.idw.cohort.matched.MatchedCohortEvaluation;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.cohort.matched.MatchedCohortSpec;
import io.idw.core.IdwMappers;
import io.idw.core.testing.SparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real matched-cohort result (the matched engine on its R-reference table) rendered as a report. */
@SparkTest
class MatchedCohortReportTest {
  @TempDir Path tmp;

  @Test
  void reportOfARealMatchedCohortResultHoldsItsNumbers(SparkSession spark) throws Exception {
    MatchedCohortSpec spec = MatchedCohortSpec.read(Path.of("src/test/resources/matched/ps_spec.yaml"));
    var input = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("src/test/resources/matched/ps_data.csv");
    MatchedCohortResult r = MatchedCohortEvaluation.of(spec)
        .run(input, Provenance.builder(spec.hash()).input(Provenance.Input.file("ps_data.csv", null))).result();
    Path json = tmp.resolve("matched.json");
    r.writeJson(json);

    ReportWording words = new ReportWording("home-safety-visits-ae", null, "home safety visits",
        "A&E attendances from home", "people aged 65 and over", true);
    EvaluationSummary s = EvaluationResults.read(json, words);
    var file = CommissionerReport.builder().evaluation(s).resultFile(json)
        .release(ReportFixtures.released(json, DisclosureStatus.PASS)).build().writeTo(tmp);
    Document doc = Jsoup.parse(Files.readString(file.path()));

    JsonNode rr = IdwMappers.json().readTree(json.toFile()).path("effects").path("matched").path("rate_ratio");
    String headline = doc.getElementById("headline").text();
    for (String f : new String[] {"estimate", "ci_low", "ci_high"}) {
      assertThat(headline).contains(Wording.number(rr.path(f).asDouble()));
    }
    boolean covers1 = rr.path("ci_low").asDouble() <= 1 && 1 <= rr.path("ci_high").asDouble();
    assertThat(headline.startsWith("There is no evidence that home safety visits changed A&E attendances from home"))
        .isEqualTo(covers1);
    assertThat(doc.select("figure[data-figure=balance] img")).hasSize(1);
    assertThat(doc.select("figure[data-figure=outcome_by_group] img")).hasSize(1);
    assertThat(doc.getElementById("key-figures").text())
        .contains(String.format(Locale.UK, "%,d", r.sizes().treatedMatched()));
    assertThat(doc.getElementById("spec-hash").text()).isEqualTo(spec.hash());
    assertThat(doc.getElementById("table-versions").text()).contains("ps_data.csv");
  }

  /** A subgroup declared in the spec reaches the report's subgroup table with its own estimate. */
  @Test
  void declaredSubgroupsFlowFromTheSpecToTheReport(SparkSession spark) throws Exception {
    MatchedCohortSpec base = MatchedCohortSpec.read(Path.of("src/test/resources/matched/ps_spec.yaml"));
    MatchedCohortSpec spec = MatchedCohortSpec.parse(IdwMappers.json().writeValueAsString(base)
        .replaceFirst("\\}\\s*$", ", \"subgroups\": [{\"name\": \"aged_80_plus\", \"label\": \"people aged 80 and over\","
            + " \"where\": \"age >= 80\"}]}"), "test");
    assertThat(spec.subgroupList()).hasSize(1);
    var input = spark.read().option("header", "true").option("inferSchema", "true")
        .csv("src/test/resources/matched/ps_data.csv");
    MatchedCohortResult r = MatchedCohortEvaluation.of(spec).run(input, Provenance.builder(spec.hash())).result();
    Path json = tmp.resolve("matched-subgroups.json");
    r.writeJson(json);
    EvaluationSummary s = EvaluationResults.read(json, null);
    assertThat(s.subgroups()).extracting(NamedEffect::label).containsExactly("people aged 80 and over");
    var file = CommissionerReport.builder().evaluation(s).resultFile(json)
        .release(ReportFixtures.released(json, DisclosureStatus.PASS)).build().writeTo(tmp);
    Document doc = Jsoup.parse(Files.readString(file.path()));
    String table = doc.getElementById("subgroups").text();
    MatchedCohortResult.SubgroupEffects g = r.subgroupList().get(0);
    assertThat(table).contains("people aged 80 and over", Wording.number(g.effects().rateRatio().estimate()));
    assertThat(doc.getElementById("key-figures").text()).contains("Subgroup people aged 80 and over");
  }
}
