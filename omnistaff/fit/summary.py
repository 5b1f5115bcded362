"""Each fit as a small table (one row per channel) for the CLI and the HTML page alike."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from omnistaff.fit.fitting import LogFit
from omnistaff.fit.forecast import Backtest, DailyForecast
from omnistaff.fit.handle import Fitted
from omnistaff.scenarios.distributions import Exponential, Gamma, Lognormal


def arrivals_table(fit: LogFit) -> pd.DataFrame:
    rows = []
    for name, c in fit.channels.items():
        a = c.arrivals
        rows.append({"channel": name, "mode": c.mode, "days": len(a.observed),
                     "weekly_volume": a.weekly_volume, "volume_ci95": a.weekly_volume_ci95,
                     "day_cv": a.day_cv.value, "day_cv_low": a.day_cv.low,
                     "day_cv_high": a.day_cv.high, "answered": c.answered,
                     "abandoned": c.abandoned})
    return pd.DataFrame(rows)


def handle_table(fit: LogFit) -> pd.DataFrame:
    rows = []
    for name, c in fit.channels.items():
        h = c.handle
        row = {"channel": name, "contacts": h.count, "mean_seconds": h.mean,
               "mean_ci95": h.mean_ci95, "cv": h.cv, "cv_low": h.cv_ci[0],
               "cv_high": h.cv_ci[1], "chosen": h.family}
        if h.values.size:
            for q in (0.5, 0.9):
                row[f"p{q * 100:.0f}_observed"] = float(np.quantile(h.values, q))
                row[f"p{q * 100:.0f}_fitted"] = fitted_quantile(h.chosen, q)
        for _, cand in h.candidates.iterrows():
            row[f"aic_{cand['family']}"] = cand["aic"]
            row[f"ks_{cand['family']}"] = cand["ks_distance"]
        rows.append(row)
    return pd.DataFrame(rows)


def patience_table(fit: LogFit) -> pd.DataFrame:
    rows = []
    for name, c in fit.channels.items():
        p = c.patience
        if c.mode != "live":
            rows.append({"channel": name, "fitted": f"deferred: expiry {c.expiry:.0f} s"
                         if c.expiry else "deferred: no expiry seen"})
            continue
        if p is None:
            rows.append({"channel": name, "fitted": "nobody abandoned: no patience"})
            continue
        row = {"channel": name, "fitted": "exponential", "abandoned": p.abandoned,
               "censored": p.censored, "mean_seconds": p.mean, "mean_low": p.mean_low,
               "mean_high": p.mean_high, "exp_median": p.mean * math.log(2),
               "km_median": _km_median(p.curve)}
        if not p.curve.empty:
            for t in (60, 180):
                row[f"waiting_{t}s_km"] = _km_at(p.curve, t)
                row[f"waiting_{t}s_exp"] = math.exp(-t / p.mean)
        rows.append(row)
    return pd.DataFrame(rows)


def _km_median(curve: pd.DataFrame) -> float:
    below = curve[curve["survival"] <= 0.5]
    return float(below["seconds"].iloc[0]) if not below.empty else math.nan


def _km_at(curve: pd.DataFrame, seconds: float) -> float:
    """The Kaplan-Meier share still waiting at a time (its curve is a step function)."""
    before = curve[curve["seconds"] <= seconds]
    return 1.0 if before.empty else float(before["survival"].iloc[-1])


def fitted_quantile(dist: Fitted, q: float) -> float:
    """A quantile of a fitted handle-time distribution."""
    if isinstance(dist, Lognormal):
        sigma2 = math.log1p(dist.cv**2)
        return float(stats.lognorm.ppf(q, math.sqrt(sigma2),
                                       scale=dist.mean * math.exp(-sigma2 / 2)))
    if isinstance(dist, Gamma):
        shape = 1 / dist.cv**2
        return float(stats.gamma.ppf(q, shape, scale=dist.mean / shape))
    if isinstance(dist, Exponential):
        return float(stats.expon.ppf(q, scale=dist.mean))
    return float(np.quantile(dist.samples, q))


def shared_table(fit: LogFit) -> pd.DataFrame | None:
    if fit.shared is None:
        return None
    return fit.shared.correlation.round(3).reset_index(names="channel")


def forecast_table(forecasts: dict[str, DailyForecast]) -> pd.DataFrame:
    rows = []
    for name, f in forecasts.items():
        frame = f.frame
        rows.append({"channel": name, "days": len(frame),
                     "first_day": frame["date"].iloc[0].date().isoformat(),
                     "contacts": frame["mean"].sum(), "low_day_sum": frame["low"].sum(),
                     "high_day_sum": frame["high"].sum(), "day_cv": f.day_cv})
    return pd.DataFrame(rows)


def backtest_notes(tests: list[Backtest], model: str) -> list[str]:
    """A note per channel on which the seasonal-naive forecast beat the model in the backtest
    (by WAPE, as the table's `better` column): the scenario still forecasts it by the model."""
    return [f"{t.channel}: on the backtest the seasonal-naive forecast (last week repeated) beat "
            f"{model} (WAPE {t.naive_wape:.3f} against {t.wape:.3f}); the scenario still uses "
            f"{model}: compare the two in the page's backtest figure before relying on it"
            for t in tests if not t.wape < t.naive_wape]


def backtest_table(tests: list[Backtest]) -> pd.DataFrame:
    return pd.DataFrame([{"channel": t.channel, "days": len(t.days), "mape": t.mape,
                          "wape": t.wape, "naive_mape": t.naive_mape,
                          "naive_wape": t.naive_wape,
                          "better": "model" if t.wape < t.naive_wape else "seasonal naive"}
                         for t in tests])
