"""The schedule model on small scenarios: deferred work against live work, weekend social
coverage, pooling across channels, a schedule written back as staffing, and infeasible plans
explained in words."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo
import pytest

from omnistaff.optimize import (
    ScheduleInfeasible,
    SolveSettings,
    build_model,
    channel_requirements,
    coverage_frame,
    optimize,
    schedule_data,
    schedule_frame,
    schedule_shifts,
    solve,
    with_schedule,
)
from omnistaff.optimize.schedule import paid_cost, paid_hours
from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim import simulate

EIGHT_HOURS = {"name": "day", "start_step": "1h",
               "breaks": [{"duration": "30min", "earliest": "4h", "latest": "4h"}]}


def build(channels: dict[str, Any], groups: dict[str, Any] | None = None, days: int = 1,
          optimizer: dict[str, Any] | None = None, start: str = "mon") -> Scenario:
    return scenario_from_dict({
        "name": "optimizer test",
        "horizon": {"days": days, "replications": 2, "start_weekday": start},
        "channels": channels,
        "groups": groups or {"team": {"skills": list(channels), "hourly_cost": 30}},
        "optimizer": {"templates": [EIGHT_HOURS], **(optimizer or {})},
    })


def email(mode: str, threshold: str, daily: float = 400, **arrivals: Any) -> dict[str, Any]:
    channel: dict[str, Any] = {
        "mode": mode, "arrivals": {"weekly_volume": daily * 7, "intraday": "business_hours",
                                   **arrivals},
        "handle_time": {"mean": 300, "cv": 0.8},
        "sla": {"target": 0.8, "threshold": threshold}}
    return channel


def schedule(scenario: Scenario, gap: float = 0.001) -> pyo.ConcreteModel:
    model = build_model(schedule_data(scenario, channel_requirements(scenario)))
    report = solve(model, SolveSettings(mip_gap=gap))
    assert report.feasible
    return model


def hours(model: pyo.ConcreteModel) -> float:
    frame = schedule_frame(model)
    return float((frame["paid_hours"] * frame["count"]).sum())


def test_a_24_hour_window_needs_fewer_paid_hours_than_the_same_work_live() -> None:
    deferred = schedule(build({"email": email("deferred", "24h")}))
    live = schedule(build({"email": email("live", "60s")}))
    assert hours(deferred) < 0.8 * hours(live)


@pytest.mark.slow  # a MIP over three days: about 9 s
def test_a_one_hour_window_over_the_weekend_forces_weekend_coverage() -> None:
    social = email("deferred", "1h", daily=150, intraday="evening")
    # Friday to Sunday: the weekend and the weekday before it (a whole week is ten times
    # the solve and adds only more weekdays). Any schedule that fits will do here: the
    # presence it needs is a constraint.
    model = schedule(build({"social": social}, days=3, start="fri"), gap=0.1)
    frame = schedule_frame(model)
    assert {"sat", "sun"} <= set(frame["day"])
    # At most the 20% the target leaves of each day's work may miss the hour.
    data = model.schedule_data
    for day in (1, 2):  # Saturday and Sunday
        late = sum(model.late["social", t].value or 0 for t in range(day * 48, day * 48 + 48))
        work = sum(data.work.get(("social", t), 0) for t in range(day * 48, day * 48 + 48))
        assert work > 0 and late <= 0.2 * work + 1e-6


def test_omni_skilled_agents_need_fewer_paid_hours_when_peaks_differ() -> None:
    morning = email("live", "60s", daily=300, hours={"open": "06:00", "close": "12:00",
                                                    "days": "all"})
    evening = email("live", "60s", daily=300, hours={"open": "12:00", "close": "18:00",
                                                    "days": "all"})
    channels = {"morning": morning, "evening": evening}
    specialists = {"early": {"skills": ["morning"], "hourly_cost": 30},
                   "late": {"skills": ["evening"], "hourly_cost": 30}}
    omni = {"omni": {"skills": ["morning", "evening"], "hourly_cost": 30}}
    pooled = hours(schedule(build(channels, omni)))
    assert pooled < 0.9 * hours(schedule(build(channels, specialists)))


def test_the_schedule_is_valid_staffing_that_simulates_at_the_cost_optimized() -> None:
    scenario = build({"phone": email("live", "20s")})
    model = schedule(scenario)
    staffed = with_schedule(scenario, schedule_shifts(model))
    assert paid_cost(staffed) == pytest.approx(schedule_frame(model)["cost"].sum())
    assert sum(paid_hours(staffed).values()) == pytest.approx(hours(model))
    result = simulate(staffed)
    assert result.channels.loc["phone", "handled"] > 0


def test_min_agents_keeps_someone_on_every_open_interval() -> None:
    quiet = email("live", "20s", daily=10, intraday="flat",
                  hours={"open": "06:00", "close": "22:00", "days": "all"})
    scenario = build({"phone": quiet}, optimizer={"min_agents": 2})
    coverage = coverage_frame(schedule(scenario))
    opened = coverage[coverage["label"].between("Mon 06:00", "Mon 21:30")]
    assert (opened["available"] >= 2 - 1e-6).all()
    assert coverage["available"].sum() > 0


@pytest.mark.parametrize(("changes", "words"), [
    ({"optimizer": {"templates": [{"name": "late", "earliest_start": "12:00",
                                   "latest_start": "12:00", "lengths": ["4h"]}]}},
     ["channel 'phone' needs agents at Mon 08:00-12:00", "optimizer.templates"]),
    ({"groups": {"team": {"skills": ["phone"], "max_headcount": 1}}},
     ["channel 'phone' needs", "groups.team.max_headcount 1"]),
    ({"optimizer": {"templates": [EIGHT_HOURS], "budget": 100}},
     ["optimizer.budget 100 is below the least cost"]),
])
def test_an_infeasible_plan_is_explained_in_words(changes: dict[str, Any],
                                                  words: list[str]) -> None:
    phone = email("live", "20s", daily=800, hours={"open": "08:00", "close": "18:00",
                                                  "days": "all"})
    data = {"name": "infeasible", "horizon": {"days": 1}, "channels": {"phone": phone},
            "groups": {"team": {"skills": ["phone"], "hourly_cost": 30}}, **changes}
    with pytest.raises(ScheduleInfeasible) as caught:
        optimize(scenario_from_dict(data))
    message = str(caught.value)
    assert all(w in message for w in words), message
