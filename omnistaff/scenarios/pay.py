"""Pay rules: premiums on the hourly cost by time (weekend, night, public holiday), for overtime
beyond contract hours and per extra skill held. Costing and the optimizer both use them; with
none set (the default) paid cost is paid hours times the group's hourly cost, as before."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import MAX_LIST, MAX_RATE
from omnistaff.scenarios.units import WEEKDAYS, ClockTime, Seconds, clock_seconds

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Scenario

DAY = 86400.0
HOUR = 3600.0


class PayRules(Frozen):
    """Premiums, each a share of the group's hourly cost (0.25 = 25% more)."""

    weekend_premium: float = Field(default=0, ge=0, le=5, description="Premium on paid hours "
                                   "worked on Saturday and Sunday, e.g. 0.25.")
    night_premium: float = Field(default=0, ge=0, le=5, description="Premium on paid hours "
                                 "worked between `night_start` and `night_end`.")
    night_start: ClockTime = Field(default="22:00", description="Start of night hours, HH:MM.")
    night_end: ClockTime = Field(default="06:00", description="End of night hours, HH:MM (the "
                                 "next morning when before `night_start`).")
    holiday_premium: float = Field(default=0, ge=0, le=5, description="Premium on paid hours "
                                   "worked on a public holiday (see `holidays`), instead of "
                                   "the weekend premium where both apply.")
    holidays: tuple[int, ...] = Field(default=(), max_length=MAX_LIST, description="Public "
                                      "holidays as days of the horizon (0 = its first day).")
    overtime_premium: float = Field(default=0, ge=0, le=5, description="Premium on a person's "
                                    "weekly paid hours beyond the contract's `contract_hours`.")
    skill_premium: float = Field(default=0, ge=0, le=MAX_RATE, description="Pay per paid hour "
                                 "for each skill a person holds beyond the first (currency per "
                                 "hour), e.g. 1.5.")
    full_time_hours: Seconds = Field(default=40 * HOUR, gt=0, le=80 * HOUR, description="Weekly "
                                     "paid hours of one full-time equivalent (FTE).")

    @model_validator(mode="after")
    def _holidays_are_days(self) -> PayRules:
        if any(d < 0 or d >= 28 for d in self.holidays):
            raise ValueError(f"holidays {list(self.holidays)} must be days of the horizon, 0 to "
                             "27; drop the others")
        return self

    @property
    def any_time_premium(self) -> bool:
        return bool(self.weekend_premium or self.night_premium
                    or (self.holiday_premium and self.holidays))

    def time_premium_hours(self, day: int, weekday: str, start: float,
                           worked: list[tuple[float, float]], days: int) -> float:
        """Premium-weighted paid hours of one shift on a day of a horizon of `days` days (it
        repeats): each paid stretch (offsets from the shift start, seconds) times the premium
        that applies then."""
        total = 0.0
        for begin, end in worked:
            for piece_start, piece_end, share in self._rates(day, weekday, start + begin,
                                                             start + end, days):
                total += share * (piece_end - piece_start) / HOUR
        return total

    def _rates(self, day: int, weekday: str, begin: float, end: float, days: int
               ) -> list[tuple[float, float, float]]:
        """(start, end, premium) pieces of a stretch of a shift starting on `day`, times from
        that day's midnight, cut at midnights and night hours."""
        cuts = {begin, end}
        night = (clock_seconds(self.night_start), clock_seconds(self.night_end))
        for midnight in range(0, int(end // DAY) + 2):
            for t in (midnight * DAY, midnight * DAY + night[0], midnight * DAY + night[1]):
                if begin < t < end:
                    cuts.add(t)
        points = sorted(cuts)
        pieces = []
        for a, b in itertools.pairwise(points):
            offset = int(a // DAY)
            pieces.append((a, b, self._premium((day + offset) % days,
                                               WEEKDAYS[(WEEKDAYS.index(weekday) + offset) % 7],
                                               a % DAY, night)))
        return pieces

    def _premium(self, day: int, weekday: str, clock: float, night: tuple[int, int]) -> float:
        first, last = night
        is_night = (first <= clock or clock < last) if last < first else first <= clock < last
        by_day = self.holiday_premium if day in self.holidays else (
            self.weekend_premium if weekday in ("sat", "sun") else 0.0)
        return by_day + (self.night_premium if is_night and first != last else 0.0)


def paid_stretches(length: float, breaks: tuple) -> list[tuple[float, float]]:
    """The paid stretches of a shift (offsets from its start): the whole, less unpaid breaks
    (each break as (offset, duration, paid))."""
    stretches, at = [], 0.0
    for offset, duration, paid in breaks:
        if not paid:
            stretches.append((at, offset))
            at = offset + duration
    stretches.append((at, length))
    return [(a, b) for a, b in stretches if b > a]


def shift_premium(scenario: Scenario, group: str, weekday: str, day: int, start: float,
                  length: float, breaks: tuple) -> float:
    """The premiums alone of one agent-shift on a day of the horizon: time premiums on the
    paid stretches they cover, and the skill premium per extra skill on its paid hours."""
    rate, pay = scenario.groups[group].hourly_cost, scenario.pay
    worked = paid_stretches(length, breaks)
    hours = sum(b - a for a, b in worked) / HOUR
    extra = max(0, len(scenario.groups[group].skills) - 1)
    return (pay.time_premium_hours(day, weekday, start, worked, scenario.horizon.days) * rate
            + pay.skill_premium * extra * hours)


def staffing_premiums(scenario: Scenario) -> dict[str, float]:
    """Per group, the premiums of its scheduled shifts over the horizon (every agent-shift
    worked); zero without pay rules."""
    horizon = scenario.horizon
    premiums = dict.fromkeys(scenario.groups, 0.0)
    pay = scenario.pay
    if not (pay.any_time_premium or pay.skill_premium):
        return premiums
    for shift in (s for s in scenario.staffing.shifts if s.count):
        breaks = tuple((b.after, b.duration, b.paid) for b in shift.breaks)
        hours, minutes = shift.start.split(":")
        start = int(hours) * 3600 + int(minutes) * 60
        for day in range(horizon.days):
            weekday = horizon.weekday(day)
            if shift.worked_on(weekday, day // 7):
                premiums[shift.group] += shift.count * shift_premium(
                    scenario, shift.group, weekday, day, start, shift.length, breaks)
    return premiums
