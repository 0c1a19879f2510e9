package io.idw.cohort.report;

import io.idw.cohort.Provenance;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a commissioner report says about one evaluation, independent of how the evaluation
 * was run. Adapters turn matched-cohort, ITS and variation results into one
 * ({@link EvaluationResults}); {@link CommissionerReport} renders it. Built with {@link #builder()}.
 *
 * <p>{@code intervention} and {@code outcome} are plain-language noun phrases that the wording
 * rules put into sentences: "home safety visits", "A&E attendances from home". {@code headline} is
 * the primary effect (required except for practice variation, which has {@code spread} instead,
 * and for an evaluation whose effect could not be estimated, which has {@code notEstimable}: the
 * reason, such as "too few events to estimate: ...", reported instead of numbers).
 */
public record EvaluationSummary(
    String id,
    EvaluationKind kind,
    String title,
    String question,
    String intervention,
    String outcome,
    String population,
    boolean lowerIsBetter,
    Effect headline,
    List<NamedEffect> otherEffects,
    List<NamedEffect> subgroups,
    VariationSpread spread,
    List<KeyFigure> keyFigures,
    List<Figure> figures,
    List<String> methods,
    List<String> limitations,
    Provenance provenance,
    String notEstimable) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,80}");

  public EvaluationSummary {
    if (id == null || !ID.matcher(id).matches()) {
      throw ReportErrors.invalid("evaluation id '" + id + "' is invalid",
          "ids are lower case letters, digits, '_' and '-' (they name the report file)",
          "name the evaluation like 'home-safety-visits-ae'");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(intervention, "intervention");
    Objects.requireNonNull(outcome, "outcome");
    population = population == null ? "" : population;
    if (kind == EvaluationKind.PRACTICE_VARIATION ? spread == null : headline == null && notEstimable == null) {
      throw ReportErrors.invalid("evaluation " + id + " has no headline",
          kind == EvaluationKind.PRACTICE_VARIATION ? "a variation report needs its spread" : "an evaluation report needs its primary effect",
          "pass the result's primary effect with its 95% CI");
    }
    otherEffects = otherEffects == null ? List.of() : List.copyOf(otherEffects);
    subgroups = subgroups == null ? List.of() : List.copyOf(subgroups);
    keyFigures = keyFigures == null ? List.of() : List.copyOf(keyFigures);
    figures = figures == null ? List.of() : List.copyOf(figures);
    methods = methods == null ? List.of() : List.copyOf(methods);
    limitations = limitations == null ? List.of() : List.copyOf(limitations);
    Objects.requireNonNull(provenance, "provenance");
    Set<String> ids = new HashSet<>();
    for (Figure f : figures) {
      if (!ids.add(f.id())) {
        throw ReportErrors.invalid("evaluation " + id + " has two figures called " + f.id(),
            "figure ids name disclosure-control checks, so they must be unique", "rename one of them");
      }
    }
    if (question == null || question.isBlank()) {
      question = Wording.defaultQuestion(kind, intervention, outcome, population);
    }
  }

  /** Every id the report shows a figure or number from: its figures, then its key-figure sources. */
  @JsonIgnore
  public List<String> figureIds() {
    List<String> out = new ArrayList<>();
    figures.forEach(f -> out.add(f.id()));
    keyFigures.forEach(k -> {
      if (!out.contains(k.id())) {
        out.add(k.id());
      }
    });
    return out;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link EvaluationSummary}; {@link #build()} validates. */
  public static final class Builder {
    private String id;
    private EvaluationKind kind;
    private String title;
    private String question;
    private String intervention;
    private String outcome;
    private String population;
    private boolean lowerIsBetter = true;
    private Effect headline;
    private final List<NamedEffect> otherEffects = new ArrayList<>();
    private final List<NamedEffect> subgroups = new ArrayList<>();
    private VariationSpread spread;
    private final List<KeyFigure> keyFigures = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> methods = new ArrayList<>();
    private final List<String> limitations = new ArrayList<>();
    private Provenance provenance;
    private String notEstimable;

    public Builder id(String v) { this.id = v; return this; }
    public Builder kind(EvaluationKind v) { this.kind = v; return this; }
    public Builder title(String v) { this.title = v; return this; }
    public Builder question(String v) { this.question = v; return this; }
    public Builder intervention(String v) { this.intervention = v; return this; }
    public Builder outcome(String v) { this.outcome = v; return this; }
    public Builder population(String v) { this.population = v; return this; }
    /** Whether a lower outcome is the better one (true for A&E attendances; the default). */
    public Builder lowerIsBetter(boolean v) { this.lowerIsBetter = v; return this; }
    public Builder headline(Effect v) { this.headline = v; return this; }
    public Builder otherEffect(String label, Effect e) { otherEffects.add(new NamedEffect(label, e)); return this; }
    public Builder subgroup(String label, Effect e) { subgroups.add(new NamedEffect(label, e)); return this; }
    public Builder spread(VariationSpread v) { this.spread = v; return this; }
    public Builder keyFigure(String sourceId, String label, String value) { keyFigures.add(new KeyFigure(sourceId, label, value)); return this; }
    public Builder figure(Figure f) { figures.add(f); return this; }
    public Builder figure(String id, String title, String caption, ChartData data) { figures.add(new Figure(id, title, caption, data)); return this; }
    public Builder method(String v) { methods.add(v); return this; }
    public Builder limitation(String v) { limitations.add(v); return this; }
    public Builder provenance(Provenance v) { this.provenance = v; return this; }
    /** Why the primary effect could not be estimated ("too few events to estimate: ..."): reported instead of a headline. */
    public Builder notEstimable(String reason) { this.notEstimable = reason; return this; }

    public EvaluationSummary build() {
      return new EvaluationSummary(id, kind, title, question, intervention, outcome, population, lowerIsBetter,
          headline, otherEffects, subgroups, spread, keyFigures, figures, methods, limitations, provenance, notEstimable);
    }
  }
}
