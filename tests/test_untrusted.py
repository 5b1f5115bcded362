"""A scenario is untrusted input: the specific cases of issue 11, each refused with a message
naming the field at fault (or run), none read outside its folder, hanging or a traceback."""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from omnistaff.scenarios import (
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    scenario_from_dict,
)
from omnistaff.scenarios.files import MAX_DATA_FILE_BYTES
from omnistaff.scenarios.yaml_text import MAX_YAML_DEPTH
from omnistaff.sim import simulate

SMALL = bundled_scenarios()["small_multichannel"]
SECRET = "s3cr3t-line-of-a-private-file"


def small() -> dict[str, Any]:
    return yaml.safe_load(SMALL.read_text())


def refused(data: Any) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(data)
    return info.value


def paths(error: ScenarioError) -> list[str]:
    return [p.path for p in error.problems]


def changed(edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = small()
    edit(data)
    return data


def with_counts_file(tmp_path: Path, ref: str) -> Path:
    data = small()
    data["channels"]["phone"]["arrivals"] = {"counts": {"csv": ref}}
    file = tmp_path / "scenario.yaml"
    file.write_text(yaml.safe_dump(data))
    return file


def problem_at(file: Path, where: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    found = [p.message for p in info.value.problems if p.path == where]
    assert found, info.value
    assert SECRET not in str(info.value)
    return found[0]


# ---------------------------------------------------------------- files a scenario names

COUNTS = "channels.phone.arrivals.counts.csv"


def secret_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "secret.csv"
    file.write_text(f"count\n{SECRET}\n")
    return file


def test_absolute_csv_path_is_refused(tmp_path: Path) -> None:
    secret = secret_file(tmp_path / "elsewhere")
    (tmp_path / "scen").mkdir()
    file = with_counts_file(tmp_path / "scen", str(secret))
    assert "leaves the scenario's folder" in problem_at(file, COUNTS)


def test_dotdot_csv_path_is_refused(tmp_path: Path) -> None:
    secret_file(tmp_path)
    (tmp_path / "scen").mkdir()
    file = with_counts_file(tmp_path / "scen", "../secret.csv")
    assert "leaves the scenario's folder" in problem_at(file, COUNTS)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    secret = secret_file(tmp_path / "elsewhere")
    (tmp_path / "scen").mkdir()
    (tmp_path / "scen" / "counts.csv").symlink_to(secret)
    file = with_counts_file(tmp_path / "scen", "counts.csv")
    assert "outside the scenario's folder" in problem_at(file, COUNTS)


def test_text_without_a_folder_reads_no_file(tmp_path: Path, monkeypatch: Any) -> None:
    secret_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    data = small()
    data["channels"]["phone"]["arrivals"] = {"counts": {"csv": "secret.csv"}}
    with pytest.raises(ScenarioError) as info:
        parse_scenario(yaml.safe_dump(data))
    assert paths(info.value) == [COUNTS] and SECRET not in str(info.value)


def test_a_data_file_is_size_limited(tmp_path: Path) -> None:
    (tmp_path / "big.csv").write_text("count\n" + "1\n" * (MAX_DATA_FILE_BYTES // 2 + 10))
    file = with_counts_file(tmp_path, "big.csv")
    assert "larger than" in problem_at(file, COUNTS)


def test_a_counts_csv_must_name_its_column(tmp_path: Path) -> None:
    (tmp_path / "acd.csv").write_text("interval,servers\n" + "".join(
        f"{k},{SECRET}\n" for k in range(48)))
    file = with_counts_file(tmp_path, "acd.csv")
    message = problem_at(file, COUNTS)
    assert "no column 'count'" in message and "'interval', 'servers'" in message


def test_a_bad_value_in_a_csv_is_not_echoed(tmp_path: Path) -> None:
    (tmp_path / "counts.csv").write_text("count\n" + "3\n" * 10 + f"{SECRET}\n")
    file = with_counts_file(tmp_path, "counts.csv")
    assert "line 12" in problem_at(file, COUNTS)


def test_a_counts_csv_of_the_wrong_length_is_caught_at_validation(tmp_path: Path) -> None:
    (tmp_path / "counts.csv").write_text("count\n" + "3\n" * 47)
    file = with_counts_file(tmp_path, "counts.csv")
    message = problem_at(file, "channels.phone.arrivals.counts")
    assert "47 counts given; give 48" in message


def test_a_counts_csv_inside_the_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "counts.csv").write_text("start,count\n" + "".join(
        f"{k // 2:02d}:{30 * (k % 2):02d},5\n" for k in range(48)))
    scenario = load_scenario(with_counts_file(tmp_path, "data/counts.csv"))
    assert scenario.channels["phone"].arrivals.counts == (5.0,) * 48


def test_the_caller_may_name_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "counts.csv").write_text("count\n" + "2\n" * 48)
    file = with_counts_file(tmp_path, "counts.csv")
    with pytest.raises(ScenarioError):
        load_scenario(file)
    assert load_scenario(file, data_dir=tmp_path / "data").channels["phone"].arrivals.counts


# ----------------------------------------------------------------------- YAML read bounded


def test_an_alias_bomb_in_a_variant_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = SMALL.read_text() + "\n".join(["bomb:", *(f"  {line}" for line in lines)])
    text = text.replace("bomb:", "variants:\n  boom:\n    description:", 1)
    began = time.perf_counter()
    with pytest.raises(ScenarioError, match="once aliases are expanded"):
        parse_scenario(text)
    assert time.perf_counter() - began < 5


def test_aliases_of_modest_size_still_load() -> None:
    assert load_scenario(bundled_scenarios()["weekend_social"]).variants


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ScenarioError, match="nesting"):
        parse_scenario("name: " + "[" * 20_000 + "]" * 20_000)
    with pytest.raises(ScenarioError, match="nesting deeper"):
        parse_scenario("name: " + "{a: " * (MAX_YAML_DEPTH + 1) + "1" + "}" * (MAX_YAML_DEPTH + 1))


def test_duplicate_keys_are_refused_with_their_line() -> None:
    text = SMALL.read_text().replace("  replications: 3\n", "  replications: 3\n  days: 2\n")
    with pytest.raises(ScenarioError, match=r"line \d+.*key 'days' is given twice"):
        parse_scenario(text)


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\xff", "name: café".encode("latin-1")])
def test_binary_or_non_utf8_files_are_refused(tmp_path: Path, data: bytes) -> None:
    file = tmp_path / "scenario.yaml"
    file.write_bytes(data)
    with pytest.raises(ScenarioError, match=r"binary|UTF-8"):
        load_scenario(file)


def test_a_huge_integer_is_refused() -> None:
    with pytest.raises(ScenarioError):
        parse_scenario("name: x\nhorizon: {seed: " + "9" * 10_000 + "}")


# --------------------------------------------------------------- bounded counts and rates


def set_at(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(leaf)] = value
        else:
            node[leaf] = value
    return edit


REFUSED = [
    ("name", "n" * 100_000, "name"),
    ("channels.phone.arrivals.weekly_volume", 1e9, "channels.phone.arrivals.weekly_volume"),
    ("channels.phone.arrivals.weekly_volume", float("inf"),
     "channels.phone.arrivals.weekly_volume"),
    ("channels.phone.arrivals.weekly_volume", float("nan"),
     "channels.phone.arrivals.weekly_volume"),
    ("channels.phone.handle_time", {"mean": float("inf"), "cv": 1},
     "channels.phone.handle_time.mean"),
    ("channels.phone.sla.threshold", float("inf"), "channels.phone.sla.threshold"),
    ("channels.phone.sla.threshold", "1e400s", "channels.phone.sla.threshold"),
    ("channels.phone.patience", 0, "channels.phone.patience"),
    ("staffing.shifts.0.count", 10**8, "staffing.shifts.0.count"),
    ("staffing.shifts.0.length", "30h", "staffing.shifts.0.length"),
    ("staffing.shifts.0.days", ["monkey", "sunny"], "staffing.shifts.0.days"),
    ("horizon.replications", 10**9, "horizon.replications"),
    ("optimizer", {"solver": "/tmp/evil.sh"}, "optimizer.solver"),
    ("optimizer", {"solver": "./cbc"}, "optimizer.solver"),
    ("variants", {"x/../../..": {"horizon.days": 1}}, "variants.x/../../.."),
    ("variants", {"base": {"horizon.days": 1}}, "variants.base"),
    ("channels.social.arrivals.surges", [{"day": 9, "start": "08:00", "duration": "1h",
                                          "multiplier": 3}],
     "channels.social.arrivals.surges.0.day"),
    ("channels.social.arrivals.surges", [{"day": "sat", "start": "08:00", "duration": "1h",
                                          "multiplier": 1e9}],
     "channels.social.arrivals.surges.0.multiplier"),
]


@pytest.mark.parametrize(("path", "value", "where"), REFUSED,
                         ids=[f"{p}={str(v)[:20]}" for p, v, _ in REFUSED])
def test_extreme_or_nonsense_values_are_refused(path: str, value: Any, where: str) -> None:
    error = refused(changed(set_at(path, value)))
    assert any(p.startswith(where[:60]) for p in paths(error)), error


def test_a_billion_agents_per_interval_is_refused() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["staffing"] = {"per_interval": {"phone_team": [10**9] * 48}}
    assert any(p.startswith("staffing.per_interval.phone_team")
               for p in paths(refused(changed(edit))))


def test_many_large_channels_together_are_refused() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["horizon"]["days"] = 28
        for channel in data["channels"].values():
            channel["arrivals"]["weekly_volume"] = 1_900_000
    assert "channels" in paths(refused(changed(edit)))


def test_breaks_longer_than_their_shift_are_refused() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["staffing"]["shifts"][0]["length"] = "8h"
        data["staffing"]["shifts"][0]["breaks"] = [
            {"after": f"{h}h", "duration": "5h"} for h in (1, 2, 3)]
    assert any(p.startswith("staffing.shifts.0") for p in paths(refused(changed(edit))))


def test_a_surge_on_a_weekday_outside_a_short_horizon_is_refused() -> None:
    def edit(data: dict[str, Any]) -> None:
        data["horizon"]["days"] = 2
        data["channels"]["social"]["arrivals"]["surges"] = [
            {"day": "sun", "start": "08:00", "duration": "1h", "multiplier": 3}]
    assert paths(refused(changed(edit))) == ["channels.social.arrivals.surges.0.day"]


def test_full_weekday_names_still_read() -> None:
    scenario = scenario_from_dict(changed(set_at("staffing.shifts.0.days", ["Monday", "fri"])))
    assert scenario.staffing.shifts[0].days == ("mon", "fri")


def test_a_known_solver_name_is_accepted() -> None:
    scenario = scenario_from_dict(changed(set_at("optimizer", {"solver": "cbc"})))
    assert scenario.optimizer.solver == "cbc"


def test_nan_says_it_is_not_a_finite_number() -> None:
    error = refused(changed(set_at("channels.phone.arrivals.weekly_volume", float("nan"))))
    assert "finite" in str(error) and "larger value" not in str(error)


# ------------------------------------------------------------------ every contact counted

IDENTITY = ("handled", "abandoned", "expired", "deflected", "triaged_out", "balked", "blocked",
            "waiting")


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_the_outcome_columns_add_up_to_offered(name: str) -> None:
    from omnistaff.sim.experiment import SUMMARY_CHANNEL_KPIS as CHANNEL_KPIS
    from omnistaff.sim.experiment import Replications

    scenario = load_scenario(bundled_scenarios()[name])
    result = simulate(scenario, 1)
    channels = result.channels
    assert (channels[list(IDENTITY)].sum(axis=1) == channels["offered"]).all()
    summary = Replications(scenario, 1, [result]).summary()["channels"]
    assert set(IDENTITY) | {"offered", "escalated"} <= set(CHANNEL_KPIS)
    for kpis in summary.values():
        assert sum(kpis[k]["mean"] for k in IDENTITY) == pytest.approx(kpis["offered"]["mean"])


def test_a_scenario_refusing_nothing_still_runs_after_a_round_trip() -> None:
    data = copy.deepcopy(small())
    data["horizon"]["days"] = 1
    assert simulate(scenario_from_dict(data), 1).channels["offered"].sum() > 0
