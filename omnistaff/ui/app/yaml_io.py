"""Scenarios to and from YAML text in the app: a compact dump that loads back to the same
scenario, and a guarded parse for text a user uploads or types."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

from omnistaff.scenarios import Problem, Scenario, ScenarioError, parse_scenario
from omnistaff.scenarios.loader import read_yaml

#: Uploaded scenario files larger than this are refused before they are read.
MAX_UPLOAD_BYTES = 1_000_000
#: Keys that must always be written, although they hold their default: union tags.
_ALWAYS_KEPT = frozenset({"dist"})


def scenario_yaml(scenario: Scenario) -> str:
    """The scenario as YAML without default values; `parse_scenario` gives it back."""
    return yaml.safe_dump(compact(scenario), sort_keys=False, allow_unicode=True)


def compact(model: BaseModel) -> dict[str, Any]:
    """Plain data of a model without fields that hold their default (tags kept)."""
    full = model.model_dump(mode="json")
    return {name: _compact_value(getattr(model, name), full[name])
            for name, field in type(model).model_fields.items()
            if name in _ALWAYS_KEPT or field.is_required()
            or getattr(model, name) != field.get_default(call_default_factory=True)}


def _compact_value(value: Any, plain: Any) -> Any:
    if isinstance(value, BaseModel):
        return compact(value)
    if isinstance(value, dict):
        return {k: _compact_value(v, plain[k]) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_compact_value(v, p) for v, p in zip(value, plain, strict=True)]
    return plain


def validated(data: dict[str, Any], source: str) -> Scenario:
    """A scenario from plain data with every check the loader makes (variants included)."""
    return parse_scenario(yaml.safe_dump(data, sort_keys=False), source=source)


def parse_untrusted(text: str | bytes, source: str) -> Scenario:
    """A scenario from text a user supplied: size-limited, safe YAML, no aliases and no
    references to files on the server. Raises ScenarioError with every problem."""
    data = untrusted_data(text, source)
    refs = list(_file_references(data))
    if refs:
        raise ScenarioError([Problem(path, "a scenario given to the app cannot read files on "
                                     "the server; write the values inline as a list")
                             for path in refs], source)
    return parse_scenario(text, source=source)


def untrusted_data(text: str | bytes, source: str) -> Any:
    """Plain data from YAML a user uploaded or typed (a scenario, or its variants): at most
    `MAX_UPLOAD_BYTES`, UTF-8, with the loader's depth and duplicate-key checks and no
    anchors or aliases at all. Raises ScenarioError."""
    if len(text) > MAX_UPLOAD_BYTES:
        raise _refused(source, f"it is {len(text) / 1e6:.1f} MB; scenario files are limited "
                       f"to {MAX_UPLOAD_BYTES / 1e6:g} MB")
    data = read_yaml(text, source)  # refuses binary, bad UTF-8, deep nesting, duplicate keys
    if _has_aliases(text.decode("utf-8-sig") if isinstance(text, bytes) else text):
        raise _refused(source, "it uses YAML anchors or aliases (& or *); write the values out")
    return data


def _refused(source: str, why: str) -> ScenarioError:
    return ScenarioError([Problem("", f"refused: {why}")], source)


def _has_aliases(text: str) -> bool:
    return any(isinstance(e, yaml.NodeEvent) and e.anchor is not None for e in yaml.parse(text))


def _file_references(data: Any, path: str = "") -> list[str]:
    """Dotted paths of every `{csv: ...}` mapping."""
    if isinstance(data, dict):
        if "csv" in data:
            return [path]
        return [p for k, v in data.items() for p in _file_references(v, f"{path}.{k}".strip("."))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _file_references(v, f"{path}.{i}")]
    return []
