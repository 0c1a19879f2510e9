package io.idw.cohort.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.Provenance;
import io.idw.cohort.its.ItsResult;
import io.idw.core.IdwMappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Turns an interrupted-time-series result ({@link ItsResult}) into a report summary. */
public final class ItsReports {
  private ItsReports() {}

  /** Released table ids of an ITS output, for disclosure-control statuses. */
  public static final String SERIES = "series";
  public static final String MODEL = "model";

  static Optional<EvaluationSummary> adapt(JsonNode root, ReportWording w) {
    if (root == null || !(root.has("levelChange") || root.has("notEstimable")) || !root.has("series") || !root.has("analysis")) {
      return Optional.empty();
    }
    try {
      return Optional.of(summary(IdwMappers.json().treeToValue(root, ItsResult.class), w));
    } catch (JsonProcessingException e) {
      throw IdwMappers.bindingError("ITS result", e);
    }
  }

  /** The summary of an ITS result, with the given words (null parts filled from the result). */
  public static EvaluationSummary summary(ItsResult r, ReportWording w) {
    w = w == null ? ReportWording.none() : w;
    boolean controlled = "controlled_its".equals(r.analysis());
    String intervention = w.interventionOr("the intervention");
    String outcome = w.outcomeOr(r.description() != null ? r.description() : "the outcome");
    EvaluationSummary.Builder b = EvaluationSummary.builder()
        .id(w.idOr(r.name().replace('_', '-')))
        .kind(controlled ? EvaluationKind.CONTROLLED_ITS : EvaluationKind.ITS)
        .title(w.titleOr(r.description() != null ? r.description() : "Interrupted time series " + r.name()))
        .intervention(intervention)
        .outcome(outcome)
        .population(w.populationOr(""))
        .lowerIsBetter(w.lowerIsBetterOr(true));
    if (!r.estimable()) {
      b.notEstimable(r.notEstimable());
      b.limitation("No level or slope change is reported: " + r.notEstimable() + ".");
    } else {
      b.headline(effect(controlled ? "level change, rate ratio relative to the comparison series" : "level change, rate ratio",
          r.levelChange()));
    }
    if (r.slopeChange() != null) {
      b.otherEffect("Slope change (per month)", effect("slope change per month", r.slopeChange()));
    }
    ItsResult.Events ev = r.events();
    if (ev != null) {
      b.keyFigure(MODEL, "Events averted over the " + ev.months() + " months after (counterfactual minus fitted)",
          String.format(Locale.UK, "%s (95%% CI %s to %s)", Wording.number(ev.averted()), Wording.number(ev.avertedLower()),
              Wording.number(ev.avertedUpper())));
      b.keyFigure(SERIES, "Events observed after the interruption", Wording.number(ev.observed()));
    }
    b.keyFigure(MODEL, "Months in the model / residual degrees of freedom", r.fit().observations() + " / " + r.fit().residualDf());
    int k = r.periodMonths();
    String periods = k == 1 ? "months" : k == 3 ? "quarters" : k + "-month periods";
    b.figure(new Figure(SERIES, "Observed, fitted and counterfactual series",
        (k == 1 ? "" : "The model is fitted on months; the released series shows " + periods + " (totals of " + k
            + " months, so that no published count is below the disclosure-control threshold); each dot is at its"
            + " period's first month and rates stay per month. ")
            + (r.estimable() ? "Dots are observed " + periods + "; solid lines the model; dashed lines what the model predicts without "
            + intervention + " (the counterfactual); the vertical line marks the interruption."
            : "Dots are observed " + periods + "; the vertical line marks the interruption. No model lines are drawn:"
            + " there were too few events to estimate the effect."),
        chart(r, intervention)));
    ItsResult.Method m = r.method();
    b.method("Segmented " + m.family().replace('_', '-') + " regression" + (m.fitter() == null ? "" : " (" + m.fitter() + ")")
        + (controlled ? " over the intervention and comparison series together, with group, group \u00d7 time, group \u00d7 post"
            + (m.slopeChangeTerm() ? " and group \u00d7 time-since terms" : " terms") : "")
        + "; interruption " + m.interruption()
        + (m.transitionMonths() > 0 ? ", " + m.transitionMonths() + " transition months left out of the fit" : "") + ".");
    if (m.harmonicPairs() > 0) {
      b.method("Seasonality: " + m.harmonicPairs() + " harmonic pair(s)" + (m.harmonics() == null ? "" : " (" + m.harmonics() + ")") + ".");
    }
    if (m.confidenceIntervals() != null) {
      b.method("Confidence intervals: " + m.confidenceIntervals() + (m.dispersion() == null ? "" : "; dispersion " + m.dispersion()) + ".");
    }
    b.limitation("An interrupted time series attributes to " + intervention + " any change at the interruption;"
        + (controlled ? " the comparison series removes changes shared by both areas, but not ones local to the service areas."
            : " other changes at the same time (policy, coding, a winter) cannot be separated from it."));
    r.diagnostics().stream().filter(d -> d.breuschGodfreyPValue() < 0.05).findFirst().ifPresent(d ->
        b.limitation(String.format(Locale.UK, "The residuals are autocorrelated (Breusch-Godfrey p = %.3f), so the CIs may be too narrow.",
            d.breuschGodfreyPValue())));
    b.provenance(provenance(r.provenance()));
    return b.build();
  }

  static ChartData.TimeSeries chart(ItsResult r, String intervention) {
    Map<String, List<ItsResult.SeriesRow>> byGroup = new LinkedHashMap<>();
    for (ItsResult.SeriesRow s : r.series()) {
      byGroup.computeIfAbsent(Objects.toString(s.group(), ""), k -> new ArrayList<>()).add(s);
    }
    boolean rates = r.series().stream().allMatch(s -> s.observedRate() != null && s.fittedRate() != null
        && s.counterfactualRate() != null);
    List<ChartData.Series> series = new ArrayList<>();
    byGroup.forEach((g, rows) -> {
      boolean changed = rows.stream().anyMatch(s -> s.post() && Math.abs(s.counterfactual() - s.fitted()) > 1e-9 * Math.max(1, Math.abs(s.fitted())));
      List<String> months = new ArrayList<>();
      List<Double> obs = new ArrayList<>();
      List<Double> fit = new ArrayList<>();
      List<Double> cf = new ArrayList<>();
      for (ItsResult.SeriesRow s : rows) {
        months.add(s.month());
        obs.add(rates ? s.observedRate() : s.observed());
        fit.add(rates ? s.fittedRate() : s.fitted());
        cf.add(s.post() && changed ? (rates ? s.counterfactualRate() : s.counterfactual()) : Double.NaN);
      }
      String name = g.isEmpty() ? "Series" : ReportWording.words(g);
      // without an estimate the model's lines mean nothing: observed points only
      series.add(new ChartData.Series(name, months, obs, r.estimable() ? fit : List.of(),
          changed && r.estimable() ? cf : List.of()));
    });
    int k = r.periodMonths();
    String unit = rates ? "rate per " + Wording.number(r.method().ratePer() == null ? 100000 : r.method().ratePer()) + " per month"
        : k == 1 ? "events per month" : k == 3 ? "events per quarter" : "events per " + k + " months";
    return new ChartData.TimeSeries(unit, r.method().interruption(), series);
  }

  static Effect effect(String measure, ItsResult.Effect e) {
    return e.scale() != null && e.scale().startsWith("rate_ratio")
        ? Effect.ratio(measure, e.estimate(), e.lower(), e.upper())
        : Effect.difference(measure, e.estimate(), e.lower(), e.upper());
  }

  static Provenance provenance(ItsResult.Provenance p) {
    List<Provenance.Input> inputs = new ArrayList<>();
    if (p.inputs() != null) {
      p.inputs().forEach(i -> inputs.add(new Provenance.Input(i.name(), i.version(), i.sha256())));
    }
    Provenance.Agreement a = p.agreement() == null ? null
        : new Provenance.Agreement(p.agreement().id(), p.agreement().version(), p.agreement().sha256(), p.agreement().purpose());
    return new Provenance(inputs, p.specSha256(), a, p.idwVersion(), p.generatedAt());
  }
}
