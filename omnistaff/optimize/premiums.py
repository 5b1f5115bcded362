"""Paid cost of shift options under the scenario's pay rules: the hourly cost on paid time,
plus the time premiums (weekend, night, public holiday) on the paid time they cover and the
skill premium per extra skill a group's agents hold."""

from __future__ import annotations

from omnistaff.optimize.shifts import ShiftOption
from omnistaff.scenarios.scenario import Scenario


def has_premiums(scenario: Scenario) -> bool:
    """Whether any pay rule changes an option's cost from paid hours times the hourly cost."""
    return scenario.pay.any_time_premium or bool(scenario.pay.skill_premium)


def paid_stretches(length: float, breaks: tuple) -> list[tuple[float, float]]:
    """The paid stretches of a shift (offsets from its start): the whole, less unpaid
    breaks."""
    stretches, at = [], 0.0
    for offset, duration, paid in breaks:
        if not paid:
            stretches.append((at, offset))
            at = offset + duration
    stretches.append((at, length))
    return [(a, b) for a, b in stretches if b > a]


def option_cost(scenario: Scenario, option: ShiftOption, days: list[int]) -> float:
    """An option's paid cost over the days it is worked, premiums included."""
    group = scenario.groups[option.group]
    rate, pay = group.hourly_cost, scenario.pay
    hours = option.paid_seconds / 3600
    worked = paid_stretches(option.length, option.breaks)
    premium = sum(pay.time_premium_hours(day, option.weekday, option.start, worked,
                                         scenario.horizon.days) for day in days)
    skills = pay.skill_premium * max(0, len(group.skills) - 1) * hours * len(days)
    return hours * rate * len(days) + premium * rate + skills


def shift_premium(scenario: Scenario, group: str, weekday: str, day: int, start: float,
                  length: float, breaks: tuple) -> float:
    """The premiums alone of one agent-shift (for costing a roster)."""
    rate, pay = scenario.groups[group].hourly_cost, scenario.pay
    worked = paid_stretches(length, breaks)
    hours = sum(b - a for a, b in worked) / 3600
    extra = max(0, len(scenario.groups[group].skills) - 1)
    return (pay.time_premium_hours(day, weekday, start, worked, scenario.horizon.days) * rate
            + pay.skill_premium * extra * hours)
