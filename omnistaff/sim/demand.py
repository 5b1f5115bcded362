"""Expected arrivals per minute of the horizon, and the Poisson arrivals drawn from them."""

from __future__ import annotations

import numpy as np

from omnistaff.scenarios.channel import Arrivals
from omnistaff.scenarios.profiles import intraday_weights, per_minute, weekly_weights
from omnistaff.scenarios.scenario import Horizon
from omnistaff.scenarios.units import WEEKDAYS, clock_seconds

MINUTES_PER_DAY = 1440


def minute_rates(arrivals: Arrivals, horizon: Horizon) -> np.ndarray:
    """Expected arrivals in each minute of the horizon (no random day level, surges applied)."""
    if arrivals.counts is not None:
        rates = _rates_from_counts(arrivals.counts, horizon)
    else:
        week = _week_of_minutes(arrivals)
        rates = np.concatenate([week[WEEKDAYS.index(w)] for w in horizon.weekdays()])
    return rates * _surge_factors(arrivals, horizon)


def expected_per_interval(arrivals: Arrivals, horizon: Horizon) -> np.ndarray:
    """Expected arrivals in each reporting interval of the horizon."""
    rates = minute_rates(arrivals, horizon)
    return rates.reshape(horizon.intervals, horizon.interval_minutes).sum(axis=1)


def _week_of_minutes(arrivals: Arrivals) -> np.ndarray:
    """A 7 x 1440 array of expected arrivals per minute, Monday first, summing to the volume."""
    day_shape = per_minute(intraday_weights(arrivals.intraday))
    week = np.tile(day_shape, (7, 1)) * _open_mask(arrivals)
    totals = week.sum(axis=1, keepdims=True)
    week = np.divide(week, totals, out=np.zeros_like(week), where=totals > 0)
    week *= weekly_weights(arrivals.weekly)[:, None]
    total = week.sum()
    return week * (arrivals.weekly_volume / total) if total > 0 else week


def _open_mask(arrivals: Arrivals) -> np.ndarray:
    mask = np.ones((7, MINUTES_PER_DAY))
    if arrivals.hours is None:
        return mask
    mask[:] = 0
    start = clock_seconds(arrivals.hours.open) // 60
    end = clock_seconds(arrivals.hours.close) // 60 or MINUTES_PER_DAY
    for day in arrivals.hours.days:
        mask[WEEKDAYS.index(day), start:end] = 1
    return mask


def _rates_from_counts(counts: tuple[float, ...], horizon: Horizon) -> np.ndarray:
    values = np.asarray(counts, dtype=float)
    if len(values) == horizon.intervals_per_day:
        values = np.tile(values, horizon.days)
    if len(values) != horizon.intervals:
        raise ValueError(
            f"{len(values)} counts given; give {horizon.intervals_per_day} (one day) or "
            f"{horizon.intervals} (the horizon) for {horizon.interval_minutes}-minute intervals"
        )
    return np.repeat(values / horizon.interval_minutes, horizon.interval_minutes)


def _surge_factors(arrivals: Arrivals, horizon: Horizon) -> np.ndarray:
    factors = np.ones(horizon.days * MINUTES_PER_DAY)
    for surge in arrivals.surges:
        for day, weekday in enumerate(horizon.weekdays()):
            if surge.day == weekday or surge.day == day:
                start = day * MINUTES_PER_DAY + clock_seconds(surge.start) // 60
                stop = start + round(surge.duration / 60)
                factors[start:stop] *= surge.multiplier
    return factors


def draw_arrival_times(
    rates: np.ndarray, horizon: Horizon, day_cv: float, rng: np.random.Generator,
    shared_levels: np.ndarray | None = None,
) -> np.ndarray:
    """Sorted arrival times in seconds from -warm-up to the horizon's end.

    Poisson within each minute at the given rates (the warm-up replays the end of the horizon),
    times a gamma day-level multiplier with mean 1 and CV `day_cv` for each simulated day,
    times `shared_levels` (one per day of `simulated_days`: a busyness factor several
    channels share) when given.
    """
    warm_minutes = int(np.ceil(horizon.warmup / 60))
    minutes = np.arange(-warm_minutes, len(rates))
    lam = rates[minutes % len(rates)]
    days = minutes // MINUTES_PER_DAY
    if day_cv > 0:
        lam = lam * gamma_levels(day_cv, days.max() - days.min() + 1, rng)[days - days.min()]
    if shared_levels is not None:
        lam = lam * shared_levels[days - days.min()]
    counts = rng.poisson(lam)
    starts = np.repeat(minutes, counts) * 60.0
    times = starts + rng.uniform(0, 60, starts.size)
    times.sort()
    return times[times >= -horizon.warmup]


def simulated_days(horizon: Horizon) -> range:
    """The day indices the simulation touches, the warm-up's (negative) days first."""
    warm_minutes = int(np.ceil(horizon.warmup / 60))
    return range(-warm_minutes // MINUTES_PER_DAY, horizon.days)


def gamma_levels(cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """n day-level multipliers, gamma with mean 1 and CV `cv`."""
    shape = 1 / cv**2
    return rng.gamma(shape, 1 / shape, n)
