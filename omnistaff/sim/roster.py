"""Agent-shifts: the staffing of a scenario expanded into who logs in when, with breaks,
off-queue time (shrinkage) and absences drawn per agent-shift."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.units import clock_seconds
from omnistaff.scenarios.workforce import AgentGroup
from omnistaff.sim.reuse import per_scenario
from omnistaff.sim.streams import Streams

AUX_BLOCK_SECONDS = 900.0


class AgentShift(NamedTuple):
    """One agent's working of one shift: times in seconds from day 0, 00:00."""

    group: str
    login: float
    logout: float
    paid_seconds: float
    pauses: tuple[tuple[float, float], ...]  # (start, duration): breaks and off-queue blocks
    absent: bool


def planned_shifts(scenario: Scenario) -> list[tuple[str, float, float, tuple]]:
    """(group, login, logout, breaks) of every agent-shift touching the simulated time, in
    that order: the same roster, however its shifts are written, draws the same absences and
    off-queue blocks."""
    horizon = scenario.horizon
    first_day = -math.ceil((horizon.warmup + 86400) / 86400)
    planned: list[tuple[str, float, float, tuple]] = []
    for shift in scenario.staffing.shifts:
        for day in range(first_day, horizon.days):
            # the warm-up repeats the horizon
            if not shift.worked_on(horizon.weekday(day), day % horizon.days // 7):
                continue
            login = day * 86400.0 + clock_seconds(shift.start)
            breaks = tuple((login + b.after, b.duration, b.paid) for b in shift.breaks)
            planned += [(shift.group, login, login + shift.length, breaks)] * shift.count
    for group, counts in scenario.staffing.per_interval.items():
        if scenario.staffing.per_interval_drop == "levels":  # first_free: see staff_pool
            planned += _runs(group, np.asarray(counts), scenario)
    end = horizon.seconds
    return sorted(p for p in planned if p[2] > -horizon.warmup and p[1] < end)


Planned = tuple[str, float, float, tuple]
_planned_of = per_scenario(planned_shifts)  # the same for every replication


def _runs(group: str, counts: np.ndarray, scenario: Scenario) -> list[Planned]:
    """Agents per interval as stacked agent-shifts: level k works while the count exceeds k."""
    horizon = scenario.horizon
    if len(counts) == horizon.intervals_per_day:
        counts = np.tile(counts, horizon.days)
    warm = math.ceil(horizon.warmup / horizon.interval_seconds)
    index = np.arange(-warm, horizon.intervals)
    level_counts = counts[index % len(counts)]
    runs = []
    for level in range(int(level_counts.max(initial=0))):
        on = np.concatenate(([0], (level_counts > level).astype(int), [0]))
        edges = np.flatnonzero(np.diff(on))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            # plain floats: a numpy scalar's arithmetic, at every wait of the agent-shift,
            # costs several times a float's (the same numbers either way)
            login = float(index[start]) * horizon.interval_seconds
            length = float(stop - start) * horizon.interval_seconds
            runs.append((group, login, login + length, ()))
    return runs


def draw_roster(scenario: Scenario, streams: Streams) -> list[AgentShift]:
    """Every agent-shift with its absences and off-queue blocks drawn."""
    roster: list[AgentShift] = []
    for name, plans in _plans_by_group(scenario).items():
        rng = streams.rng(f"group:{name}", "roster")
        group = scenario.groups[name]
        if group.shrinkage > 0:
            roster += [_draw(plan, group, rng) for plan in plans]
            continue
        # no off-queue blocks: each agent-shift's one draw is its absence, and a block of
        # draws is the same numbers drawn one by one; the shifts are built once a scenario
        present, absent = _undrawn_of(scenario, name)
        drawn = (rng.random(len(plans)) < group.absenteeism).tolist()
        roster += [absent[i] if gone else present[i] for i, gone in enumerate(drawn)]
    return roster


@per_scenario
def _plans_by_group(scenario: Scenario) -> dict[str, list[Planned]]:
    by_group: dict[str, list[Planned]] = {}
    for plan in _planned_of(scenario):
        by_group.setdefault(plan[0], []).append(plan)
    return by_group


@per_scenario
def _undrawn_of(scenario: Scenario, group: str) -> tuple[list[AgentShift], list[AgentShift]]:
    """A group's agent-shifts without off-queue blocks, each present and absent."""
    shifts = [_shift(plan, []) for plan in _plans_by_group(scenario)[group]]
    return shifts, [shift._replace(absent=True) for shift in shifts]


def _draw(plan: Planned, group: AgentGroup, rng: np.random.Generator) -> AgentShift:
    _, login, logout, breaks = plan
    absent = bool(rng.random() < group.absenteeism)
    pauses = [(start, duration) for start, duration, _ in breaks]
    aux = _aux_blocks(login, logout, pauses, group.shrinkage, rng)
    return _shift(plan, aux)._replace(absent=absent)


def _shift(plan: Planned, aux: list[tuple[float, float]]) -> AgentShift:
    """A planned agent-shift with these off-queue blocks, present."""
    name, login, logout, breaks = plan
    unpaid = sum(d for _, d, paid in breaks if not paid)
    pauses = [(start, duration) for start, duration, _ in breaks] + aux
    return AgentShift(name, login, logout, logout - login - unpaid, tuple(sorted(pauses)), False)


def _aux_blocks(
    login: float, logout: float, breaks: list[tuple[float, float]], shrinkage: float,
    rng: np.random.Generator,
) -> list[tuple[float, float]]:
    """Off-queue blocks of 15 minutes, at random free slots, adding up to the shrinkage."""
    if shrinkage <= 0:
        return []
    slots = np.arange(login, logout - AUX_BLOCK_SECONDS + 1, AUX_BLOCK_SECONDS)
    clear = np.ones(len(slots), dtype=bool)
    for start, duration in breaks:  # a slot is free unless it overlaps a break
        clear &= ~((start < slots + AUX_BLOCK_SECONDS) & (slots < start + duration))
    free = slots[clear]
    wanted = shrinkage * (logout - login - sum(d for _, d in breaks)) / AUX_BLOCK_SECONDS
    count = min(len(free), int(wanted) + int(rng.random() < wanted - int(wanted)))
    chosen = rng.choice(len(free), size=count, replace=False) if count else []
    return [(float(free[i]), AUX_BLOCK_SECONDS) for i in chosen]


def interval_counts(counts: np.ndarray, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(interval index, count) for every interval the simulation touches, the warm-up's
    (negative indices, replaying the horizon's end) first."""
    horizon = scenario.horizon
    if len(counts) == horizon.intervals_per_day:
        counts = np.tile(counts, horizon.days)
    warm = math.ceil(horizon.warmup / horizon.interval_seconds)
    index = np.arange(-warm, horizon.intervals)
    return index, counts[index % len(counts)]
