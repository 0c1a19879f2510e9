#!/usr/bin/env python3
"""Independent reference figures for idw's ITS engine, computed with statsmodels.

Run from this directory with Debian's python3-statsmodels (0.13.5 was used):
    apt-get install -y python3-statsmodels && /usr/bin/python3 make_golden.py
It reads ../../../../../../../shared/data/its/sicily.csv (the repo's shared data), writes
cits_simulated.csv (a seeded controlled-ITS series with a planted effect) and one JSON per model.
CI does not run this script; the JSON files it wrote are committed and compared in ItsGoldenTest.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_breusch_godfrey
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tsa.stattools import acf, pacf

HERE = os.path.dirname(os.path.abspath(__file__))


def find_sicily():
    d = HERE
    while d != os.path.dirname(d):
        cand = os.path.join(os.path.dirname(d), "shared", "data", "its", "sicily.csv")
        if os.path.exists(cand):
            return cand
        d = os.path.dirname(d)
    sys.exit("shared/data/its/sicily.csv not found beside the repo")


def harmonics(month, k):
    cols = {}
    for j in range(1, k + 1):
        cols["sin%d" % j] = np.sin(2 * np.pi * j * month / 12.0)
        cols["cos%d" % j] = np.cos(2 * np.pi * j * month / 12.0)
    return pd.DataFrame(cols)


def lagged_bg(resid, exog, order):
    """Breusch-Godfrey as acorr_breusch_godfrey does it, for residuals of any model."""
    n = len(resid)
    lags = np.column_stack([np.r_[np.zeros(l), resid[:-l]] for l in range(1, order + 1)])
    aux = sm.OLS(resid, np.column_stack([np.ones(n), exog, lags])).fit()
    lm = n * aux.rsquared
    from scipy import stats
    return lm, float(stats.chi2.sf(lm, order))


def diagnostics(resid, exog_no_const, order=12):
    lm, p = lagged_bg(np.asarray(resid), np.asarray(exog_no_const), order)
    return {
        "acf": acf(resid, nlags=order, fft=False)[1:].tolist(),
        "pacf": pacf(resid, nlags=order, method="ldb")[1:].tolist(),
        "durbin_watson": float(durbin_watson(resid)),
        "breusch_godfrey_lm": lm,
        "breusch_godfrey_p": p,
    }


def glm_case(name, y, X, offset, scale, level, slope=None, post_mask=None, cf_zero=(), group_rows=None):
    mod = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    res = mod.fit(scale=scale, tol=1e-12, maxiter=100)
    z = 1.959963984540054
    out = {
        "case": name,
        "statsmodels": statsmodels.__version__,
        "terms": list(X.columns),
        "coef": res.params.tolist(),
        "se": res.bse.tolist(),
        "dispersion": float(res.scale),
        "pearson_chi2": float(res.pearson_chi2),
        "deviance": float(res.deviance),
        "df_resid": float(res.df_resid),
    }
    b, s = res.params[level], res.bse[level]
    out["level"] = {"term": level, "rr": float(np.exp(b)), "lower": float(np.exp(b - z * s)),
                    "upper": float(np.exp(b + z * s))}
    if slope:
        b, s = res.params[slope], res.bse[slope]
        out["slope"] = {"term": slope, "rr": float(np.exp(b)), "lower": float(np.exp(b - z * s)),
                        "upper": float(np.exp(b + z * s))}
    if post_mask is not None:
        Xp = X[post_mask]
        Xc = Xp.copy()
        for c in cf_zero:
            Xc[c] = 0.0
        fit = np.exp(Xp.values @ res.params.values + offset[post_mask])
        cf = np.exp(Xc.values @ res.params.values + offset[post_mask])
        grad = (cf[:, None] * Xc.values - fit[:, None] * Xp.values).sum(axis=0)
        se = float(np.sqrt(grad @ res.cov_params().values @ grad))
        av = float(cf.sum() - fit.sum())
        out["events"] = {"fitted": float(fit.sum()), "counterfactual": float(cf.sum()), "averted": av,
                         "lower": av - z * se, "upper": av + z * se}
    resid = np.asarray(res.resid_deviance)
    exog = X.drop(columns=["const"])
    if group_rows is None:
        out["diagnostics"] = [diagnostics(resid, exog)]
    else:
        out["diagnostics"] = [diagnostics(resid[m], exog[m]) for m in group_rows]
    return out


def write(obj):
    with open(os.path.join(HERE, obj["case"] + ".json"), "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")


def sicily():
    d = pd.read_csv(find_sicily())
    off = np.log(d["stdpop"].values)
    base = pd.DataFrame({"const": 1.0, "time": d["time"].astype(float), "post": d["smokban"].astype(float)})
    post = d["smokban"].values == 1
    write(glm_case("sicily_poisson", d["aces"], base, off, None, "post", post_mask=post, cf_zero=("post",)))
    write(glm_case("sicily_quasipoisson", d["aces"], base, off, "X2", "post", post_mask=post, cf_zero=("post",)))
    h = pd.concat([base, harmonics(d["month"].values, 2)], axis=1)
    write(glm_case("sicily_quasipoisson_harmonic2", d["aces"], h, off, "X2", "post", post_mask=post,
                   cf_zero=("post",)))
    s = base.copy()
    s.insert(3, "time_since", (d["time"] - 37.0) * d["smokban"])
    s = pd.concat([s, harmonics(d["month"].values, 2)], axis=1)
    write(glm_case("sicily_quasipoisson_slope_harmonic2", d["aces"], s, off, "X2", "post", slope="time_since",
                   post_mask=post, cf_zero=("post", "time_since")))

    # OLS on the rate per 100,000 with Newey-West (lag 3), small-sample correction, t intervals.
    rate = d["aces"] / d["stdpop"] * 1e5
    ols = sm.OLS(rate, h).fit(cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": True}, use_t=True)
    ci = ols.conf_int(alpha=0.05)
    bg = acorr_breusch_godfrey(ols, nlags=12)
    resid = np.asarray(ols.resid)
    write({
        "case": "sicily_ols_newey_west_lag3",
        "statsmodels": statsmodels.__version__,
        "terms": list(h.columns),
        "coef": ols.params.tolist(),
        "se": ols.bse.tolist(),
        "lower": ci[0].tolist(),
        "upper": ci[1].tolist(),
        "diagnostics": [{
            "acf": acf(resid, nlags=12, fft=False)[1:].tolist(),
            "pacf": pacf(resid, nlags=12, method="ldb")[1:].tolist(),
            "durbin_watson": float(durbin_watson(resid)),
            "breusch_godfrey_lm": float(bg[0]),
            "breusch_godfrey_p": float(bg[1]),
        }],
    })
    ols0 = sm.OLS(rate, h).fit(cov_type="HAC", cov_kwds={"maxlags": 3, "use_correction": False})
    write({"case": "sicily_ols_newey_west_lag3_nocorrection", "statsmodels": statsmodels.__version__,
           "terms": list(h.columns), "coef": ols0.params.tolist(), "se": ols0.bse.tolist()})


def simulated_cits():
    """Two monthly series, 2016-01..2021-12, effect from 2019-07: planted log RR level -0.20, slope -0.01/month."""
    rng = np.random.default_rng(20170101)
    months = pd.period_range("2016-01", "2021-12", freq="M")
    truth = {"level_log_rr": -0.20, "slope_log_rr_per_month": -0.01, "effect_start": "2019-07"}
    rows = []
    for group, g in (("service", 1), ("no_service", 0)):
        pop = 52000.0 if g else 61000.0
        for i, m in enumerate(months):
            t = i + 1
            post = 1.0 if m >= pd.Period("2019-07", "M") else 0.0
            since = (t - 43.0) * post
            eta = (np.log(pop) + np.log(60 / 1e5) + 0.004 * t + 0.10 * np.sin(2 * np.pi * m.month / 12)
                   + 0.05 * np.cos(2 * np.pi * m.month / 12) + 0.05 * g + 0.001 * g * t
                   + 0.04 * post + 0.002 * since
                   + g * (truth["level_log_rr"] * post + truth["slope_log_rr_per_month"] * since))
            p = pop * (1 + 0.002 * t)
            rows.append({"month": str(m), "series": group, "falls": int(rng.poisson(np.exp(eta) * (p / pop))),
                         "population": p})
    d = pd.DataFrame(rows)
    d.to_csv(os.path.join(HERE, "cits_simulated.csv"), index=False)
    g = (d["series"] == "service").astype(float)
    t = np.tile(np.arange(1, 73, dtype=float), 2)
    post = (t >= 43).astype(float)
    since = (t - 43) * post
    cal = pd.PeriodIndex(d["month"], freq="M").month.values
    X = pd.DataFrame({"const": 1.0, "time": t, "post": post, "time_since": since, "group": g,
                      "group_time": g * t, "group_post": g * post, "group_time_since": g * since})
    X = pd.concat([X, harmonics(cal, 1)], axis=1)
    off = np.log(d["population"].values)
    out = glm_case("cits_simulated_quasipoisson", d["falls"], X, off, "X2", "group_post", slope="group_time_since",
                   post_mask=(g.values == 1) & (post == 1), cf_zero=("group_post", "group_time_since"),
                   group_rows=[g.values == 1, g.values == 0])
    out["truth"] = truth
    write(out)


if __name__ == "__main__":
    sicily()
    simulated_cits()
