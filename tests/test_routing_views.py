"""The routing policies' KPIs where users look: the catalogue, `simulate` and `compare` on the
command line (tables, summary.json, the HTML report) and the app's simulate and compare
pages; and nothing more where a scenario sets no policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import HALF_HOURS, deferred, live, scenario
from typer.testing import CliRunner

from omnistaff.scenarios import Scenario
from omnistaff.sim.policy_kpis import POLICY_CHANNEL_KPIS, POLICY_GROUP_KPIS
from omnistaff.ui.catalogue import CHANNEL_CATALOGUE, GROUP_CATALOGUE
from omnistaff.ui.cli import app

runner = CliRunner()


def with_policies(callbacks: bool = True) -> Scenario:
    """One day: phone with redials (and call-backs into `cb`), chat; a capped group. The
    variant `no_callbacks` accepts none, so the comparison's Δ is the policy's effect."""
    phone = live(300, 40, patience=240, redial={"share": 0.3, "delay": "5min"})
    if callbacks:
        phone["callback"] = {"to": "cb", "offer_above": 60, "accept_share": 0.5}
    channels = {"phone": phone, "chat": live(200, 20), "cb": deferred(300, 0, threshold=1800)}
    groups = {"a": {"skills": ["phone", "chat"], "max_occupancy": 0.85},
              "c": {"skills": ["cb"]}}
    variants = {"no_callbacks": {"channels.phone.callback.accept_share": 0.0}} if (
        callbacks) else {}
    return scenario(channels, groups, {"per_interval": {"a": [12] * HALF_HOURS,
                                                        "c": [2] * HALF_HOURS}},
                    variants=variants)


def written(tmp_path: Path, scen: Scenario) -> Path:
    path = tmp_path / "policies.yaml"
    path.write_text(yaml.safe_dump(scen.model_dump(mode="json", exclude_none=True)))
    return path


def test_every_policy_kpi_is_in_the_catalogue() -> None:
    assert [k for k in POLICY_CHANNEL_KPIS if k not in CHANNEL_CATALOGUE] == []
    assert [k for k in POLICY_GROUP_KPIS if k not in GROUP_CATALOGUE] == []


def test_simulate_shows_and_writes_the_policy_kpis(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["simulate", str(written(tmp_path, with_policies())),
                                 "--replications", "2", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    for words in ("Routing policies", "call-backs served", "redials", "occupancy cap",
                  "called back"):
        assert words in text, words
    summary = json.loads((out / "summary.json").read_text())
    phone = summary["channels"]["phone"]
    assert phone["called_back"]["mean"] > 0 and phone["redials"]["mean"] > 0
    assert 0 < phone["callback_window_share"]["mean"] <= 1
    assert summary["groups"]["a"]["max_occupancy"]["mean"] == 0.85
    assert "callbacks_in_window" in (out / "channels.csv").read_text()


def test_compare_shows_the_policy_kpis_with_paired_differences(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(written(tmp_path, with_policies())),
                                 "--replications", "3", "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Routing policies" in text and "Δ −" in text  # no call-backs accepted: fewer
    summary = json.loads((out / "summary.json").read_text())
    accepted = summary["variants"]["no_callbacks"]["channel"]["phone"]["called_back"]
    assert accepted["mean"] == 0 and accepted["diff"] < 0
    report = (out / "report.html").read_text()
    for title in ("call-backs served in window", "redials", "intervals over the cap",
                  "Verdict: no_callbacks against base: cost"):
        assert title in report, title
    assert "Verdict: no_callbacks against base" in text
    kpis = (out / "kpis.csv").read_text()
    assert "callbacks_offered" in kpis and "intervals_over_cap" in kpis


def test_a_scenario_without_policies_shows_nothing_more(tmp_path: Path) -> None:
    plain = scenario({"phone": live(300, 40), "chat": live(200, 20)})
    out = tmp_path / "cmp"
    path = written(tmp_path, plain)
    simulated = runner.invoke(app, ["simulate", str(path), "--replications", "1",
                                    "--workers", "1", "--out", str(tmp_path / "sim")])
    assert simulated.exit_code == 0 and "Routing policies" not in simulated.stdout
    assert "called back" not in simulated.stdout
    compared = runner.invoke(app, ["compare", str(path), "--replications", "2",
                                   "--workers", "1", "--out", str(out)])
    assert compared.exit_code == 0 and "Routing policies" not in compared.stdout
    assert "call-backs" not in (out / "report.html").read_text()


@pytest.mark.slow  # the app, headless: a few seconds each
def test_the_app_shows_the_policy_kpis_on_simulate_and_compare() -> None:
    from test_app import button, finish, start

    at = start(with_policies(), "simulate_page.py")
    button(at, "Run simulation").click().run()
    finish(at)
    headers = [h.value for h in at.subheader]
    assert "Call-backs, redials and interruptions" in headers
    assert "Occupancy against the cap" in headers
    tables = [d.value for d in at.dataframe] + [t.value for t in at.table]  # KPIs: st.table
    policies = next(t for t in tables if "call-backs served in window" in t.columns)
    assert list(policies["channel"]) == ["phone"]  # chat and cb have no policy
    cap = next(t for t in tables if "intervals over the cap" in t.columns)
    assert list(cap["group"]) == ["a"] and cap["occupancy cap"].iloc[0] == "85.0%"

    at = start(with_policies(), "compare_page.py")
    next(n for n in at.number_input if n.label == "Replications").set_value(2)
    button(at, "Run comparison").click().run()
    finish(at)
    options = next(s for s in at.selectbox if s.label == "Channel KPI").options
    assert "call-backs served in window" in options and "redials" in options
    groups = next(s for s in at.selectbox if s.label == "Group KPI").options
    assert "intervals over the cap" in groups


def test_the_verdict_gives_cost_and_headcount_differences_with_their_intervals() -> None:
    from omnistaff.sim.compare import compare_scenarios
    from omnistaff.ui.verdict import verdicts

    groups = {"g": {"skills": ["phone"], "hourly_cost": 30}}
    base, fewer = (scenario({"phone": live(300, 40)}, groups,
                            {"per_interval": {"g": [n] * HALF_HOURS}}) for n in (14, 10))
    comparison = compare_scenarios({"base": base, "fewer": fewer, "same": base},
                                   replications=3, seed=1)
    cheaper, same = verdicts(comparison.kpi_table(), comparison.scenarios, "USD")
    assert cheaper.startswith("fewer against base: cost −USD") and "(cheaper)" in cheaper
    assert "full-time equivalents −" in cheaper and "(fewer)" in cheaper
    assert same == ("same against base: cost no difference, full-time equivalents no "
                    "difference; meets every SLA")


def test_compare_takes_differences_against_the_variant_named_as_base(tmp_path: Path) -> None:
    path = written(tmp_path, with_policies())
    out = tmp_path / "based"
    result = runner.invoke(app, ["compare", str(path), "--variants", "no_callbacks", "--base",
                                 "no_callbacks", "--replications", "2", "--workers", "1",
                                 "--out", str(out)])
    assert result.exit_code == 2 and "--base" in result.stderr  # nothing left to compare
    result = runner.invoke(app, ["compare", str(path), "--variants", "base", "--base",
                                 "no_callbacks", "--replications", "2", "--workers", "1",
                                 "--out", str(out)])  # the base named need not be listed
    assert result.exit_code == 0, result.stderr
    assert json.loads((out / "summary.json").read_text())["base"] == "no_callbacks"
    result = runner.invoke(app, ["compare", str(path), "--variants", "base,no_callbacks",
                                 "--base", "no_callbacks", "--replications", "2",
                                 "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["base"] == "no_callbacks" and list(summary["variants"]) == [
        "no_callbacks", "base"]
    assert "Verdict: base against no_callbacks" in " ".join(result.stdout.split())
    unknown = runner.invoke(app, ["compare", str(path), "--base", "nope"])
    assert unknown.exit_code == 2 and "--base" in unknown.stderr
