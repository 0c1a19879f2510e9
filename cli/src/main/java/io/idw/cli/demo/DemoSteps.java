package io.idw.cli.demo;

import java.util.List;

/** The demo's pipeline, in order. Each module adds its step here as it lands. */
public final class DemoSteps {
  private DemoSteps() {}

  public static List<DemoStep> all() {
    // The story: generate -> ingest/pseudonymise -> link -> governed session -> matched cohort ->
    // controlled ITS -> practice variation -> disclosure control, release and reports (audit
    // verify follows in DemoCommand). Ingest and linkage steps go before GovernedSessionStep.
    return List.of(
        new SampleDataStep(),
        new PseudonymiseStep(),
        new LinkageStep(),
        new GovernedSessionStep(),
        new MatchedCohortStep(),
        new ItsDemoStep(),
        new PracticeVariationStep(),
        new ReleaseAndReportStep());
  }

  /**
   * The analyses only, on the linked zone of an earlier run ({@code idw demo --reuse}): governed
   * session, matched cohort, ITS, practice variation, disclosure control, release and reports.
   */
  public static List<DemoStep> analyses() {
    List<DemoStep> all = all();
    int from = 0;
    while (from < all.size() && !(all.get(from) instanceof GovernedSessionStep)) {
      from++;
    }
    List<DemoStep> out = new java.util.ArrayList<>();
    out.add(new ReuseStep());
    out.addAll(all.subList(from, all.size()));
    return List.copyOf(out);
  }
}
