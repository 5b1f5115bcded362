"""Parameter sweeps: parsing, validation, streaming to disk, resuming, the frontier, CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from omnistaff.scenarios import Scenario, scenario_from_dict
from omnistaff.sim.sweep import (
    RUNS_FILE,
    Param,
    Point,
    SweepError,
    SweepResult,
    parse_param,
    run_sweep,
    sweep_points,
)
from omnistaff.ui.cli import app

runner = CliRunner()


def tiny_center() -> dict[str, Any]:
    """Four hours of phone and social; the sweep varies phone agents and the social SLA."""
    return {
        "name": "tiny",
        "horizon": {"days": 1, "replications": 2, "seed": 3},
        "channels": {
            "phone": {"mode": "live",
                      "arrivals": {"weekly_volume": 7 * 200,
                                   "hours": {"open": "08:00", "close": "12:00", "days": "all"}},
                      "handle_time": {"mean": 200, "cv": 1.0},
                      "patience": {"dist": "exponential", "mean": 300},
                      "sla": {"target": 0.8, "threshold": 20}},
            "social": {"mode": "deferred", "arrivals": {"weekly_volume": 7 * 40,
                                                        "hours": {"open": "08:00",
                                                                  "close": "12:00",
                                                                  "days": "all"}},
                       "handle_time": {"mean": 300, "cv": 1.0},
                       "sla": {"target": 0.8, "threshold": "1h"}},
        },
        "groups": {"phone_team": {"skills": ["phone"], "hourly_cost": 25},
                   "social_team": {"skills": ["social"], "hourly_cost": 30}},
        "staffing": {"shifts": [
            {"group": "phone_team", "days": "all", "start": "08:00", "length": "4h",
             "count": 3},
            {"group": "social_team", "days": "all", "start": "08:00", "length": "4h",
             "count": 1}]},
    }


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return scenario_from_dict(tiny_center())


PARAMS = ["staffing.shifts.0.count=2,3,4", "channels.social.sla.threshold=30min,2h"]


def test_parse_param_reads_values_as_yaml() -> None:
    assert parse_param("a.b=1,2.5,1h") == Param("a.b", (1, 2.5, "1h"))
    assert parse_param("staffing.shifts.0.days=[sat, sun],weekdays") == Param(
        "staffing.shifts.0.days", (["sat", "sun"], "weekdays"))


@pytest.mark.parametrize(("text", "message"), [
    ("staffing.shifts.0.count", "is not PATH=v1,v2"),
    ("=1,2", "is not PATH=v1,v2"),
    ("a.b=1,,2", "empty value"),
    ("a.b=[1,2", "not readable"),
])
def test_malformed_param_says_how_to_write_it(text: str, message: str) -> None:
    with pytest.raises(SweepError, match=message):
        parse_param(text)


def test_bad_path_or_value_is_named(scenario: Scenario) -> None:
    with pytest.raises(SweepError, match=r"staffing\.shiftz.*does not exist.*keys there"):
        sweep_points(scenario, [parse_param("staffing.shiftz.0.count=1")])
    with pytest.raises(SweepError, match=r"count=-1.*staffing\.shifts\.0\.count"):
        sweep_points(scenario, [parse_param("staffing.shifts.0.count=-1")])
    with pytest.raises(SweepError, match="given twice"):
        sweep_points(scenario, [parse_param("horizon.seed=1"), parse_param("horizon.seed=2")])


def test_points_are_the_product_of_values(scenario: Scenario) -> None:
    points = sweep_points(scenario, [parse_param(p) for p in PARAMS])
    assert len(points) == 6
    assert points[5].overrides == {"staffing.shifts.0.count": 4,
                                   "channels.social.sla.threshold": "2h"}
    assert points[5].scenario.channels["social"].sla.threshold == 7200


@pytest.fixture(scope="module")
def full_sweep(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> SweepResult:
    out = tmp_path_factory.mktemp("sweep")
    return run_sweep(scenario, [parse_param(p) for p in PARAMS], out)


@pytest.mark.slow
def test_more_agents_cost_more_and_serve_better(full_sweep: SweepResult) -> None:
    wide = full_sweep.wide(kpis=("total_cost", "service_level"))
    by_agents = wide.groupby("staffing.shifts.0.count")[["total.total_cost",
                                                         "phone.service_level"]].mean()
    assert by_agents["total.total_cost"].is_monotonic_increasing
    assert by_agents["phone.service_level"].is_monotonic_increasing


@pytest.mark.slow
def test_interrupted_sweep_resumes_without_redoing_runs(scenario: Scenario, tmp_path: Path,
                                                        full_sweep: SweepResult) -> None:
    params = [parse_param(p) for p in PARAMS]
    seen: list[int] = []

    def stop_after_five(done: int, total: int) -> None:
        seen.append(done)
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(scenario, params, tmp_path, progress=stop_after_five)
    with (tmp_path / RUNS_FILE).open("a") as file:
        file.write('{"key": "torn')  # a write cut short by the interruption
    seen.clear()
    resumed = run_sweep(scenario, params, tmp_path, progress=lambda d, t: seen.append(d))
    assert seen[0] == 5 and seen[-1] == 12 and len(seen) == 1 + 7
    lines = (tmp_path / RUNS_FILE).read_text().splitlines()
    assert len(lines) == 5 + 1 + 7
    pd.testing.assert_frame_equal(resumed.runs, full_sweep.runs)


@pytest.mark.slow
def test_same_results_on_a_pool(scenario: Scenario, tmp_path: Path,
                                full_sweep: SweepResult) -> None:
    params = [parse_param(p) for p in PARAMS]
    pooled = run_sweep(scenario, params, tmp_path, workers=2)
    pd.testing.assert_frame_equal(pooled.runs, full_sweep.runs)


@pytest.mark.slow
def test_same_results_on_dask(scenario: Scenario, tmp_path: Path,
                              full_sweep: SweepResult) -> None:
    from distributed import LocalCluster

    params = [parse_param(p) for p in PARAMS]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        on_dask = run_sweep(scenario, params, tmp_path, dask_address=cluster.scheduler_address)
    pd.testing.assert_frame_equal(on_dask.runs, full_sweep.runs)


def test_frontier_keeps_points_no_other_beats(scenario: Scenario) -> None:
    """Hand-made points: (cost, service level) = (1, .5) (2, .9) (3, .8) (4, .95)."""
    values = [(1, 0.5), (2, 0.9), (3, 0.8), (4, 0.95)]
    rows = []
    for point, (cost, level) in enumerate(values):
        for replication in range(2):
            rows += [(point, replication, "channel", "total", "total_cost", cost),
                     (point, replication, "channel", "total", "service_level", level)]
    runs = pd.DataFrame(rows, columns=["point", "replication", "scope", "name", "kpi",
                                       "value"])
    points = [Point(i, {"x": i}, scenario) for i in range(4)]
    frontier = SweepResult([Param("x", (0, 1, 2, 3))], points, runs).frontier()
    assert frontier["point"].tolist() == [0, 1, 3]


def test_sweep_command_streams_and_reports(tmp_path: Path) -> None:
    source = tmp_path / "tiny.yaml"
    source.write_text(yaml.safe_dump(tiny_center()))
    out = tmp_path / "out"
    args = ["sweep", str(source), "--param", "staffing.shifts.0.count=2,4", "--param",
            "staffing.shifts.1.count=1,2", "--replications", "1", "--workers", "1",
            "--channel", "social", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Frontier" in result.stdout
    assert len((out / RUNS_FILE).read_text().splitlines()) == 4
    frontier = pd.read_csv(out / "frontier.csv")
    assert {"total.total_cost", "social.service_level"} <= set(frontier.columns)
    assert len(pd.read_csv(out / "points.csv")) == 4
    page = (out / "report.html").read_text()
    assert "Plotly.newPlot" in page and "frontier" in page
    assert json.loads((out / "figures" / "frontier.json").read_text())["data"]


@pytest.mark.parametrize(("args", "message"), [
    (["--param", "staffing.shifts.0.count"], "is not PATH=v1,v2"),
    (["--param", "staffing.shifts.7.count=1"], "is not an index from 0 to 1"),
    (["--param", "staffing.shifts.0.count=1", "--channel", "fax"], "no channel named 'fax'"),
])
def test_sweep_bad_input_is_one_clear_message(tmp_path: Path, args: list[str],
                                              message: str) -> None:
    source = tmp_path / "tiny.yaml"
    source.write_text(yaml.safe_dump(tiny_center()))
    result = runner.invoke(app, ["sweep", str(source), *args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
