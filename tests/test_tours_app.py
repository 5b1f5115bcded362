"""The app's people parts, headless (streamlit.testing AppTest): the contracts-and-pay form
on the scenario page, and on the optimize page the headcount by contract and the roster as a
Gantt chart with a bar per person per working day."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from omnistaff.optimize.roster_check import roster_violations
from omnistaff.scenarios import Scenario, ScenarioError, scenario_from_dict
from omnistaff.ui import cli_app
from omnistaff.ui.app import contract_forms, runs

MAIN = Path(cli_app.MAIN)
HOUR = 3600.0


@pytest.fixture(scope="module")
def people() -> Scenario:
    """A week of phone calls 08:00-18:00 for one team on two contracts, a weekend premium,
    and an optimizer quick enough for a test (one round, hourly starts)."""
    return scenario_from_dict({
        "name": "people", "horizon": {"days": 7, "replications": 2, "seed": 3},
        "channels": {"phone": {"mode": "live", "arrivals": {
            "weekly_volume": 400, "intraday": "business_hours",
            "hours": {"open": "08:00", "close": "18:00", "days": "all"}},
            "handle_time": {"mean": 300, "cv": 1}, "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"team": {"skills": ["phone"], "hourly_cost": 10}},
        "contracts": {"full_time": {"start_band": "1h"},
                      "weekend": {"days_per_week": 2, "days_off_together": False,
                                  "contract_hours": "16h", "max_people": 1}},
        "pay": {"weekend_premium": 0.25},
        "optimizer": {"templates": [{"name": "day", "earliest_start": "08:00",
                                     "latest_start": "10:00", "start_step": "1h",
                                     "lengths": ["8h"]}],
                      "max_iterations": 1, "replications": 3, "max_replications": 3,
                      "trim_evaluations": 4},
    })


def start(scenario: Scenario, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=60.0)
    at.session_state["scenario"] = scenario
    at.session_state["source"] = "test"
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def test_the_contracts_table_round_trips(people: Scenario) -> None:
    table = contract_forms.contracts_frame(people)
    assert list(table["contract"]) == ["full_time", "weekend"]
    assert list(table["start_band"]) == ["1h", "0s"]
    data = people.model_dump(mode="json")
    data["contracts"] = contract_forms.contracts_data(table)
    assert Scenario.model_validate(data) == people


def test_the_contracts_form_applies_pay_and_reports_a_bad_rule(people: Scenario) -> None:
    at = start(people)
    assert "Contracts and pay" in [t.label for t in at.tabs]
    button(at, "Apply changes to contracts and pay").click().run()
    assert not at.error and at.session_state["scenario"] == people
    next(n for n in at.number_input if n.label == "weekend").set_value(0.5)
    button(at, "Apply changes to contracts and pay").click().run()
    assert at.session_state["scenario"].pay.weekend_premium == 0.5
    # A weekend rule on six days a week leaves no weekend off: refused, naming the contract.
    edited = contract_forms.contracts_frame(people).assign(days_per_week=[6, 2],
                                                           weekend_off_every=[2, None])
    data = people.model_dump(mode="json")
    data["contracts"] = contract_forms.contracts_data(edited)
    with pytest.raises(ScenarioError) as refused:
        scenario_from_dict(data)
    assert any(p.path.startswith("contracts.full_time") and "weekend off" in p.message
               for p in refused.value.problems), refused.value.problems


def test_the_optimize_page_shows_headcount_and_the_roster(
        people: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def recording(self: MemoryMediaFileStorage, data: str | bytes, *args: object,
                  **kwargs: object) -> str:
        file_id = keep(self, data, *args, **kwargs)
        served[file_id] = data if isinstance(data, bytes) else Path(data).read_bytes()
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    at = start(people, "optimize_page.py")
    button(at, "Optimize schedule").click().run()
    deadline = time.monotonic() + 300
    while at.session_state.get("jobs"):
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)
        at.run()
    assert not at.exception, at.exception
    result: runs.Optimization = at.session_state["runs"][-1].result
    roster, heads = result.roster, result.headcount
    assert not roster.empty
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["People"] == str(roster["agent"].nunique())
    assert metrics["FTE"] == f"{heads['fte'].sum():,.1f}"
    specs = {json.loads(f.proto.spec)["layout"]["title"]["text"]: json.loads(f.proto.spec)
             for f in at.get("plotly_chart")}
    people_shown = roster["agent"].nunique()
    gantt = specs[f"Roster: {people_shown} people, a bar per working day"]
    # A bar per person per working day, each on its person's row, coloured by contract.
    assert sum(len(trace["y"]) for trace in gantt["data"]) == len(roster)
    assert {trace["name"] for trace in gantt["data"]} == set(roster["contract"])
    for trace in gantt["data"]:
        on = set(roster.loc[roster["contract"] == trace["name"], "agent"])
        assert set(trace["y"]) == on
    bars = specs["Headcount by group and contract"]
    assert {t["name"] for t in bars["data"]} == set(heads["contract"])
    # The downloads: roster.csv is the roster, and it keeps every rule of the contracts.
    (chosen,) = (d for d in at.get("download_button") if d.proto.label == "roster.csv")
    csv = pd.read_csv(io.StringIO(served[Path(chosen.proto.url).stem].decode()))
    assert len(csv) == len(roster) and list(csv.columns) == list(roster.columns)
    optimized = Scenario.model_validate_json(result.scenario_json)
    assert roster_violations(optimized, _shifts(csv)) == []


def _shifts(frame: pd.DataFrame) -> list:
    """The roster's rows as checker shifts (no breaks: the checker's rules do not need
    them)."""
    from omnistaff.optimize.roster_out import RosterShift

    def seconds(clock: str) -> float:
        return int(clock[:2]) * HOUR + int(clock[3:5]) * 60

    return [RosterShift(r.agent, r.group, r.contract, r.template, int(r.day), seconds(r.start),
                        (seconds(r.end) - seconds(r.start)) % 86400, (), r.next_cycle_agent)
            for r in frame.itertuples()]


def test_the_progress_counts_lowering_trials_only_where_they_can_run() -> None:
    from omnistaff.scenarios import bundled_scenarios, load_scenario
    from omnistaff.scenarios.variants import apply_variant
    from omnistaff.ui.app.optimize_progress import OptimizeProgress

    base = load_scenario(bundled_scenarios()["omni_vs_single"])
    people = apply_variant(base, "people_specialists")
    said: list[tuple[int, int, str]] = []
    watch = OptimizeProgress(people, lambda done, total, note: said.append((done, total, note)))
    assert watch.total == people.optimizer.max_iterations
    assert OptimizeProgress(base, None).total == (base.optimizer.max_iterations
                                                  + base.optimizer.lowerings)
    weekend = apply_variant(load_scenario(bundled_scenarios()["weekend_social"]),
                            "no_weekend_social")  # no live channel scheduled
    assert OptimizeProgress(weekend, None).total == weekend.optimizer.max_iterations
    watch.note("round 1: solving the schedule model, then simulating it")
    assert len(said) == 1  # the round's start was said when the run began
    watch.note("trim: simulation 1 of at most 300, trying a schedule at USD 45,420")
    assert said[-1][2].startswith("phase: the trim: simulation 1 of at most 300")
