package io.idw.cli.demo;

/** One stage of {@code idw demo}. Steps run in the order {@link DemoSteps#all()} lists them. */
public interface DemoStep {
  /** A short description, printed as the step starts. */
  String title();

  /** Runs the step; throw to stop the demo. */
  void run(DemoContext ctx);
}
