"""Comparing variants with common random numbers: paired intervals, executors, reports, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from omnistaff.scenarios import Scenario, VariantError, load_scenario, scenario_from_dict
from omnistaff.sim.compare import Comparison, compare_variants
from omnistaff.sim.costing import TOTAL
from omnistaff.sim.stats import welch_half_width
from omnistaff.ui.cli import app

runner = CliRunner()


def small_center() -> dict[str, Any]:
    """One day of phone and chat served by two groups; variants add agents or change
    only an SLA target (which does not change what happens)."""
    shift = {"days": "all", "start": "08:00", "length": "8h",
             "breaks": [{"after": "4h", "duration": "30min"}]}
    return {
        "name": "small center",
        "horizon": {"days": 1, "replications": 6, "seed": 7},
        "channels": {
            "phone": {"mode": "live", "arrivals": {"weekly_volume": 7 * 700,
                                                   "hours": {"open": "08:00", "close": "16:00",
                                                             "days": "all"}},
                      "handle_time": {"mean": 240, "cv": 1.0},
                      "patience": {"dist": "exponential", "mean": 300},
                      "sla": {"target": 0.8, "threshold": 20}},
            "chat": {"mode": "live", "arrivals": {"weekly_volume": 7 * 300,
                                                  "hours": {"open": "08:00", "close": "16:00",
                                                            "days": "all"}},
                     "handle_time": {"mean": 400, "cv": 0.8}, "concurrency": {"max": 2},
                     "patience": {"dist": "exponential", "mean": 300},
                     "sla": {"target": 0.8, "threshold": 60}},
        },
        "groups": {"phone_team": {"skills": ["phone"], "hourly_cost": 25, "shrinkage": 0.1},
                   "chat_team": {"skills": ["chat"], "hourly_cost": 30}},
        "staffing": {"shifts": [{**shift, "group": "phone_team", "count": 8},
                                {**shift, "group": "chat_team", "count": 3}]},
        "variants": {"more_phone": {"staffing.shifts.0.count": 9},
                     "stricter_target": {"channels.phone.sla.target": 0.9}},
    }


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return scenario_from_dict(small_center())


@pytest.fixture(scope="module")
def comparison(scenario: Scenario) -> Comparison:
    return compare_variants(scenario)


def kpi(table: pd.DataFrame, variant: str, name: str, key: str) -> pd.Series:
    rows = table[(table["variant"] == variant) & (table["name"] == name) & (table["kpi"] == key)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.slow
def test_paired_intervals_are_much_narrower_than_unpaired(comparison: Comparison) -> None:
    """Common random numbers: the same customers in each replication of both variants, so
    the paired difference has far less noise than two independent samples would."""
    table = comparison.kpi_table()
    for name, key in (("phone", "service_level"), (TOTAL, "service_level"),
                      ("phone", "abandon_rate"), (TOTAL, "total_cost"),
                      (TOTAL, "cost_per_handled")):
        row = kpi(table, "more_phone", name, key)
        assert row["diff_ci95"] < 0.5 * row["diff_ci95_unpaired"], (name, key)
        assert abs(row["diff"]) > row["diff_ci95"], (name, key)  # the difference is real
    assert kpi(table, "more_phone", "phone", "service_level")["diff"] > 0
    assert kpi(table, "more_phone", "phone", "abandon_rate")["diff"] < 0


@pytest.mark.slow
def test_variant_that_changes_nothing_simulated_has_zero_difference(
        comparison: Comparison) -> None:
    """An SLA target only changes how results are judged: with common random numbers every
    KPI is identical, replication by replication."""
    table = comparison.kpi_table()
    same = table[table["variant"] == "stricter_target"]
    assert np.allclose(same["diff"].dropna(), 0) and np.allclose(same["diff_ci95"].dropna(), 0)
    assert same["diff"].notna().sum() > 30


@pytest.mark.slow
def test_intervals_agree_with_the_totals(comparison: Comparison, scenario: Scenario) -> None:
    """One day: the day's pooled service level and offered count are the channel's."""
    runs = comparison.runs
    daily = comparison.daily_table()
    for channel in scenario.channels:
        level = runs[(runs["variant"] == "base") & (runs["name"] == channel)
                     & (runs["kpi"] == "service_level")]["value"].mean()
        day = daily[(daily["variant"] == "base") & (daily["channel"] == channel)].iloc[0]
        assert day["service_level"] == pytest.approx(level)
    offered = comparison.interval_table().groupby(["variant", "channel"])["offered"].sum()
    table = comparison.kpi_table().set_index(["variant", "name", "kpi"])["mean"]
    assert offered[("base", "chat")] == pytest.approx(table[("base", "chat", "offered")])


def test_welch_half_width_matches_scipy() -> None:
    from scipy import stats

    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 8), rng.normal(1, 2, 5)
    result = stats.ttest_ind(a, b, equal_var=False)
    low, high = result.confidence_interval(0.95)
    assert welch_half_width(a, b) == pytest.approx((high - low) / 2)


def test_unknown_variant_names_it_and_the_known_ones(scenario: Scenario) -> None:
    with pytest.raises(VariantError, match=r"'faster'.*base, more_phone, stricter_target"):
        compare_variants(scenario, ["base", "faster"])


@pytest.mark.slow
def test_same_results_serially_on_a_pool_and_on_dask(scenario: Scenario,
                                                     comparison: Comparison) -> None:
    from distributed import LocalCluster

    names = ["base", "more_phone"]
    serial = compare_variants(scenario, names, replications=3)
    pool = compare_variants(scenario, names, replications=3, workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        on_dask = compare_variants(scenario, names, replications=3,
                                   dask_address=cluster.scheduler_address)
    for other in (pool, on_dask):
        pd.testing.assert_frame_equal(serial.kpi_table(), other.kpi_table())
        pd.testing.assert_frame_equal(serial.interval_table(), other.interval_table())
    first = comparison.runs[comparison.runs["replication"] < 3]
    first = first[first["variant"].isin(names)].reset_index(drop=True)
    pd.testing.assert_frame_equal(serial.runs, first)


def write_scenario(folder: Path) -> Path:
    path = folder / "center.yaml"
    path.write_text(yaml.safe_dump(small_center()))
    return path


@pytest.mark.slow
def test_compare_command_writes_a_self_contained_report(tmp_path: Path) -> None:
    source = write_scenario(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["compare", str(source), "--variants", "more_phone",
                                 "--replications", "2", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "more_phone" in result.stdout and "Δ" in result.stdout
    page = (out / "report.html").read_text()
    assert "Plotly.newPlot" in page and "How to read this report" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"?https?:", page)
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["variants"]) == {"base", "more_phone"}
    for name in ("service_level_by_interval", "backlog_end_by_interval", "cost_by_channel",
                 "cost_per_contact"):
        assert not pd.read_csv(out / "figures" / f"{name}.csv").empty
        assert json.loads((out / "figures" / f"{name}.json").read_text())["data"]
    kpis = pd.read_csv(out / "kpis.csv")
    assert {"diff", "diff_ci95", "diff_ci95_unpaired"} <= set(kpis.columns)


@pytest.mark.parametrize(("args", "message"), [
    (["--variants", "base,nope"], "no variant named 'nope'"),
    (["--replications", "0"], "replications"),
])
def test_compare_bad_input_is_one_clear_message(tmp_path: Path, args: list[str],
                                                message: str) -> None:
    source = write_scenario(tmp_path)
    result = runner.invoke(app, ["compare", str(source), *args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_compare_missing_file_names_it(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.stderr and "check the path" in result.stderr


@pytest.mark.slow
def test_compare_optimize_runs_the_optimizer_on_each_variant(tmp_path: Path) -> None:
    """--optimize schedules each variant with the real optimizer (here 8-hour and 4-hour shifts
    on one day), writes each optimized scenario, then compares the schedules on the same
    replications the optimizer judged them on: both meet their SLAs, and the stricter phone
    target costs more."""
    data = small_center()
    data["optimizer"] = {"templates": [
        {"name": "day", "earliest_start": "06:00", "latest_start": "08:00", "start_step": "1h",
         "breaks": [{"duration": "30min", "earliest": "4h", "latest": "4h"}]},
        {"name": "half", "earliest_start": "08:00", "latest_start": "12:00",
         "start_step": "1h", "lengths": ["4h"]}]}
    source = tmp_path / "center.yaml"
    source.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    result = runner.invoke(app, ["compare", str(source), "--variants", "stricter_target",
                                 "--optimize", "--replications", "10", "--workers", "1",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    printed = " ".join((result.stdout + result.stderr).split())
    assert printed.count("Every SLA met in simulation (95% lower bound, every day)") == 2, printed
    assert printed.count("taking any one away misses an SLA") == 2, printed
    optimized = {v: load_scenario(out / f"optimized-{v}.yaml") for v in
                 ("base", "stricter_target")}
    for scenario in optimized.values():
        assert {s.group for s in scenario.staffing.shifts} == {"phone_team", "chat_team"}
    kpis = pd.read_csv(out / "kpis.csv").set_index(["variant", "scope", "name", "kpi"])
    for variant, target in (("base", 0.8), ("stricter_target", 0.9)):
        assert kpis.loc[(variant, "channel", "phone", "service_level"), "mean"] >= target
        assert kpis.loc[(variant, "channel", "chat", "service_level"), "mean"] >= 0.8
    extra = kpis.loc[("stricter_target", "channel", TOTAL, "total_cost")]
    assert extra["diff"] - extra["diff_ci95"] > 0
