"""The shift options a schedule chooses from: each template expanded into every allowed start,
length and break placement (explicit break templates), for each group and weekday."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.templates import ShiftTemplate
from omnistaff.scenarios.units import WEEKDAYS, clock_seconds

Break = tuple[float, float, bool]  # (offset from the shift start, duration, paid)
DAY = 86400


@dataclass(frozen=True)
class ShiftOption:
    """One agent-shift the schedule may use: a group works it on a weekday."""

    group: str
    template: str
    weekday: str
    start: int
    length: float
    breaks: tuple[Break, ...]

    @property
    def paid_seconds(self) -> float:
        """Paid time: the length less unpaid breaks."""
        return self.length - sum(duration for _, duration, paid in self.breaks if not paid)

    @property
    def clock(self) -> str:
        """The start as HH:MM."""
        return clock_text(self.start)

    @property
    def end_clock(self) -> str:
        """The end as HH:MM (the next day's when the shift runs past midnight)."""
        return clock_text(self.start + self.length)


def clock_text(seconds: float) -> str:
    """HH:MM of a time of day given in seconds (wrapping past midnight)."""
    minutes = round(seconds / 60) % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


#: Template name of the shifts kept from the scenario's staffing.
KEPT = "kept"


def shift_options(scenario: Scenario) -> list[ShiftOption]:
    """Every distinct shift option of the scenario's optimizer templates, and of its kept
    staffing (`optimizer.keep_staffing`), by group then day."""
    weekdays = horizon_weekdays(scenario)
    seen: dict[tuple, ShiftOption] = {}
    for option, _ in _kept(scenario):
        seen.setdefault(option_key(option), option)
    for template in scenario.optimizer.templates:
        groups = template.groups or tuple(scenario.groups)
        days = [d for d in WEEKDAYS if d in template.days and d in weekdays]
        for group, day, start, length in itertools.product(
            groups, days, template_starts(template), template.lengths
        ):
            for breaks in break_placements(template, length):
                option = ShiftOption(group, template.name, day, start, float(length), breaks)
                seen.setdefault(option_key(option), option)
    return sorted(seen.values(), key=lambda o: (o.group, o.start, o.length, o.breaks,
                                                WEEKDAYS.index(o.weekday)))


def kept_counts(scenario: Scenario) -> dict[tuple, int]:
    """Agents the kept staffing puts on each shift option (by its key); none unless
    `optimizer.keep_staffing`."""
    counts: dict[tuple, int] = {}
    for option, count in _kept(scenario):
        counts[option_key(option)] = counts.get(option_key(option), 0) + count
    return counts


def _kept(scenario: Scenario) -> list[tuple[ShiftOption, int]]:
    """The kept staffing's shifts as shift options, one per weekday worked, with their
    agents."""
    if not scenario.optimizer.keep_staffing:
        return []
    weekdays = horizon_weekdays(scenario)
    kept = []
    for shift in (s for s in scenario.staffing.shifts if s.count > 0):
        breaks = tuple((float(b.after), float(b.duration), b.paid) for b in shift.breaks)
        start = round(clock_seconds(shift.start) / 60) * 60 % DAY
        for day in (d for d in shift.days if d in weekdays):
            kept.append((ShiftOption(shift.group, KEPT, day, start, float(shift.length), breaks),
                         shift.count))
    return kept


def option_key(option: ShiftOption) -> tuple:
    """What makes two shift options the same: group, weekday, start, length and breaks."""
    return (option.group, option.weekday, option.start, option.length, option.breaks)


def horizon_weekdays(scenario: Scenario) -> list[str]:
    """The weekdays that occur in the horizon."""
    return sorted(set(scenario.horizon.weekdays()), key=WEEKDAYS.index)


def template_starts(template: ShiftTemplate) -> list[int]:
    """Start times (seconds after midnight, whole minutes) from earliest to latest start,
    across midnight when the latest is before the earliest."""
    first, last = clock_seconds(template.earliest_start), clock_seconds(template.latest_start)
    span = (last - first) % DAY
    count = int(span // template.start_step) + 1
    starts = (round((first + k * template.start_step) / 60) * 60 % DAY for k in range(count))
    return list(dict.fromkeys(starts))


def break_placements(template: ShiftTemplate, length: float) -> list[tuple[Break, ...]]:
    """Every placement of the template's breaks, in order, not overlapping, inside the shift."""
    choices = [window.offsets() for window in template.breaks]
    placements = []
    for offsets in itertools.product(*choices):
        breaks = tuple((float(offset), float(window.duration), window.paid)
                       for offset, window in zip(offsets, template.breaks, strict=True))
        if _ordered_inside(breaks, length):
            placements.append(breaks)
    return placements


def _ordered_inside(breaks: tuple[Break, ...], length: float) -> bool:
    end = 0.0
    for offset, duration, _ in breaks:
        if offset < end:
            return False
        end = offset + duration
    return end <= length
