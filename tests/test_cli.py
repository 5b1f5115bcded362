"""The command line as a user meets it: outputs, files written and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from omnistaff.scenarios import load_scenario, with_overrides
from omnistaff.sim.experiment import run_replications
from omnistaff.ui.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "omnistaff" / "scenarios" / "library" / "small_multichannel.yaml"


def test_schema_is_json_with_the_scenario_parts() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"Channel", "AgentGroup", "Shift", "ServiceLevel"} <= set(schema["$defs"])


def test_scenario_format_reference_matches_the_schema() -> None:
    """docs/scenario-format.md is generated; regenerate with `omnistaff schema --markdown`."""
    result = runner.invoke(app, ["schema", "--markdown"])
    assert result.stdout == (ROOT / "docs" / "scenario-format.md").read_text()


def test_validate_bundled_scenario_by_name() -> None:
    result = runner.invoke(app, ["validate", "small_multichannel"])
    assert result.exit_code == 0
    assert "OK" in result.stdout


def test_validate_lists_every_problem_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("weekly_volume: 9000", "weekly_volume: -9000")
                   .replace("patience: {dist: exponential, mean: 400}",
                            "patiense: {dist: exponential, mean: 400}"))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "channels.phone.arrivals.weekly_volume" in result.stderr
    assert "did you mean 'patience'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nchannels:\n  phone: {mode: live\n")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "line" in result.stderr and "not valid YAML" in result.stderr


def test_missing_file_and_unknown_variant_are_clear(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["simulate", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    variant = runner.invoke(app, ["simulate", "small_multichannel", "--variant", "nope"])
    assert variant.exit_code == 2 and "no_weekend_social" in variant.stderr


def test_simulate_writes_summary_and_frames(tmp_path: Path) -> None:
    short = tmp_path / "short.yaml"
    short.write_text(SMALL.read_text().replace("days: 7", "days: 2"))
    result = runner.invoke(app, ["simulate", str(short), "--replications", "2",
                                 "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    assert "phone" in result.stdout and "service" in result.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    phone = summary["channels"]["phone"]
    for key in ("offered", "handled", "abandoned", "service_level", "asa_seconds",
                "abandon_rate", "response_mean_seconds", "response_p90_seconds", "backlog_end"):
        assert set(phone[key]) == {"mean", "ci95"}
    assert 0 <= phone["service_level"]["mean"] <= 1
    for key in ("occupancy", "paid_hours"):
        assert summary["groups"]["phone_team"][key]["mean"] > 0
    frame = pd.read_csv(tmp_path / "out" / "channel_intervals.csv")
    assert len(frame) == 4 * 2 * 48


def test_erlang_json_has_the_five_keys() -> None:
    result = runner.invoke(app, ["erlang", "--rate", "200", "--aht", "180", "--agents", "14",
                                 "--json"])
    metrics = json.loads(result.stdout)
    assert set(metrics) == {"p_wait", "service_level", "asa_seconds", "abandon_rate",
                            "occupancy"}
    assert metrics["service_level"] == pytest.approx(0.88835, abs=1e-4)


def test_erlang_finds_least_agents_for_a_target() -> None:
    result = runner.invoke(app, ["erlang", "--rate", "200", "--aht", "180", "--target", "0.8",
                                 "--json"])
    assert json.loads(result.stdout)["agents"] == 14


def test_same_seed_same_results_on_one_or_two_workers() -> None:
    scenario = with_overrides(load_scenario(SMALL), {"horizon.days": 2})
    serial = run_replications(scenario, 3, seed=5, workers=1)
    pooled = run_replications(scenario, 3, seed=5, workers=2)
    pd.testing.assert_frame_equal(serial.channel_intervals(), pooled.channel_intervals())
    pd.testing.assert_frame_equal(serial.group_table(), pooled.group_table())


def test_the_opening_line_promises_lowering_trials_only_where_they_can_run() -> None:
    from omnistaff.optimize import lowering_trials
    from omnistaff.scenarios import bundled_scenarios
    from omnistaff.scenarios.variants import apply_variant
    from omnistaff.ui.cli_optimize import _after_rounds

    def line(name: str, variant: str | None = None) -> str:
        scenario = load_scenario(bundled_scenarios()[name])
        scenario = apply_variant(scenario, variant) if variant else scenario
        return _after_rounds(scenario.optimizer, lowering_trials(scenario),
                             bool(scenario.contracts))

    trials = load_scenario(bundled_scenarios()["small_multichannel"]).optimizer.lowerings
    assert line("small_multichannel") == f", then up to {trials} lowering trial(s) and the trim"
    # A plan of people is trimmed in people; weekend_social schedules no live channel to lower.
    assert line("omni_vs_single", "people_specialists") == ", then the trim of people"
    assert line("weekend_social", "no_weekend_social") == ", then the trim"
