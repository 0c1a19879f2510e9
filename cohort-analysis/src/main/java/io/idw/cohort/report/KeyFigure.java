package io.idw.cohort.report;

import java.util.Objects;

/**
 * A number the report quotes in its key-figures table, such as a sample size, with the id of the
 * released output table it came from (for its disclosure-control status).
 */
public record KeyFigure(String id, String label, String value) {
  public KeyFigure {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
  }
}
