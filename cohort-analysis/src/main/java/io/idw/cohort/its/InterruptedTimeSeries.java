package io.idw.cohort.its;

import io.idw.cohort.its.ItsResult.Coefficient;
import io.idw.cohort.its.ItsResult.Diagnostics;
import io.idw.cohort.its.ItsResult.Effect;
import io.idw.cohort.its.ItsResult.Events;
import io.idw.cohort.its.ItsResult.SeriesRow;
import io.idw.cohort.its.ItsSpec.Family;
import io.idw.cohort.its.internal.Design;
import io.idw.cohort.its.internal.NeweyWestOls;
import io.idw.cohort.its.internal.PoissonGlm;
import io.idw.cohort.its.internal.ResidualDiagnostics;
import io.idw.cohort.its.internal.SeriesData;
import io.idw.core.IdwVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Interrupted time series and controlled ITS, following Lopez Bernal, Cummins &amp; Gasparrini (2017):
 *
 * <pre>
 * ItsResult r = InterruptedTimeSeries.evaluate(spec)
 *     .series(monthlyRows)                         // the spec's columns, one row per series and month
 *     .input(new ItsResult.Input("analysis.falls_series", 3L, null, 240L))
 *     .run();
 * r.levelChange();                                 // rate ratio with its Wald 95% CI
 * </pre>
 *
 * <p>Poisson and quasi-Poisson models are fitted by IRLS on the driver ({@code PoissonGlm}, as R
 * {@code glm}: log link, log-population offset; a monthly series is far too small for Spark jobs). Quasi-Poisson keeps the Poisson estimates and multiplies the
 * standard errors by √φ, φ = Pearson χ² / residual df (R {@code quasipoisson}, statsmodels
 * {@code scale='X2'}, Stata {@code scale(x2)}). Intervals are Wald on the log scale,
 * exp(β ± 1.959964·SE), exponentiated. Family {@code ols} regresses the rate on the same design with
 * Newey-West standard errors (see {@link ItsSpec.NeweyWest}).
 *
 * <p>The counterfactual sets the effect terms to 0 (see {@link Design}); events averted =
 * Σ over the intervention series' post months of (counterfactual − fitted), with a delta-method
 * interval from the (dispersion-scaled) covariance. Diagnostics use deviance residuals (Poisson
 * families) or raw residuals (ols) of the fitted months, per series.
 */
public final class InterruptedTimeSeries {
  /** The 97.5% standard normal quantile, 1.959963984540054. */
  public static final double Z975 = new NormalDistribution().inverseCumulativeProbability(0.975);
  /** Diagnostics run to this lag (12 for monthly data), or n − 1 for shorter series. */
  public static final int DIAGNOSTIC_LAGS = 12;

  private InterruptedTimeSeries() {}

  /** Starts an evaluation of a spec. */
  public static Builder evaluate(ItsSpec spec) {
    return new Builder(spec);
  }

  /** Collects the series, the inputs read and the agreement, then {@link #run()}s the model. */
  public static final class Builder {
    private final ItsSpec spec;
    private Dataset<Row> series;
    private final List<ItsResult.Input> inputs = new ArrayList<>();
    private ItsResult.Agreement agreement;

    private Builder(ItsSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The monthly rows, with the columns the spec maps. */
    public Builder series(Dataset<Row> rows) {
      this.series = rows;
      return this;
    }

    /** Records a table or file read, for provenance. */
    public Builder input(ItsResult.Input input) {
      inputs.add(input);
      return this;
    }

    /** Records the agreement of a governed read, for provenance. */
    public Builder agreement(ItsResult.Agreement a) {
      this.agreement = a;
      return this;
    }

    public ItsResult run() {
      Objects.requireNonNull(series, "series: call series(rows) first");
      SeriesData data = SeriesData.collect(spec, series);
      Design d = Design.build(spec, data, spec.model().family() == Family.OLS);
      Fitted f;
      try {
        f = spec.model().family() == Family.OLS ? fitOls(spec, d) : fitPoisson(spec, d, series);
      } catch (RuntimeException e) {
        if (e instanceof io.idw.core.IdwException) {
          throw e;
        }
        throw ItsErrors.fitFailed(spec.name(), e);
      }
      return assemble(spec, d, f, inputs, agreement);
    }
  }

  /** What a fit gives the assembly: estimates, scaled covariance, and how to predict counts. */
  private record Fitted(double[] beta, double[] se, double[][] cov, boolean logScale, double dispersion,
      ItsResult.Fit fit, String residualType, double[] residuals, String fitter, boolean tDist) {}

  private static Fitted fitPoisson(ItsSpec spec, Design d, Dataset<Row> series) {
    boolean offset = spec.columns().population() != null;
    PoissonGlm g = PoissonGlm.fit(series.sparkSession(), d, offset);
    double phi = spec.model().family() == Family.QUASI_POISSON ? g.pearsonChi2 / g.residualDf() : 1.0;
    double[] se = new double[g.p];
    double[][] cov = new double[g.p][g.p];
    for (int a = 0; a < g.p; a++) {
      se[a] = g.se[a] * Math.sqrt(phi);
      for (int b = 0; b < g.p; b++) {
        cov[a][b] = g.covariance[a][b] * phi;
      }
    }
    double[] res = new double[d.rows()];
    for (int i = 0; i < d.rows(); i++) {
      res[i] = PoissonGlm.devianceResidual(d.y[i], PoissonGlm.mean(g.beta, d.x[i], d.offset[i]));
    }
    ItsResult.Fit fit = new ItsResult.Fit(g.n, g.p, g.residualDf(), phi, g.pearsonChi2, g.deviance, g.iterations);
    return new Fitted(g.beta, se, cov, true, phi, fit, "deviance", res,
        "IRLS as R glm (poisson, log link" + (offset ? ", offset log(population)" : "")
            + ", relative deviance change < 1e-14)", false);
  }

  private static Fitted fitOls(ItsSpec spec, Design d) {
    ItsSpec.NeweyWest nw = spec.model().neweyWest();
    int n = d.fitRows();
    double[][] x = new double[n][];
    double[] y = new double[n];
    long[] time = new long[n];
    int[] series = new int[n];
    int k = 0;
    for (int i = 0; i < d.rows(); i++) {
      if (d.inFit[i]) {
        x[k] = d.x[i];
        y[k] = d.y[i];
        time[k] = d.points.get(i).month().getYear() * 12L + d.points.get(i).month().getMonthValue();
        series[k] = d.intervention[i] ? 1 : 0;
        k++;
      }
    }
    NeweyWestOls o = NeweyWestOls.fit(x, y, time, series, nw.lag(), nw.smallSampleAdjustment());
    double[] res = new double[d.rows()];
    for (int i = 0; i < d.rows(); i++) {
      res[i] = d.y[i] - dot(o.beta, d.x[i]);
    }
    double sigma2 = o.rss / (o.n - o.p);
    ItsResult.Fit fit = new ItsResult.Fit(o.n, o.p, o.n - o.p, sigma2, null, null, null);
    return new Fitted(o.beta, o.standardErrors(), o.covariance, false, sigma2, fit, "raw", res,
        "ordinary least squares (QR) with Newey-West covariance", nw.smallSampleAdjustment());
  }

  private static ItsResult assemble(ItsSpec spec, Design d, Fitted f, List<ItsResult.Input> inputs,
      ItsResult.Agreement agreement) {
    int p = d.columns();
    int df = f.fit().residualDf();
    double crit = f.tDist() ? new TDistribution(null, df).inverseCumulativeProbability(0.975) : Z975;
    List<Coefficient> coefs = new ArrayList<>();
    for (int j = 0; j < p; j++) {
      double b = f.beta()[j];
      double s = f.se()[j];
      double stat = b / s;
      coefs.add(new Coefficient(d.names.get(j), b, s, stat, pValue(stat, f.tDist(), df), b - crit * s, b + crit * s));
    }
    Effect level = effect(d.names.get(d.levelTerm), coefs.get(d.levelTerm), f.logScale(), f.logScale() ? "rate_ratio" : "rate_difference", crit);
    Effect slope = d.slopeTerm < 0 ? null
        : effect(d.names.get(d.slopeTerm), coefs.get(d.slopeTerm), f.logScale(),
            f.logScale() ? "rate_ratio_per_month" : "rate_difference_per_month", crit);

    double ratePer = spec.model().ratePer();
    List<SeriesRow> rows = new ArrayList<>();
    double obs = 0;
    double fit = 0;
    double cf = 0;
    int months = 0;
    double[] grad = new double[p];
    for (int i = 0; i < d.rows(); i++) {
      var pt = d.points.get(i);
      double pop = pt.population();
      boolean hasPop = !Double.isNaN(pop);
      double fitted;
      double counterfactual;
      double[] gi = new double[p];
      if (f.logScale()) {
        fitted = PoissonGlm.mean(f.beta(), d.x[i], d.offset[i]);
        counterfactual = PoissonGlm.mean(f.beta(), d.xCounterfactual[i], d.offset[i]);
        for (int j = 0; j < p; j++) {
          gi[j] = counterfactual * d.xCounterfactual[i][j] - fitted * d.x[i][j];
        }
      } else {
        fitted = dot(f.beta(), d.x[i]) * pop / ratePer;
        counterfactual = dot(f.beta(), d.xCounterfactual[i]) * pop / ratePer;
        for (int j = 0; j < p; j++) {
          gi[j] = (d.xCounterfactual[i][j] - d.x[i][j]) * pop / ratePer;
        }
      }
      if (d.intervention[i] && d.post[i]) {
        months++;
        obs += pt.count();
        fit += fitted;
        cf += counterfactual;
        for (int j = 0; j < p; j++) {
          grad[j] += gi[j];
        }
      }
      rows.add(new SeriesRow(pt.month().toString(), pt.group(), d.post[i], d.inFit[i], pt.count(),
          hasPop ? pop : null, fitted, counterfactual,
          hasPop ? pt.count() / pop * ratePer : null,
          hasPop ? fitted / pop * ratePer : null,
          hasPop ? counterfactual / pop * ratePer : null));
    }
    double var = 0;
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < p; b++) {
        var += grad[a] * f.cov()[a][b] * grad[b];
      }
    }
    double averted = cf - fit;
    double seAverted = Math.sqrt(Math.max(0, var));
    Events events = new Events(months, obs, fit, cf, averted, averted - crit * seAverted, averted + crit * seAverted,
        cf == 0 ? Double.NaN : fit / cf - 1);

    List<Diagnostics> diags = new ArrayList<>();
    for (String group : spec.controlled()
        ? List.of(spec.comparison().intervention(), spec.comparison().control()) : java.util.Collections.<String>singletonList(null)) {
      List<double[]> xs = new ArrayList<>();
      List<Double> es = new ArrayList<>();
      for (int i = 0; i < d.rows(); i++) {
        if (d.inFit[i] && (group == null || group.equals(d.points.get(i).group()))) {
          double[] xr = new double[p - 1];
          System.arraycopy(d.x[i], 1, xr, 0, p - 1);
          xs.add(xr);
          es.add(f.residuals()[i]);
        }
      }
      double[] e = es.stream().mapToDouble(Double::doubleValue).toArray();
      int lags = Math.min(DIAGNOSTIC_LAGS, e.length - 1);
      var bg = ResidualDiagnostics.breuschGodfrey(e, xs.toArray(double[][]::new), lags);
      diags.add(new Diagnostics(group, f.residualType(), e.length, ResidualDiagnostics.acf(e, lags),
          ResidualDiagnostics.pacf(e, lags), ResidualDiagnostics.durbinWatson(e), bg.order(), bg.lm(), bg.pValue()));
    }

    ItsSpec.Model m = spec.model();
    boolean ols = m.family() == Family.OLS;
    ItsResult.Method method = new ItsResult.Method(
        m.family().id(), f.fitter(), spec.interruption().toString(), spec.transitionMonths(),
        spec.effectStart().toString(), m.slopeChange(), m.harmonics(),
        m.harmonics() == 0 ? "none" : "sin and cos of 2πj·month/12 for j = 1.." + m.harmonics()
            + " (calendar month; equals R tsModel::harmonic only for up to 2 pairs)",
        ols ? (f.tDist() ? "Wald, β ± t(" + df + ", 0.975)·SE" : "Wald, β ± 1.959964·SE")
            : "Wald on the log scale, exp(β ± 1.959964·SE)",
        switch (m.family()) {
          case POISSON -> "fixed at 1";
          case QUASI_POISSON -> "Pearson χ² / residual df; SEs × √dispersion";
          case OLS -> "residual variance (not used by the Newey-West covariance)";
        },
        ols ? m.neweyWest().lag() : null,
        ols ? m.neweyWest().smallSampleAdjustment() : null,
        ols ? "Bartlett weights 1 − l/(lag+1), no prewhitening"
            + (m.neweyWest().smallSampleAdjustment() ? ", covariance × n/(n−k)" : ", no small-sample adjustment") : null,
        ols || spec.columns().population() != null ? ratePer : null,
        f.residualType() + " residuals of the fitted months, per series");
    ItsResult.Provenance prov = new ItsResult.Provenance(spec.sha256(), IdwVersion.get(), Instant.now().toString(),
        List.copyOf(inputs), agreement);
    String notEstimable = estimability(spec, d, f, level);
    return new ItsResult(spec.name(), spec.description(), spec.controlled() ? "controlled_its" : "its", method,
        f.fit(), notEstimable == null ? level : null, notEstimable == null ? slope : null,
        notEstimable == null ? events : null, coefs, diags, rows, null, prov, notEstimable);
  }

  /** Fewer events than this in any series before or after the interruption: no effect is reported. */
  static final int MIN_EVENTS_PER_SEGMENT = 5;
  /** A level-change standard error above this on the model scale means the model could not pin it down. */
  static final double MAX_LOG_SE = 5.0;

  /**
   * Null when the effects can be reported; otherwise the reason, starting "too few events to
   * estimate". For count models (Poisson, quasi-Poisson) each series needs at least {@value
   * #MIN_EVENTS_PER_SEGMENT} events among the fitted months before and after the interruption
   * (with none on one side the maximum-likelihood level change does not exist: the fit runs off
   * towards 0 or infinity); for every family the level change and its CI must be finite, and its
   * log-scale SE at most {@value #MAX_LOG_SE}.
   */
  private static String estimability(ItsSpec spec, Design d, Fitted f, Effect level) {
    if (f.logScale()) {
      Map<String, double[]> segments = new LinkedHashMap<>();
      for (int i = 0; i < d.rows(); i++) {
        if (d.inFit[i]) {
          String g = spec.controlled() ? (d.intervention[i] ? "intervention" : "comparison") : "";
          segments.computeIfAbsent(g, k -> new double[2])[d.post[i] ? 1 : 0] += d.points.get(i).count();
        }
      }
      for (Map.Entry<String, double[]> e : segments.entrySet()) {
        for (int side = 0; side < 2; side++) {
          double events = e.getValue()[side];
          if (events < MIN_EVENTS_PER_SEGMENT) {
            return String.format(java.util.Locale.ROOT,
                "%s: the %sseries has %.0f events in the fitted months %s the interruption (at least %d are needed"
                    + " in each series before and after)", ItsResult.TOO_FEW_EVENTS,
                e.getKey().isEmpty() ? "" : e.getKey() + " ", events, side == 0 ? "before" : "after",
                MIN_EVENTS_PER_SEGMENT);
          }
        }
      }
    }
    boolean finite = Double.isFinite(level.estimate()) && Double.isFinite(level.lower()) && Double.isFinite(level.upper())
        && Double.isFinite(level.standardError());
    if (!finite || (f.logScale() && level.standardError() > MAX_LOG_SE) || (f.logScale() && level.lower() <= 0)) {
      return String.format(java.util.Locale.ROOT,
          "%s: the model could not pin down the level change (standard error %.3g on the model scale)",
          ItsResult.TOO_FEW_EVENTS, level.standardError());
    }
    return null;
  }

  private static Effect effect(String term, Coefficient c, boolean log, String scale, double crit) {
    if (log) {
      return new Effect(term, scale, Math.exp(c.estimate()), Math.exp(c.lower()), Math.exp(c.upper()), c.pValue(),
          c.estimate(), c.standardError());
    }
    return new Effect(term, scale, c.estimate(), c.lower(), c.upper(), c.pValue(), c.estimate(), c.standardError());
  }

  private static double pValue(double stat, boolean t, int df) {
    double tail = t ? new TDistribution(null, df).cumulativeProbability(-Math.abs(stat))
        : new NormalDistribution().cumulativeProbability(-Math.abs(stat));
    return 2 * tail;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }
}
