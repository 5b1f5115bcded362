"""The trim: once every SLA holds in simulation, agent-shifts are taken away while every SLA
still holds, judged by the same rule on the same replications (common random numbers), until
none can go without a miss (the pass is complete) or the simulations allowed run out.

Candidates are tried dearest first. A removal is kept only where the schedule without it meets
every SLA on the judging replications and then also on fresh ones (another seed, `TwoSamples`):
removals chosen on one set of replications alone fit its noise. Whichever sample refused the
last refused try is simulated first: near the edge the fresh one refuses in long runs, and a
try it refuses then costs one simulation instead of two. So every schedule the trim keeps
passed on both, and the trim ends where no single agent-shift can go without a miss on one of
them. The schedule it starts from passed the judging replications and is judged on the fresh
ones first: a period it misses there already (a day at the edge of its target, which the
fresh sample tips over) would refuse every try, since fewer staff never serves better. Such a
period is *excused* on the fresh sample (a try passes there when it misses nothing else), and
the candidates whose shifts touch it (`RemovalReach.of`) are kept out of the trim: no removal
on a day the fresh sample already finds short. (Not those before it too, as a backlog could carry a
removal's effect there: in a center of one part, such as omni-channel agents on every channel,
a miss on Friday would keep the whole week; every try is still judged on that day by the
judging replications.)

One simulation judges several removals (a batch) when their verdicts cannot be confused:
per-day judging, candidates on days no other candidate's shift touches; and where the center
falls into parts that share no group and no escalation (`parts.center_parts`: e.g. a phone team
and a back office), candidates of different parts on the same day. A batch that misses somewhere
refuses the candidates whose own periods missed and holds the others for the next batch, whose
free periods take the next candidates: nothing is judged twice alone, and a schedule is kept
only when a whole batch passes on both samples. A missed period no candidate of the batch
touches (a backlog carried into a day nobody works, or a day tipped over on the fresh sample)
was moved by a removal before it in time, since a removal cannot move what came before it:
those candidates are halved, the first half held alone, until one is left and refused (group
testing). A candidate refused is not tried again while the removals it was judged beside that
could have moved its missed days from before them stand: taking more staff away only makes its
removal harder. But where one of those was not kept (refused or held back itself), the refusal
may have been its doing: when the queue is empty, such refusals are tried again, one agent
each, in batches with nothing before them (unless a schedule that already missed has at least
the agents the try would leave: more staff never serves worse). Where staff can go, it goes
faster: each time an option's removal is kept, its next try takes twice as many of its agents,
and a refused try of several agents is tried again with one, so the pass is complete only
where no single agent-shift can go.
"""

from __future__ import annotations

from collections.abc import Callable
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
    whether every remaining candidate was tried and refused (`complete`), tries the fresh
    replications refused, and the shift options left untried when it stopped."""

    removed: int
    cost_before: float
    cost_after: float
    evaluations: int
    complete: bool
    refused_afresh: int = 0
    untried: int = 0
    #: Periods the starting schedule itself did not clearly meet (missed, or unclear at the
    #: most replications) on the fresh replications, e.g. "chat on day 2", and the shift
    #: options kept for them (those working those days).
    missed_afresh: tuple[str, ...] = ()
    kept_for_them: int = 0
    #: What `kept_for_them` counts: agent-shift options, or (the people trim) tours.
    kept_unit: str = "shift options"
    #: People taken away (the people trim; None for agent-shift schedules).
    people_removed: int | None = None

    def describe(self, currency: str) -> str:
        left = f" ({self.untried} shift options untried)" if self.untried else ""
        other = " other" if self.kept_for_them else ""
        unit = "person" if self.kept_unit == "tours" else "agent-shift"  # the people trim's
        people = "" if self.people_removed is None else \
            f"{self.people_removed} {'person' if self.people_removed == 1 else 'people'}, "
        ending = (f"every{other} remaining {unit} was tried in {self.evaluations} "
                  "simulations: taking any one away misses an SLA") if self.complete else (
            f"stopped after {self.evaluations} simulations, at its budget, before trying every "
            f"{unit}{left}")
        back = (f"; {self.refused_afresh} tries missed on fresh replications and were refused"
                if self.refused_afresh else "")
        days = {name.rsplit(" on ", 1)[-1] for name in self.missed_afresh}
        start = (f"; on fresh replications the schedule itself did not clearly meet "
                 f"{', '.join(self.missed_afresh)}, so the {self.kept_for_them} {self.kept_unit} "
                 f"working {'that day' if len(days) == 1 else 'those days'} were kept"
                 if self.missed_afresh else "")
        return (f"trim removed {people}{self.removed} agent-shifts ({currency} "
                f"{self.cost_before - self.cost_after:,.0f}); {ending}{back}{start}")


def trim(data: ScheduleData, agents: Agents, evaluation: Evaluation, judge: Judge,
         max_evaluations: int, floor: list[int] | None = None, verify: Judge | None = None,
         parts: dict[str, int] | None = None) -> tuple[Agents, Evaluation, TrimReport]:
    """The schedule with every agent-shift the SLAs can spare taken away (never below `floor`,
    the kept staffing's agents per option), its evaluation (on the judging replications) and
    what the trim did. `judge` simulates a schedule (agents per option) by a fixed rule;
    `verify`, by the same rule on fresh replications, must pass too (`TwoSamples`). `parts`
    numbers each channel's part of the center (`parts.center_parts`); without it the center is one
    part. `max_evaluations` bounds the simulations, fresh ones included."""
    floor = floor or [0] * len(agents)
    reach = RemovalReach(data, evaluation.period, parts or {})
    judges = TwoSamples(judge, verify, reach)
    missed_afresh, kept = judges.excuse(agents, max_evaluations), 0
    if judges.excused:
        held = {s for s, a in enumerate(agents) if a > floor[s] and reach.of(s) & judges.excused}
        floor, kept = [agents[s] if s in held else f for s, f in enumerate(floor)], len(held)
    current, best, untried = _removed(data, agents, evaluation, judges, max_evaluations,
                                      floor, reach)
    report = TrimReport(_shifts(data, agents) - _shifts(data, current), _cost(data, agents),
                        _cost(data, current), judges.simulations, not untried,
                        judges.refused_afresh, len(untried), missed_afresh, kept)
    return current, best, report


class TwoSamples:
    """A judge that passes a schedule only where it meets every SLA on the judging replications
    and on fresh ones (`verify`, when given), but for the periods `excuse` found the starting
    schedule to miss on the fresh ones: what it returns is the judging evaluation when both
    pass, else the evaluation that missed (its missed periods, less the excused, say which
    removals to blame). The sample that refused the last refused try is simulated first (the
    judging one until a try is refused), so where the fresh replications are the tighter, a
    try they refuse costs one simulation, not two; a schedule is passed only by both either
    way. It counts the simulations run and the tries the fresh replications refused."""

    def __init__(self, judge: Judge, verify: Judge | None = None,
                 reach: RemovalReach | None = None) -> None:
        self.judge, self.verify, self.reach = judge, verify, reach
        self.simulations = self.refused_afresh = 0
        self.fresh_first = False  # the fresh replications refused the last refused try
        self.excused: Reach = set()

    def excuse(self, start: Agents, most: int) -> tuple[str, ...]:
        """Judge the starting schedule on the fresh replications (one simulation, where there
        is room for it and a try) and excuse the periods it misses there; their names."""
        if self.verify is None or self.reach is None or not self.room(most - 1):
            return ()
        fresh = self.verify(start)
        self.simulations += 1
        if fresh.all_met:
            return ()
        self.excused = self.reach.missed(fresh) or self.reach.everywhere()
        rows = fresh.periods[fresh.periods["verdict"] != "met"]
        named = [f"{c} on day {int(p) + 1}" if fresh.period == "day" else c
                 for c, p in zip(rows["channel"], rows["period"], strict=True)]
        caps = fresh.caps[fresh.caps["verdict"] != "held"]
        per_day = self.reach.data.intervals_per_day
        over = sorted({(g, int(t) // per_day) for g, t in zip(caps["group"], caps["interval"],
                                                             strict=True)})
        return (*named, *(f"{g}'s occupancy cap on day {d + 1}" for g, d in over)
                ) or ("an SLA",)

    def passes(self, evaluation: Evaluation, fresh: bool) -> bool:
        """Whether a sample's evaluation passes: every SLA met, or on the fresh sample every
        miss excused."""
        if evaluation.all_met:
            return True
        if not fresh or not self.excused or self.reach is None:
            return False
        missed = self.reach.missed(evaluation)
        return bool(missed) and missed <= self.excused

    def room(self, most: int) -> bool:
        """Whether another try (one simulation, and the other sample's it may need) fits in
        `most` simulations."""
        return self.simulations + (1 if self.verify is None else 2) <= most

    def __call__(self, agents: Agents) -> Evaluation:
        if self.verify is None:
            self.simulations += 1
            return self.judge(agents)
        fresh_first = self.fresh_first
        first, second = (self.verify, self.judge) if fresh_first else (self.judge, self.verify)
        one = first(agents)
        self.simulations += 1
        if self.passes(one, fresh_first):
            other = second(agents)
            self.simulations += 1
            if self.passes(other, not fresh_first):
                return other if fresh_first else one
            one, fresh_first = other, not fresh_first
        self.fresh_first = fresh_first
        self.refused_afresh += fresh_first
        return one


@dataclass
class _Refusal:
    """A candidate refused, and what it was judged beside: the agents each other removal of
    its batch that could move its missed periods from before them (`RemovalReach.before`) had in
    the schedule that missed."""

    beside: dict[int, int]


def _removed(data: ScheduleData, agents: Agents, evaluation: Evaluation, judge: TwoSamples,
             max_evaluations: int, floor: list[int], reach: RemovalReach
             ) -> tuple[Agents, Evaluation, list[int]]:
    """The schedule left after the removals, its evaluation, and the candidates not yet tried
    and refused when the simulations ran out (none: the pass is complete)."""
    current, best = tuple(agents), evaluation
    queue = _candidates(data, agents, floor)
    steps: dict[int, int] = {}
    held: list[int] = []  # passed their own periods in the last simulation, not yet kept
    narrowing = False  # the next batch is `held` alone: a miss no candidate reaches is traced
    traced = [1, 2]  # narrowed batches that passed and that were judged (a prior of one in two)
    refusals: dict[int, _Refusal] = {}
    missed: list[Agents] = []  # schedules that missed: anything they dominate misses too
    alone: set[int] = set()  # tried again: judged with nothing before them in their batch

    def taken(batch: list[int]) -> list[int]:
        """The agents a batch takes away: each option's step, within its floor."""
        return [s for s in batch for _ in range(min(steps.get(s, 1), current[s] - floor[s]))]

    while True:
        if not queue:
            queue = _stale(data, refusals, current, floor, missed)
            alone |= set(queue)
            steps.update({s: 1 for s in queue})
            for s in queue:
                del refusals[s]
        if not queue or not judge.room(max_evaluations):
            break
        batch = held if narrowing else _batch(reach, [*held, *(s for s in queue
                                                              if s not in held)], alone)
        schedule = _less(current, taken(batch))
        judged = judge(schedule)
        if narrowing:
            traced = [traced[0] + judged.all_met, traced[1] + 1]
        if judged.all_met:
            current, best = schedule, judged
            steps.update({s: 2 * steps.get(s, 1) for s in batch})
            held, narrowing = [], False
            queue = _dearest_first(data, [*(s for s in queue if s not in batch),
                                          *(s for s in batch if current[s] > floor[s])])
            continue
        missed.append(schedule)
        blamed, held, narrowing = _verdicts(reach, batch, judged, traced[0] / traced[1],
                                            judge.excused)
        for s, periods in blamed.items():
            refusals[s] = _Refusal({t: schedule[t] for t in batch
                                    if t != s and reach.before(t, periods)})
        # A refused try of several agents is tried again with one.
        retry = [s for s in blamed if min(steps.get(s, 1), current[s] - floor[s]) > 1]
        steps.update({s: 1 for s in retry})
        for s in retry:
            refusals.pop(s)
        queue = [s for s in queue if s not in blamed or s in retry]
    return current, best, queue


def _stale(data: ScheduleData, refusals: dict[int, _Refusal], current: Agents,
           floor: list[int], missed: list[Agents]) -> list[int]:
    """The refusals to try again, dearest first: those judged beside a removal that was not
    kept (its option has more agents now than in the schedule that missed, so the refusal may
    have been its doing), unless a schedule that already missed has at least the agents of
    the schedule without the candidate (then it misses too: more staff never serves worse)."""
    def dominated(s: int) -> bool:
        fewer = _less(current, [s])
        return any(all(m >= f for m, f in zip(schedule, fewer, strict=True))
                   for schedule in missed)

    return _dearest_first(data, [
        s for s, refusal in refusals.items()
        if current[s] > floor[s] and any(current[t] > a for t, a in refusal.beside.items())
        and not dominated(s)])


def _verdicts(reach: RemovalReach, batch: list[int], judged: Evaluation, share: float,
              excused: Reach = frozenset()) -> tuple[dict[int, Reach], list[int], bool]:
    """A batch that missed somewhere: the candidates refused (those reaching a missed period),
    each with the missed periods it is blamed for, those held for the next batch, and whether
    that batch is the held ones alone. A missed period no candidate reaches was moved by one
    that came before it in time: the candidates that may have (`RemovalReach.before`) are narrowed,
    the first ones held, until one alone is left and refused. The `share` held is the share of
    narrowed batches that passed so far: half at first, fewer where most candidates turn out
    to tip the period over (then one at a time). Excused periods blame nothing; a miss that
    names no other period refuses the whole batch, so that no batch is ever judged twice."""
    failed = (reach.missed(judged) - excused) or set().union(*map(reach.of, batch))
    refused = {s: reach.of(s) & failed for s in batch if reach.of(s) & failed}
    rest = [s for s in batch if s not in refused]
    unexplained = failed - set().union(*refused.values())
    if not unexplained:
        return refused, rest, False
    suspects = [s for s in rest if reach.before(s, unexplained)]
    if len(suspects) <= 1:  # the one that came before (or none: the whole batch) is refused
        culprits = suspects or rest
        refused |= {s: unexplained for s in culprits}
        return refused, [s for s in rest if s not in culprits], False
    cleared = suspects[max(1, int(len(suspects) * share)):]
    return refused, [s for s in rest if s not in cleared], True


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


class RemovalReach:
    """Which verdicts a candidate's removal moves: its group's part of the center on each day
    its shifts touch (per-day judging), or over the horizon (period 0)."""

    def __init__(self, data: ScheduleData, period: str, parts: dict[str, int]) -> None:
        self.data, self.by_day, self.parts = data, period == "day", parts
        self.group_part = {g: parts.get(c, 0) for g, c in data.skills}

    def of(self, option: int) -> Reach:
        part = self.group_part.get(self.data.options[option].group, 0)
        days = self.data.days_touched(option) if self.by_day else {0}
        return {(part, d) for d in days}

    def before(self, option: int, periods: Reach) -> bool:
        """Whether an option's removal can move one of `periods` of its part: its first shift
        starts before that period ends (a removal cannot move what came before it)."""
        part = self.group_part.get(self.data.options[option].group, 0)
        first = min(self.data.days_touched(option), default=0) if self.by_day else 0
        return any(p == part and first <= d for p, d in periods)

    def everywhere(self) -> Reach:
        """Every period of every part."""
        days = self.data.intervals // self.data.intervals_per_day if self.by_day else 1
        parts = {*self.parts.values(), *self.group_part.values()}
        return {(p, d) for p in parts for d in range(days)}

    def missed(self, judged: Evaluation) -> Reach:
        """The periods a judged schedule missed: its SLAs' missed periods, and the periods
        (of the group's part) of the intervals in which a capped group was not clearly within
        its cap."""
        rows = judged.periods[judged.periods["verdict"] != "met"]
        caps = judged.caps[judged.caps["verdict"] != "held"]
        per_day = self.data.intervals_per_day
        return ({(self.parts.get(c, 0), int(p))
                 for c, p in zip(rows["channel"], rows["period"], strict=True)}
                | {(self.group_part.get(g, 0), int(t) // per_day if self.by_day else 0)
                   for g, t in zip(caps["group"], caps["interval"], strict=True)})


def _batch(reach: RemovalReach, queue: list[int], alone: set[int] = frozenset()) -> list[int]:
    """The first candidate and, in queue order, each later one whose reach meets none already
    taken; a candidate tried again (`alone`) shares its batch with no removal that could move
    its periods from before them."""
    taken: Reach = set()
    batch: list[int] = []
    for s in queue:
        touched = reach.of(s)
        if touched & taken or any(
                (s in alone and reach.before(t, touched))
                or (t in alone and reach.before(s, reach.of(t))) for t in batch):
            continue
        batch.append(s)
        taken |= touched
    return batch
