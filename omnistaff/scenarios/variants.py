"""Named variants: dotted-path overrides expanded into full scenarios."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Scenario


class VariantError(ValueError):
    """A variant names a path that does not exist or a value that does not validate."""


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set `value` at a dotted path in nested dicts and lists (list steps are indices)."""
    keys = path.split(".")
    node: Any = data
    for depth, key in enumerate(keys[:-1]):
        node = _step(node, key, ".".join(keys[: depth + 1]))
    leaf = keys[-1]
    if isinstance(node, list):
        node[_index(node, leaf, path)] = value
    elif isinstance(node, dict):
        node[leaf] = value
    else:
        raise VariantError(f"'{path}': cannot set '{leaf}' inside a plain value")


def _step(node: Any, key: str, where: str) -> Any:
    if isinstance(node, dict):
        if key not in node:
            keys = ", ".join(map(str, node))
            raise VariantError(f"'{where}' does not exist; keys there are {keys}")
        return node[key]
    if isinstance(node, list):
        return node[_index(node, key, where)]
    raise VariantError(f"'{where}' goes inside a plain value")


def _index(node: list[Any], key: str, where: str) -> int:
    if not key.isdigit() or int(key) >= len(node):
        raise VariantError(f"'{where}': '{key}' is not an index from 0 to {len(node) - 1}")
    return int(key)


def override(data: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of raw scenario data with dotted-path overrides applied in order."""
    result = copy.deepcopy(data)
    for path, value in overrides.items():
        set_path(result, path, value)
    return result


def apply_variant(scenario: Scenario, name: str) -> Scenario:
    """The scenario with variant `name` applied; the base scenario for name 'base'."""
    if name == "base":
        return scenario
    if name not in scenario.variants:
        known = ", ".join(["base", *scenario.variants])
        raise VariantError(f"no variant named '{name}'; choose one of {known}")
    data = scenario.model_dump(mode="json")
    data = override(data, scenario.variants[name])
    data["name"] = f"{scenario.name} [{name}]"
    return type(scenario).model_validate(data)


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """The scenario with ad-hoc dotted-path overrides (sweeps, forms)."""
    data = override(scenario.model_dump(mode="json"), overrides)
    return type(scenario).model_validate(data)
