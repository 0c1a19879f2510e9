package io.idw.cohort.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.idw.core.IdwException;
import io.idw.core.IdwMappers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommissionerReportTest {
  @TempDir Path tmp;

  private Document render(EvaluationSummary s, DisclosureCheck... checks) throws Exception {
    Path result = EvaluationResults.write(s, tmp.resolve("result.json"));
    EvaluationSummary read = EvaluationResults.read(result);
    var file = CommissionerReport.builder().evaluation(read).resultFile(result)
        .release(ReportFixtures.released(result, DisclosureStatus.PASS, checks)).build().writeTo(tmp.resolve("reports"));
    assertThat(file.path()).exists().hasFileName(s.id() + ".html");
    return Jsoup.parse(Files.readString(file.path()));
  }

  private static String fmt2(double v) {
    return String.format(Locale.UK, "%.2f", v);
  }

  @Test
  void holdsTheHeadlineNumbersFromTheResultJsonAndTheCharts() throws Exception {
    EvaluationSummary s = ReportFixtures.matched(Effect.ratio("rate ratio", 0.85, 0.78, 0.93)).build();
    Path result = EvaluationResults.write(s, tmp.resolve("result.json"));
    JsonNode head = IdwMappers.json().readTree(result.toFile()).path("summary").path("headline");
    Document doc = render(s);

    String headline = doc.getElementById("headline").text();
    for (String f : List.of("estimate", "lower", "upper")) {
      assertThat(headline).contains(fmt2(head.path(f).asDouble()));
    }
    assertThat(headline).startsWith("Home safety visits reduced A&E attendances from home")
        .contains(String.format(Locale.UK, "by %.0f%%", (1 - head.path("estimate").asDouble()) * 100));
    assertThat(doc.getElementById("decision").attr("data-decision")).isEqualTo("continue");
    assertThat(doc.getElementById("effects").text()).contains("1.42", "1.30 to 1.55");

    List<Element> figures = doc.select("figure[data-figure]");
    assertThat(figures).extracting(e -> e.attr("data-figure")).containsExactly("love_plot", "outcome_by_group");
    Element img = figures.get(0).selectFirst("img");
    String prefix = "data:image/svg+xml;base64,";
    assertThat(img.attr("src")).startsWith(prefix);
    String svg = new String(Base64.getDecoder().decode(img.attr("src").substring(prefix.length())), StandardCharsets.UTF_8);
    Document svgDoc = Jsoup.parse(svg, "", Parser.xmlParser());
    assertThat(svgDoc.selectFirst("svg")).isNotNull();
    assertThat(svgDoc.select("text").text()).contains("prior_ae_12m", "Before matching", "After matching");

    assertThat(doc.getElementById("agreement").text()).isEqualTo("kent-service-eval version 1.2");
    assertThat(doc.getElementById("purpose").text()).isEqualTo("service_evaluation");
    assertThat(doc.getElementById("spec-hash").text()).isEqualTo("cd".repeat(32));
    assertThat(doc.getElementById("table-versions").text()).contains("linked.ae_attendances version 3");
    assertThat(doc.getElementById("output-sha256").text())
        .isEqualTo(CommissionerReport.sha256(Files.readAllBytes(result)));
    // every figure and key-figure source has a disclosure status
    assertThat(doc.select("#disclosure-checks tr[data-check]")).extracting(e -> e.attr("data-check"))
        .containsExactly("love_plot", "outcome_by_group", "sample_sizes");
    assertThat(doc.select("#disclosure-checks td").text()).contains("pass");
  }

  @Test
  void nullResultIsStatedPlainly() throws Exception {
    Document doc = render(ReportFixtures.matched(Effect.ratio("rate ratio", 0.97, 0.88, 1.07)).build());
    String headline = doc.getElementById("headline").text();
    assertThat(headline).startsWith("There is no evidence that home safety visits changed A&E attendances from home")
        .contains("0.97", "0.88", "1.07");
    assertThat(doc.getElementById("headline").hasClass("null")).isTrue();
    assertThat(doc.getElementById("interpretation").text()).contains("12% fewer", "7% more");
    assertThat(doc.getElementById("decision").attr("data-decision")).isEqualTo("decommission");
  }

  @Test
  void reportIsRefusedForAnOutputThatFailedDisclosureControl() throws Exception {
    EvaluationSummary s = ReportFixtures.matched(Effect.ratio("rate ratio", 0.85, 0.78, 0.93)).build();
    Path result = EvaluationResults.write(s, tmp.resolve("result.json"));
    var fail = new DisclosureCheck("sample_sizes", DisclosureStatus.FAIL, List.of("cell of 4 below the minimum of 10"), null, null);
    assertThatThrownBy(() -> CommissionerReport.builder().evaluation(s).resultFile(result)
        .release(ReportFixtures.released(result, DisclosureStatus.FAIL, fail)).build())
        .isInstanceOf(IdwException.class)
        .satisfies(e -> assertThat(((IdwException) e).code()).isEqualTo("cohort.report.disclosure_failed"))
        .hasMessageContaining("cell of 4");
    assertThat(tmp.resolve("reports")).doesNotExist();
  }

  @Test
  void reportIsRefusedForUnreleasedReviewedWithoutExceptionOrAlteredOutputs() throws Exception {
    EvaluationSummary s = ReportFixtures.matched(Effect.ratio("rate ratio", 0.85, 0.78, 0.93)).build();
    Path result = EvaluationResults.write(s, tmp.resolve("result.json"));
    assertThatThrownBy(() -> CommissionerReport.builder().evaluation(s).resultFile(result)
        .release(p -> java.util.Optional.empty()).build())
        .satisfies(e -> assertThat(((IdwException) e).code()).isEqualTo("cohort.report.not_released"));
    var review = new DisclosureCheck("love_plot", DisclosureStatus.REVIEW, List.of("dominance"), null, null);
    assertThatThrownBy(() -> CommissionerReport.builder().evaluation(s).resultFile(result)
        .release(ReportFixtures.released(result, DisclosureStatus.REVIEW, review)).build())
        .satisfies(e -> assertThat(((IdwException) e).code()).isEqualTo("cohort.report.not_released"));
    var excepted = new DisclosureCheck("love_plot", DisclosureStatus.REVIEW, List.of("dominance"), "A. Checker", "SMDs only");
    ReleaseRegistry ok = ReportFixtures.released(result, DisclosureStatus.REVIEW, excepted);
    String html = CommissionerReport.builder().evaluation(s).resultFile(result).release(ok).build().html();
    assertThat(Jsoup.parse(html).select("tr[data-check=love_plot]").text()).contains("review", "A. Checker");
    Files.writeString(result, Files.readString(result).replace("0.85", "0.65"));
    assertThatThrownBy(() -> CommissionerReport.builder().evaluation(s).resultFile(result).release(ok).build())
        .satisfies(e -> assertThat(((IdwException) e).code()).isEqualTo("cohort.report.checksum"));
  }

  @Test
  void textFromResultsIsEscaped() throws Exception {
    Document doc = render(ReportFixtures.matched(Effect.ratio("rate ratio", 0.85, 0.78, 0.93))
        .intervention("<script>alert(1)</script> visits").build());
    assertThat(doc.select("script")).isEmpty();
    assertThat(doc.getElementById("headline").text()).contains("<script>alert(1)</script> visits");
  }

  @Test
  void itsReportDrawsObservedFittedCounterfactualAndTheInterruption() throws Exception {
    Document doc = render(ReportFixtures.its(Effect.ratio("level-change rate ratio", 0.80, 0.70, 0.91)));
    String src = doc.selectFirst("figure[data-figure=its_series] img").attr("src");
    String svg = new String(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)), StandardCharsets.UTF_8);
    assertThat(Jsoup.parse(svg, "", Parser.xmlParser()).select("text").text())
        .contains("Service districts observed", "Service districts fitted", "counterfactual", "interruption 2024-01");
    assertThat(doc.getElementById("headline").text())
        .startsWith("The falls prevention service reduced falls-related non-elective admissions").contains("by 20%");
  }

  @Test
  void sameInputGivesTheSameReport() throws Exception {
    EvaluationSummary s = ReportFixtures.matched(Effect.ratio("rate ratio", 0.85, 0.78, 0.93)).build();
    Path result = EvaluationResults.write(s, tmp.resolve("result.json"));
    ReleaseRegistry reg = ReportFixtures.released(result, DisclosureStatus.PASS);
    String a = CommissionerReport.builder().evaluation(s).resultFile(result).release(reg).build().html();
    String b = CommissionerReport.builder().evaluation(EvaluationResults.read(result)).resultFile(result).release(reg).build().html();
    assertThat(a).isEqualTo(b);
  }
}
