"""Each fit as a small table (one row per channel) for the CLI and the HTML page alike."""

from __future__ import annotations

import math

import pandas as pd

from omnistaff.fit.fitting import LogFit
from omnistaff.fit.forecast import Backtest, DailyForecast


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
        km_median = _km_median(p.curve)
        rows.append({"channel": name, "fitted": "exponential", "abandoned": p.abandoned,
                     "censored": p.censored, "mean_seconds": p.mean, "mean_low": p.mean_low,
                     "mean_high": p.mean_high, "exp_median": p.mean * math.log(2),
                     "km_median": km_median})
    return pd.DataFrame(rows)


def _km_median(curve: pd.DataFrame) -> float:
    below = curve[curve["survival"] <= 0.5]
    return float(below["seconds"].iloc[0]) if not below.empty else math.nan


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


def backtest_table(tests: list[Backtest]) -> pd.DataFrame:
    return pd.DataFrame([{"channel": t.channel, "days": len(t.days), "mape": t.mape,
                          "wape": t.wape, "naive_mape": t.naive_mape,
                          "naive_wape": t.naive_wape,
                          "better": "model" if t.wape < t.naive_wape else "seasonal naive"}
                         for t in tests])
