"""Loading scenarios from YAML, with every problem reported by field path and fix."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from omnistaff.scenarios.fields import unknown_key_message
from omnistaff.scenarios.profiles import slices_from_rows
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.variants import VariantError, apply_variant

MAX_SCENARIO_BYTES = 5_000_000


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


def load_scenario(path: str | Path) -> Scenario:
    """A validated scenario from a YAML file (CSV references resolved beside it)."""
    file = Path(path)
    if not file.is_file():
        raise ScenarioError([Problem("", f"no such file '{path}'; check the path")], str(path))
    if file.stat().st_size > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem("", "file is larger than 5 MB; is it a scenario?")], str(path))
    return parse_scenario(file.read_text(encoding="utf-8"), file.parent, str(path))


def parse_scenario(text: str, base_dir: Path | None = None, source: str = "scenario") -> Scenario:
    """A validated scenario from YAML text; raises ScenarioError listing every problem."""
    data = _read_yaml(text, source)
    problems: list[Problem] = []
    data = _resolve_csv(data, base_dir or Path.cwd(), problems)
    if problems:
        raise ScenarioError(problems, source)
    scenario = scenario_from_dict(data, source)
    variant_problems = _variant_problems(scenario)
    if variant_problems:
        raise ScenarioError(variant_problems, source)
    return scenario


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
    for err in exc.errors(include_url=False):
        path = ".".join(str(p) for p in err["loc"] if not _is_union_tag(p))
        message = err["msg"].removeprefix("Value error, ")
        # the cross-reference checks report "path: message" lines at the root, even just one
        if err["type"] == "value_error" and (not err["loc"] or "\n" in message):
            problems.extend(_split_cross_checks(message, path))
            continue
        if err["type"] == "extra_forbidden":
            message = unknown_key_message(Scenario, tuple(err["loc"]))
        elif err["type"] == "string_pattern_mismatch":
            message = "not a time of day"
        problems.append(Problem(path, _with_fix(err, message)))
    return problems


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
}


def _with_fix(err: Any, message: str) -> str:
    fix = _FIXES.get(err["type"])
    got = err.get("input")
    quiet = err["type"] in ("missing", "extra_forbidden") or isinstance(got, dict | list)
    shown = "" if quiet else f" (got {got!r})"
    return f"{message}{shown}" + (f"; {fix}" if fix else "")


def _read_yaml(text: str, source: str) -> Any:
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem("", "text is larger than 5 MB; is it a scenario?")], source)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError([Problem("", f"{where}not valid YAML ({what}); check the "
                                     "indentation and quote values that contain ':' or '#'")],
                            source) from None


def _resolve_csv(data: Any, base_dir: Path, problems: list[Problem]) -> Any:
    """Replace {csv: file} under channels.*.arrivals.{intraday,counts} by the file's data."""
    channels = data.get("channels") if isinstance(data, dict) else None
    if not isinstance(channels, dict):
        return data
    for cname, channel in channels.items():
        arrivals = channel.get("arrivals") if isinstance(channel, dict) else None
        if not isinstance(arrivals, dict):
            continue
        for key in ("intraday", "counts"):
            ref = arrivals.get(key)
            if isinstance(ref, dict) and set(ref) == {"csv"}:
                path = f"channels.{cname}.arrivals.{key}.csv"
                arrivals[key] = _read_csv(base_dir / str(ref["csv"]), key, path, problems)
    return data


def _read_csv(file: Path, key: str, path: str, problems: list[Problem]) -> list[float] | None:
    if not file.is_file():
        problems.append(Problem(path, f"no such file '{file}'; paths are relative to the "
                                "scenario file"))
        return None
    rows = list(csv.DictReader(file.read_text(encoding="utf-8").splitlines()))
    try:
        if key == "intraday":
            return slices_from_rows(rows)
        column = "count" if rows and "count" in rows[0] else list(rows[0])[-1]
        return [float(r[column]) for r in rows]
    except (KeyError, ValueError, IndexError) as exc:
        want = "columns start (HH:MM) and share" if key == "intraday" else "a column count"
        problems.append(Problem(path, f"cannot read {file.name} ({exc}); it needs {want}"))
        return None


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
