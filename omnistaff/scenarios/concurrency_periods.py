"""A channel's most concurrent contacts per agent by period of the day: fewer chats at once
at night or on a short-staffed morning than the channel's `concurrency.max`.

Outside its periods a channel has its `max`. A period's limit caps every group's limit on
the channel (a skill's own `concurrency` still applies where lower); the efficiency curve
f(n) is the channel's. Periods start and end on the horizon's interval grid, so the limit is
one number per interval: what the engine honours, the requirements plan for and the results
report (`limits_by_interval`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.units import WEEKDAYS, ClockTime, Days, clock_seconds

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Horizon

DAY_SECONDS = 86400


class ConcurrencyPeriod(Frozen):
    """From `start` to `end` on each of `days`, an agent holds at most `max` of the channel's
    contacts at once."""

    start: ClockTime = Field(description="Start of the period, HH:MM, on the horizon's "
                             "interval grid.")
    end: ClockTime = Field(description="End of the period, HH:MM, after `start`, on the "
                           "interval grid; 00:00 means midnight (the end of the day).")
    days: Days = Field(default=WEEKDAYS, description="Weekdays it applies on (default all).")
    max: int = Field(ge=1, le=10, description="Most contacts of the channel an agent holds at "
                     "once in the period: from 1 to the channel's `concurrency.max`.")

    @model_validator(mode="after")
    def _sound(self) -> ConcurrencyPeriod:
        if self.end != "00:00" and clock_seconds(self.end) <= clock_seconds(self.start):
            raise ValueError(f"end {self.end} is not after start {self.start}; use a later "
                             "end (00:00 for midnight) or split a period over midnight in two")
        return self

    def window(self) -> tuple[int, int]:
        """(start, end) in seconds of the day."""
        return clock_seconds(self.start), clock_seconds(self.end) or DAY_SECONDS


def limits_by_interval(periods: tuple[ConcurrencyPeriod, ...], most: int,
                       horizon: Horizon) -> list[int]:
    """The limit in each interval of the horizon: a period's `max` where one applies, else
    `most` (the channel's `concurrency.max`)."""
    step, per_day = horizon.interval_seconds, horizon.intervals_per_day
    limits = [most] * horizon.intervals
    for day in range(horizon.days):
        weekday = horizon.weekday(day)
        for period in periods:
            if weekday not in period.days:
                continue
            start, end = period.window()
            for k in range(int(start // step), int(-(-end // step))):
                limits[day * per_day + k] = min(period.max, most)
    return limits


def period_problems(periods: tuple[ConcurrencyPeriod, ...], most: int,
                    interval_seconds: float) -> list[tuple[str, str]]:
    """(field under `concurrency.by_period`, message) for periods off the interval grid or
    above the channel's max."""
    problems = []
    for i, period in enumerate(periods):
        if period.max > most:
            problems.append((f"{i}.max", f"{period.max} is above the channel's concurrency "
                             f"max {most}; lower it or raise concurrency.max"))
        for name, seconds in zip(("start", "end"), period.window(), strict=True):
            if seconds % interval_seconds:
                problems.append((f"{i}.{name}", f"{getattr(period, name)} is not on the "
                                 f"{interval_seconds / 60:.0f}-minute interval grid; use a "
                                 "time at an interval's start"))
    return problems
