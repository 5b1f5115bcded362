"""Patience from censored waits. A contact that abandoned after waiting t shows its patience
was t; one answered after waiting t shows only that its patience was more than t (a
right-censored observation), as does one still waiting when the log ends.

The exponential MLE of the mean is the total time waited over the number who abandoned, with
the exact chi-square 95% interval (2 T / chi2(2d)); the Kaplan-Meier curve
(`scipy.stats.ecdf` of censored data, with its 95% band) shows the shape without assuming
one, so the two can be compared in a picture.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: Most waits used for the Kaplan-Meier curve (a seeded subsample beyond it).
MAX_CURVE_WAITS = 200_000


@dataclass(frozen=True)
class PatienceFit:
    """One live channel's patience: exponential mean with its interval, and the KM curve."""

    channel: str
    abandoned: int
    censored: int
    mean: float
    mean_low: float
    mean_high: float
    curve: pd.DataFrame  # seconds, survival, low, high (Kaplan-Meier), exponential


def fit_patience(channel: str, abandoned_waits: np.ndarray, censored_waits: np.ndarray
                 ) -> PatienceFit | None:
    """The fit, or None when nobody abandoned (patience cannot be told from the log)."""
    events = np.clip(np.asarray(abandoned_waits, dtype=float), 0, None)
    censored = np.clip(np.asarray(censored_waits, dtype=float), 0, None)
    if events.size == 0:
        return None
    exposure = float(events.sum() + censored.sum())
    d = events.size
    mean = exposure / d
    low = 2 * exposure / stats.chi2.ppf(0.975, 2 * d)
    high = 2 * exposure / stats.chi2.ppf(0.025, 2 * d)
    curve = _kaplan_meier(events, censored, mean)
    return PatienceFit(channel, d, int(censored.size), mean, float(low), float(high), curve)


def _kaplan_meier(events: np.ndarray, censored: np.ndarray, mean: float) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    total = events.size + censored.size
    if total > MAX_CURVE_WAITS:
        share = MAX_CURVE_WAITS / total
        events = events[rng.random(events.size) < share]
        censored = censored[rng.random(censored.size) < share]
    # a wait of 0 answered at once tells nothing; scipy wants positive censoring times
    data = stats.CensoredData(uncensored=events, right=censored[censored > 0])
    result = stats.ecdf(data).sf
    with warnings.catch_warnings():  # undefined where the curve reaches 0: drawn as 0
        warnings.simplefilter("ignore", RuntimeWarning)
        band = result.confidence_interval(0.95)
    times = np.asarray(result.quantiles, dtype=float)
    curve = pd.DataFrame({"seconds": times, "survival": result.probabilities,
                          "low": np.nan_to_num(band.low.probabilities, nan=0.0),
                          "high": np.nan_to_num(band.high.probabilities, nan=1.0),
                          "exponential": np.exp(-times / mean)})
    if len(curve) > 400:  # enough points to draw the curve
        keep = np.unique(np.linspace(0, len(curve) - 1, 400).round().astype(int))
        curve = curve.iloc[keep].reset_index(drop=True)
    return curve
