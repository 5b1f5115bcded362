"""The trim: once every SLA holds in simulation, agent-shifts are taken away one at a time while
every SLA still holds, judged by the same rule on the same replications (common random
numbers), until none can go without a miss or the evaluations allowed run out.

Candidates are tried dearest first. A removal is kept only where the schedule without it meets
every SLA on the judging replications and then also on fresh ones (another seed, `TwoSamples`):
removals chosen on one set of replications alone fit its noise. So every schedule the trim keeps
passed on both, and the trim ends where no single agent-shift can go without a miss on one of
them.

One simulation judges several removals when their verdicts cannot be confused: per-day
judging, candidates on days no other candidate's shift touches; and where the center falls
into parts that share no group and no escalation (`center_parts`: e.g. a phone team and a back
office), candidates of different parts on the same day. Each is kept where its own verdicts
still meet every SLA; the removals kept are then judged together once more, and tried one by
one if that fails. A candidate refused is not tried again: taking more staff away elsewhere
only makes its removal harder. Where staff can go, it goes faster: each time an option's
removal is kept, its next try takes twice as many of its agents, and a refused try of several
agents is tried again with one, so the trim still ends only where no single agent-shift can
go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.evaluate import Evaluation

Agents = tuple[int, ...]
Judge = Callable[[Agents], Evaluation]
#: A candidate's reach: the (part of the center, period) pairs whose verdicts its removal moves.
Reach = set[tuple[int, int]]


@dataclass(frozen=True)
class TrimReport:
    """What the trim did: agent-shifts removed, the cost before and after, simulations run,
    and whether every remaining candidate was tried and refused (`complete`)."""

    removed: int
    cost_before: float
    cost_after: float
    evaluations: int
    complete: bool
    refused_afresh: int = 0

    def describe(self, currency: str) -> str:
        ending = "no single agent-shift can go without a miss" if self.complete else (
            f"stopped after {self.evaluations} simulations, before trying every agent-shift")
        back = (f"; {self.refused_afresh} tries that passed on the judging replications missed "
                "on fresh ones and were refused" if self.refused_afresh else "")
        return (f"trim removed {self.removed} agent-shifts ({currency} "
                f"{self.cost_before - self.cost_after:,.0f}); {ending}{back}")


def trim(data: ScheduleData, agents: Agents, evaluation: Evaluation, judge: Judge,
         max_evaluations: int, floor: list[int] | None = None, verify: Judge | None = None,
         parts: dict[str, int] | None = None) -> tuple[Agents, Evaluation, TrimReport]:
    """The schedule with every agent-shift the SLAs can spare taken away (never below `floor`,
    the kept staffing's agents per option), its evaluation (on the judging replications) and
    what the trim did. `judge` simulates a schedule (agents per option) by a fixed rule;
    `verify`, by the same rule on fresh replications, must pass too (`TwoSamples`). `parts`
    numbers each channel's part of the center (`center_parts`); without it the center is one
    part. `max_evaluations` bounds the simulations, fresh ones included."""
    floor = floor or [0] * len(agents)
    reach = _Reach(data, evaluation.period, parts or {})
    judges = TwoSamples(judge, verify)
    current, best, complete = _removed(data, agents, evaluation, judges, max_evaluations,
                                       floor, reach)
    report = TrimReport(_shifts(data, agents) - _shifts(data, current), _cost(data, agents),
                        _cost(data, current), judges.simulations, complete,
                        judges.refused_afresh)
    return current, best, report


class TwoSamples:
    """A judge that passes a schedule only where it meets every SLA on the judging replications
    and then on fresh ones (`verify`, when given): what it returns is the judging evaluation
    when both pass, else the evaluation that missed (its missed periods say which removals to
    blame). It counts the simulations run and the schedules refused on the fresh ones alone."""

    def __init__(self, judge: Judge, verify: Judge | None = None) -> None:
        self.judge, self.verify = judge, verify
        self.simulations = self.refused_afresh = 0

    def room(self, most: int) -> bool:
        """Whether another try (one simulation, and the fresh one it may need) fits in
        `most` simulations."""
        return self.simulations + (1 if self.verify is None else 2) <= most

    def __call__(self, agents: Agents) -> Evaluation:
        judged = self.judge(agents)
        self.simulations += 1
        if self.verify is None or not judged.all_met:
            return judged
        fresh = self.verify(agents)
        self.simulations += 1
        if fresh.all_met:
            return judged
        self.refused_afresh += 1
        return fresh


def _removed(data: ScheduleData, agents: Agents, evaluation: Evaluation, judge: TwoSamples,
             max_evaluations: int, floor: list[int], reach: _Reach
             ) -> tuple[Agents, Evaluation, bool]:
    """The schedule left after the removals, its evaluation, and whether every candidate was
    tried before the simulations ran out."""
    current, best = tuple(agents), evaluation
    queue = _candidates(data, agents, floor)
    alone: set[int] = set()
    steps: dict[int, int] = {}

    def taken(batch: list[int]) -> list[int]:
        """The agents a batch takes away: each option's step, within its floor."""
        return [s for s in batch for _ in range(min(steps.get(s, 1), current[s] - floor[s]))]

    while queue and judge.room(max_evaluations):
        together = queue[0] not in alone
        batch = _batch(reach, [s for s in queue if s not in alone]) if together else [queue[0]]
        judged = judge(_less(current, taken(batch)))
        kept = batch if judged.all_met else _spared(reach, batch, judged) if len(batch) > 1 \
            else []
        if kept and not judged.all_met:
            # Some days missed; those whose own days passed are judged again without the rest
            # (when every day missed was one no candidate touches, each is tried alone).
            if kept != batch:
                if not judge.room(max_evaluations):
                    break  # no simulation left to judge the spared ones without the rest
                judged = judge(_less(current, taken(kept)))
            if kept == batch or not judged.all_met:
                alone |= set(kept)
                queue = [s for s in queue if s not in batch or s in kept]
                continue
        # A refused try of several agents is tried again with one.
        retry = [s for s in batch if s not in kept and min(steps.get(s, 1),
                                                           current[s] - floor[s]) > 1]
        steps.update({s: 1 for s in retry})
        queue = [s for s in queue if s not in batch or s in retry]
        if kept:
            current, best = _less(current, taken(kept)), judged
            steps.update({s: 2 * steps.get(s, 1) for s in kept})
            queue = _dearest_first(data, [*queue, *(s for s in kept if current[s] > floor[s])])
    return current, best, not queue


def _less(agents: Agents, options: list[int]) -> Agents:
    """The schedule with one agent fewer for each time an option is in `options`."""
    counts = list(agents)
    for s in options:
        counts[s] -= 1
    return tuple(counts)


def _cost(data: ScheduleData, agents: Agents) -> float:
    return sum(c * a for c, a in zip(data.cost, agents, strict=True))


def _shifts(data: ScheduleData, agents: Agents) -> int:
    return sum(n * a for n, a in zip(data.occurrences, agents, strict=True))


def _candidates(data: ScheduleData, agents: Agents, floor: list[int]) -> list[int]:
    """Options with agents above their floor, dearest first (then by number)."""
    return _dearest_first(data, [s for s, a in enumerate(agents) if a > floor[s]])


def _dearest_first(data: ScheduleData, options: list[int]) -> list[int]:
    return sorted(options, key=lambda s: (-data.cost[s], s))


def center_parts(skills: Iterable[tuple[str, str]], escalations: Iterable[tuple[str, str]]
                 ) -> dict[str, int]:
    """Per channel, the number of its part of the center: channels served by a common group,
    or one escalating into the other, are in one part (so a removal in one part cannot move
    another's service level but through the random numbers)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for a, b in [(f"group:{g}", c) for g, c in skills] + list(escalations):
        parent[root(a)] = root(b)
    channels = sorted({c for _, c in skills} | {c for pair in escalations for c in pair})
    roots = sorted({root(c) for c in channels})
    return {c: roots.index(root(c)) for c in channels}


class _Reach:
    """Which verdicts a candidate's removal moves: its group's part of the center on each day
    its shifts touch (per-day judging), or over the horizon (period 0)."""

    def __init__(self, data: ScheduleData, period: str, parts: dict[str, int]) -> None:
        self.data, self.by_day, self.parts = data, period == "day", parts
        self.group_part = {g: parts.get(c, 0) for g, c in data.skills}

    def of(self, option: int) -> Reach:
        part = self.group_part.get(self.data.options[option].group, 0)
        days = self.data.days_touched(option) if self.by_day else {0}
        return {(part, d) for d in days}

    def missed(self, judged: Evaluation) -> Reach:
        rows = judged.periods[judged.periods["verdict"] != "met"]
        return {(self.parts.get(c, 0), int(p)) for c, p in zip(rows["channel"], rows["period"],
                                                                strict=True)}


def _batch(reach: _Reach, queue: list[int]) -> list[int]:
    """The first candidate and, in queue order, each later one whose reach meets none already
    taken."""
    taken: Reach = set()
    batch = []
    for s in queue:
        touched = reach.of(s)
        if not touched & taken:
            batch.append(s)
            taken |= touched
    return batch


def _spared(reach: _Reach, batch: list[int], judged: Evaluation) -> list[int]:
    """The candidates of a batch none of whose verdicts missed an SLA."""
    failed = reach.missed(judged)
    return [s for s in batch if not reach.of(s) & failed]
