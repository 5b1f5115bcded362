"""Built-in arrival shapes over the day and the week.

`business_hours` is the average weekday share of calls per half hour, 07:00-21:00, of a North
American commercial bank's call center, 164 weekdays March-October 2003 (Weinberg, Brown &
Stroud 2007, "Bayesian forecasting of an inhomogeneous Poisson process with applications to
call center data", JASA; the data are `bank_calls` in R's fpp3 package). The `weekdays`
day-of-week weights come from the same data. `evening` is an assumed 24/7 shape for social
media and messaging (quiet overnight, peaking in the evening), not a measurement.
"""

from __future__ import annotations

import csv
import itertools
from functools import cache
from importlib import resources

import numpy as np

WEEKLY_SHAPES: dict[str, tuple[float, ...]] = {
    "flat": (1.0,) * 7,
    "weekdays": (1.12, 1.0, 0.95, 0.95, 0.98, 0.0, 0.0),
}
_EVENING_HOURLY = (
    1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.2, 3.2, 3.8, 4.0, 4.2,
    4.5, 4.4, 4.2, 4.2, 4.4, 4.8, 5.4, 6.0, 6.2, 5.8, 4.2, 2.4,
)
INTRADAY_SHAPES = ("flat", "business_hours", "evening")


@cache
def _bank2003_half_hours() -> tuple[float, ...]:
    text = resources.files("omnistaff.scenarios").joinpath(
        "data/phone_intraday_weekday_bank2003.csv"
    ).read_text()
    return tuple(slices_from_rows(list(csv.DictReader(text.splitlines()))))


def slices_from_rows(rows: list[dict[str, str]]) -> list[float]:
    """Weights for equal slices of the day from rows with `start` (HH:MM) and `share`."""
    minutes = [int(r["start"][:2]) * 60 + int(r["start"][3:5]) for r in rows]
    shares = [float(r.get("share") or r.get("weight") or 0) for r in rows]
    step = min((b - a for a, b in itertools.pairwise(minutes)), default=60)
    if step <= 0 or 1440 % step:
        raise ValueError("start times must be evenly spaced by a divisor of a day (e.g. 30 min)")
    weights = [0.0] * (1440 // step)
    for minute, share in zip(minutes, shares, strict=True):
        weights[minute // step] += share
    return weights


def intraday_weights(shape: str | tuple[float, ...]) -> np.ndarray:
    """Weights for equal slices of one day (any count dividing 1440 minutes)."""
    if isinstance(shape, tuple):
        return np.asarray(shape, dtype=float)
    if shape == "flat":
        return np.ones(24)
    if shape == "business_hours":
        return np.asarray(_bank2003_half_hours())
    if shape == "evening":
        return np.asarray(_EVENING_HOURLY)
    raise ValueError(f"unknown intraday shape '{shape}'; use one of {', '.join(INTRADAY_SHAPES)}")


def per_minute(weights: np.ndarray) -> np.ndarray:
    """Spread slice weights evenly over the 1440 minutes of a day (sums to the same total)."""
    if 1440 % len(weights):
        raise ValueError(
            f"{len(weights)} intraday weights do not divide the day evenly; give 24, 48, 96, "
            "or another divisor of 1440"
        )
    width = 1440 // len(weights)
    return np.repeat(weights / width, width)


def weekly_weights(shape: str | tuple[float, ...]) -> np.ndarray:
    """Seven day-of-week weights, Monday first."""
    return np.asarray(WEEKLY_SHAPES[shape] if isinstance(shape, str) else shape, dtype=float)
