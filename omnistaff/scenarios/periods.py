"""Handle time and patience that vary by period of the day: a contact arriving within a
period's window gets that period's distributions instead of the channel's."""

from __future__ import annotations

from pydantic import Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.distributions import Distribution
from omnistaff.scenarios.units import WEEKDAYS, ClockTime, Days, clock_seconds

DAY_SECONDS = 86400


class Period(Frozen):
    """From `start` to `end` on each of `days`, contacts arriving get these distributions
    (where one is omitted, the channel's own applies)."""

    start: ClockTime = Field(description="Start of the period, HH:MM (an hour, an interval "
                             "or any window of the day).")
    end: ClockTime = Field(description="End of the period, HH:MM, after `start`; 00:00 "
                           "means midnight (the end of the day).")
    days: Days = Field(default=WEEKDAYS, description="Weekdays it applies on (default all).")
    handle_time: Distribution | None = Field(
        default=None, description="Agent work per contact arriving in the period (as the "
        "channel's `handle_time`).")
    patience: Distribution | None = Field(
        default=None, description="Live only: patience of customers arriving in the period "
        "(as the channel's `patience`).")

    @model_validator(mode="after")
    def _sound(self) -> Period:
        if self.end != "00:00" and clock_seconds(self.end) <= clock_seconds(self.start):
            raise ValueError(f"end {self.end} is not after start {self.start}; use a later "
                             "end (00:00 for midnight) or split a period over midnight in two")
        if self.handle_time is None and self.patience is None:
            raise ValueError("the period sets neither handle_time nor patience; give one or "
                             "remove the period")
        for name in ("handle_time", "patience"):
            value = getattr(self, name)
            if value is not None and value.mean <= 0:
                raise ValueError(f"{name} has mean 0; give a positive mean")
        return self

    def window(self) -> tuple[int, int]:
        """(start, end) in seconds of the day."""
        return clock_seconds(self.start), clock_seconds(self.end) or DAY_SECONDS


def overlap_problem(periods: tuple[Period, ...]) -> str | None:
    """A message when two periods cover the same time of the same weekday, else None."""
    for i, first in enumerate(periods):
        for j in range(i + 1, len(periods)):
            second = periods[j]
            (a0, a1), (b0, b1) = first.window(), second.window()
            common = set(first.days) & set(second.days)
            if common and a0 < b1 and b0 < a1:
                return (f"periods {i} and {j} overlap on {sorted(common)[0]}; give each "
                        "time of day one period")
    return None
