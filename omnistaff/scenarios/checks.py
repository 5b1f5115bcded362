"""Cross-reference checks: every name used resolves, and the scenario can run."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from omnistaff.scenarios.busyness import busyness_problems
from omnistaff.scenarios.limits import (
    MAX_CONTACTS,
    MAX_NAME,
    MAX_OVERRIDES,
    MAX_TOTAL_AGENTS,
)
from omnistaff.scenarios.observation import observation_problems
from omnistaff.scenarios.routing_checks import routing_problems
from omnistaff.scenarios.size import agents_at_once, expected_contacts
from omnistaff.scenarios.start_state import start_state_problems
from omnistaff.scenarios.units import WEEKDAYS

if TYPE_CHECKING:
    from omnistaff.scenarios.scenario import Scenario

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
Problem = tuple[str, str]


def reference_problems(scenario: Scenario) -> list[Problem]:
    """Every problem with names and references, each as (field path, message with the fix)."""
    return [
        *_name_problems(scenario),
        *_skill_problems(scenario),
        *_escalation_problems(scenario),
        *_coverage_problems(scenario),
        *_staffing_problems(scenario),
        *_optimizer_problems(scenario),
        *_variant_name_problems(scenario),
        *_arrival_problems(scenario),
        *_size_problems(scenario),
        *busyness_problems(scenario),
        *start_state_problems(scenario),
        *_first_free_problems(scenario),
        *observation_problems(scenario),
        *routing_problems(scenario),
    ]


def _first_free_problems(scenario: Scenario) -> list[Problem]:
    """Under `first_free` the counts are agents on the queue: no shrinkage or absence."""
    if scenario.staffing.per_interval_drop != "first_free":
        return []
    problems = []
    for gname in scenario.staffing.per_interval:
        group = scenario.groups.get(gname)
        for field in ("shrinkage", "absenteeism"):
            if group is not None and getattr(group, field) > 0:
                problems.append((f"groups.{gname}.{field}", f"staffing.per_interval_drop "
                                 f"first_free counts agents on the queue; set {field} to 0 "
                                 "(fold it into the counts) or use per_interval_drop: levels"))
    return problems


def _name_problems(scenario: Scenario) -> list[Problem]:
    problems = []
    for kind, names in (("channels", scenario.channels), ("groups", scenario.groups)):
        for name in names:
            if not plain_name(name):
                problems.append((f"{kind}.{_shown(name)}", NAME_RULE))
    return problems


NAME_RULE = (f"a name must start with a letter, use only letters, digits, _ or - and be at "
             f"most {MAX_NAME} characters (it is used in tables and file names); rename it")


def plain_name(name: str) -> bool:
    """Whether `name` is a plain name, safe in a table and as part of a file name."""
    return len(name) <= MAX_NAME and bool(NAME.match(name))


def _shown(name: str) -> str:
    return name if len(name) <= MAX_NAME else f"{name[:MAX_NAME]}..."


def _variant_name_problems(scenario: Scenario) -> list[Problem]:
    problems = []
    for name, overrides in scenario.variants.items():
        if not plain_name(name) or name == "base":
            rule = "'base' names the scenario itself" if name == "base" else NAME_RULE
            problems.append((f"variants.{_shown(name)}", f"{rule}; choose another name"))
        if len(overrides) > MAX_OVERRIDES:
            problems.append((f"variants.{_shown(name)}", f"{len(overrides)} overrides; give at "
                             f"most {MAX_OVERRIDES}"))
    return problems


def _arrival_problems(scenario: Scenario) -> list[Problem]:
    """Counts fit the horizon's intervals; surges fall on days of the horizon."""
    horizon, problems = scenario.horizon, []
    first = WEEKDAYS.index(horizon.start_weekday)
    weekdays = {WEEKDAYS[(first + d) % 7] for d in range(horizon.days)}
    for cname, channel in scenario.channels.items():
        counts = channel.arrivals.counts
        if counts is not None and len(counts) not in (horizon.intervals_per_day,
                                                      horizon.intervals):
            problems.append((f"channels.{cname}.arrivals.counts", f"{len(counts)} counts "
                             f"given; give {horizon.intervals_per_day} (one day of "
                             f"{horizon.interval_minutes}-minute intervals, repeated) or "
                             f"{horizon.intervals} (the whole horizon)"))
        for i, surge in enumerate(channel.arrivals.surges):
            inside = (surge.day < horizon.days if isinstance(surge.day, int)
                      else surge.day in weekdays)
            if not inside:
                problems.append((f"channels.{cname}.arrivals.surges.{i}.day", f"day "
                                 f"{surge.day!r} is not in the {horizon.days}-day horizon "
                                 f"starting {horizon.start_weekday}; use a day from 0 to "
                                 f"{horizon.days - 1} or a weekday it holds"))
    return problems


def _size_problems(scenario: Scenario) -> list[Problem]:
    """Too many contacts or agents to simulate in reasonable time and memory."""
    problems = []
    contacts = sum(expected_contacts(scenario).values())
    if contacts > MAX_CONTACTS:
        problems.append(("channels", f"about {contacts:,.0f} contacts per replication, more "
                         f"than the {MAX_CONTACTS:,} omnistaff simulates; lower the volumes, "
                         "surges or days"))
    agents = agents_at_once(scenario)
    if agents > MAX_TOTAL_AGENTS:
        problems.append(("staffing", f"up to {agents:,} agents at once, more than the "
                         f"{MAX_TOTAL_AGENTS:,} omnistaff simulates; lower the counts"))
    return problems


def _skill_problems(scenario: Scenario) -> list[Problem]:
    problems = []
    for gname, group in scenario.groups.items():
        for i, skill in enumerate(group.skills):
            path = f"groups.{gname}.skills.{i}.channel"
            channel = scenario.channels.get(skill.channel)
            if channel is None:
                problems.append((path, f"no channel named '{skill.channel}'; use one of "
                                 f"{_names(scenario.channels)}"))
            elif skill.concurrency is not None and skill.concurrency > channel.concurrency.max:
                problems.append((f"groups.{gname}.skills.{i}.concurrency",
                                 f"{skill.concurrency} exceeds channel '{skill.channel}' "
                                 f"concurrency max {channel.concurrency.max}; lower it or raise"
                                 " the channel's max"))
    return problems


def _escalation_problems(scenario: Scenario) -> list[Problem]:
    problems = []
    edges: dict[str, list[str]] = {}
    for cname, channel in scenario.channels.items():
        for i, esc in enumerate(channel.escalation):
            if esc.to not in scenario.channels:
                problems.append((f"channels.{cname}.escalation.{i}.to",
                                 f"no channel named '{esc.to}'; use one of "
                                 f"{_names(scenario.channels)}"))
            else:
                edges.setdefault(cname, []).append(esc.to)
    cycle = _find_cycle(edges)
    if cycle:
        problems.append((f"channels.{cycle[0]}.escalation",
                         f"escalation cycle {' -> '.join(cycle)}; escalation chains must end "
                         "(remove one of these links)"))
    return problems


def _find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    """A cycle in a directed graph as a closed path of names, or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in list(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def _coverage_problems(scenario: Scenario) -> list[Problem]:
    served = {s.channel for g in scenario.groups.values() for s in g.skills}
    return [
        (f"channels.{name}", f"no agent group has a skill for '{name}'; add it to a group's "
         "skills or remove the channel")
        for name in scenario.channels if name not in served
    ]


def _staffing_problems(scenario: Scenario) -> list[Problem]:
    problems = []
    for i, shift in enumerate(scenario.staffing.shifts):
        if shift.group not in scenario.groups:
            problems.append((f"staffing.shifts.{i}.group", f"no agent group named "
                             f"'{shift.group}'; use one of {_names(scenario.groups)}"))
    per_day, total = scenario.horizon.intervals_per_day, scenario.horizon.intervals
    for gname, counts in scenario.staffing.per_interval.items():
        path = f"staffing.per_interval.{gname}"
        if gname not in scenario.groups:
            problems.append((path, f"no agent group named '{gname}'; use one of "
                             f"{_names(scenario.groups)}"))
        if len(counts) not in (per_day, total):
            problems.append((path, f"{len(counts)} counts given; give {per_day} (one day of "
                             f"{scenario.horizon.interval_minutes}-minute intervals, repeated) "
                             f"or {total} (the whole horizon)"))
    return problems


def _optimizer_problems(scenario: Scenario) -> list[Problem]:
    """Every group a shift template names and every channel scheduled for must exist; kept
    staffing must be shifts."""
    settings = scenario.optimizer
    problems: list[Problem] = [
        (f"optimizer.channels.{i}", f"no channel named '{name}'; use one of "
         f"{_names(scenario.channels)}")
        for i, name in enumerate(settings.channels) if name not in scenario.channels]
    if settings.keep_staffing and scenario.staffing.per_interval:
        problems.append(("optimizer.keep_staffing", "only shifts can be kept, and this "
                         "scenario staffs per interval too; write that staffing as "
                         "staffing.shifts or set keep_staffing to false"))
    for i, template in enumerate(scenario.optimizer.templates):
        for j, group in enumerate(template.groups):
            if group not in scenario.groups:
                problems.append((f"optimizer.templates.{i}.groups.{j}", f"no agent group named "
                                 f"'{group}'; use one of {_names(scenario.groups)}"))
    return problems


def _names(mapping: dict[str, object]) -> str:
    return ", ".join(sorted(mapping)) or "(none defined)"
