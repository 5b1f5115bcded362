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
            login = float(index[start]) * horizon.interval_seconds
            runs.append((group, login, login + (stop - start) * horizon.interval_seconds, ()))
    return runs


def draw_roster(scenario: Scenario, streams: Streams) -> list[AgentShift]:
    """Every agent-shift with its absences and off-queue blocks drawn."""
    by_group: dict[str, list] = {}
    for plan in _planned_of(scenario):
        by_group.setdefault(plan[0], []).append(plan)
    roster: list[AgentShift] = []
    for name, plans in by_group.items():
        rng = streams.rng(f"group:{name}", "roster")
        roster += [_draw(plan, scenario.groups[name], rng) for plan in plans]
    return roster


def _draw(plan: tuple, group: AgentGroup, rng: np.random.Generator) -> AgentShift:
    name, login, logout, breaks = plan
    absent = bool(rng.random() < group.absenteeism)
    unpaid = sum(d for _, d, paid in breaks if not paid)
    pauses = [(start, duration) for start, duration, _ in breaks]
    pauses += _aux_blocks(login, logout, pauses, group.shrinkage, rng)
    return AgentShift(name, login, logout, logout - login - unpaid, tuple(sorted(pauses)), absent)


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
