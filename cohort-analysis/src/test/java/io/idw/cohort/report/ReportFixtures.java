package io.idw.cohort.report;

import io.idw.cohort.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-built evaluation results and an in-memory release registry for report tests. */
final class ReportFixtures {
  private ReportFixtures() {}

  static Provenance provenance() {
    return new Provenance(List.of(Provenance.Input.table("linked.ae_attendances", 3),
        Provenance.Input.table("linked.fire_home_safety_visits", 2)), "cd".repeat(32),
        new Provenance.Agreement("kent-service-eval", "1.2", "ab".repeat(32), "service_evaluation"),
        "0.1.0-SNAPSHOT", "2026-11-22T01:00:00Z");
  }

  static EvaluationSummary.Builder matched(Effect headline) {
    return EvaluationSummary.builder()
        .id("home-safety-visits-ae")
        .kind(EvaluationKind.MATCHED_COHORT)
        .title("Home safety visits and A&E attendances from home")
        .intervention("home safety visits")
        .outcome("A&E attendances from home")
        .population("people aged 65 and over")
        .headline(headline)
        .otherEffect("Naive comparison, before matching", Effect.ratio("rate ratio", 1.42, 1.30, 1.55))
        .keyFigure("sample_sizes", "People with a visit, matched", "1,240")
        .keyFigure("sample_sizes", "Matched controls", "1,240")
        .figure("love_plot", "Balance before and after matching", "Standardised mean differences; dashed lines at 0.1.",
            new ChartData.LovePlot(List.of(
                new ChartData.Balance("age", 0.61, 0.03),
                new ChartData.Balance("imd_decile", -0.35, -0.02),
                new ChartData.Balance("prior_ae_12m", 0.48, 0.05)), 0.1))
        .figure("outcome_by_group", "A&E attendances from home in the 12 months after", "Means with 95% CIs.",
            new ChartData.GroupOutcomes("attendances per person", List.of(
                new ChartData.GroupValue("visited", "", 0.52, 0.47, 0.57),
                new ChartData.GroupValue("matched controls", "", 0.55, 0.50, 0.60))))
        .method("Propensity score by logistic regression; greedy 1:1 nearest-neighbour matching with a 0.2 SD caliper.")
        .limitation("Unmeasured confounding cannot be ruled out.")
        .provenance(provenance());
  }

  static EvaluationSummary its(Effect headline) {
    List<String> months = new ArrayList<>();
    List<Double> obs = new ArrayList<>();
    List<Double> fit = new ArrayList<>();
    List<Double> cf = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      months.add(String.format("2023-%02d", 1 + i % 12).replace("2023", i < 12 ? "2023" : "2024"));
      double f = 20 + 0.1 * i + (i >= 12 ? -3 : 0);
      obs.add(f + (i % 3) - 1.0);
      fit.add(f);
      cf.add(i >= 12 ? 20 + 0.1 * i : Double.NaN);
    }
    return EvaluationSummary.builder()
        .id("falls-prevention-its").kind(EvaluationKind.CONTROLLED_ITS)
        .title("Falls prevention service and falls admissions")
        .intervention("the falls prevention service").outcome("falls-related non-elective admissions")
        .population("people aged 65 and over")
        .headline(headline)
        .figure("its_series", "Monthly falls admissions", "Observed, fitted and counterfactual.",
            new ChartData.TimeSeries("admissions per month", "2024-01",
                List.of(new ChartData.Series("Service districts", months, obs, fit, cf))))
        .provenance(provenance()).build();
  }

  /** A registry that knows one file, with the SHA-256 of its current content. */
  static ReleaseRegistry released(Path file, DisclosureStatus status, DisclosureCheck... checks) throws Exception {
    String sha = CommissionerReport.sha256(Files.readAllBytes(file));
    ReleasedOutput r = new ReleasedOutput("out-" + file.getFileName(), sha, status, List.of(checks),
        "2026-11-22T01:00:00Z", "checker@kent");
    return p -> p.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize()) ? Optional.of(r) : Optional.empty();
  }
}
