"""Simulation-optimization end to end on the bundled small multichannel scenario (two days):
the schedule meets every SLA in simulation, costs no more than covering each interval's Erlang
requirement, and is written out as files a planner (and `omnistaff simulate`) can use."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from omnistaff.optimize import (
    Iteration,
    OptimizationResult,
    build_model,
    channel_requirements,
    optimize,
    schedule_data,
    solve,
    write_outputs,
)
from omnistaff.scenarios import Scenario, bundled_scenarios, load_scenario, with_overrides
from omnistaff.sim import simulate

TEMPLATES = [{"name": "full_time", "start_step": "1h",
              "breaks": [{"duration": "30min", "earliest": "3h", "latest": "5h", "step": "1h"}]}]

pytestmark = pytest.mark.slow  # every test here reads one run of the sim-opt loop


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    base = load_scenario(bundled_scenarios()["small_multichannel"])
    return with_overrides(base, {"horizon.days": 2, "optimizer": {
        "templates": TEMPLATES, "time_limit": 15, "mip_gap": 0.02, "replications": 3}})


@pytest.fixture(scope="module")
def run(scenario: Scenario) -> tuple[OptimizationResult, list[Iteration]]:
    seen: list[Iteration] = []
    return optimize(scenario, progress=seen.append), seen


def test_every_sla_is_met_in_simulation(run: tuple[OptimizationResult, list[Iteration]]) -> None:
    result, _ = run
    assert result.converged
    channels = result.evaluation.channels
    assert (channels["service_level"] >= channels["target"]).all()
    assert result.final.all_met


def test_it_costs_no_more_than_covering_each_interval_by_erlang(
        scenario: Scenario, run: tuple[OptimizationResult, list[Iteration]]) -> None:
    naive = channel_requirements(scenario, deferred_as_backlog=False)
    model = build_model(schedule_data(scenario, naive))
    report = solve(model, mip_gap=0.02, time_limit=15)
    assert run[0].final.cost <= report.objective


def test_progress_reports_each_iteration(run: tuple[OptimizationResult, list[Iteration]]) -> None:
    result, seen = run
    assert tuple(seen) == result.iterations
    first = seen[0].describe()
    assert first.startswith("iteration 1: cost ") and "phone" in first and "gap" in first
    assert [i.number for i in seen] == list(range(1, len(seen) + 1))


def test_the_optimized_scenario_simulates_as_is(
        run: tuple[OptimizationResult, list[Iteration]]) -> None:
    result, _ = run
    staffed = result.scenario
    assert staffed.staffing.shifts and not staffed.staffing.per_interval
    assert simulate(staffed).channels["handled"].sum() > 0


def test_outputs_are_written(run: tuple[OptimizationResult, list[Iteration]],
                             tmp_path: Path) -> None:
    result, _ = run
    paths = write_outputs(result, tmp_path / "out")
    assert [p.name for p in paths] == ["schedule.csv", "coverage.csv", "iterations.csv",
                                       "optimized-scenario.yaml", "summary.json"]
    schedule = pd.read_csv(paths[0])
    assert list(schedule.columns[:6]) == ["group", "day", "start", "end", "breaks", "count"]
    assert schedule["count"].sum() > 0
    coverage = pd.read_csv(paths[1])
    assert {"channel", "interval", "required", "allocated", "simulated_sla"} <= set(coverage)
    assert len(pd.read_csv(paths[2])) == len(result.iterations)
    assert load_scenario(paths[3]) == result.scenario
    summary = json.loads(paths[4].read_text())
    assert summary["cost"] == pytest.approx(result.final.cost)
    assert set(summary["paid_hours"]) == set(result.scenario.groups)
    assert {"service_level", "ci95", "target", "met"} <= set(summary["sla"]["phone"])
    assert {"status", "gap"} <= set(summary["solver"])
    assert summary["seconds"]["total"] > 0
