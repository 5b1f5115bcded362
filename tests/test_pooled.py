"""Figures pooled over channels, the mean wait over every contact (held to Erlang A), the
ratio-of-means estimator beside the mean of ratios, and `replications.csv`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import deferred, estimate, live, replicate, scenario, seed_for, single_queue
from scipy import stats
from typer.testing import CliRunner

from omnistaff.scenarios import bundled_scenarios
from omnistaff.sim import simulate
from omnistaff.sim.erlang import queue_metrics
from omnistaff.sim.experiment import Replications
from omnistaff.sim.pooled import TOTAL, ratio_of_means, ratio_table, replication_table
from omnistaff.ui.cli import app
from omnistaff.ui.outputs import write_simulation

SMALL = bundled_scenarios()["small_multichannel"]


def test_ratio_of_means_and_its_delta_method_half_width_by_hand() -> None:
    """num 1, 2, 6 over den 2, 4, 4: R = 9/10; residuals -0.8, -1.6, 2.4 (mean 0, sd
    sqrt(4.48)); half-width t(0.975, 2) * sd / sqrt(3) / mean(den)."""
    ratio, half = ratio_of_means(np.array([1.0, 2.0, 6.0]), np.array([2.0, 4.0, 4.0]))
    assert ratio == pytest.approx(0.9)
    expected = stats.t.ppf(0.975, 2) * math.sqrt(4.48) / math.sqrt(3) / (10 / 3)
    assert half == pytest.approx(expected)
    assert math.isnan(ratio_of_means(np.array([1.0]), np.array([2.0]))[1])  # one: no spread
    assert math.isnan(ratio_of_means(np.array([0.0, 0.0]), np.array([0.0, 0.0]))[0])


def test_pooled_total_sums_counts_and_pools_ratios() -> None:
    """Two channels: the total's counts are their sums, its service level the summed
    within-T over the summed SLA base (not the mean of the two), its ASA weighted by
    handled, and its p90 the quantile of every answered wait."""
    scen = scenario({"phone": live(aht=300, per_interval=60, patience=300),
                     "email": deferred(aht=300, per_interval=10)})
    result = simulate(scen, seed_for("pooled"), contacts=True)
    channels, total = result.channels, result.total
    assert total is not None
    for count in ("offered", "handled", "abandoned", "answered_within_sla", "sla_base"):
        assert total[count] == channels[count].sum()
    assert total["service_level"] == pytest.approx(
        channels["answered_within_sla"].sum() / channels["sla_base"].sum())
    assert total["asa_seconds"] == pytest.approx(
        (channels["asa_seconds"] * channels["handled"]).sum() / channels["handled"].sum())
    c = result.contacts
    assert c is not None
    waits = c[(c["arrival"] >= 0) & (c["outcome"] == "answered")]["wait"]
    assert total["response_p90_seconds"] == pytest.approx(np.quantile(waits, 0.9))
    left = c[(c["arrival"] >= 0) & c["outcome"].isin(["answered", "abandoned", "expired"])]
    assert total["mean_wait_seconds"] == pytest.approx(left["wait"].mean())


def test_mean_wait_over_every_contact_agrees_with_erlang_a() -> None:
    """M/M/c+M: with exponential patience of mean 1/theta, P(abandon) = theta E[W] over
    every customer, so E[W] = abandon rate x mean patience. 10 agents at load 1.0, patience
    one handle time; 99.9% t interval over 8 replications plus 1% slack (censoring and the
    warm-up's transient, as in test_engine_theory)."""
    agents, load, contacts = 10, 1.0, 6000
    aht = agents * load * 86400 / contacts
    patience, threshold = aht, 0.1 * aht
    theory = queue_metrics(load * agents / aht, aht, agents, threshold, patience)
    expected = theory.abandon_rate * patience
    results = replicate(single_queue(agents, load, aht, threshold, patience), 8,
                        seed_for("mean wait", agents, load))
    got = estimate([r.channels.loc["phone", "mean_wait_seconds"] for r in results])
    assert got.agrees(expected, 0.01 * expected), got.describe(expected)
    # answered-only ASA is shorter than the wait over every contact when some abandon
    assert all(r.channels.loc["phone", "asa_seconds"] < r.channels.loc["phone",
               "mean_wait_seconds"] for r in results)


def test_ratio_table_puts_both_estimators_side_by_side() -> None:
    scen = scenario({"phone": live(aht=300, per_interval=[20] * 24 + [60] * 24,
                                   patience=200)})
    results = replicate(scen, 4, seed_for("ratios"))
    table = ratio_table(results).set_index(["scope", "name", "kpi"])
    row = table.loc[("channel", "phone", "service_level")]
    levels = [r.channels.loc["phone", "service_level"] for r in results]
    assert row["mean_of_ratios"] == pytest.approx(np.mean(levels))
    within = sum(r.channels.loc["phone", "answered_within_sla"] for r in results)
    base = sum(r.channels.loc["phone", "sla_base"] for r in results)
    assert row["ratio_of_means"] == pytest.approx(within / base)
    assert row["ratio_of_means_ci95"] > 0
    occupancy = table.loc[("group", TOTAL, "occupancy")]
    busy = sum(r.groups["busy_hours"].sum() for r in results)
    staffed = sum(r.groups["staffed_hours"].sum() for r in results)
    assert occupancy["ratio_of_means"] == pytest.approx(busy / staffed)


def test_replications_csv_has_a_row_per_replication_and_name(tmp_path: Path) -> None:
    scen = scenario({"phone": live(per_interval=20), "email": deferred(per_interval=5)})
    runs = Replications(scen, 1, replicate(scen, 3, 1))
    write_simulation(runs, tmp_path)
    table = pd.read_csv(tmp_path / "replications.csv")
    assert len(table) == 3 * (3 + 2)  # phone, email, total; g, total
    assert set(table["replication"]) == {0, 1, 2}
    phone = table[(table["name"] == "phone")].set_index("replication")
    assert phone.loc[1, "service_level"] == pytest.approx(
        runs.results[1].channels.loc["phone", "service_level"])
    assert table.equals(replication_table(runs.results).pipe(_through_csv, tmp_path))
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert {"mean", "ci95", "ratio_of_means", "ratio_of_means_ci95"} <= set(
        summary["total"]["service_level"])
    assert (tmp_path / "ratios.csv").is_file()


def _through_csv(frame: pd.DataFrame, folder: Path) -> pd.DataFrame:
    frame.to_csv(folder / "again.csv", index=False)
    return pd.read_csv(folder / "again.csv")


def test_simulate_command_writes_replications_csv(tmp_path: Path) -> None:
    short = tmp_path / "short.yaml"
    short.write_text(SMALL.read_text().replace("days: 7", "days: 1"))
    result = CliRunner().invoke(app, ["simulate", str(short), "--replications", "2",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(tmp_path / "out" / "replications.csv")
    assert set(table["replication"]) == {0, 1}
    assert TOTAL in set(table["name"])
