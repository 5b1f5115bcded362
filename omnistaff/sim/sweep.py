"""Parameter sweeps: a scenario run at every combination of values of some dotted paths.

Each (point, replication) is one task on the executor (serial, process pool or Dask). Its
KPIs are appended to `runs.jsonl` in the output folder as soon as it finishes, keyed by a
hash of the scenario, the point's overrides, the seed and the replication: a sweep that is
interrupted keeps what finished, and running it again skips those runs. Every point uses
the same seed and replications, so points are compared with common random numbers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import ValidationError

from omnistaff.scenarios.loader import problems_from
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.variants import VariantError, with_overrides
from omnistaff.sim.compare import run_kpis
from omnistaff.sim.costing import TOTAL
from omnistaff.sim.experiment import RunSettings, settings_from
from omnistaff.sim.plain import plain_value
from omnistaff.sim.run import simulate
from omnistaff.sim.stats import mean_table

RUNS_FILE = "runs.jsonl"
Progress = Callable[[int, int], None]


class SweepError(ValueError):
    """A malformed --param, or a value that does not make a valid scenario."""


@dataclass(frozen=True)
class Param:
    """One swept dotted path and its values."""

    path: str
    values: tuple[Any, ...]


def parse_param(text: str) -> Param:
    """A Param from `PATH=v1,v2,..`; each value is read as YAML (numbers, 1h, [sat, sun])."""
    path, sep, rest = text.partition("=")
    path = path.strip()
    if not sep or not path or not rest.strip():
        raise SweepError(f"'{text}' is not PATH=v1,v2,..; write e.g. "
                         "channels.social.sla.threshold=1h,4h")
    try:
        values = tuple(yaml.safe_load(v) for v in _split_values(rest))
    except yaml.YAMLError:
        raise SweepError(f"'{text}': a value is not readable; quote values that contain "
                         "':' or '#'") from None
    if any(v is None for v in values):
        raise SweepError(f"'{text}' has an empty value; remove the extra comma")
    return Param(path, values)


def _split_values(text: str) -> list[str]:
    """Split on commas that are not inside brackets or braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char in "[{"
        depth -= char in "]}"
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


@dataclass(frozen=True)
class Point:
    """One combination of swept values and the scenario it makes."""

    index: int
    overrides: dict[str, Any]
    scenario: Scenario

    @property
    def label(self) -> str:
        return ", ".join(f"{path}={value}" for path, value in self.overrides.items())


def sweep_points(scenario: Scenario, params: Sequence[Param]) -> list[Point]:
    """Every combination of the params' values, each checked to make a valid scenario."""
    paths = [p.path for p in params]
    if len(set(paths)) != len(paths):
        raise SweepError("a --param path is given twice; list each path once with all its "
                         "values")
    points = []
    for index, values in enumerate(itertools.product(*(p.values for p in params))):
        overrides = dict(zip(paths, values, strict=True))
        points.append(Point(index, overrides, _apply(scenario, overrides)))
    return points


def _apply(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    try:
        return with_overrides(scenario, overrides)
    except VariantError as exc:
        raise SweepError(f"--param {exc}; check the path against the scenario file") from None
    except ValidationError as exc:
        problem = problems_from(exc)[0]
        shown = ", ".join(f"{k}={v}" for k, v in overrides.items())
        raise SweepError(f"--param {shown}: {problem}") from None


@dataclass(frozen=True)
class SweepResult:
    """Every point's per-replication KPIs, long: point, replication, scope, name, kpi, value."""

    params: list[Param]
    points: list[Point]
    runs: pd.DataFrame

    def point_table(self) -> pd.DataFrame:
        """Per point, scope, name and KPI: the mean and 95% half-width over replications."""
        grouped = self.runs.groupby(["point", "scope", "name", "kpi"], sort=False)["value"]
        return mean_table(grouped).reset_index()

    def wide(self, scope: str = "channel", kpis: Sequence[str] = ("total_cost",
                                                                     "service_level")) -> (
            pd.DataFrame):
        """One row per point: its swept values, then `<name>.<kpi>` and `_ci95` columns."""
        table = self.point_table()
        table = table[(table["scope"] == scope) & table["kpi"].isin(list(kpis))]
        table = table.assign(column=table["name"] + "." + table["kpi"])
        values = table.pivot(index="point", columns="column", values=["mean", "ci95"])
        columns = [c for c in dict.fromkeys(table["column"])]
        out = pd.DataFrame(index=values.index)
        for column in columns:
            out[column] = values[("mean", column)]
            out[f"{column}_ci95"] = values[("ci95", column)]
        return self._labels().join(out).reset_index()

    def _labels(self) -> pd.DataFrame:
        rows = [{"point": p.index, "label": p.label, **{k: _cell(v) for k, v in
                                                       p.overrides.items()}}
                for p in self.points]
        return pd.DataFrame(rows).set_index("point")

    def frontier(self, channel: str = TOTAL) -> pd.DataFrame:
        """Points not beaten on both cost and service level: cost vs SLA trade-off."""
        table = self.wide(kpis=("total_cost", "service_level"))
        cost, level = f"{TOTAL}.total_cost", f"{channel}.service_level"
        table = table.dropna(subset=[cost, level]).sort_values([cost, level],
                                                                ascending=[True, False])
        best, keep = -math.inf, []
        for value in table[level]:
            keep.append(value > best)
            best = max(best, value)
        columns = ["point", "label", *[p.path for p in self.params], cost, f"{cost}_ci95",
                   level, f"{level}_ci95"]
        return table[keep][columns].reset_index(drop=True)


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool) else json.dumps(value)


def run_key(base_hash: str, overrides: dict[str, Any], seed: int, replication: int) -> str:
    """The identity of one run: same scenario, overrides, seed and replication, same key."""
    text = json.dumps([base_hash, overrides, seed, replication], sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()


def scenario_hash(scenario: Scenario) -> str:
    return hashlib.sha1(scenario.model_dump_json().encode()).hexdigest()


def _run_point(task: tuple[str, int, Scenario, int, int]) -> dict[str, Any]:
    """One replication of one point, as a JSON-ready record."""
    key, index, scenario, seed, replication = task
    kpis = run_kpis(simulate(scenario, seed, replication), scenario)
    values = [[s, n, k, plain_value(v)] for s, n, k, v in kpis.itertuples(index=False)]
    return {"key": key, "point": index, "replication": replication, "values": values}


def read_runs(out: Path) -> dict[str, dict[str, Any]]:
    """Records already in `out/runs.jsonl` by key; a torn last line is ignored."""
    file = out / RUNS_FILE
    records: dict[str, dict[str, Any]] = {}
    if not file.exists():
        return records
    for line in file.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            records[record["key"]] = record
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    return records


def run_sweep(
    scenario: Scenario,
    params: Sequence[Param],
    out: Path,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    dask_address: str | None = None,
    progress: Progress | None = None,
    *,
    settings: RunSettings | None = None,
) -> SweepResult:
    """Run every point's replications, streaming each to `out/runs.jsonl`; skip those done."""
    plan = settings_from(settings, replications, seed, workers, dask_address, progress)
    points = sweep_points(scenario, params)
    count, seed = plan.count(scenario), plan.first_seed(scenario)
    base = scenario_hash(scenario)
    keys = {(p.index, r): run_key(base, p.overrides, seed, r) for p in points
            for r in range(count)}
    out.mkdir(parents=True, exist_ok=True)
    done = read_runs(out)
    tasks = [(keys[p.index, r], p.index, p.scenario, seed, r) for p in points
             for r in range(count) if keys[p.index, r] not in done]
    if plan.progress:
        plan.progress(len(keys) - len(tasks), len(keys))
    for record in _stream(tasks, out, plan):
        done[record["key"]] = record
        if plan.progress:
            plan.progress(len(keys) - len(tasks) + record["finished"], len(keys))
    return SweepResult(list(params), points, _runs_frame(keys, done))


def _stream(tasks: list[Any], out: Path, plan: RunSettings) -> Iterator[dict[str, Any]]:
    """Records as they finish, each appended and flushed to runs.jsonl first."""
    path = out / RUNS_FILE
    torn = path.exists() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
    with path.open("a", encoding="utf-8") as file:
        if torn:
            file.write("\n")  # end a line cut short by an interruption
        for finished, (_, record) in enumerate(
                plan.stream(_run_point, tasks), start=1):
            file.write(json.dumps(record) + "\n")
            file.flush()
            yield {**record, "finished": finished}


def _runs_frame(keys: dict[tuple[int, int], str], done: dict[str, dict[str, Any]]) -> (
        pd.DataFrame):
    """The long frame of every run, in point and replication order."""
    rows = [(point, replication, *value) for (point, replication), key in sorted(keys.items())
            for value in done[key]["values"]]
    frame = pd.DataFrame(rows, columns=["point", "replication", "scope", "name", "kpi",
                                        "value"])
    frame["value"] = frame["value"].astype(float)
    return frame
