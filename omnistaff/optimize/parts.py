"""Independent parts of a schedule: stretches of the horizon that no shift option's agents span
and nothing else ties together, each of which can be scheduled on its own.

A roster whose shifts all end the day they start, with no deferred backlog carried from one day
to the next and no limit over the whole horizon (a budget, a part-time share), is as many
problems as it has days: the cheapest schedule of the whole is the cheapest of each day, and
the sum of each day's proven bound is a bound for the whole. Solving them apart is far faster
than handing the solver their sum, whose branch-and-bound mixes every day's choices.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.shifts import DAY


@dataclass(frozen=True)
class Part:
    """The shift options of one independent part and the intervals it covers."""

    options: list[int]
    intervals: frozenset[int]


def independent_parts(data: ScheduleData) -> list[Part]:
    """The parts of `data` that can be scheduled apart, in horizon order; a single part when
    anything ties the whole horizon together. Parts with neither options nor needs are left
    out."""
    if data.deferred or data.budget is not None or data.max_part_time_share is not None \
            or data.tours is not None:  # a person's days tie the horizon together
        return [Part(list(range(len(data.options))), frozenset(range(data.intervals)))]
    spans = _spans(data)
    label = _stretches(data.intervals, spans)
    joined = _Union(int(label.max()) + 1)
    for occurrences in spans:
        for first, _ in occurrences[1:]:
            joined.join(label[occurrences[0][0]], label[first])
    return _parts(data, [joined.root(k) for k in label], spans)


def restricted_part(data: ScheduleData, part: Part) -> ScheduleData:
    """The data of one part: its options only, and only its intervals' needs."""
    def inside(needs: dict) -> dict:
        return {key: value for key, value in needs.items() if key[1] in part.intervals}

    return replace(data.restricted(part.options), required=inside(data.required),
                   min_agents=inside(data.min_agents), least_agents=inside(data.least_agents))


def _spans(data: ScheduleData) -> list[list[tuple[int, int]]]:
    """Per option, the (first, last) interval of each day it is worked (last may pass the end
    of the horizon: the horizon is cyclic)."""
    width = data.interval_seconds
    spans = []
    for option in data.options:
        occurrences = []
        for day in data.weekday_days[option.weekday]:
            first = int((day * DAY + option.start) // width)
            last = int(np.ceil((day * DAY + option.start + option.length) / width)) - 1
            occurrences.append((first, min(last, first + data.intervals)))
        spans.append(occurrences)
    return spans


def _stretches(intervals: int, spans: list[list[tuple[int, int]]]) -> np.ndarray:
    """A stretch number per interval: consecutive intervals share one where some option's agents
    are on shift in both (across the end of the horizon too)."""
    bridged = np.zeros(2 * intervals + 1, dtype=int)
    for occurrences in spans:
        for first, last in occurrences:
            if last > first:
                bridged[first] += 1
                bridged[last] -= 1
    joins = np.cumsum(bridged)[:2 * intervals]
    joins = (joins[:intervals] + joins[intervals:]) > 0  # joins[t]: t and t + 1 together
    label = np.concatenate([[0], np.cumsum(~joins[:-1])])
    if joins[-1]:
        label[label == label[-1]] = 0
    return label


class _Union:
    """Union-find over stretch numbers."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: int, b: int) -> None:
        self.parent[self.root(a)] = self.root(b)


def _parts(data: ScheduleData, component: list[int],
           spans: list[list[tuple[int, int]]]) -> list[Part]:
    """Group options and intervals by component, in order of each part's first interval."""
    intervals: dict[int, set[int]] = {}
    for t, k in enumerate(component):
        intervals.setdefault(k, set()).add(t)
    options: dict[int, list[int]] = {k: [] for k in intervals}
    for s, occurrences in enumerate(spans):
        if occurrences:
            options[component[occurrences[0][0] % data.intervals]].append(s)
    needed = data.needed_intervals()
    return [Part(options[k], frozenset(members)) for k, members in intervals.items()
            if options[k] or members & needed]
