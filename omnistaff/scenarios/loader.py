"""Loading scenarios from YAML, with every problem reported by field path and fix."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from omnistaff.scenarios.csv_keyed import Grid, check_options, keyed_values
from omnistaff.scenarios.fields import unknown_key_message
from omnistaff.scenarios.files import (
    FileProblem,
    csv_rows,
    inside,
    shares_from_rows,
)
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.variants import VariantError, apply_variant
from omnistaff.scenarios.yaml_text import MAX_YAML_BYTES, YamlProblem, decode, load_yaml

MAX_SCENARIO_BYTES = MAX_YAML_BYTES


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where, and what to do about it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ScenarioError(ValueError):
    """A scenario that cannot be loaded, with every problem found."""

    def __init__(self, problems: list[Problem], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source} has {len(problems)} problem(s):\n{lines}")


def load_scenario(path: str | Path, data_dir: Path | None = None) -> Scenario:
    """A validated scenario from a YAML file; the CSV files it names are read from
    `data_dir` (default: the scenario's own folder) and from nowhere else."""
    file = Path(path)
    if not file.is_file():
        raise ScenarioError([Problem("", f"no such file '{path}'; check the path")], str(path))
    if file.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem("", f"file is larger than {MAX_SCENARIO_BYTES / 1e6:g} MB;"
                                     " is it a scenario?")], str(path))
    return parse_scenario(file.read_bytes(), data_dir or file.parent, str(path))


def parse_scenario(text: str | bytes, base_dir: Path | None = None,
                   source: str = "scenario") -> Scenario:
    """A validated scenario from YAML text; raises ScenarioError listing every problem.

    CSV files it names are read from inside `base_dir` only; without one, naming a file is
    itself a problem (text has no folder to read beside)."""
    data = read_yaml(text, source)
    problems: list[Problem] = []
    data = _resolve_csv(data, base_dir, problems)
    if problems:
        raise ScenarioError(problems, source)
    scenario = scenario_from_dict(data, source)
    variant_problems = _variant_problems(scenario)
    if variant_problems:
        raise ScenarioError(variant_problems, source)
    return scenario


def read_yaml(text: str | bytes, source: str = "scenario") -> Any:
    """Plain data from YAML text or bytes within the limits of `yaml_text`; ScenarioError
    otherwise (binary, not UTF-8, too large, too deep, an alias bomb, a key given twice)."""
    try:
        return load_yaml(decode(text) if isinstance(text, bytes) else text)
    except YamlProblem as exc:
        raise ScenarioError([Problem("", str(exc))], source) from None


def scenario_from_dict(data: Any, source: str = "scenario") -> Scenario:
    """A validated scenario from plain data; raises ScenarioError listing every problem."""
    if not isinstance(data, dict):
        raise ScenarioError([Problem("", "a scenario is a mapping of keys such as name, "
                                     "horizon, channels, groups, staffing")], source)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(problems_from(exc), source) from None


def bundled_scenarios() -> dict[str, Path]:
    """The scenarios shipped with omnistaff, by name."""
    folder = Path(str(resources.files("omnistaff.scenarios").joinpath("library")))
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def problems_from(exc: ValidationError) -> list[Problem]:
    """Readable problems from a pydantic ValidationError."""
    problems: list[Problem] = []
    for err, entries in _grouped(exc.errors(include_url=False)):
        loc = err["loc"][:-1] if len(entries) > 1 else err["loc"]
        path = ".".join(str(p) for p in loc if not _is_union_tag(p))
        message = err["msg"].removeprefix("Value error, ")
        # the cross-reference checks report "path: message" lines at the root, even just one
        if err["type"] == "value_error" and (not err["loc"] or "\n" in message):
            problems.extend(_split_cross_checks(message, path))
            continue
        if err["type"] == "extra_forbidden":
            message = unknown_key_message(Scenario, tuple(err["loc"]))
        elif err["type"] == "string_pattern_mismatch":
            message = "not a time of day"
        if len(entries) > 1:
            message = (f"entries {entries[0]} to {entries[-1]} ({len(entries)} of them): "
                       f"{message}")
        problems.append(Problem(path, _with_fix(err, message)))
    return problems


def _grouped(errors: list[Any]) -> list[tuple[Any, list[int]]]:
    """Errors with the entries of a list that share one problem folded into the first, so
    that 48 bad counts are one line, not 48."""
    grouped: list[tuple[Any, list[int]]] = []
    for err in errors:
        index = err["loc"][-1] if err["loc"] else None
        if grouped and isinstance(index, int) and _same_list(grouped[-1][0], err):
            grouped[-1][1].append(index)
        else:
            grouped.append((err, [index] if isinstance(index, int) else []))
    return grouped


def _same_list(first: Any, err: Any) -> bool:
    return (first["type"] == err["type"] and first["loc"][:-1] == err["loc"][:-1]
            and isinstance(first["loc"][-1], int) and first["msg"] == err["msg"])


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (
        part in {"lognormal", "exponential", "fixed", "gamma", "empirical"}
        or part.startswith("function-")
    )


def _split_cross_checks(message: str, base: str) -> list[Problem]:
    problems = []
    for line in message.splitlines():
        path, _, msg = line.partition(": ")
        full = f"{base}.{path}" if base else path
        problems.append(Problem(full, msg))
    return problems


_FIXES = {
    "missing": "add it",
    "greater_than_equal": "use a larger value",
    "greater_than": "use a larger value",
    "less_than_equal": "use a smaller value",
    "less_than": "use a smaller value",
    "literal_error": "use one of the values listed",
    "string_pattern_mismatch": "write times as HH:MM, e.g. 08:30",
    "too_short": "add entries",
    "float_parsing": "write a number",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "union_tag_invalid": "set dist to lognormal, exponential, fixed, gamma or empirical",
    "finite_number": "write a finite number (NaN and infinity are not allowed)",
    "string_too_long": "shorten it",
    "too_long": "give fewer entries",
}


def _with_fix(err: Any, message: str) -> str:
    fix = _FIXES.get(err["type"])
    got = err.get("input")
    quiet = err["type"] in ("missing", "extra_forbidden") or isinstance(got, dict | list)
    text = repr(got)
    shown = "" if quiet else f" (got {text if len(text) <= 60 else text[:57] + '...'})"
    return f"{message}{shown}" + (f"; {fix}" if fix else "")


def _resolve_csv(data: Any, base_dir: Path | None, problems: list[Problem]) -> Any:
    """Replace {csv: file, ...} under channels.*.arrivals.{intraday,counts} and
    staffing.per_interval.* by the file's data (see `csv_keyed` for the options)."""
    if not isinstance(data, dict):
        return data
    grid = Grid(data.get("horizon"))
    channels = data.get("channels")
    for cname, channel in (channels.items() if isinstance(channels, dict) else ()):
        arrivals = channel.get("arrivals") if isinstance(channel, dict) else None
        if not isinstance(arrivals, dict):
            continue
        for key in ("intraday", "counts"):
            ref = arrivals.get(key)
            if isinstance(ref, dict) and "csv" in ref:
                path = f"channels.{cname}.arrivals.{key}.csv"
                try:
                    arrivals[key] = _read_csv(base_dir, ref, key, grid)
                except FileProblem as exc:
                    problems.append(Problem(path, str(exc)))
    staffing = data.get("staffing")
    per_interval = staffing.get("per_interval") if isinstance(staffing, dict) else None
    for gname, ref in (per_interval.items() if isinstance(per_interval, dict) else ()):
        if isinstance(ref, dict) and "csv" in ref:
            try:
                per_interval[gname] = _whole(_read_csv(base_dir, ref, "agents", grid))
            except FileProblem as exc:
                problems.append(Problem(f"staffing.per_interval.{gname}.csv", str(exc)))
    return data


def _read_csv(base_dir: Path | None, ref: dict[str, Any], key: str,
              grid: Grid) -> list[float]:
    name = ref["csv"]
    if not isinstance(name, str):
        raise FileProblem("give the file name as text, e.g. {csv: counts.csv}")
    check_options(ref)
    if base_dir is None:
        raise FileProblem("this scenario was given as text, with no folder to read files from;"
                          " write the values inline as a list")
    file = inside(base_dir, name)
    rows = csv_rows(file, name)
    if key == "intraday":
        if len(ref) > 1:
            raise FileProblem("an intraday file takes no options: it has columns start "
                              "(HH:MM) and share; remove the others")
        return shares_from_rows(rows, name)
    return keyed_values(rows, name, ref, grid, "count" if key == "counts" else "agents")


def _whole(values: list[float]) -> list[float | int]:
    """Agents as whole numbers where they are (the schema refuses the others by line)."""
    return [int(v) if float(v).is_integer() else v for v in values]


def _variant_problems(scenario: Scenario) -> list[Problem]:
    problems = []
    for name in scenario.variants:
        try:
            apply_variant(scenario, name)
        except VariantError as exc:
            problems.append(Problem(f"variants.{name}", str(exc)))
        except ValidationError as exc:
            problems.extend(Problem(f"variants.{name} -> {p.path}", p.message)
                            for p in problems_from(exc))
    return problems
