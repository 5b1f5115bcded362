"""Arrivals from history: expected contacts per weekday and interval, daily totals, and the
day-level volume factor's CV (overdispersion of days beyond Poisson), per channel and shared.

The engine draws each day's volume as the expected volume times a gamma factor of mean 1 and
CV c, then Poisson arrivals: a day's count N on a weekday of mean m has variance m + c²m².
So each day's ratio r = N / m has variance 1/m + c², and

    c² = v - p,   v = pooled variance of r within weekdays,   p = pooled 1/m,

pooled over weekdays with weights (days - 1). Its 95% interval comes from v's chi-square
interval (k = sum of days - 1 degrees of freedom), an approximation that holds while days
are roughly normal. Two channels whose busy days coincide share a factor: the covariance of
their ratios estimates the shared c².
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from omnistaff.fit.mapping import LogError


@dataclass(frozen=True)
class DayCV:
    """A day-level CV with its 95% interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class ArrivalFit:
    """One channel's arrival history and what was fitted from it."""

    channel: str
    interval_minutes: int
    #: days x intervals of the day: observed contacts, every day from the first to the last.
    observed: pd.DataFrame
    #: 7 x intervals: mean contacts per weekday (Monday first) and interval.
    weekday_counts: np.ndarray
    #: days of each weekday observed, Monday first.
    weekday_days: np.ndarray
    weekly_volume: float
    weekly_volume_ci95: float
    day_cv: DayCV

    @property
    def daily(self) -> pd.Series:
        """Observed contacts per day."""
        return self.observed.sum(axis=1)

    @property
    def expected_daily(self) -> pd.Series:
        """The fitted mean of each observed day's weekday."""
        means = self.weekday_counts.sum(axis=1)
        return pd.Series(means[self.observed.index.day_of_week], index=self.observed.index)

    def ratios(self) -> pd.Series:
        """Each day's count over its weekday's mean (days of weekdays with volume)."""
        expected = self.expected_daily
        open_days = expected > 0
        return (self.daily[open_days] / expected[open_days]).rename(self.channel)


@dataclass(frozen=True)
class SharedFactor:
    """Channels whose busy days coincide, and the CV of the day level they share (from the
    covariance of their day ratios), with a 95% bootstrap interval over days."""

    channels: tuple[str, ...]
    cv: float
    low: float
    high: float


@dataclass(frozen=True)
class SharedDays:
    """Whether channels' busy days coincide: the correlation of their day ratios (each pair
    over the days both are open), the linked pairs and the shared factors they form."""

    correlation: pd.DataFrame
    #: pairs whose correlation's 95% interval lies above 0.
    linked: tuple[tuple[str, str], ...]
    factors: tuple[SharedFactor, ...]
    days: int


def binned_counts(times: pd.Series, weights: pd.Series | None, interval_minutes: int,
                  days: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    """days x intervals of the day: contacts (or weights) by interval, zero-filled over
    `days` (the log's first and last day)."""
    bins = times.dt.floor(f"{interval_minutes}min")
    values = weights if weights is not None else pd.Series(1.0, index=times.index)
    counts = values.groupby(bins).sum()
    per_day = 1440 // interval_minutes
    first, last = (d.normalize() for d in days)
    dates = pd.date_range(first, last, freq="D")
    grid = np.zeros((len(dates), per_day))
    day = ((counts.index.normalize() - first) / pd.Timedelta(days=1)).astype(int)
    slot = (counts.index.hour * 60 + counts.index.minute) // interval_minutes
    np.add.at(grid, (np.asarray(day), np.asarray(slot)), counts.to_numpy())
    return pd.DataFrame(grid, index=dates)


def fit_arrivals(channel: str, observed: pd.DataFrame, interval_minutes: int) -> ArrivalFit:
    """The weekday x interval means, weekly volume and day-level CV of one channel."""
    if len(observed) < 7:
        raise LogError(f"channel '{channel}': the log covers {len(observed)} day(s); give at "
                       "least one whole week (several, to fit the day-level CV)")
    weekday = observed.index.day_of_week
    means = np.zeros((7, observed.shape[1]))
    days = np.zeros(7, dtype=int)
    for w in range(7):
        rows = observed.to_numpy()[weekday == w]
        days[w] = len(rows)
        means[w] = rows.mean(axis=0) if len(rows) else 0.0
    volume, half = _weekly_volume(observed)
    return ArrivalFit(channel, interval_minutes, observed, means, days, volume, half,
                      day_cv(observed))


def _weekly_volume(observed: pd.DataFrame) -> tuple[float, float]:
    """Expected contacts per 7 days, and its 95% half-width from the spread of days."""
    daily = observed.sum(axis=1)
    groups = daily.groupby(daily.index.day_of_week)
    volume = float(groups.mean().sum())
    variance = float((groups.var(ddof=1).fillna(0) / groups.size()).sum())
    dof = max(int((groups.size() - 1).sum()), 1)
    return volume, float(stats.t.ppf(0.975, dof) * math.sqrt(variance))


def day_cv(observed: pd.DataFrame) -> DayCV:
    """The day-level CV beyond Poisson noise, pooled over weekdays, with a 95% interval."""
    daily = observed.sum(axis=1)
    pooled_v = pooled_p = 0.0
    dof = 0
    for _, days in daily.groupby(daily.index.day_of_week):
        mean = days.mean()
        if len(days) < 2 or mean <= 0:
            continue
        pooled_v += (len(days) - 1) * days.var(ddof=1) / mean**2
        pooled_p += (len(days) - 1) / mean
        dof += len(days) - 1
    if dof == 0:
        return DayCV(0.0, 0.0, math.inf)
    v, p = pooled_v / dof, pooled_p / dof
    low_v, high_v = (v * dof / stats.chi2.ppf(q, dof) for q in (0.975, 0.025))
    return DayCV(*(math.sqrt(max(x - p, 0.0)) for x in (v, low_v, high_v)))


def shared_days(fits: list[ArrivalFit]) -> SharedDays | None:
    """The correlation of day ratios between channels, and the shared factors of the
    channels linked (directly or through each other) by a correlation above 0."""
    if len(fits) < 2:
        return None
    ratios = pd.concat([f.ratios() for f in fits], axis=1, sort=True)
    corr = ratios.corr(min_periods=4)
    linked = []
    for a, b in itertools.combinations(ratios.columns, 2):
        both = int(ratios[[a, b]].dropna().shape[0])
        if _correlation_low(float(corr.loc[a, b]), both) > 0:
            linked.append((str(a), str(b)))
    factors = tuple(_factor(ratios, component, linked) for component in _components(linked))
    return SharedDays(corr, tuple(linked), factors, int(ratios.dropna().shape[0]))


def _components(pairs: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Channels joined by linked pairs, each group sorted, in order of their first pair."""
    groups: list[set[str]] = []
    for a, b in pairs:
        touching = [g for g in groups if a in g or b in g]
        merged = set().union(*touching, {a, b})
        groups = [g for g in groups if g not in touching] + [merged]
    return [tuple(sorted(g)) for g in groups]


def _factor(ratios: pd.DataFrame, channels: tuple[str, ...],
            linked: list[tuple[str, str]]) -> SharedFactor:
    pairs = [(a, b) for a, b in linked if a in channels]
    frame = ratios[list(channels)]

    def shared(rows: pd.DataFrame) -> float:
        return math.sqrt(max(float(np.nanmean([_covariance(rows, a, b) for a, b in pairs])),
                             0.0))

    rng = np.random.default_rng(0)
    draws = [shared(frame.iloc[rng.integers(0, len(frame), len(frame))]) for _ in range(200)]
    low, high = np.quantile(draws, [0.025, 0.975])
    return SharedFactor(channels, shared(frame), float(low), float(high))


def _covariance(ratios: pd.DataFrame, a: str, b: str) -> float:
    """The covariance of two channels' day ratios over the days both are open: each ratio's
    mean is 1 within a weekday by construction, so k weekday means were estimated and the
    cross-products are divided by n - k."""
    both = ratios[[a, b]].dropna()
    dof = len(both) - both.index.day_of_week.nunique()
    if dof <= 0:
        return math.nan
    return float(((both[a] - 1) * (both[b] - 1)).sum() / dof)


def _correlation_low(r: float, n: int) -> float:
    """The lower end of the 95% interval of a Pearson correlation (Fisher z)."""
    if n <= 3 or not math.isfinite(r):
        return -1.0
    z = math.atanh(min(max(r, -0.999999), 0.999999))
    return math.tanh(z - 1.959964 / math.sqrt(n - 3))
