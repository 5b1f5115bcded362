"""Whole agents that several live channels need together: a valid cut that tightens the LP.

Where the groups serving a set of live channels C are only ever on queue in whole agents
(`Levels.whole`), their agents on queue in an interval are a whole number, and all of C's
requirements must fit in them. One agent is worth at most `best` reference agents on any of
C's channels (efficiency times availability), so

    sum over groups G(C) serving C of agents on queue  >=  ceil(sum over C of required / best).

Each channel's own floor (`data.least_agents`) is the case of one channel. Together they are
often stronger: on 8 channels served by 6 overlapping groups, two channels each needing 3.4
agents' worth need 7 agents together, not 4 + 4 from their own floors shared by the same
groups. HiGHS's cuts do not find these; on that case they raised the LP bound from USD 53,964
to 54,551 (1.1%), most of the gap the MIP could not close by branching.

Only sets whose groups are connected through the channels are taken (a set falling into parts
that share no group is implied by the parts' cuts), at most `MAX_SET` channels each, and a cut
is kept only where it asks more than every channel's own floor and more than any smaller set
with the same groups.
"""

from __future__ import annotations

import math
from itertools import combinations

from omnistaff.optimize.data import ScheduleData

#: Most channels in one set: the sets of an interval grow as 2 to the number of live channels.
MAX_SET = 6
#: Relative tolerance when rounding a requirement up to whole agents.
ROUNDING = 1e-6

JointFloor = tuple[tuple[str, ...], int]  # (groups, interval)


def joint_floors(data: ScheduleData) -> dict[JointFloor, int]:
    """Per (groups serving a set of live channels, interval): the whole agents on queue those
    groups need together, where that is more than each channel's own floor."""
    by_interval: dict[int, list[str]] = {}
    for c, t in data.required:
        by_interval.setdefault(t, []).append(c)
    serving = {c: frozenset(data.skilled(c)) for c in data.live}
    floors: dict[JointFloor, int] = {}
    for t, channels in by_interval.items():
        channels = sorted(c for c in channels if serving[c] and serving[c] <= data.levels.whole)
        for size in range(2, min(len(channels), MAX_SET) + 1):
            for chosen in combinations(channels, size):
                if not _connected([serving[c] for c in chosen]):
                    continue
                groups = tuple(sorted(frozenset().union(*(serving[c] for c in chosen))))
                need = _need(data, chosen, groups, t)
                own = max(data.least_agents.get((c, t), 0) for c in chosen)
                if need > own and need > floors.get((groups, t), 0):
                    floors[(groups, t)] = need
    return floors


def _need(data: ScheduleData, channels: tuple[str, ...], groups: tuple[str, ...],
          interval: int) -> int:
    """Whole agents on queue the channels' requirements need from the groups together."""
    best = max(data.efficiency[(g, c)] * data.availability[g] for c in channels
               for g in groups if (g, c) in data.efficiency)
    required = sum(data.required[(c, interval)] for c in channels)
    return math.ceil(required / best - ROUNDING)


def _connected(sets: list[frozenset[str]]) -> bool:
    """Whether the channels' group sets form one piece, joined by groups they share."""
    reached, rest = set(sets[0]), list(sets[1:])
    while rest:
        joined = next((s for s in rest if s & reached), None)
        if joined is None:
            return False
        reached |= joined
        rest.remove(joined)
    return True
