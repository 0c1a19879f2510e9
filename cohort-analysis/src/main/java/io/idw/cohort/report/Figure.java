package io.idw.cohort.report;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A chart in a report: an id (the name disclosure control knows it by), a title, a caption in
 * plain words, and the numbers behind it.
 */
public record Figure(String id, String title, String caption, ChartData data) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

  public Figure {
    if (id == null || !ID.matcher(id).matches()) {
      throw ReportErrors.invalid("figure id '" + id + "' is invalid", "ids are lower snake_case",
          "name the figure like 'love_plot'");
    }
    Objects.requireNonNull(title, "title");
    caption = caption == null ? "" : caption;
    Objects.requireNonNull(data, "data");
  }
}
