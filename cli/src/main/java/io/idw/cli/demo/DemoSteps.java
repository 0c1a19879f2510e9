package io.idw.cli.demo;

import java.util.List;

/** The demo's pipeline, in order. Each module adds its step here as it lands. */
public final class DemoSteps {
  private DemoSteps() {}

  public static List<DemoStep> all() {
    return List.of(
        new SampleDataStep(),
        new PseudonymiseStep(),
        new LinkageStep(),
        new DeltaSmokeStep(),
        new PracticeVariationStep(),
        new MatchedCohortStep(),
        new ItsDemoStep(),
        new ReleaseAndReportStep());
  }
}
