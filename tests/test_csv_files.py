"""Counts and staffing from CSV files: a named column, rows keyed by interval start time
(a time of day or a date and time), gaps meaning zero, one channel of a report chosen with
`where`, and every ambiguous file refused with the fix; the untrusted-file rules hold (only
files beside the scenario, nothing echoed back)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from omnistaff.scenarios import ScenarioError, load_scenario

SECRET = "s3cr3t-cell"
REPORT = """channel,interval_start,offered,agents_staffed
phone,2024-03-04 08:00,12,3
chat,2024-03-04 08:00,5,2
phone,2024-03-04 08:30,15,4
chat,2024-03-04 09:00,7,2
phone,2024-03-05 09:00,9,3
"""


def scenario_with(folder: Path, counts: Any, per_interval: Any = None,
                  horizon: dict[str, Any] | None = None) -> Path:
    """A one-channel scenario in `folder` whose phone counts (and staffing) are `counts`."""
    data = {
        "name": "csv",
        "horizon": horizon or {"days": 2, "start_weekday": "mon"},
        "channels": {"phone": {"mode": "live", "arrivals": {"counts": counts},
                               "handle_time": {"mean": 180, "cv": 1.0},
                               "sla": {"target": 0.8, "threshold": 20}}},
        "groups": {"g": {"skills": ["phone"]}},
        "staffing": {"per_interval": {"g": per_interval or [2] * 48}},
    }
    file = folder / "scenario.yaml"
    file.write_text(yaml.safe_dump(data))
    return file


def problem(file: Path) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(file)
    assert SECRET not in str(caught.value)
    return str(caught.value)


def test_a_report_gives_one_channels_counts_and_staffing_by_start_time(
        tmp_path: Path) -> None:
    """Dated rows: 2024-03-04 is a Monday, day 0; Tuesday 09:00 is interval 48 + 18. Only
    phone's rows; every interval without a row is 0."""
    (tmp_path / "report.csv").write_text(REPORT)
    ref = {"csv": "report.csv", "start": "interval_start", "where": {"channel": "phone"}}
    file = scenario_with(tmp_path, {**ref, "column": "offered"},
                         {**ref, "column": "agents_staffed"})
    scen = load_scenario(file)
    counts = scen.channels["phone"].arrivals.counts
    assert counts is not None and len(counts) == 96
    assert (counts[16], counts[17], counts[66]) == (12, 15, 9)
    assert sum(counts) == 12 + 15 + 9
    agents = scen.staffing.per_interval["g"]
    assert (agents[16], agents[17], agents[66], agents[18]) == (3, 4, 3, 0)


def test_times_of_day_give_one_day_repeated(tmp_path: Path) -> None:
    (tmp_path / "day.csv").write_text("start,count\n08:00,10\n12:30,4\n")
    scen = load_scenario(scenario_with(tmp_path, {"csv": "day.csv"}))
    counts = scen.channels["phone"].arrivals.counts
    assert counts is not None and len(counts) == 48
    assert counts[16] == 10 and counts[25] == 4 and sum(counts) == 14


def test_a_file_without_start_times_is_read_in_order_as_before(tmp_path: Path) -> None:
    (tmp_path / "plain.csv").write_text("count,other\n" + "3,1\n" * 48)
    scen = load_scenario(scenario_with(tmp_path, {"csv": "plain.csv"}))
    assert scen.channels["phone"].arrivals.counts == (3.0,) * 48


@pytest.mark.parametrize(("text", "ref", "message"), [
    (REPORT, {"column": "offered", "start": "interval_start"},
     "lines 2 and 3 start the same interval: ambiguous; keep one channel or group with "
     "`where:`"),
    (REPORT, {"column": "offered", "start": "interval_start", "where": {"channel": "fax"}},
     "no row matches"),
    (REPORT, {"column": "calls", "start": "interval_start"}, "no column 'calls'"),
    (REPORT, {"column": "offered", "start": "when"}, "no column 'when'"),
    ("start,count\n08:00,1\n2024-03-04 09:00,2\n", {}, "mixes times of day"),
    ("start,count\n08:10,1\n", {}, "not on a 30-minute interval boundary"),
    (f"start,count\n{SECRET},1\n", {}, "line 2: column 'start' is not a time"),
    (f"start,count\n08:00,{SECRET}\n", {}, "line 2: column 'count' is not a number"),
    ("start,count\n2024-03-05 08:00,1\n", {}, "starts on a tue but the horizon starts on "
     "mon; set horizon.start_weekday: tue"),
    ("start,count\n2024-03-04 08:00,1\n2024-03-07 08:00,1\n", {}, "after the 2-day "
     "horizon"),
    ("start,count\n08:00,1\n", {"sheet": 1}, "unknown option 'sheet'"),
])
def test_ambiguous_or_bad_files_are_refused_with_the_fix(
        tmp_path: Path, text: str, ref: dict[str, Any], message: str) -> None:
    (tmp_path / "data.csv").write_text(text)
    found = problem(scenario_with(tmp_path, {"csv": "data.csv", **ref}))
    assert message in found and "channels.phone.arrivals.counts.csv" in found


def test_staffing_must_be_whole_agents(tmp_path: Path) -> None:
    (tmp_path / "agents.csv").write_text("start,agents\n08:00,2.5\n")
    found = problem(scenario_with(tmp_path, [1.0] * 48, {"csv": "agents.csv"}))
    assert "staffing.per_interval.g" in found and "whole number" in found


def test_a_staffing_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "private.csv"
    secret.write_text(f"agents\n{SECRET}\n")
    (tmp_path / "scen").mkdir()
    found = problem(scenario_with(tmp_path / "scen", [1.0] * 48, {"csv": "../private.csv"}))
    assert "staffing.per_interval.g.csv" in found and "leaves the scenario's folder" in found


def test_an_intraday_file_takes_no_options(tmp_path: Path) -> None:
    (tmp_path / "shape.csv").write_text("start,share\n08:00,1\n")
    file = scenario_with(tmp_path, [1.0] * 48)
    data = yaml.safe_load(file.read_text())
    data["channels"]["phone"]["arrivals"] = {"weekly_volume": 100,
                                             "intraday": {"csv": "shape.csv", "column": "x"}}
    file.write_text(yaml.safe_dump(data))
    assert "takes no options" in problem(file)
