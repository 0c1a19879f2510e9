package io.idw.cohort.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.time.YearMonth;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.time.Month;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws report charts with JFreeChart and renders them to SVG (JFreeSVG), so that a report is one
 * self-contained file. Pure functions of the {@link ChartData}: the same numbers give the same SVG.
 */
public final class Charts {
  public static final int WIDTH = 760;
  public static final int HEIGHT = 420;
  private static final Color BEFORE = new Color(0xB0, 0x3A, 0x2E);
  private static final Color AFTER = new Color(0x1F, 0x5F, 0x9F);
  private static final Color GREY = new Color(0x70, 0x70, 0x70);
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** The chart as an SVG document (a {@code <svg>} element). */
  public static String svg(Figure figure) {
    JFreeChart chart = chart(figure);
    int height = figure.data() instanceof ChartData.LovePlot lp ? Math.max(HEIGHT, 120 + 26 * lp.covariates().size()) : HEIGHT;
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, height);
    g2.setDefsKeyPrefix(figure.id() + "_"); // fixed ids: the same figure gives the same SVG
    chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, height));
    return g2.getSVGElement(figure.id());
  }

  /** The JFreeChart for a figure. */
  public static JFreeChart chart(Figure figure) {
    ChartData d = figure.data();
    JFreeChart chart;
    if (d instanceof ChartData.LovePlot lp) {
      chart = lovePlot(lp);
    } else if (d instanceof ChartData.GroupOutcomes go) {
      chart = groupOutcomes(go);
    } else if (d instanceof ChartData.TimeSeries ts) {
      chart = timeSeries(ts);
    } else if (d instanceof ChartData.Funnel f) {
      chart = funnel(f);
    } else {
      chart = caterpillar((ChartData.Caterpillar) d);
    }
    chart.setTitle(figure.title());
    chart.getTitle().setFont(FONT.deriveFont(Font.BOLD, 14f));
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    return chart;
  }

  private static JFreeChart lovePlot(ChartData.LovePlot lp) {
    DefaultCategoryDataset ds = new DefaultCategoryDataset();
    for (ChartData.Balance b : lp.covariates()) {
      ds.addValue(b.smdBefore(), "Before matching", b.covariate());
      ds.addValue(b.smdAfter(), "After matching", b.covariate());
    }
    LineAndShapeRenderer r = new LineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, BEFORE);
    r.setSeriesPaint(1, AFTER);
    r.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
    r.setSeriesShape(1, new Rectangle2D.Double(-4, -4, 8, 8));
    NumberAxis x = new NumberAxis("Standardised mean difference");
    CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), x, r);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    for (double t : new double[] {-lp.threshold(), lp.threshold()}) {
      ValueMarker m = new ValueMarker(t, GREY, dashed(1f));
      plot.addRangeMarker(m);
    }
    plot.addRangeMarker(new ValueMarker(0, Color.BLACK, new BasicStroke(0.8f)));
    style(plot.getDomainAxis(), x);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    return new JFreeChart(null, FONT, plot, true);
  }

  private static JFreeChart groupOutcomes(ChartData.GroupOutcomes go) {
    DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
    for (ChartData.GroupValue v : go.values()) {
      double half = Double.isFinite(v.lower()) && Double.isFinite(v.upper()) ? (v.upper() - v.lower()) / 2 : Double.NaN;
      String series = v.period().isEmpty() ? go.valueLabel() : v.period();
      ds.add((Number) v.value(), Double.isNaN(half) ? null : (Number) half, series, v.group());
    }
    StatisticalBarRenderer r = new StatisticalBarRenderer();
    r.setErrorIndicatorPaint(Color.BLACK);
    r.setSeriesPaint(0, AFTER);
    r.setSeriesPaint(1, BEFORE);
    r.setDrawBarOutline(false);
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    NumberAxis y = new NumberAxis(go.valueLabel());
    CategoryPlot plot = new CategoryPlot(ds, new CategoryAxis(null), y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    style(plot.getDomainAxis(), y);
    return new JFreeChart(null, FONT, plot, ds.getRowCount() > 1);
  }

  private static JFreeChart timeSeries(ChartData.TimeSeries ts) {
    XYPlot plot = new XYPlot();
    DateAxis x = new DateAxis(null);
    NumberAxis y = new NumberAxis(ts.valueLabel());
    y.setAutoRangeIncludesZero(true);
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    Color[] colours = {AFTER, GREY};
    int di = 0;
    for (int si = 0; si < ts.series().size(); si++) {
      ChartData.Series s = ts.series().get(si);
      Color c = colours[si % colours.length];
      di = add(plot, di, s.name() + " observed", s.months(), s.observed(), c, false, true, null);
      if (!s.fitted().isEmpty()) {
        di = add(plot, di, s.name() + " fitted", s.months(), s.fitted(), c, true, false, new BasicStroke(2f));
      }
      if (!s.counterfactual().isEmpty()) {
        di = add(plot, di, s.name() + " counterfactual (no service)", s.months(), s.counterfactual(), c, true, false, dashed(2f));
      }
    }
    Month start = month(ts.interruption());
    ValueMarker m = new ValueMarker(start.getFirstMillisecond(), Color.BLACK, dashed(1.2f));
    m.setLabel("interruption " + ts.interruption());
    m.setLabelFont(FONT);
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    plot.addDomainMarker(m);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setDomainGridlinePaint(new Color(0xEE, 0xEE, 0xEE));
    style(x, y);
    return new JFreeChart(null, FONT, plot, true);
  }

  private static int add(XYPlot plot, int index, String name, List<String> months, List<Double> values, Color c,
      boolean lines, boolean shapes, BasicStroke stroke) {
    org.jfree.data.time.TimeSeries s = new org.jfree.data.time.TimeSeries(name);
    for (int i = 0; i < months.size(); i++) {
      Double v = values.get(i);
      s.addOrUpdate(month(months.get(i)), v == null || v.isNaN() ? null : v);
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(lines, shapes);
    r.setSeriesPaint(0, c);
    if (stroke != null) {
      r.setSeriesStroke(0, stroke);
    }
    r.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
    plot.setDataset(index, new TimeSeriesCollection(s));
    plot.setRenderer(index, r);
    return index + 1;
  }

  private static JFreeChart caterpillar(ChartData.Caterpillar cp) {
    YIntervalSeries others = new YIntervalSeries("Practices");
    YIntervalSeries marked = new YIntervalSeries(cp.highlight().isEmpty() ? "Highlighted" : String.join(", ", cp.highlight()));
    List<ChartData.Unit> sorted = cp.units().stream()
        .sorted((a, b) -> Double.compare(a.value(), b.value())).toList();
    for (int i = 0; i < sorted.size(); i++) {
      ChartData.Unit u = sorted.get(i);
      double lo = Double.isFinite(u.lower()) ? u.lower() : u.value();
      double hi = Double.isFinite(u.upper()) ? u.upper() : u.value();
      (cp.highlight().contains(u.label()) ? marked : others).add(i + 1, u.value(), lo, hi);
    }
    YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
    ds.addSeries(others);
    if (marked.getItemCount() > 0) {
      ds.addSeries(marked);
    }
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setDrawYError(true);
    r.setDefaultLinesVisible(false);
    r.setSeriesPaint(0, AFTER);
    r.setSeriesPaint(1, BEFORE);
    r.setErrorPaint(new Color(0x88, 0x99, 0xBB));
    r.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
    r.setSeriesShape(1, new Ellipse2D.Double(-4, -4, 8, 8));
    NumberAxis x = new NumberAxis("Practices, ranked");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis(cp.valueLabel());
    XYPlot plot = new XYPlot(ds, x, y, r);
    allPractices(plot, cp.reference(), dashed(1.2f), true);
    style(x, y);
    return new JFreeChart(null, FONT, plot, marked.getItemCount() > 0);
  }

  private static JFreeChart funnel(ChartData.Funnel f) {
    XYSeriesCollection points = new XYSeriesCollection();
    XYSeries units = new XYSeries("Practices", false, true);
    double minSize = Double.POSITIVE_INFINITY;
    double maxSize = 0;
    for (ChartData.FunnelPoint p : f.points()) {
      if (Double.isFinite(p.size()) && p.size() > 0 && Double.isFinite(p.value())) {
        units.add(p.size(), p.value());
        minSize = Math.min(minSize, p.size());
        maxSize = Math.max(maxSize, p.size());
      }
    }
    points.addSeries(units);
    XYPlot plot = new XYPlot();
    NumberAxis x = new NumberAxis(f.sizeLabel());
    NumberAxis y = new NumberAxis(f.valueLabel());
    y.setAutoRangeIncludesZero(false);
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, AFTER);
    dots.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
    plot.setDataset(0, points);
    plot.setRenderer(0, dots);
    if (units.getItemCount() > 0 && Double.isFinite(f.sigma()) && f.sigma() > 0) {
      XYSeriesCollection limits = new XYSeriesCollection();
      XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
      int k = 0;
      double lo = Math.max(1, minSize * 0.9);
      double hi = maxSize * 1.05;
      for (double z : f.limitsZ()) {
        String pct = String.format(java.util.Locale.ROOT, "%.1f%%", 100 * (1 - 2 * (1 - new org.apache.commons.math3
            .distribution.NormalDistribution().cumulativeProbability(z)))).replace(".0%", "%");
        XYSeries upper = new XYSeries(pct + " limits", false, true);
        XYSeries lower = new XYSeries(pct + " limits (lower)", false, true);
        for (int i = 0; i <= 60; i++) {
          double n = lo * Math.pow(hi / lo, i / 60.0);
          upper.add(n, f.centre() + z * f.sigma() / Math.sqrt(n));
          lower.add(n, f.centre() - z * f.sigma() / Math.sqrt(n));
        }
        for (XYSeries ser : new XYSeries[] {upper, lower}) {
          limits.addSeries(ser);
          lines.setSeriesPaint(k, k / 2 == 0 ? GREY : BEFORE);
          lines.setSeriesStroke(k, dashed(1f));
          lines.setSeriesVisibleInLegend(k, ser == upper);
          k++;
        }
      }
      plot.setDataset(1, limits);
      plot.setRenderer(1, lines);
      y.setAutoRangeIncludesZero(false);
    }
    allPractices(plot, f.centre(), new BasicStroke(1.2f), false);
    style(x, y);
    return new JFreeChart(null, FONT, plot, true);
  }

  /** The "all practices" reference line (labelled at the left or right), on a white plot with light gridlines. */
  private static void allPractices(XYPlot plot, double value, BasicStroke stroke, boolean left) {
    ValueMarker m = new ValueMarker(value, Color.BLACK, stroke);
    m.setLabel("all practices");
    m.setLabelFont(FONT);
    m.setLabelAnchor(left ? RectangleAnchor.TOP_LEFT : RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(left ? TextAnchor.BOTTOM_LEFT : TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(m);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
  }

  private static void style(org.jfree.chart.axis.Axis x, org.jfree.chart.axis.Axis y) {
    for (var a : new org.jfree.chart.axis.Axis[] {x, y}) {
      a.setLabelFont(FONT);
      a.setTickLabelFont(FONT.deriveFont(11f));
    }
  }

  private static BasicStroke dashed(float width) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  private static Month month(String yyyyMm) {
    try {
      YearMonth ym = YearMonth.parse(yyyyMm);
      return new Month(ym.getMonthValue(), ym.getYear());
    } catch (RuntimeException e) {
      throw ReportErrors.invalid("month '" + yyyyMm + "' is not YYYY-MM", String.valueOf(e.getMessage()),
          "give months as YYYY-MM, for example 2024-04");
    }
  }
}
