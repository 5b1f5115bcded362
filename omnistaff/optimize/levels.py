"""On-shift levels as sparse changes: how each shift option moves the number of agents on shift
and on a break from one interval to the next.

An agent joining at time s adds to the mean level of the interval containing s the share of it
still to come, and the rest to the next interval; leaving subtracts likewise. Each shift option
so touches a handful of level rows instead of every interval it covers: about ten times fewer
nonzeros than summing the covering shifts in every interval. The horizon is cyclic, as in the
engine: a shift running past the end continues at the start, and interval 0's level is given
outright (its anchor), so the changes fix every level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from omnistaff.optimize.shifts import DAY, ShiftOption

Terms = tuple[list[int], list[float]]  # (shift option indices, coefficients)
GroupInterval = tuple[str, int]


@dataclass(frozen=True)
class Levels:
    """Per (group, interval) the change in agents on shift and on a break, per group the levels
    of interval 0, and the groups whose levels are always whole agents."""

    staffed_delta: dict[GroupInterval, Terms]
    resting_delta: dict[GroupInterval, Terms]
    staffed_anchor: dict[str, Terms]
    resting_anchor: dict[str, Terms]
    whole: frozenset[str]

    def restricted(self, position: dict[int, int]) -> Levels:
        """The levels of the options in `position` only, renumbered by it."""
        def remap(terms: Terms) -> Terms:
            pairs = [(position[s], v) for s, v in zip(*terms, strict=True) if s in position]
            return [s for s, _ in pairs], [v for _, v in pairs]

        return Levels({k: remap(v) for k, v in self.staffed_delta.items()},
                      {k: remap(v) for k, v in self.resting_delta.items()},
                      {k: remap(v) for k, v in self.staffed_anchor.items()},
                      {k: remap(v) for k, v in self.resting_anchor.items()}, self.whole)


def shift_levels(options: Sequence[ShiftOption], interval_seconds: float, intervals: int,
                 weekday_days: dict[str, list[int]]) -> Levels:
    """The level terms of every option, worked on each horizon day of its weekday."""
    grid = _Grid(interval_seconds, intervals)
    staffed, resting = _LevelTerms(), _LevelTerms()
    for s, option in enumerate(options):
        for day in weekday_days[option.weekday]:
            login = day * DAY + option.start
            staffed.add(grid, option.group, s, login, login + option.length)
            for offset, duration, _ in option.breaks:
                resting.add(grid, option.group, s, login + offset, login + offset + duration)
    whole = {o.group for o in options} - staffed.fractional - resting.fractional
    return Levels(staffed.deltas(), resting.deltas(), staffed.anchors(), resting.anchors(),
                  frozenset(whole))


@dataclass(frozen=True)
class _Grid:
    """The cyclic interval grid: where a moment falls, and how much of interval 0 a span
    covers."""

    width: float
    count: int

    def split(self, moment: float) -> tuple[int, float]:
        """The interval containing a moment and the share of it already past."""
        position = round(moment / self.width, 9) % self.count
        index = int(position)
        return index, position - index

    def first_overlap(self, begin: float, end: float) -> float:
        """Share of interval 0 within [begin, end), counting the span's wrap-around."""
        cycle = self.width * self.count
        start = begin % cycle
        stop = start + (end - begin)
        return sum(max(0.0, min(stop, k * cycle + self.width) - max(start, k * cycle))
                   for k in (0, 1, 2)) / self.width


class _LevelTerms:
    """Accumulates, per (group, interval), each option's coefficient in the level change."""

    def __init__(self) -> None:
        self.delta: dict[GroupInterval, dict[int, float]] = defaultdict(dict)
        self.anchor: dict[str, dict[int, float]] = defaultdict(dict)
        self.fractional: set[str] = set()

    def add(self, grid: _Grid, group: str, option: int, begin: float, end: float) -> None:
        """Agents of `option` present during [begin, end)."""
        for moment, sign in ((begin, 1.0), (end, -1.0)):
            index, past = grid.split(moment)
            if 1e-9 < past < 1 - 1e-9:
                self.fractional.add(group)
            self._bump(self.delta[(group, index)], option, sign * (1 - past))
            if past > 1e-12:
                self._bump(self.delta[(group, (index + 1) % grid.count)], option, sign * past)
        share = grid.first_overlap(begin, end)
        if share > 1e-12:
            self._bump(self.anchor[group], option, share)

    @staticmethod
    def _bump(terms: dict[int, float], option: int, value: float) -> None:
        terms[option] = terms.get(option, 0.0) + value

    def deltas(self) -> dict[GroupInterval, Terms]:
        return {key: _terms(terms) for key, terms in self.delta.items()}

    def anchors(self) -> dict[str, Terms]:
        return {key: _terms(terms) for key, terms in self.anchor.items()}


def _terms(terms: dict[int, float]) -> Terms:
    kept = [(s, v) for s, v in terms.items() if abs(v) > 1e-12]
    return [s for s, _ in kept], [v for _, v in kept]
