package io.idw.cohort.report;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * The numbers behind one chart in a report. {@link Charts} draws each kind with JFreeChart.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChartData.LovePlot.class, name = "love_plot"),
    @JsonSubTypes.Type(value = ChartData.GroupOutcomes.class, name = "group_outcomes"),
    @JsonSubTypes.Type(value = ChartData.TimeSeries.class, name = "time_series"),
    @JsonSubTypes.Type(value = ChartData.Caterpillar.class, name = "caterpillar"),
    @JsonSubTypes.Type(value = ChartData.Funnel.class, name = "funnel"),
})
public sealed interface ChartData {

  /** Standardised mean differences of each covariate before and after matching. */
  record LovePlot(List<Balance> covariates, double threshold) implements ChartData {
    public LovePlot {
      covariates = List.copyOf(covariates);
      if (covariates.isEmpty()) {
        throw ReportErrors.invalid("a love plot has no covariates", "the balance table is empty",
            "pass the balance table of the matched-cohort result");
      }
    }
  }

  /** One covariate's balance: the standardised mean difference before and after matching. */
  record Balance(String covariate, double smdBefore, double smdAfter) {
    public Balance {
      Objects.requireNonNull(covariate, "covariate");
    }
  }

  /** A bar per group (and, optionally, period) with its 95% CI where known (NaN when not). */
  record GroupOutcomes(String valueLabel, List<GroupValue> values) implements ChartData {
    public GroupOutcomes {
      Objects.requireNonNull(valueLabel, "valueLabel");
      values = List.copyOf(values);
    }
  }

  /** The outcome of one group in one period (the series of the bar chart). */
  record GroupValue(String group, String period, double value, double lower, double upper) {
    public GroupValue {
      Objects.requireNonNull(group, "group");
      period = period == null ? "" : period;
    }
  }

  /**
   * Monthly series with an interruption: observed points, the fitted line and the counterfactual
   * per series (the intervention series, and the comparison series for a controlled ITS).
   */
  record TimeSeries(String valueLabel, String interruption, List<Series> series) implements ChartData {
    public TimeSeries {
      Objects.requireNonNull(valueLabel, "valueLabel");
      Objects.requireNonNull(interruption, "interruption");
      series = List.copyOf(series);
    }
  }

  /**
   * One series: month labels (YYYY-MM) with the observed, fitted and counterfactual values
   * (counterfactual NaN before the interruption, or for a comparison series).
   */
  record Series(String name, List<String> months, List<Double> observed, List<Double> fitted,
      List<Double> counterfactual) {
    public Series {
      Objects.requireNonNull(name, "name");
      months = List.copyOf(months);
      observed = List.copyOf(observed);
      fitted = fitted == null ? List.of() : List.copyOf(fitted);
      counterfactual = counterfactual == null ? List.of() : List.copyOf(counterfactual);
      if (observed.size() != months.size()
          || (!fitted.isEmpty() && fitted.size() != months.size())
          || (!counterfactual.isEmpty() && counterfactual.size() != months.size())) {
        throw ReportErrors.invalid("series '" + name + "' has lists of different lengths",
            months.size() + " months, " + observed.size() + " observed, " + fitted.size() + " fitted, "
                + counterfactual.size() + " counterfactual",
            "give one value per month in each list (NaN where there is none)");
      }
    }
  }

  /**
   * A caterpillar chart: units (practices) in rank order, each with a value and 95% CI, against a
   * reference line (the overall mean); {@code highlight} names units drawn in another colour.
   */
  record Caterpillar(String valueLabel, double reference, List<Unit> units, List<String> highlight)
      implements ChartData {
    public Caterpillar {
      Objects.requireNonNull(valueLabel, "valueLabel");
      units = List.copyOf(units);
      highlight = highlight == null ? List.of() : List.copyOf(highlight);
    }
  }

  /** One unit of a caterpillar chart. */
  record Unit(String label, double value, double lower, double upper) {
    public Unit {
      Objects.requireNonNull(label, "label");
    }
  }

  /**
   * A funnel plot (Spiegelhalter 2005): each unit's value against its size, with the centre line and
   * control limits {@code centre ± z·sigma/√size} for each z in {@code limitsZ} (e.g. 1.96 and 3.09
   * for 95% and 99.8%), which narrow as units grow, so that small units' chance extremes are not
   * read as outliers.
   *
   * @param sigma the unit-level (person-level) standard deviation the limits use
   */
  record Funnel(String valueLabel, String sizeLabel, double centre, double sigma, List<Double> limitsZ,
      List<FunnelPoint> points) implements ChartData {
    public Funnel {
      Objects.requireNonNull(valueLabel, "valueLabel");
      Objects.requireNonNull(sizeLabel, "sizeLabel");
      limitsZ = limitsZ == null ? List.of() : List.copyOf(limitsZ);
      points = List.copyOf(points);
    }
  }

  /** One unit of a funnel plot: its size (such as the list size) and value. */
  record FunnelPoint(String label, double size, double value) {
    public FunnelPoint {
      Objects.requireNonNull(label, "label");
    }
  }
}
