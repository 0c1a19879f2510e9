package io.idw.cohort.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.idw.cohort.matched.Balance;
import io.idw.cohort.matched.Effects;
import io.idw.cohort.matched.MatchedCohortResult;
import io.idw.core.IdwMappers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a matched-cohort result ({@link MatchedCohortResult}) into a report summary. */
public final class MatchedCohortReports {
  private MatchedCohortReports() {}

  /** Released table ids of a matched-cohort output, for disclosure-control statuses. */
  public static final String SIZES = "sizes";
  public static final String BALANCE = "balance";
  public static final String EFFECTS = "effects";
  public static final String SUBGROUP_SIZES = "subgroup_sizes";

  /** Recognises a matched-cohort result document. */
  static Optional<EvaluationSummary> adapt(JsonNode root, ReportWording w) {
    if (root == null || !root.has("balance") || !root.has("sizes") || !root.has("effects") || !root.has("spec")) {
      return Optional.empty();
    }
    try {
      return Optional.of(summary(IdwMappers.json().treeToValue(root, MatchedCohortResult.class), w));
    } catch (JsonProcessingException e) {
      throw IdwMappers.bindingError("matched-cohort result", e);
    }
  }

  /** The summary of a matched-cohort result, with the given words (null parts filled from the result). */
  public static EvaluationSummary summary(MatchedCohortResult r, ReportWording w) {
    w = w == null ? ReportWording.none() : w;
    String outcomeCol = r.effects().outcome() != null ? r.effects().outcome() : r.spec().data().outcome();
    String intervention = w.interventionOr("the intervention (" + ReportWording.words(r.spec().data().treatment()) + ")");
    String outcome = w.outcomeOr(ReportWording.words(outcomeCol));
    MatchedCohortResult.OutcomeEffects m = r.effects().matched();
    MatchedCohortResult.OutcomeEffects n = r.effects().naive();
    Effect headline = m.rateRatio() != null ? effect("rate ratio", m.rateRatio()) : effect("difference in means", m.differenceInMeans());
    EvaluationSummary.Builder b = EvaluationSummary.builder()
        .id(w.idOr(r.spec().name().replace('_', '-')))
        .kind(EvaluationKind.MATCHED_COHORT)
        .title(w.titleOr(r.spec().description() != null ? r.spec().description() : "Matched-cohort evaluation " + r.spec().name()))
        .intervention(intervention)
        .outcome(outcome)
        .population(w.populationOr(""))
        .lowerIsBetter(w.lowerIsBetterOr(true))
        .headline(headline);
    if (m.rateRatio() != null && m.differenceInMeans() != null) {
      b.otherEffect("Matched: difference in means (" + (m.differenceInMeans().seType() == null ? "" : m.differenceInMeans().seType() + " SE") + ")",
          effect("difference in means", m.differenceInMeans()));
    }
    if (n != null) {
      if (n.rateRatio() != null) {
        b.otherEffect("Naive comparison, before matching", effect("rate ratio", n.rateRatio()));
      }
      if (n.differenceInMeans() != null) {
        b.otherEffect("Naive comparison, before matching", effect("difference in means", n.differenceInMeans()));
      }
    }
    MatchedCohortResult.Sizes s = r.sizes();
    b.keyFigure(SIZES, "People with " + intervention + " (before matching)", String.format(Locale.UK, "%,d", s.treatedBefore()))
        .keyFigure(SIZES, "Potential comparison people (before matching)", String.format(Locale.UK, "%,d", s.controlBefore()))
        .keyFigure(SIZES, "People with " + intervention + ", matched", String.format(Locale.UK, "%,d", s.treatedMatched()))
        .keyFigure(SIZES, "Matched comparison people", String.format(Locale.UK, "%,d", s.controlMatched()))
        .keyFigure(SIZES, "Not matched: outside the caliper / no comparison in stratum",
            String.format(Locale.UK, "%,d / %,d", s.outsideCaliper(), s.noControlInStratum()));
    for (MatchedCohortResult.SubgroupEffects g : r.subgroupList()) {
      if (g.treatedMatched() != null && g.controlMatched() != null) {
        b.keyFigure(SUBGROUP_SIZES, "Subgroup " + g.label() + ": matched people with / without",
            String.format(Locale.UK, "%,d / %,d", g.treatedMatched(), g.controlMatched()));
      }
      MatchedCohortResult.OutcomeEffects ge = g.effects();
      if (ge != null && (ge.rateRatio() != null || ge.differenceInMeans() != null)) {
        b.subgroup(g.label(), ge.rateRatio() != null ? effect("rate ratio", ge.rateRatio())
            : effect("difference in means", ge.differenceInMeans()));
      } else {
        b.limitation("Subgroup " + g.label() + " (" + g.where() + "): " + (g.note() == null ? "no estimate" : g.note()) + ".");
      }
    }
    b.keyFigure(EFFECTS, "Mean " + outcome + ": matched group with / without",
        Wording.number(m.meanTreated()) + " / " + Wording.number(m.meanControl()));
    List<ChartData.Balance> bal = new ArrayList<>();
    for (Balance.Row row : r.balance()) {
      Double before = row.before() == null ? null : row.before().smd();
      Double after = row.after() == null ? null : row.after().smd();
      if (before != null && after != null && Double.isFinite(before) && Double.isFinite(after)) {
        bal.add(new ChartData.Balance(row.covariate(), before, after));
      }
    }
    if (!bal.isEmpty()) {
      long flaggedAfter = r.balance().stream().filter(x -> x.after() != null && x.after().flag()).count();
      b.figure(new Figure(BALANCE, "Balance of the groups before and after matching (love plot)",
          "Standardised mean differences of each covariate (treated-group SD before matching as the denominator,"
              + " sqrt(p(1-p)) for binary covariates); dashed lines at \u00b1" + Balance.SMD_THRESHOLD + ". "
              + (flaggedAfter == 0 ? "After matching every covariate is within the threshold."
                  : flaggedAfter + " covariate(s) remain above the threshold after matching."),
          new ChartData.LovePlot(bal, Balance.SMD_THRESHOLD)));
    }
    List<ChartData.GroupValue> groups = new ArrayList<>();
    groups.add(new ChartData.GroupValue("with " + intervention, "matched", m.meanTreated(), Double.NaN, Double.NaN));
    groups.add(new ChartData.GroupValue("comparison", "matched", m.meanControl(), Double.NaN, Double.NaN));
    if (n != null) {
      groups.add(new ChartData.GroupValue("with " + intervention, "before matching", n.meanTreated(), Double.NaN, Double.NaN));
      groups.add(new ChartData.GroupValue("comparison", "before matching", n.meanControl(), Double.NaN, Double.NaN));
    }
    b.figure(new Figure("outcome_by_group", "Mean " + outcome + " by group",
        "Matched groups beside the unmatched (naive) comparison, which shows the selection the matching removes.",
        new ChartData.GroupOutcomes("mean " + outcome + " per person", groups)));
    var mm = r.spec().matching();
    b.method("People with " + intervention + " were matched to similar people without, by a propensity score from a"
        + " logistic regression (" + (r.propensityModel() == null ? "IRLS" : r.propensityModel().iterations() + " IRLS iterations") + ") on "
        + String.join(", ", r.spec().data().covariates().stream().map(c -> c.name()).toList()) + ".");
    b.method(String.format(Locale.UK, "Greedy nearest-neighbour %d:1 matching, %s replacement%s%s; treated people in"
            + " descending propensity order, as R MatchIt does.", mm.ratio(), mm.replacement() ? "with" : "without",
        mm.caliper() == null ? "" : ", caliper " + mm.caliper() + " SD of the distance",
        mm.exact().isEmpty() ? "" : ", exact on " + String.join(", ", mm.exact())));
    b.method("Effect: " + (r.effects().estimand() == null ? "ATT" : r.effects().estimand()) + "; the rate ratio from a"
        + " Poisson model on the matched sample and the difference in means, each with a 95% CI from"
        + " standard errors clustered on matched sets.");
    if (r.effects().notes() != null) {
      r.effects().notes().forEach(b::method);
    }
    if (!r.subgroupList().isEmpty()) {
      b.method("Subgroups were declared in the spec before the analysis (" + String.join("; ", r.subgroupList().stream()
          .map(g -> g.label() + ": " + g.where()).toList()) + "). Each subgroup estimate uses the matched sets whose"
          + " treated person is in the subgroup, with the same estimators as overall.");
    }
    b.limitation("Matching balances measured characteristics only: people who accept " + intervention
        + " may differ in ways the data do not record.");
    b.limitation("People not matched (" + (s.outsideCaliper() + s.noControlInStratum())
        + ") are left out, so the estimate applies to the people matched.");
    b.provenance(r.provenance());
    return b.build();
  }

  static Effect effect(String measure, Effects.Estimate e) {
    return "ratio".equals(e.scale())
        ? Effect.ratio(measure, e.estimate(), e.ciLow(), e.ciHigh())
        : Effect.difference(measure, e.estimate(), e.ciLow(), e.ciHigh());
  }
}
