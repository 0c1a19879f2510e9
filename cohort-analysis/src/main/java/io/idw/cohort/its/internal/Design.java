package io.idw.cohort.its.internal;

import io.idw.cohort.its.ItsErrors;
import io.idw.cohort.its.ItsSpec;
import io.idw.cohort.its.internal.SeriesData.Point;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The segmented-regression design of an (optionally controlled) ITS, for every month of the series
 * (rows outside the fit included, so they can be predicted).
 *
 * <p>Terms, in order: {@code intercept}, {@code time} (1 at the first month), {@code post} (1 from
 * the effect start = interruption + transition), {@code time_since} ((time − t_eff)·post, 0 in the
 * first post month; with slope change only); for a controlled ITS also {@code group} (1 for the
 * intervention series), {@code group_time}, {@code group_post}, {@code group_time_since}; then the
 * harmonic pairs. The counterfactual design zeroes the effect terms: post and time_since for a single
 * series; group_post and group_time_since for a controlled ITS (the comparison series carries the
 * shared change).
 */
public final class Design {
  public final List<String> names;
  /** Rows × columns, intercept included. */
  public final double[][] x;
  /** The same rows with the effect terms set to 0. */
  public final double[][] xCounterfactual;
  public final double[] y;
  /** log(population), or 0 with no population. */
  public final double[] offset;
  public final double[] population;
  public final boolean[] inFit;
  public final boolean[] post;
  public final boolean[] intervention;
  public final List<Point> points;
  public final int levelTerm;
  public final int slopeTerm;

  private Design(List<String> names, double[][] x, double[][] xcf, double[] y, double[] offset, double[] population,
      boolean[] inFit, boolean[] post, boolean[] intervention, List<Point> points, int levelTerm, int slopeTerm) {
    this.names = List.copyOf(names);
    this.x = x;
    this.xCounterfactual = xcf;
    this.y = y;
    this.offset = offset;
    this.population = population;
    this.inFit = inFit;
    this.post = post;
    this.intervention = intervention;
    this.points = points;
    this.levelTerm = levelTerm;
    this.slopeTerm = slopeTerm;
  }

  public int rows() {
    return x.length;
  }

  public int columns() {
    return names.size();
  }

  public int fitRows() {
    int n = 0;
    for (boolean b : inFit) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** Builds the design; {@code response} maps a point to the modelled outcome (count or rate). */
  public static Design build(ItsSpec spec, SeriesData data, boolean rateOutcome) {
    ItsSpec.Model m = spec.model();
    boolean cits = spec.controlled();
    List<String> names = new ArrayList<>(List.of("intercept", "time", "post"));
    if (m.slopeChange()) {
      names.add("time_since");
    }
    if (cits) {
      names.addAll(List.of("group", "group_time", "group_post"));
      if (m.slopeChange()) {
        names.add("group_time_since");
      }
    }
    names.addAll(List.of(Harmonics.names(m.harmonics())));
    int level = names.indexOf(cits ? "group_post" : "post");
    int slope = m.slopeChange() ? names.indexOf(cits ? "group_time_since" : "time_since") : -1;

    List<Point> pts = data.points();
    int n = pts.size();
    int p = names.size();
    double[][] x = new double[n][p];
    double[][] xcf = new double[n][p];
    double[] y = new double[n];
    double[] off = new double[n];
    double[] pop = new double[n];
    boolean[] fit = new boolean[n];
    boolean[] post = new boolean[n];
    boolean[] grp = new boolean[n];
    YearMonth interruption = spec.interruption();
    YearMonth effect = spec.effectStart();
    double tEff = ChronoUnit.MONTHS.between(data.first(), effect) + 1;
    for (int i = 0; i < n; i++) {
      Point pt = pts.get(i);
      double t = ChronoUnit.MONTHS.between(data.first(), pt.month()) + 1;
      boolean isPost = !pt.month().isBefore(effect);
      boolean inTransition = !pt.month().isBefore(interruption) && pt.month().isBefore(effect);
      boolean g = cits && pt.group().equals(spec.comparison().intervention());
      double[] row = x[i];
      int c = 0;
      row[c++] = 1;
      row[c++] = t;
      row[c++] = isPost ? 1 : 0;
      if (m.slopeChange()) {
        row[c++] = isPost ? t - tEff : 0;
      }
      if (cits) {
        double gv = g ? 1 : 0;
        row[c++] = gv;
        row[c++] = gv * t;
        row[c++] = gv * (isPost ? 1 : 0);
        if (m.slopeChange()) {
          row[c++] = gv * (isPost ? t - tEff : 0);
        }
      }
      double[] h = Harmonics.terms(pt.month().getMonthValue(), m.harmonics());
      System.arraycopy(h, 0, row, c, h.length);
      xcf[i] = row.clone();
      xcf[i][level] = 0;
      if (slope >= 0) {
        xcf[i][slope] = 0;
      }
      pop[i] = pt.population();
      off[i] = Double.isNaN(pt.population()) ? 0 : Math.log(pt.population());
      y[i] = rateOutcome ? pt.count() / pt.population() * m.ratePer() : pt.count();
      fit[i] = !inTransition;
      post[i] = isPost;
      grp[i] = cits ? g : true;
    }
    Design d = new Design(names, x, xcf, y, off, pop, fit, post, grp, pts, level, slope);
    d.checkSegments(spec);
    return d;
  }

  private void checkSegments(ItsSpec spec) {
    int nFit = fitRows();
    if (nFit <= columns()) {
      throw ItsErrors.tooShort(spec.name(), nFit + " fitted months for " + columns() + " parameters");
    }
    for (boolean wantIntervention : spec.controlled() ? new boolean[] {true, false} : new boolean[] {true}) {
      int pre = 0;
      int postN = 0;
      for (int i = 0; i < rows(); i++) {
        if (inFit[i] && intervention[i] == wantIntervention) {
          if (post[i]) {
            postN++;
          } else {
            pre++;
          }
        }
      }
      if (pre < 3 || postN < 3) {
        throw ItsErrors.tooShort(spec.name(), (wantIntervention ? "the intervention series" : "the control series")
            + " has " + pre + " fitted months before " + spec.effectStart() + " and " + postN + " from it");
      }
    }
  }
}
