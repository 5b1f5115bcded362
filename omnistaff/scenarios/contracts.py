"""Employment contracts and their labour rules: what week a person on a contract may work.

With `contracts` in a scenario, `omnistaff optimize` plans people on weekly tours (a pattern of
working days and a shift start) instead of loose agent-shifts, and writes a named roster. The
defaults are a common full-time contract: five days of seven, the two days off together, the
same start every day (`start_band` lets it move within a band), at least 11 h of rest
between shifts.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from omnistaff.scenarios.base import Frozen
from omnistaff.scenarios.limits import MAX_AGENTS, MAX_NAME
from omnistaff.scenarios.units import Seconds

HOUR = 3600.0
DAY = 86400.0


class Contract(Frozen):
    """A contract people of some groups are employed on, with the rules of their weeks."""

    groups: tuple[str, ...] = Field(
        default=(), max_length=200, description="Agent groups whose people may be on this "
        "contract; empty = every group. A group with a contract is planned in people on tours; "
        "one without keeps loose agent-shifts.")
    days_per_week: int = Field(default=5, ge=1, le=7, description="Days worked in every week "
                               "of the horizon (days 0 to 6, 7 to 13, ...).")
    days_off_together: bool = Field(
        default=True, description="Whether a week's days off are consecutive days (on a "
        "one-week horizon, which repeats, Sunday and Monday count as consecutive).")
    min_rest: Seconds = Field(default=11 * HOUR, le=48 * HOUR, description="Least time "
                              "between the end of one shift and the start of the next, e.g. "
                              "11h (the EU working-time directive's daily rest).")
    max_consecutive_days: int = Field(
        default=6, ge=1, le=28, description="Most working days in a row, across weeks too "
        "(the horizon repeats).")
    start_band: Seconds = Field(
        default=0, ge=0, le=12 * HOUR, description="How far a person's start time may move "
        "from day to day: every start of their horizon within a band this wide, e.g. 2h (07:00 "
        "to 09:00); 0 = the same start every day. The rest rule then holds for the earliest "
        "start after the latest: 24 h less the shift's length and the band.")
    weekend_off_every: int | None = Field(
        default=None, ge=1, le=4, description="At least one full weekend (Saturday and Sunday) "
        "off in every this many weeks, e.g. 2 for every other weekend; none: no weekend rule.")
    templates: tuple[str, ...] = Field(
        default=(), max_length=50, description="Optimizer shift templates this contract's "
        "people may work; empty = every template. A person works the same template and length "
        "every working day, starting within their `start_band` (breaks may move within their "
        "windows).")
    contract_hours: Seconds = Field(
        default=40 * HOUR, gt=0, le=80 * HOUR, description="Weekly paid hours of the contract, "
        "e.g. 40h: paid hours above are overtime (see `pay.overtime_premium`).")
    min_paid_hours: Seconds = Field(default=0, le=80 * HOUR, description="Least paid hours "
                                    "a week.")
    max_paid_hours: Seconds = Field(default=48 * HOUR, gt=0, le=80 * HOUR, description="Most "
                                    "paid hours a week, e.g. 48h (the EU directive's "
                                    "average limit).")
    max_people: int | None = Field(default=None, ge=0, le=MAX_AGENTS, description="Most people "
                                   "on this contract (none: no limit).")

    @model_validator(mode="after")
    def _rules_agree(self) -> Contract:
        if self.min_paid_hours > self.max_paid_hours:
            raise ValueError(f"min_paid_hours {self.min_paid_hours / HOUR:g} h is above "
                             f"max_paid_hours {self.max_paid_hours / HOUR:g} h; lower it")
        if self.weekend_off_every is not None and self.days_per_week > 5:
            raise ValueError(f"a weekend off needs two days off a week, but days_per_week is "
                             f"{self.days_per_week}; lower it or drop weekend_off_every")
        if self.start_band + self.min_rest >= DAY:
            raise ValueError(f"start_band {self.start_band / HOUR:g} h and min_rest "
                             f"{self.min_rest / HOUR:g} h leave no time for a shift; lower one")
        if self.days_per_week == 7 and self.max_consecutive_days < 7:
            raise ValueError("days_per_week 7 works every day, more than max_consecutive_days "
                             f"{self.max_consecutive_days}; lower days_per_week")
        return self


def contract_problems(contracts: dict[str, Contract], groups: list[str], templates: list[str],
                      days: int) -> list[tuple[str, str]]:
    """Problems with the scenario's contracts, each as (field path, message with the fix)."""
    problems = []
    if contracts and days % 7:
        problems.append(("horizon.days", f"contracts plan whole weeks, but the horizon has "
                         f"{days} days; make it 7, 14, 21 or 28"))
    for name, contract in contracts.items():
        if len(name) > MAX_NAME:
            problems.append((f"contracts.{name[:40]}", f"a name of at most {MAX_NAME} "
                             "characters; rename it"))
        for g in contract.groups:
            if g not in groups:
                problems.append((f"contracts.{name}.groups", f"'{g}' is not an agent group; "
                                 f"use one of {', '.join(groups)}"))
        for t in contract.templates:
            if t not in templates:
                problems.append((f"contracts.{name}.templates", f"'{t}' is not an optimizer "
                                 f"template; use one of {', '.join(templates)}"))
    return problems


def group_contracts(contracts: dict[str, Contract], group: str) -> list[str]:
    """The contracts a group's people may be on, in the scenario's order."""
    return [name for name, c in contracts.items() if not c.groups or group in c.groups]
