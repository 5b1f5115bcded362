"""A rotation of identical weeks solved from its week (`tour_weeks`): the week's data is the
one-week scenario's, the week's schedule repeated is a schedule of the rotation at the weeks
times its cost, the weeks times the week's LP bound never exceed the rotation's own LP bound;
with rotating weekends the week is a circulation through the contract's moves, whose schedule
every week is the rotation's and whose LP bound times the weeks is the rotation's own; and a
rotation whose weeks differ (a public holiday, a surge on one day) is not taken for its
week."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo
import pytest

from omnistaff.optimize import SolveSettings, build_model, channel_requirements, schedule_data
from omnistaff.optimize import solve as solve_model
from omnistaff.optimize.loop import _agents
from omnistaff.optimize.roster_check import roster_violations
from omnistaff.optimize.roster_out import build_roster
from omnistaff.optimize.runner import run
from omnistaff.optimize.solve import load_schedule
from omnistaff.optimize.tour_weeks import repeat_week, repeating_week, rotation_schedule
from omnistaff.scenarios import Scenario, scenario_from_dict


def center(weeks: int, pay: dict | None = None, surges: tuple[dict, ...] = (),
           **contract: object) -> Scenario:
    """A small center on contracts: phone on weekdays and email every day, one team, shifts
    of 6 and 8 hours starting every two hours, a weekend premium."""
    return scenario_from_dict({
        "name": "rotation", "horizon": {"days": 7 * weeks, "interval_minutes": 30},
        "channels": {
            "phone": {"mode": "live", "arrivals": {"weekly_volume": 1500, "weekly": "weekdays",
                                                   "intraday": "business_hours",
                                                   "surges": list(surges)},
                      "handle_time": {"mean": 240, "cv": 1},
                      "sla": {"target": 0.8, "threshold": "30s"}},
            "email": {"mode": "deferred", "arrivals": {"weekly_volume": 700},
                      "handle_time": {"mean": 300, "cv": 1}, "expiry": "48h",
                      "sla": {"target": 0.9, "threshold": "8h"}}},
        "groups": {"team": {"skills": ["phone", "email"], "hourly_cost": 20}},
        "contracts": {"full_time": contract},
        "pay": pay or {"weekend_premium": 0.25},
        "optimizer": {"templates": [{"name": "day", "earliest_start": "06:00",
                                     "latest_start": "14:00", "start_step": "2h",
                                     "lengths": ["6h", "8h"]}]},
    })


def data_of(scenario: Scenario):
    return schedule_data(scenario, channel_requirements(scenario))


def lp_objective(data) -> float:
    outcome = run(build_model(data), "appsi_highs", 300, relaxed=True)
    assert outcome.objective is not None
    return outcome.objective


def test_a_rotations_week_is_its_one_week_scenario() -> None:
    week, one = repeating_week(data_of(center(3))), data_of(center(1))
    assert week is not None and week.intervals == one.intervals
    for name in ("required", "work", "allowed", "late_allowance"):
        assert getattr(week, name) == pytest.approx(getattr(one, name)), name
    for name in ("window", "expiry", "occurrences", "weekday_days", "levels"):
        assert getattr(week, name) == getattr(one, name), name
    assert week.cost == pytest.approx(one.cost)
    # Each person holds their week: days off within the week (not Sunday and Monday, which
    # the one-week horizon's repeating week counts as together), one move per pattern.
    rules = week.tours.rules["full_time"]
    assert len(rules.patterns) == 6 and all(a == b for a, b in rules.moves)
    assert not any(not p[0] and not p[6] for p in rules.patterns)


def week_repeated(scenario: Any) -> tuple[Any, Any, Any, Any, Any]:
    """The scenario's week solved and repeated over its rotation: the rotation's data, the
    week's data and model, the rotation's schedule and a fresh rotation model to load it in."""
    data = data_of(scenario)
    week = repeating_week(data)
    assert week is not None
    week_model = build_model(week)
    assert run(week_model, "appsi_highs", 300, 0.01, nodes=100).feasible
    found = tuple(round(v.value or 0) for v in (*week_model.agents.values(),
                                                 *week_model.rota.values()))
    schedule = rotation_schedule(data, week, found)
    model = build_model(data)
    return data, week, week_model, schedule, model


def test_the_weeks_schedule_repeated_is_the_rotations_and_the_bound_holds() -> None:
    scenario = center(2)
    data, week, week_model, schedule, model = week_repeated(scenario)
    loaded = load_schedule(model, schedule)
    assert loaded.feasible  # every constraint of the rotation holds with it
    assert pyo.value(model.cost) == pytest.approx(2 * pyo.value(week_model.cost), rel=1e-9)
    # The weeks times the week's LP bound never exceed the rotation's LP bound.
    assert 2 * lp_objective(week) <= lp_objective(data) * (1 + 1e-7)
    # The solve takes that path: its bound is the week's LP bound twice, its roster checked.
    solved = build_model(data)
    report = solve_model(solved, SolveSettings(mip_gap=0.01, widenings=0, prove=False))
    assert report.bound == pytest.approx(2 * lp_objective(week), abs=0.01)
    assert report.objective is not None and report.objective >= report.bound
    roster = build_roster(data, _agents(solved))
    assert roster and roster_violations(scenario, roster) == []


#: Every other weekend off, at most 8 days in a row (days 0 to 6 are Monday to Sunday).
WEEKENDS = {"weekend_off_every": 2, "max_consecutive_days": 8}


def test_rotating_weekends_are_a_circulation_through_the_contracts_moves() -> None:
    data = data_of(center(2, **WEEKENDS))
    week = repeating_week(data)
    assert week is not None and week.tours is not None and week.tours.weeks == 1
    rules = week.tours.rules["full_time"]
    off = {p: tuple(d for d in range(7) if not pattern[d])
           for p, pattern in enumerate(rules.patterns)}
    moves = {(off[rules.nodes[a][0]], off[rules.nodes[b][0]]) for a, b in rules.moves}
    # By hand: a week with a weekend worked comes between two weekends off, and from it to the
    # next weekend off (Monday to Friday worked) at most 8 days in a row leaves Wednesday-
    # Thursday, Thursday-Friday or Friday-Saturday off; a weekend off may repeat.
    weekdays = [(2, 3), (3, 4), (4, 5)]
    assert moves == {((5, 6), (5, 6)), *(((5, 6), q) for q in weekdays),
                     *((q, (5, 6)) for q in weekdays)}


def test_the_weeks_circulation_every_week_is_the_rotations_and_its_bound_is_the_rotations(
        ) -> None:
    scenario = center(2, **WEEKENDS)
    data, week, week_model, schedule, model = week_repeated(scenario)
    assert load_schedule(model, schedule).feasible  # every constraint of the rotation holds
    assert pyo.value(model.cost) == pytest.approx(2 * pyo.value(week_model.cost), rel=1e-9)
    assert build_roster(data, schedule) and roster_violations(
        scenario, build_roster(data, schedule)) == []
    # The rotation's weeks averaged are the week's circulation, and the week's circulation
    # held every week is the rotation's: the two LP bounds agree.
    assert 2 * lp_objective(week) == pytest.approx(lp_objective(data), rel=1e-7)


def violations(model: pyo.ConcreteModel, tolerance: float = 1e-6) -> list[str]:
    """The rows of a model its loaded values break (by more than `tolerance`, relative)."""
    broken = []
    for row in model.component_data_objects(pyo.Constraint, active=True):
        value, scale = pyo.value(row.body), tolerance * max(1.0, abs(pyo.value(row.body)))
        if (row.has_lb() and value < pyo.value(row.lower) - scale) or (
                row.has_ub() and value > pyo.value(row.upper) + scale):
            broken.append(row.name)
    return broken


@pytest.mark.parametrize("contract", [{}, WEEKENDS], ids=["held", "weekends"])
def test_the_weeks_solution_repeated_meets_every_row_of_the_rotation(contract: dict) -> None:
    data, _, week_model, schedule, model = week_repeated(center(3, **contract))
    found = tuple(round(v.value or 0) for v in (*week_model.agents.values(),
                                                 *week_model.rota.values()))
    assert load_schedule(week_model, found).feasible
    assert repeat_week(model, week_model, schedule)
    assert violations(model) == []
    assert pyo.value(model.cost) == pytest.approx(3 * pyo.value(week_model.cost), rel=1e-9)
    # The check can fail: one interval's level of the week off by an agent breaks rows.
    level = week_model.staffed[data.groups[0], 20]
    level.set_value(level.value + 1)
    repeat_week(model, week_model, schedule)
    assert violations(model) != []


@pytest.mark.parametrize("scenario", [
    center(2, pay={"holiday_premium": 1.0, "holidays": [8]}),  # the weeks' pay differs
    center(2, surges=({"day": 9, "start": "10:00", "duration": "2h", "multiplier": 3},),
           **WEEKENDS),  # the second week's Wednesday is busier
    center(1),  # one week: nothing to repeat
])
def test_a_rotation_is_not_taken_for_its_week_when_a_repeated_week_would_not_do(
        scenario: Scenario) -> None:
    assert repeating_week(data_of(scenario)) is None
