"""A solved schedule written back as scenario staffing: shifts that `simulate` runs as they are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.scenarios.pay import staffing_premiums
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.units import WEEKDAYS
from omnistaff.scenarios.variants import with_overrides
from omnistaff.scenarios.workforce import Shift


def schedule_shifts(model: pyo.ConcreteModel) -> list[dict[str, Any]]:
    """The solved model's schedule as `staffing.shifts` entries."""
    return shifts_of(model.schedule_data,
                     [round(var.value or 0) for _, var in sorted(model.agents.items())])


def shifts_of(data: ScheduleData, agents: Sequence[int]) -> list[dict[str, Any]]:
    """A schedule (agents per shift option) as `staffing.shifts` entries: one per group,
    start, length, breaks and count, listing the weekdays it is worked."""
    days: dict[tuple, list[str]] = {}
    for s, count in enumerate(agents[:len(data.options)]):  # people on tours follow
        if count > 0:
            option = data.options[s]
            key = (option.group, option.clock, option.length, option.breaks, count)
            days.setdefault(key, []).append(option.weekday)
    return [_shift(key, weekdays) for key, weekdays in sorted(days.items(), key=_order)]


def _shift(key: tuple, weekdays: list[str]) -> dict[str, Any]:
    group, start, length, breaks, count = key
    return {
        "group": group,
        "days": sorted(set(weekdays), key=WEEKDAYS.index),
        "start": start,
        "length": length,
        "breaks": [{"after": after, "duration": duration, "paid": paid}
                   for after, duration, paid in breaks],
        "count": count,
    }


def _order(item: tuple[tuple, list[str]]) -> tuple:
    """Group, start, length and breaks, then the first weekday worked."""
    key, weekdays = item
    return (*key[:4], min(WEEKDAYS.index(d) for d in weekdays))


def with_schedule(scenario: Scenario, shifts: list[dict[str, Any]]) -> Scenario:
    """The scenario staffed by these shifts alone (any per-interval staffing dropped)."""
    return with_overrides(scenario, {"staffing": {"shifts": shifts, "per_interval": {}}})


def paid_hours(scenario: Scenario) -> dict[str, float]:
    """Scheduled paid hours per group over the horizon (before absences)."""
    hours = dict.fromkeys(scenario.groups, 0.0)
    for shift in scenario.staffing.shifts:
        hours[shift.group] += shift.paid_seconds / 3600 * _worked(shift, scenario)
    return hours


def paid_cost(scenario: Scenario) -> float:
    """Scheduled paid cost over the horizon: paid hours times each group's hourly cost, and
    the pay rules' weekend, night, holiday and skill premiums if any."""
    cost = sum(hours * scenario.groups[group].hourly_cost
               for group, hours in paid_hours(scenario).items())
    if scenario.pay.any_time_premium or scenario.pay.skill_premium:
        cost += sum(staffing_premiums(scenario).values())
    return cost


def agent_shifts(scenario: Scenario) -> int:
    """Agent-shifts scheduled over the horizon."""
    return sum(_worked(shift, scenario) for shift in scenario.staffing.shifts)


def _worked(shift: Shift, scenario: Scenario) -> int:
    """Agent-shifts of one shift pattern over the horizon: its count on each day it is worked."""
    return shift.count * sum(1 for day, w in enumerate(scenario.horizon.weekdays())
                             if shift.worked_on(w, day // 7))
