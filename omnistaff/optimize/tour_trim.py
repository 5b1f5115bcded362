"""The trim of a plan in people: once every SLA holds in simulation, whole people are taken
away, dearest first, while every SLA still holds on the same replications and on fresh ones
(`trim.TwoSamples`). As there, the plan it starts from is judged on the fresh replications
first; a day it misses there is excused on them, and the people working that day are kept.

A person is taken away with their agent-shifts: on each of their working days, one agent of
their shift (the break placement with the most agents). On a horizon of one week a person
repeats their week, so this is one unit of their line's days-off pattern; on a rotation of
several weeks a person's weeks differ while agent-shift options repeat every week, so a
rotation is not trimmed (`TrimReport.complete` is then false and nothing is removed).
"""

from __future__ import annotations

from collections.abc import Callable

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.evaluate import Evaluation
from omnistaff.optimize.roster_out import build_roster
from omnistaff.optimize.trim import Reach, RemovalReach, TrimReport, TwoSamples

Schedule = tuple[int, ...]
Judge = Callable[[Schedule], Evaluation]


def trim_people(data: ScheduleData, schedule: Schedule, evaluation: Evaluation, judge: Judge,
                max_evaluations: int, floor: list[int], verify: Judge | None = None
                ) -> tuple[Schedule, Evaluation, TrimReport]:
    """The plan with every person the SLAs can spare taken away (never an agent-shift below
    `floor`), its evaluation and what the trim did (`removed` counts agent-shifts, `people_removed`
    people)."""
    tours = data.tours
    if tours is None or tours.weeks != 1:
        cost = _cost(data, schedule)
        return schedule, evaluation, TrimReport(0, cost, cost, 0, False, kept_unit="tours",
                                                people_removed=0)
    reach = RemovalReach(data, evaluation.period, {})
    judges = TwoSamples(judge, verify, reach)
    missed_afresh = judges.excuse(schedule, max_evaluations)
    current, best = schedule, evaluation
    queue = _dearest_first(data, current)
    kept = [r for r in queue if _days(data, r, reach) & judges.excused]
    queue = [r for r in queue if r not in kept]
    while queue and judges.room(max_evaluations):
        rota = queue.pop(0)
        fewer = _without(data, current, rota, floor)
        if fewer is None:
            continue
        judged = judges(fewer)
        if judged.all_met:
            current, best = fewer, judged
            if current[len(data.options) + rota] > 0:
                queue = _dearest_first(data, current, [*queue, rota])
    tours_from = len(data.options)  # a schedule's agents per option, then its people per tour
    report = TrimReport(_shifts(data, schedule) - _shifts(data, current),
                        _cost(data, schedule), _cost(data, current), judges.simulations, not queue,
                        judges.refused_afresh, 0, missed_afresh, len(kept), "tours",
                        sum(schedule[tours_from:]) - sum(current[tours_from:]))
    return current, best, report


def _days(data: ScheduleData, rota: int, reach: RemovalReach) -> Reach:
    """The periods a person of a rota variable works: those of their shift's options on
    each of their working days."""
    tours = data.tours
    assert tours is not None
    keys = set(tours.lines[tours.rota[rota][0]].shift_keys())
    weekdays = {tours.weekdays[d] for d in range(7) if tours.works(rota, d)}
    return set().union(*(reach.of(s) for s, o in enumerate(data.options)
                         if o.weekday in weekdays and (o.group, o.start, o.length) in keys))


def _dearest_first(data: ScheduleData, schedule: Schedule,
                   among: list[int] | None = None) -> list[int]:
    """Rota variables with people, dearest person first (then by number)."""
    people = schedule[len(data.options):]
    chosen = [r for r in (among if among is not None else range(len(people))) if people[r] > 0]
    return sorted(set(chosen), key=lambda r: (-_person_cost(data, r), r))


def _person_cost(data: ScheduleData, rota: int) -> float:
    """One person's weekly paid cost on a rota variable: their shift's cost each working day."""
    tours = data.tours
    assert tours is not None
    line = tours.lines[tours.rota[rota][0]]
    days = sum(tours.works(rota, d) for d in range(7))
    per_day = [c / max(n, 1) for o, c, n in zip(data.options, data.cost, data.occurrences,
                                                strict=True)
               if (o.group, o.start, o.length) in line.shift_keys()]
    return days * (max(per_day) if per_day else 0.0) + tours.cost[rota]


def _without(data: ScheduleData, schedule: Schedule, rota: int, floor: list[int]
             ) -> Schedule | None:
    """The plan with one person fewer on a rota variable and one agent-shift fewer of their
    shift on each of their working days (None where the floor forbids it). On a band line,
    the agent-shift taken is one at a start of the band that leaves every other person of a
    band a start of theirs."""
    tours = data.tours
    assert tours is not None
    counts = list(schedule)
    line = tours.lines[tours.rota[rota][0]]
    keys = set(line.shift_keys())
    counts[len(data.options) + rota] -= 1
    for d in (d for d in range(7) if tours.works(rota, d)):
        weekday = tours.weekdays[d]
        options = sorted((s for s, o in enumerate(data.options) if o.weekday == weekday
                          and (o.group, o.start, o.length) in keys and counts[s] > floor[s]),
                         key=lambda s: (-counts[s], s))
        for s in options:
            counts[s] -= 1
            if not line.band or _matched(data, counts):
                break
            counts[s] += 1
        else:
            return None
    return tuple(counts)


def _matched(data: ScheduleData, counts: list[int]) -> bool:
    """Whether every person of a band line can still take a start of their band."""
    try:
        build_roster(data, tuple(counts))
    except ValueError:
        return False
    return True


def _cost(data: ScheduleData, schedule: Schedule) -> float:
    agents = sum(c * a for c, a in zip(data.cost, schedule[:len(data.options)], strict=True))
    people = schedule[len(data.options):]
    overtime = sum(c * p for c, p in zip(data.tours.cost, people, strict=True)) \
        if data.tours is not None and people else 0.0
    return agents + overtime


def _shifts(data: ScheduleData, schedule: Schedule) -> int:
    return sum(n * a for n, a in zip(data.occurrences, schedule[:len(data.options)],
                                     strict=True))
