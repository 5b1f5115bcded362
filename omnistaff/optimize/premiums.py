"""Paid cost of shift options under the scenario's pay rules: the hourly cost on paid time,
plus the time premiums (weekend, night, public holiday) on the paid time they cover and the
skill premium per extra skill a group's agents hold."""

from __future__ import annotations

from omnistaff.optimize.shifts import ShiftOption
from omnistaff.scenarios.pay import shift_premium
from omnistaff.scenarios.scenario import Scenario


def has_premiums(scenario: Scenario) -> bool:
    """Whether any pay rule changes an option's cost from paid hours times the hourly cost."""
    return scenario.pay.any_time_premium or bool(scenario.pay.skill_premium)


def option_cost(scenario: Scenario, option: ShiftOption, days: list[int]) -> float:
    """An option's paid cost over the days it is worked, premiums included."""
    base = option.paid_seconds / 3600 * scenario.groups[option.group].hourly_cost
    return sum(base + shift_premium(scenario, option.group, option.weekday, day, option.start,
                                    option.length, option.breaks) for day in days)
