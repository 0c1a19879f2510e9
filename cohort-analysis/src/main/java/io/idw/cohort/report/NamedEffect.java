package io.idw.cohort.report;

import java.util.Objects;

/**
 * An effect with a label: a declared subgroup ("aged 80 and over"), or a secondary estimate
 * ("naive comparison, before matching").
 */
public record NamedEffect(String label, Effect effect) {
  public NamedEffect {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(effect, "effect");
  }
}
