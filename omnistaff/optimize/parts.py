"""Independent parts of a schedule, each of which can be scheduled on its own: parts of the center
that share no channel, and within one, stretches of the horizon no shift option's agents span.

Groups that serve no channel in common (a phone team beside a back office of email and social)
are separate problems: nothing in the model ties one's agents to the other's requirements but
a limit over the whole center (a budget, a part-time share). Within such a part, a roster
whose shifts all end the day they start, with no deferred backlog carried from one day to the
next, is as many problems as it has days. The cheapest schedule of the whole is the cheapest
of each part, and the sum of the parts' proven bounds is a bound for the whole. Solving them
apart is far faster than handing the solver their sum, whose branch-and-bound mixes every
part's choices, and lets each part's proof be found on a model of its own size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.shifts import DAY


@dataclass(frozen=True)
class Part:
    """The shift options of one independent part, the intervals it covers, and the groups and
    channels of its part of the center (None: every one)."""

    options: list[int]
    intervals: frozenset[int]
    groups: frozenset[str] | None = None
    channels: frozenset[str] | None = None


def independent_parts(data: ScheduleData) -> list[Part]:
    """The parts of `data` that can be scheduled apart: per part of the center
    (`_centers`), its stretches of the horizon in order; a single part when anything ties
    the whole together. Parts with neither options nor needs are left out.

    A plan in people (tours) stays whole: its restricted MIPs stop at the first schedule within
    the gap of the bound (`tour_search.restricted_gap`), and a part is asked for that gap of
    its own size, a far tighter objective than the whole's. On the tour benchmark's week the
    phone team alone stopped USD 280 above its LP objective (0.54%), where solved with the
    other teams it came out at it, and the other teams' first MIP, asked for 1% of their own
    USD 40,409, had not finished after 8 minutes (the whole's took 30 s)."""
    if data.budget is not None or data.max_part_time_share is not None \
            or data.tours is not None:
        return [_whole(data)]
    centers = _centers(data)
    if len(centers) == 1:
        return _stretch_parts(data)
    found = []
    for groups, channels in centers:
        center = Part([s for s, o in enumerate(data.options) if o.group in groups],
                      frozenset(range(data.intervals)), groups, channels)
        for part in _stretch_parts(restricted_part(data, center)):
            found.append(Part([center.options[s] for s in part.options], part.intervals,
                              groups, channels))
    return found


def center_parts(skills: Iterable[tuple[str, str]],
                 escalations: Iterable[tuple[str, str]] = ()) -> dict[str, int]:
    """Per channel, the number of its part of the center: channels served by a common group,
    or one escalating into the other, are in one part (so nothing one part's staff does moves
    another's service level but through the random numbers)."""
    skills, escalations = list(skills), list(escalations)
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in [(f"group:{g}", c) for g, c in skills] + escalations:
        parent[root(a)] = root(b)
    channels = sorted({c for _, c in skills} | {c for pair in escalations for c in pair})
    roots = sorted({root(c) for c in channels})
    return {c: roots.index(root(c)) for c in channels}


def _centers(data: ScheduleData) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The groups and channels of each part of the center of a schedule model (`center_parts`;
    escalations are in its requirements already), in the order of their groups; a channel no
    group serves, or a group serving none, is a part of its own. A group no shift option is
    offered for has no agents in the model, so its skills join nothing (an omni-channel group
    listed beside specialists but not scheduled leaves the specialist teams apart)."""
    present = {o.group for o in data.options}
    offered = [g for g in data.groups if g in present]
    skills = [(g, c) for g, c in data.skills if g in present]
    number = center_parts(skills)
    channels = [*data.live, *data.deferred]
    parts: dict[int, tuple[set[str], set[str]]] = {}
    for g, c in skills:
        parts.setdefault(number[c], (set(), set()))[0].add(g)
    for c in channels:
        parts.setdefault(number.get(c, -1 - channels.index(c)), (set(), set()))[1].add(c)
    for g in offered:
        if not any(g in groups for groups, _ in parts.values()):
            parts[-1 - len(channels) - offered.index(g)] = ({g}, set())
    first = {k: min((offered.index(g) for g in groups), default=len(offered))
             for k, (groups, _) in parts.items()}
    return [(frozenset(parts[k][0]), frozenset(parts[k][1]))
            for k in sorted(parts, key=lambda k: (first[k], k))]


def _whole(data: ScheduleData) -> Part:
    return Part(list(range(len(data.options))), frozenset(range(data.intervals)))


def _stretch_parts(data: ScheduleData) -> list[Part]:
    """The stretches of the horizon of `data` that can be scheduled apart, in horizon order;
    a single part when deferred work or people's weeks tie the horizon together."""
    if data.deferred or data.tours is not None:  # a person's days tie the horizon together
        return [_whole(data)]
    spans = _spans(data)
    label = _stretches(data.intervals, spans)
    joined = _Union(int(label.max()) + 1)
    for occurrences in spans:
        for first, _ in occurrences[1:]:
            joined.join(label[occurrences[0][0]], label[first])
    return _parts(data, [joined.root(k) for k in label], spans)


def restricted_part(data: ScheduleData, part: Part) -> ScheduleData:
    """The data of one part: its options only, and only its intervals' needs (and, of a part
    of the center, its groups and channels)."""
    def inside(needs: dict) -> dict:
        return {key: value for key, value in needs.items() if key[1] in part.intervals
                and (part.channels is None or key[0] in part.channels)}

    restricted = replace(data.restricted(part.options), required=inside(data.required),
                         min_agents=inside(data.min_agents),
                         least_agents=inside(data.least_agents))
    if part.groups is None or part.channels is None:
        return restricted
    return _of_center(restricted, part.groups, part.channels)


def _of_center(data: ScheduleData, groups: frozenset[str], channels: frozenset[str]
               ) -> ScheduleData:
    """`data` with only the given groups and channels (its options already theirs)."""
    def of(values: dict) -> dict:
        return {k: v for k, v in values.items() if k[0] in channels}

    def by_group(values: dict) -> dict:
        return {g: v for g, v in values.items() if g in groups}

    return replace(
        data, groups=[g for g in data.groups if g in groups],
        live=[c for c in data.live if c in channels],
        deferred=[c for c in data.deferred if c in channels],
        skills=[(g, c) for g, c in data.skills if g in groups],
        efficiency={k: v for k, v in data.efficiency.items() if k[0] in groups},
        availability=by_group(data.availability), headcount=by_group(data.headcount),
        max_occupancy=by_group(data.max_occupancy), work=of(data.work),
        allowed=of(data.allowed), late_allowance=of(data.late_allowance),
        busy_share=of(data.busy_share),
        window={c: v for c, v in data.window.items() if c in channels},
        expiry={c: v for c, v in data.expiry.items() if c in channels})


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
