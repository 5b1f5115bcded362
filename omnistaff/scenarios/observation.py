"""Opening hours that bound the observation window: summary KPIs over the hours the center is
open (and, optionally, the drain after each closing) rather than the whole 24-hour day, whose
closed hours dilute occupancy and whose night contacts distort service level."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from omnistaff.scenarios.units import WEEKDAYS, clock_seconds

if TYPE_CHECKING:
    from omnistaff.scenarios.channel import Hours
    from omnistaff.scenarios.scenario import Horizon, Scenario

DAY = 86400


def open_intervals(hours: tuple[Hours, ...], horizon: Horizon, drain: float = 0.0) -> np.ndarray:
    """Per reporting interval of the horizon, whether it lies within opening hours (or
    within `drain` seconds after a closing, rounded up to whole intervals); all True when
    no hours are given."""
    mask = np.zeros(horizon.intervals, dtype=bool)
    if not hours:
        return ~mask
    size = horizon.interval_seconds
    extra = int(np.ceil(drain / size))
    for day in range(horizon.days):
        weekday = horizon.weekday(day)
        for window in hours:
            if weekday not in window.days:
                continue
            first = day * horizon.intervals_per_day + int(clock_seconds(window.open) // size)
            close = clock_seconds(window.close) or DAY
            last = day * horizon.intervals_per_day + int(np.ceil(close / size)) + extra
            mask[first:min(last, horizon.intervals)] = True
    return mask


def observation_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Opening and closing times fall on interval boundaries; no two windows of one weekday
    overlap."""
    reporting, horizon = scenario.reporting, scenario.horizon
    problems = []
    size = horizon.interval_seconds
    for i, window in enumerate(reporting.open_hours):
        for name in ("open", "close"):
            if clock_seconds(getattr(window, name)) % size:
                problems.append((f"reporting.open_hours.{i}.{name}", f"{getattr(window, name)} "
                                 f"is not on a {horizon.interval_minutes}-minute interval "
                                 "boundary; round it to one"))
        for j in range(i):
            other = reporting.open_hours[j]
            common = [d for d in WEEKDAYS if d in window.days and d in other.days]
            if common and _overlap(window, other):
                problems.append((f"reporting.open_hours.{i}", f"overlaps entry {j} on "
                                 f"{common[0]}; give each weekday's hours once"))
    return problems


def _overlap(a: Hours, b: Hours) -> bool:
    a0, a1 = clock_seconds(a.open), clock_seconds(a.close) or DAY
    b0, b1 = clock_seconds(b.open), clock_seconds(b.close) or DAY
    return a0 < b1 and b0 < a1
