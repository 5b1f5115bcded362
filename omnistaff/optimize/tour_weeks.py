"""A rotation of identical weeks, solved from its week.

On a horizon of several weeks whose every week is the same (requirements, deferred work and
its windows, pay: no public holiday premium), the agent-shift options repeat every week, so
each week has the same agents on each shift and day, and a rotation differs from a week only
in how people move between days-off patterns from one week to the next. Two facts then let the
week stand for the rotation:

- **a bound**: any schedule of the rotation, its weeks averaged (people per line and pattern
  over the weeks; the agents are the same every week), is a solution of the week's LP
  relaxation with every pattern held for the whole week, at the rotation's cost divided by its
  weeks; so the weeks times the week's LP bound bound the rotation (rules across weeks, such
  as consecutive days over a week's end, only cut the rotation further);
- **a schedule**: a schedule of that week, each person repeating their week, is a schedule of
  the rotation at the weeks times its cost, when every pattern repeated keeps the rules across
  weeks (the runs of working days over a week's end, the weekend off in every N weeks).

`repeating_week` gives the week's data when both hold (each node of a contract's rules has
its move to itself); `rotation_schedule` turns the week's schedule into the rotation's. The
gap of the rotation is then the week's schedule against the week's LP bound, and its work is
a week's, not the weeks' (whose LP alone is several times the week's).
"""

from __future__ import annotations

from dataclasses import replace

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.levels import shift_levels
from omnistaff.optimize.tours import Rules, TourData

#: Relative tolerance of "the same" between weeks.
SAME = 1e-9


def repeating_week(data: ScheduleData) -> ScheduleData | None:
    """The data of one week of a tour model whose weeks are all the same, each person
    repeating their week (None: not a rotation of several weeks, the weeks differ, a
    pattern repeated breaks a rule across weeks, or the model has no tours)."""
    tours = data.tours
    if tours is None or tours.weeks < 2 or not tours.repeats:
        return None
    weeks, length = tours.weeks, data.intervals // tours.weeks
    if length * weeks != data.intervals or length != 7 * data.intervals_per_day:
        return None
    days = {w: sorted(d % 7 for d in ds if d < 7) for w, ds in data.weekday_days.items()}
    if any(sorted(data.weekday_days[w]) != [d + 7 * k for k in range(weeks) for d in days[w]]
           for w in days):
        return None
    series = (data.required, data.work, data.allowed, data.min_agents, data.least_agents,
              data.busy_share)
    week_series = [_week(values, length, weeks) for values in series]
    allowance = _week(data.late_allowance, 7, weeks)
    window = {c: v[:length] for c, v in data.window.items()}
    if any(w is None for w in week_series) or allowance is None or any(
            list(v) != window[c] * weeks for c, v in data.window.items()) or any(
            data.expiry.get(c, 0) >= length for c in data.expiry):
        return None
    rules = {name: _held(r) for name, r in tours.rules.items()}
    if any(r is None for r in rules.values()):
        return None
    options = data.options
    week_tours = _week_tours(tours, rules)  # type: ignore[arg-type]
    required, work, allowed, least, floor, busy = week_series
    return replace(
        data, intervals=length, labels=data.labels[:length], required=required, work=work,
        allowed=allowed, min_agents=least, least_agents=floor, busy_share=busy,
        cost=[c / weeks for c in data.cost], occurrences=[n // weeks for n in data.occurrences],
        levels=shift_levels(options, data.interval_seconds, length, days), weekday_days=days,
        late_allowance=allowance, window=window,
        budget=None if data.budget is None else data.budget / weeks, tours=week_tours)


def _week(values: dict, length: int, weeks: int) -> dict | None:
    """The first week of a series keyed by (name, interval or day) over `weeks` weeks of
    `length`, None when a later week differs from it."""
    first = {k: v for k, v in values.items() if k[1] < length}
    if len(first) * weeks != len(values):
        return None
    for (name, t), v in values.items():
        same = first.get((name, t % length))
        if same is None or abs(same - v) > SAME * max(1.0, abs(v)):
            return None
    return first


def _held(rules: Rules) -> Rules | None:
    """A contract's rules with each pattern held week after week (a node's move to itself);
    None when some node that has any move has no move to itself."""
    moving = {a for a, _ in rules.moves}
    held = [(a, b) for a, b in rules.moves if a == b]
    if {a for a, _ in held} != moving:
        return None
    return Rules(rules.patterns, rules.nodes, held)


def _week_tours(tours: TourData, rules: dict[str, Rules]) -> TourData:
    """The week's tour block: the week-0 variables of each line's held patterns."""
    rota, cost = [], []
    for (line, week, move), c in zip(tours.rota, tours.cost, strict=True):
        contract = tours.lines[line].contract
        a, b = tours.rules[contract].moves[move]
        if week == 0 and a == b:
            rota.append((line, 0, rules[contract].moves.index((a, b))))
            cost.append(c)
    return replace(tours, weeks=1, rules=rules, rota=rota, cost=cost,
                   positions=list(range(len(rota))))


def rotation_schedule(data: ScheduleData, week: ScheduleData,
                      agents: tuple[int, ...]) -> tuple[int, ...]:
    """The rotation's schedule (agents per option, then people per rota variable) of a
    schedule of its `repeating_week`: the same agents, each week's people on each line and
    pattern those of the week."""
    tours, held = data.tours, week.tours
    assert tours is not None and held is not None
    options = len(data.options)
    people: dict[tuple[int, int], int] = {}  # (line, node) -> people holding it
    for (line, _, move), count in zip(held.rota, agents[options:], strict=True):
        node = held.rules[held.lines[line].contract].moves[move][0]
        people[(line, node)] = people.get((line, node), 0) + count
    rota = []
    for line, _, move in tours.rota:
        a, b = tours.rules[tours.lines[line].contract].moves[move]
        rota.append(people.get((line, a), 0) if a == b else 0)
    return tuple(agents[:options]) + tuple(rota)
