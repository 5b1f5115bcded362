"""Headless tests of the Streamlit app (streamlit.testing AppTest): every page loads, runs a
small scenario and shows what it should; bad input is reported clearly, never a traceback."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button
from typer.testing import CliRunner

from omnistaff.scenarios import (
    Scenario,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    with_overrides,
)
from omnistaff.ui import cli_app
from omnistaff.ui.app import runs, template_form, workforce_forms
from omnistaff.ui.app.yaml_io import MAX_UPLOAD_BYTES, parse_untrusted, scenario_yaml
from omnistaff.ui.cli import app as cli
from omnistaff.ui.glossary import TERMS

MAIN = Path(cli_app.MAIN)
TIMEOUT = 60.0
#: Seconds a test waits for a background run to finish: a bound against a hung run, not a
#: speed check (a three-round optimization took over 120 s on a machine busy with other work).
RUN_WAIT = 600.0


@pytest.fixture(scope="module")
def small() -> Scenario:
    """The small bundled scenario cut to two days and two replications."""
    full = load_scenario(bundled_scenarios()["small_multichannel"])
    return with_overrides(full, {"horizon.days": 2, "horizon.replications": 2})


def start(scenario: Scenario | None = None, page: str | None = None) -> AppTest:
    """The app run once (on `page`), working on `scenario` if one is given."""
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    if scenario is not None:
        at.session_state["scenario"] = scenario
        at.session_state["source"] = "test"
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def finish(at: AppTest) -> AppTest:
    """Rerun until no background job is left (each rerun polls the job like the page)."""
    deadline = time.monotonic() + RUN_WAIT
    while at.session_state.get("jobs"):
        assert time.monotonic() < deadline, "the run did not finish"
        time.sleep(0.2)
        at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str) -> Button:
    return next(b for b in at.button if b.label == label)


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def scenario_of(at: AppTest) -> Scenario:
    return at.session_state["scenario"]


# ------------------------------------------------------------------------------- scenario


def test_scenario_page_shows_a_bundled_scenario_and_its_levers() -> None:
    at = start()
    assert [t.value for t in at.title] == ["Scenario"]
    assert "Small multichannel" in [h.value for h in at.subheader]
    assert [m.value for m in at.metric][:3] == ["4", "3", "7"]
    tabs = [t.label for t in at.tabs]
    for name in ("Channels", "Agent groups", "Staffing", "Horizon and general", "Variants",
                 "YAML"):
        assert name in tabs
    labels = [n.label for n in at.number_input]
    assert "Weekly volume (contacts per 7 days)" in labels
    assert any(label.startswith("Mean handle time") for label in labels)
    assert len(at.get("download_button")) == 1
    assert not errors(at)


def test_a_bundled_scenario_is_loaded_by_name() -> None:
    at = start()
    pick = next(s for s in at.selectbox if s.label == "Bundled scenario")
    pick.set_value("weekend_social")
    button(at, "Load bundled scenario").click().run()
    assert scenario_of(at).name == "Weekend social coverage"
    assert "Weekend social coverage" in [h.value for h in at.subheader]


def test_editing_a_channel_lever_changes_the_scenario(small: Scenario) -> None:
    at = start(small)
    volume = next(n for n in at.number_input if n.label.startswith("Weekly volume"))
    volume.set_value(12000.0)
    button(at, "Apply changes to phone").click().run()
    assert not errors(at)
    assert scenario_of(at).channels["phone"].arrivals.weekly_volume == 12000
    assert "(edited)" in at.session_state["source"]


def test_a_bad_field_is_reported_next_to_it_and_not_applied(small: Scenario) -> None:
    at = start(small)
    threshold = next(t for t in at.text_input if t.label == "SLA threshold T")
    threshold.set_value("soon")
    button(at, "Apply changes to phone").click().run()
    found = errors(at)
    assert len(found) == 1
    assert "channels.phone.sla.threshold" in found[0] and "not a duration" in found[0]
    assert scenario_of(at) == small
    # the message sits in the column of the field it names, below it
    column = next(c for c in at.columns if any(t.label == "SLA threshold T"
                                               for t in c.text_input))
    assert [e.value for e in column.error] == found


@pytest.mark.slow
def test_unchanged_tables_apply_to_the_same_scenario(small: Scenario) -> None:
    at = start(small)
    for label in ("Apply changes to agent groups", "Apply changes to staffing",
                  "Apply changes to shift templates",
                  "Apply general changes", "Apply variants", "Apply YAML"):
        button(at, label).click().run()
        assert not errors(at), label
        assert scenario_of(at) == small, label


def test_group_and_shift_tables_round_trip(small: Scenario) -> None:
    groups = workforce_forms.groups_data(workforce_forms.groups_frame(small),
                                         workforce_forms.skills_frame(small))
    shifts = workforce_forms.shifts_data(workforce_forms.shifts_frame(small))
    data = small.model_dump(mode="json")
    data["groups"], data["staffing"]["shifts"] = groups, shifts
    assert Scenario.model_validate(data) == small


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_shift_template_table_round_trips(name: str) -> None:
    scenario = load_scenario(bundled_scenarios()[name])
    data = scenario.model_dump(mode="json")
    data["optimizer"]["templates"] = template_form.templates_data(
        template_form.templates_frame(scenario))
    assert Scenario.model_validate(data) == scenario


@pytest.mark.slow
def test_yaml_tab_applies_edits_and_reports_problems(small: Scenario) -> None:
    at = start(small)
    text = next(t for t in at.text_area if t.label == "Scenario (YAML)")
    text.set_value(scenario_yaml(small).replace("name: Small multichannel", "name: Renamed"))
    button(at, "Apply YAML").click().run()
    assert scenario_of(at).name == "Renamed"
    text = next(t for t in at.text_area if t.label == "Scenario (YAML)")
    text.set_value(scenario_yaml(small).replace("hourly_cost: 28", "hourly_cost: lots"))
    button(at, "Apply YAML").click().run()
    assert any("groups.phone_team.hourly_cost" in e for e in errors(at))
    assert scenario_of(at).name == "Renamed"


@pytest.mark.parametrize(("content", "expected"), [
    (b"name: [unclosed", "not valid YAML"),
    (b"\xff\xfe\x00binary", "not UTF-8"),
    (b"name: x\nhorizon: {days: 99}\n", "horizon.days"),
    (b"a: &x [1]\nb: *x\n", "anchors or aliases"),
    (b"x: " + b"1" * MAX_UPLOAD_BYTES, "limited to 1 MB"),
], ids=["syntax", "binary", "invalid", "aliases", "too-large"])
def test_a_bad_upload_is_reported_clearly(small: Scenario, content: bytes,
                                          expected: str) -> None:
    at = start(small)
    at.file_uploader[0].upload("bad.yaml", content, "application/x-yaml")
    at.run()
    assert not at.exception
    found = errors(at)
    assert found[0].startswith("bad.yaml was not loaded")
    assert any(expected in e for e in found), found
    assert scenario_of(at) == small


def test_an_upload_may_not_read_server_files(small: Scenario) -> None:
    data = small.model_dump(mode="json")
    data["channels"]["phone"]["arrivals"]["counts"] = {"csv": "/etc/passwd"}
    at = start(small)
    at.file_uploader[0].upload("sneaky.yaml", yaml.safe_dump(data).encode())
    at.run()
    assert any("channels.phone.arrivals.counts" in e and "cannot read files" in e
               for e in errors(at))


def test_a_good_upload_becomes_the_scenario(small: Scenario) -> None:
    at = start()
    text = scenario_yaml(small).replace("name: Small multichannel", "name: Uploaded")
    at.file_uploader[0].upload("mine.yaml", text.encode())
    at.run()
    assert scenario_of(at).name == "Uploaded"
    assert at.session_state["source"] == "mine.yaml"
    assert not errors(at)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_downloaded_yaml_loads_back_to_the_same_scenario(name: str) -> None:
    scenario = load_scenario(bundled_scenarios()[name])
    assert parse_scenario(scenario_yaml(scenario)) == scenario
    assert parse_untrusted(scenario_yaml(scenario).encode(), "x.yaml") == scenario


def test_untrusted_text_is_size_limited() -> None:
    with pytest.raises(ScenarioError, match="limited to"):
        parse_untrusted("#" * (MAX_UPLOAD_BYTES + 1), "big.yaml")


# ------------------------------------------------------------------------------- simulate


def test_simulate_runs_with_progress_and_shows_results(small: Scenario) -> None:
    at = start(small, "simulate_page.py")
    assert [t.value for t in at.title] == ["Simulate"]
    assert any("No simulation yet" in i.value for i in at.info)
    button(at, "Run simulation").click().run()
    finish(at)
    labels = [m.label for m in at.metric]
    assert labels[-1] == "Total cost" and len(labels) == len(small.channels) + 1
    assert labels[0] == "phone: target 80%"
    assert at.metric[0].value.endswith("%")
    assert TERMS["service level"] in at.metric[0].proto.help  # the glossary's entry
    frames = [d.value for d in at.dataframe] + [t.value for t in at.table]  # KPI: st.table
    frames = [f.data if hasattr(f, "data") else f for f in frames]  # styled tables
    level, backlog, waits = frames[:3]  # the planner's tables by day come first
    assert list(level.columns) == list(waits.columns) == ["channel", "Mon", "Tue"]
    assert level["Mon"].str.fullmatch(r"\d+% [✓✗?]|–").all()
    assert backlog["Tue"].str.contains("peak").all()
    service = next(f for f in frames if "target" in f.columns)
    assert any(list(f.get("channel", []))[-1:] == ["all channels"] for f in frames)
    staffing = next(f for f in frames if list(f.columns) == ["group", "Mon", "Tue"])
    assert list(staffing["group"]) == list(small.groups)
    assert staffing["Mon"].str.fullmatch(r"(−[\d.]+ h)?( / )?(\+[\d.]+ h)?|fits|–").all()
    groups = next(f for f in frames if "occupancy" in f.columns)
    assert list(service["channel"]) == list(small.channels)
    assert service["service level"].str.contains("±").all()
    assert list(groups["group"]) == list(small.groups)
    said = [w.value for w in at.warning] + [s.value for s in at.success]
    assert any("channel-days met their target" in text for text in said)
    assert any(text.startswith("**Scheduled staffing falls short") for text in said)
    figures = at.get("plotly_chart")
    # the day x hour heat map, the cost drivers, staffing's heat map and week, six over the week
    assert len(figures) == 10
    assert [d.proto.label for d in at.get("download_button")][:1] == ["HTML report"]
    assert len(at.get("download_button")) == 6
    assert not errors(at)


@pytest.mark.slow
def test_past_runs_are_listed_and_reloadable(small: Scenario) -> None:
    at = start(small, "simulate_page.py")
    seed = next(n for n in at.number_input if n.label == "Seed")
    for value in (11, 12):
        seed.set_value(value)
        button(at, "Run simulation").click().run()
        finish(at)
        seed = next(n for n in at.number_input if n.label == "Seed")
    picker = next(s for s in at.selectbox if s.label.startswith("Showing run"))
    assert len(picker.options) == 2 and "seed 12" in picker.value
    latest = at.dataframe[0].value.copy()
    picker.set_value(next(o for o in picker.options if "seed 11" in o)).run()
    assert "seed 11" in next(s for s in at.selectbox if s.label.startswith("Showing run")).value
    assert not at.dataframe[0].value.equals(latest)
    assert len(at.get("page_link")) >= 2  # the sidebar lists them too


class SlowRun:
    """A stand-in for `runs.simulate` that reports progress and waits to be released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.real = runs.simulate

    def __call__(self, scenario_json: str, replications: int, seed: int,
                 _progress: runs.Progress) -> runs.Simulation:
        _progress(1, replications)
        self.release.wait(RUN_WAIT)
        _progress(replications, replications)
        return self.real(scenario_json, replications, seed)


@pytest.mark.slow
def test_a_long_run_shows_progress_and_leaves_the_page_usable(
        small: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = SlowRun()
    monkeypatch.setattr(runs, "simulate", slow)
    at = start(small, "simulate_page.py")
    button(at, "Run simulation").click().run()
    (bar,) = at.get("progress")
    assert "replication 1 of 2" in bar.proto.text
    assert button(at, "Run simulation").disabled
    at.switch_page("scenario_page.py").run()  # the user may go elsewhere meanwhile
    assert not at.exception and scenario_of(at) == small
    slow.release.set()
    at.switch_page("simulate_page.py").run()
    finish(at)
    assert not at.get("progress") and len(at.get("plotly_chart")) == 10


def test_a_long_run_can_be_cancelled(small: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = SlowRun()
    monkeypatch.setattr(runs, "simulate", slow)
    at = start(small, "simulate_page.py")
    button(at, "Run simulation").click().run()
    button(at, "Cancel").click().run()
    slow.release.set()
    finish(at)
    assert any("did not finish: cancelled" in e for e in errors(at))
    assert not at.get("plotly_chart")


def test_a_failed_run_is_reported_not_raised(small: Scenario,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(runs, "simulate", broken)
    at = start(small, "simulate_page.py")
    button(at, "Run simulation").click().run()
    finish(at)
    assert any("solver exploded" in e for e in errors(at))


# -------------------------------------------------------------------------------- compare


@pytest.mark.slow
def test_compare_runs_variants_paired_and_shows_differences(small: Scenario) -> None:
    at = start(small, "compare_page.py")
    assert [t.value for t in at.title] == ["Compare"]
    chosen = at.multiselect[0]
    assert chosen.value == ["base", *small.variants]
    chosen.set_value(["base", "chat_concurrency_2"])
    next(n for n in at.number_input if n.label == "Replications").set_value(2)
    button(at, "Run comparison").click().run()
    finish(at)
    tabs = [t.label for t in at.tabs]
    assert tabs[0] == "Run variants" and tabs[-1] == "Past runs, without re-running"
    assert tabs[1:-1] == ["Side by side", "Channel over the week", "Cost per channel",
                    "Staffing and service", "All KPIs"]
    said = [w.value for w in at.warning] + [s.value for s in at.success]
    assert any("chat_concurrency_2 against base: cost " in text for text in said)
    assert any("Missing a target" in text or "Every variant meets" in text for text in said)
    tables = [d.value for d in at.dataframe]
    side = tables[0]
    assert list(side["variant"]) == ["base", "chat_concurrency_2"]
    week = tables[2]
    assert list(week["variant"]) == ["base", "chat_concurrency_2"]
    differences = tables[3]
    assert list(differences["variant"]) == ["chat_concurrency_2"]
    assert differences["service level"].str.contains("±|no difference").all()
    assert any("cost" in t.columns[0] for t in tables)
    assert len(at.get("plotly_chart")) >= 5
    from omnistaff.ui.app import page_report

    report = page_report.compare_html(at.session_state["runs"][-1].result)
    assert "chat_concurrency_2 against base" in report
    assert not errors(at)


#: One day, one round, no lowering or trim: each variant optimizes in seconds.
ONE_ROUND = {"horizon.days": 1, "optimizer": {
    "templates": [{"name": "full_time", "start_step": "1h", "breaks": [
        {"duration": "30min", "earliest": "3h", "latest": "5h", "step": "1h"}]}],
    "mip_gap": 0.02, "replications": 2, "max_replications": 2, "max_iterations": 1,
    "lowerings": 0, "trim": False}}


@pytest.mark.slow
def test_compare_can_optimize_each_variant_first(small: Scenario) -> None:
    """The optimized schedules are compared: each variant's staffing is its optimizer's, and
    the verdict names each variant's outcome and any target missed."""
    scenario = with_overrides(small, ONE_ROUND)
    at = start(scenario, "compare_page.py")
    at.multiselect[0].set_value(["base", "chat_concurrency_2"])
    next(n for n in at.number_input if n.label == "Replications").set_value(2)
    next(c for c in at.checkbox if c.label.startswith("Optimize each variant")).check()
    button(at, "Run comparison").click().run()
    finish(at)
    run = at.session_state["runs"][-1]
    assert isinstance(run.result, runs.OptimizedComparison)
    optimized = run.result.comparison.scenarios
    assert optimized["base"].staffing != scenario.staffing
    assert set(run.result.headlines) == {"base", "chat_concurrency_2"}
    expander = next(e for e in at.expander if e.label.startswith("Each variant was optimized"))
    assert all(f"**{v}**: " in expander.markdown[0].value for v in optimized)
    said = [w.value for w in at.warning] + [s.value for s in at.success]
    assert any("chat_concurrency_2 against base" in text for text in said)
    assert not errors(at)


def simulated(at: AppTest, variant: str, seed: int) -> AppTest:
    """One simulation run on the Simulate page, of `variant` from `seed`, two replications."""
    at.switch_page("simulate_page.py").run()
    next(s for s in at.selectbox if s.label == "Variant").set_value(variant)
    next(n for n in at.number_input if n.label == "Replications").set_value(2)
    next(n for n in at.number_input if n.label == "Seed").set_value(seed)
    button(at, "Run simulation").click().run()
    return finish(at)


def test_past_runs_are_compared_without_running_again(small: Scenario) -> None:
    """Two simulations from one seed are paired; a third from another seed is compared by
    Welch, and the page says so. Nothing runs: no job is started."""
    at = start(small, "simulate_page.py")
    for variant, seed in (("base", 5), ("no_weekend_social", 5), ("base", 6)):
        simulated(at, variant, seed)
    at.switch_page("compare_page.py").run()
    pick = next(m for m in at.multiselect if m.label.startswith("Runs of this session"))
    assert pick.options == ["#1 base", "#2 no_weekend_social", "#3 base"]
    assert pick.value == ["#2 no_weekend_social", "#3 base"]
    pick.set_value(["#1 base", "#2 no_weekend_social"])
    button(at, "Compare these runs").click().run()
    assert not at.session_state.get("jobs") and len(at.session_state["runs"]) == 3
    said = [m.value for m in at.markdown]
    assert any(text.startswith("- #2 no_weekend_social against #1 base: cost ")
               for text in said)
    assert any(c.value.startswith("Paired by replication") for c in at.caption)
    assert any(c.value == "#1 base: Small multichannel, 2 replication(s), seed 5; "
               "#2 no_weekend_social: Small multichannel [no_weekend_social], 2 "
               "replication(s), seed 5" for c in at.caption)
    side = next(d.value for d in at.dataframe if "variant" in d.value.columns)
    assert list(side["variant"]) == ["#1 base", "#2 no_weekend_social"]
    pick = next(m for m in at.multiselect if m.label.startswith("Runs of this session"))
    pick.set_value(["#1 base", "#3 base"])
    button(at, "Compare these runs").click().run()
    assert any("Welch" in w.value and "seed 6 against 5" in w.value for w in at.warning)
    at.switch_page("scenario_page.py").run()
    at.switch_page("compare_page.py").run()  # the choice outlives leaving the page
    pick = next(m for m in at.multiselect if m.label.startswith("Runs of this session"))
    assert pick.value == ["#1 base", "#3 base"]
    assert any("Welch" in w.value for w in at.warning)
    assert not errors(at)


def test_compare_needs_two_variants(small: Scenario) -> None:
    at = start(small, "compare_page.py")
    at.multiselect[0].set_value(["base"])
    button(at, "Run comparison").click().run()
    assert any("at least two variants" in e for e in errors(at))


# ------------------------------------------------------------------------------- optimize


#: Hourly starts and a break placed on the hour keep the two-day schedule model small: three
#: iterations solve and simulate in a few seconds.
QUICK_OPTIMIZER = {"templates": [{"name": "full_time", "start_step": "1h", "breaks": [
    {"duration": "30min", "earliest": "3h", "latest": "5h", "step": "1h"}]}],
    "mip_gap": 0.02, "replications": 3, "max_replications": 6, "max_iterations": 3,
    "lowerings": 0}


@pytest.fixture(scope="module")
def quick(small: Scenario) -> Scenario:
    """The small scenario with a shift template the optimizer schedules in seconds."""
    return with_overrides(small, {"optimizer": QUICK_OPTIMIZER})


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """What the app hands the browser to download, by media file id: the test runtime keeps
    download data in memory storage, which this records."""
    files: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def recording(self: MemoryMediaFileStorage, data: str | bytes, *args: object,
                  **kwargs: object) -> str:
        file_id = keep(self, data, *args, **kwargs)
        files[file_id] = data if isinstance(data, bytes) else Path(data).read_bytes()
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files


def downloaded(at: AppTest, served: dict[str, bytes], label: str) -> str:
    """The text the download button `label` gives."""
    (chosen,) = (d for d in at.get("download_button") if d.proto.label == label)
    return served[Path(chosen.proto.url).stem].decode()


def figures(at: AppTest) -> dict[str, dict[str, Any]]:
    """The page's Plotly figures (as JSON) by title."""
    specs = [json.loads(f.proto.spec) for f in at.get("plotly_chart")]
    return {s["layout"]["title"]["text"]: s for s in specs}


def values(array: list[Any] | dict[str, str]) -> list[Any]:
    """A Plotly JSON array: a list, or numbers packed as base64 (`dtype` and `bdata`)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), array["dtype"]).tolist()
    return list(array)


@pytest.mark.slow
def test_optimize_page_runs_the_optimizer_and_shows_the_schedule(
        quick: Scenario, served: dict[str, bytes]) -> None:
    at = start(quick, "optimize_page.py")
    assert [t.value for t in at.title] == ["Optimize"]
    assert any("No optimization yet" in i.value for i in at.info)
    assert next(n for n in at.number_input if n.label == "Most iterations").value == 3
    next(s for s in at.selectbox if s.label == "Variant to optimize").set_value(
        "chat_concurrency_2")
    button(at, "Optimize schedule").click().run()
    finish(at)
    assert not errors(at)
    result: runs.Optimization = at.session_state["runs"][-1].result
    optimized = Scenario.model_validate_json(result.scenario_json)
    assert optimized.channels["chat"].concurrency.max == 2  # the variant chosen
    assert at.session_state["runs"][-1].params["variant"] == "chat_concurrency_2"
    rounds = len(result.iterations)
    # the final check per channel and day, as judged
    days = at.dataframe[0].value
    days = days.data if hasattr(days, "data") else days
    assert list(days["channel"]) == [quick.channels[c].label or c for c in quick.channels]
    assert 1 <= rounds <= 3 and len(result.notes) == rounds + (1 if result.converged else 0)
    # headline: first the verdict in words (an unproven gap or a miss in red), then cost,
    # size, rounds run, and whether every SLA was met
    shown_headline = [b.value for b in (*at.success, *at.error)]
    assert shown_headline == [result.headline]
    assert (len(at.success) == 1) is (result.converged and result.proven)
    assert [m.label for m in at.metric] == ["Schedule cost", "Agent-shifts", "Rounds",
                                            "Every SLA met"]
    agent_shifts = int(result.schedule["count"].sum())
    assert [m.value for m in at.metric] == [
        f"USD {result.cost:,.0f}", f"{agent_shifts:,}", str(rounds),
        "yes" if result.converged else "no"]
    assert result.cost <= result.iterations["cost"].iloc[-1] + 1e-6  # the trim only removes
    # the schedule: a bar row per group and shift, labelled with its agents
    shown = figures(at)
    gantt = shown["Schedule: shifts per group and day (bar labels: agents)"]
    scheduled = list(dict.fromkeys(result.schedule["group"]))
    assert sorted(bar["name"] for bar in gantt["data"]) == sorted(scheduled)
    for bar in gantt["data"]:
        assert all(row.startswith(f"{bar['name']} · ") for row in bar["y"])
    assert sum(sum(values(bar["text"])) for bar in gantt["data"]) == agent_shifts
    # coverage: one panel per channel, with required, allocated and available agents
    coverage = shown["Coverage against requirement, per channel (agents)"]
    panels = [a["text"] for a in coverage["layout"]["annotations"]]
    assert panels == [quick.channels[c].label or c for c in quick.channels]
    assert {s["name"] for s in coverage["data"]} == {"required", "allocated", "available"}
    assert len(coverage["data"]) == 3 * len(quick.channels)
    # the history: a bar and a table row per iteration, in readable units
    history = shown["Iterations: cost and SLA attainment"]
    assert values(history["data"][0]["x"]) == list(range(1, rounds + 1))
    turned = at.dataframe[-1].value  # a column per iteration, a row per figure
    assert list(turned.columns) == ["figure", *(f"iteration {k}" for k in range(1, rounds + 1))]
    table = turned.set_index("figure").T
    assert table["cost"].iloc[-1] == f"USD {result.iterations['cost'].iloc[-1]:,.0f}"
    assert table["phone service level"].str.fullmatch(r"\d+\.\d% ± \d+\.\d pts").all()
    assert list(table["every SLA met"])[-1] == ("yes" if result.converged else "no")
    assert [c.value for c in at.caption if c.value.startswith(("round ", "trim "))] == list(
        result.notes)
    # the downloads: the schedule, and the optimized scenario with it as staffing
    assert [d.proto.label for d in at.get("download_button")] == [
        "HTML report", "schedule.csv", "optimized scenario (YAML)"]
    schedule = pd.read_csv(io.StringIO(downloaded(at, served, "schedule.csv")))
    assert list(schedule.columns) == list(result.schedule.columns)
    assert int(schedule["count"].sum()) == agent_shifts
    staffed = parse_scenario(downloaded(at, served, "optimized scenario (YAML)"))
    assert staffed == optimized and staffed.staffing.shifts
    assert {s.group for s in staffed.staffing.shifts} == set(scheduled)
    assert sum(s.count * len(s.days) for s in staffed.staffing.shifts) == agent_shifts
    from omnistaff.ui.app import page_report

    report = page_report.optimize_report(at.session_state["runs"][-1])()
    assert result.headline in report and "Every channel, every day" in report
    button(at, "Work on the optimized scenario").click().run()
    assert at.session_state["source"].startswith("optimized")
    assert scenario_of(at).staffing == optimized.staffing
    assert not errors(at)


@pytest.mark.slow
def test_optimize_reports_each_iteration_as_progress(quick: Scenario) -> None:
    seen: list[tuple[object, ...]] = []
    other_seed = with_overrides(quick, {"horizon.seed": quick.horizon.seed + 1})  # not cached
    result = runs.optimize(other_seed.model_dump_json(), _progress=lambda *a: seen.append(a))
    rounds = len(result.iterations)
    per_round = [call for call in seen if "phase: the trim: " not in call[2]]
    assert [(done, total) for done, total, _ in per_round] == [(k, 3)
                                                                for k in range(rounds + 1)]
    # the phase first: requirements and the first solve, then what each round found
    assert per_round[0][2].startswith("phase: requirements (Erlang and backlog)")
    for (_, _, note), line in zip(per_round[1:], result.notes, strict=False):
        assert note.startswith("phase: ") and line in note
        assert "at most about" in note and " left" in note  # an estimate of the time left
    assert all(note.startswith("trim ") for note in result.notes[rounds:])
    # the trim's simulations are reported as they run, after the last round
    trimming = [call for call in seen if "phase: the trim: simulation" in call[2]]
    assert bool(trimming) is result.converged
    assert all(done == rounds for done, _, _ in trimming)


def test_an_iteration_line_names_the_per_day_check() -> None:
    from omnistaff.optimize import Iteration, SolveReport
    from omnistaff.ui.app.optimize_progress import iteration_line

    solve = SolveReport("appsi_highs", "proven", True, 10800.0, 10750.0, 0.0044, 1.0,
                        mip_gap=0.02)
    iteration = Iteration(2, 10800.0, "USD", {"a": 100.0}, 50, solve,
                          {"chat": 0.802}, {"chat": 0.01}, {"chat": 0.781}, {"chat": 0.8},
                          {"chat": False}, 0.5, 10, raised={"chat": 4})
    line = iteration_line(iteration)
    assert line.startswith("round 2: USD 10,800, 50 agent-shifts, ")
    assert "chat lowest day 78.1% against 80%: a day missed" in line
    assert "80.2%" not in line  # the horizon's mean is not what the check judges
    assert line.endswith("4 interval(s) raised for the next round")


@pytest.mark.slow
def test_optimize_page_reports_an_impossible_plan_in_words(quick: Scenario) -> None:
    weekend_only = {**QUICK_OPTIMIZER, "templates": [
        {**QUICK_OPTIMIZER["templates"][0], "days": "weekend"}]}
    at = start(with_overrides(quick, {"optimizer": weekend_only}), "optimize_page.py")
    button(at, "Optimize schedule").click().run()
    finish(at)
    (shown,) = errors(at)
    assert shown.startswith("The run did not finish: no schedule meets the requirements")
    assert "no shift template lets a group skilled for it" in shown
    assert "Traceback" not in shown and "ScheduleInfeasible" not in shown and not at.metric


# ------------------------------------------------------------------------------------ cli


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    seen: list[list[str]] = []
    monkeypatch.setattr(cli_app, "serve", lambda args: seen.append(args) or 0)
    yield seen


def test_ui_command_starts_streamlit_headless_and_prints_the_address(
        calls: list[list[str]]) -> None:
    result = CliRunner().invoke(cli, ["ui", "--port", "8599"])
    assert result.exit_code == 0, result.output
    assert "http://localhost:8599" in result.output
    (args,) = calls
    assert args[1:4] == ["-m", "streamlit", "run"] and args[4] == str(MAIN)
    flags = dict(zip(args[5::2], args[6::2], strict=True))
    assert flags["--server.headless"] == "true" and flags["--server.port"] == "8599"
    assert flags["--server.maxUploadSize"] == "1"
