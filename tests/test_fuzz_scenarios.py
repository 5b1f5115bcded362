"""Fuzzing the loader with mutated bundled scenarios: wrong types, extreme and non-finite
numbers, missing and extra keys, broken cross-references, huge and deep structures. Each
mutant is refused with a ScenarioError whose every problem names a field (or a line), or it
loads and simulates within a time bound: `validate` OK means it runs."""

from __future__ import annotations

import copy
import time
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omnistaff.scenarios import ScenarioError, bundled_scenarios, parse_scenario
from omnistaff.scenarios.limits import MAX_CONTACTS
from omnistaff.scenarios.size import expected_contacts
from omnistaff.sim import simulate

#: Mutants small enough to simulate here (the rest are held to the validated size bound).
SIMULATED_CONTACTS = 60_000
SIMULATE_SECONDS = 20.0


def _base(name: str) -> dict[str, Any]:
    data = yaml.safe_load(bundled_scenarios()[name].read_text())
    data["horizon"].update(days=2, replications=1)
    return data


BASES = {name: _base(name) for name in sorted(bundled_scenarios())}


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside plain data (mappings and lists), the root excluded."""
    found: list[tuple[Any, ...]] = []
    items = (node.items() if isinstance(node, dict)
             else enumerate(node) if isinstance(node, list) else [])
    for key, value in items:
        found.append((*prefix, key))
        found += _paths(value, (*prefix, key))
    return found


def _deep(levels: int) -> Any:
    node: Any = 1
    for _ in range(levels):
        node = {"a": node}
    return node


WRONG = st.sampled_from(["text", "", [], {}, None, True, [1, "x"], {"x": 1}])
EXTREME = st.sampled_from([0, -1, 1e-300, 1e308, -1e308, float("inf"), float("-inf"),
                           float("nan"), 10**12, 2**70, 0.5, 7, 1e9])
HUGE = st.sampled_from([list(range(100_000)), "x" * 200_000, _deep(200), _deep(40),
                        {f"k{i}": i for i in range(5_000)}])
BROKEN = st.sampled_from(["nosuch", "../../etc/passwd", "/bin/sh", "mon" * 30, "monkey",
                          "25:99", "x/../.."])
REPLACEMENT = st.one_of(WRONG, EXTREME, HUGE, BROKEN)


@st.composite
def mutants(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BASES[draw(st.sampled_from(sorted(BASES)))])
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        leaf = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "delete", "extra", "scale",
                                       "scale"]))
        value = parent[leaf]
        if action == "scale" and isinstance(value, int | float) and not isinstance(value, bool):
            factor = draw(st.sampled_from([0, 1e-3, 0.5, 2, 100, 10_000]))
            parent[leaf] = type(value)(value * factor)
        elif action == "delete":
            del parent[leaf]
        elif action == "extra" and isinstance(parent, dict):
            key = draw(st.sampled_from(["zzz_extra", "csv", "dist", "count"]))
            parent[key] = copy.deepcopy(draw(REPLACEMENT))
        else:
            parent[leaf] = copy.deepcopy(draw(REPLACEMENT))
    return data


def _names_a_field(error: ScenarioError) -> bool:
    return all(p.path or p.message.startswith(("line ", "a scenario is", "the text", "more "))
               for p in error.problems) and bool(error.problems)


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutants())
def test_a_mutant_is_refused_naming_a_field_or_simulates(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False)
    try:
        scenario = parse_scenario(text)
    except ScenarioError as exc:
        assert _names_a_field(exc), exc
        return
    contacts = sum(expected_contacts(scenario).values())
    assert contacts <= MAX_CONTACTS
    if contacts <= SIMULATED_CONTACTS:
        began = time.process_time()  # CPU seconds: the bound holds however busy the machine
        result = simulate(scenario, 1)
        assert time.process_time() - began < SIMULATE_SECONDS
        assert (result.channels["offered"] >= 0).all()
