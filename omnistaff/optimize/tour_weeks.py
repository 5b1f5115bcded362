"""A rotation of identical weeks, solved from its week.

On a horizon of several weeks whose every week is the same (requirements, deferred work and
its windows, pay: no public holiday premium), the agent-shift options repeat every week, so
each week has the same agents on each shift and day, and a rotation differs from a week only
in how people move between days-off patterns from one week to the next. The week then stands
for the rotation as a *stationary circulation*: per line, people on each move of the
contract's rules (a pattern this week, one the next; with `weekend_off_every`, the weeks
since the last weekend off too), the same people on each move every week, the moves flowing
into a node as many as out of it. Two facts let it stand for the rotation:

- **a bound**: any schedule of the rotation, its weeks averaged (people per line and move
  over the weeks; the agents are the same every week), is a solution of that week's LP
  relaxation at the rotation's cost divided by its weeks (each week's people moving into a
  node are the next week's moving out of it, so the averages are a circulation, and each
  week's people on a pattern work the same days as the week's); so the weeks times the
  week's LP bound bound the rotation;
- **a schedule**: a whole schedule of the week, its people on each move in every week, is a
  schedule of the rotation at the weeks times its cost: each week's flow in is the next
  week's flow out, and every person's weeks follow moves of the rules, so they keep the rules
  across weeks (the runs of working days over a week's end, the weekend off in every N
  weeks); the roster takes the circulation apart into rotations of people (`roster_out`).

Where every pattern may be held (each node with a move has its move to itself: no weekend
rule), the week keeps only those moves, each person repeating their week: a circulation's
people per pattern, each holding it, work the same days at the same cost, so this loses
nothing and keeps the week as small as a one-week horizon. Otherwise it keeps every move that
lies on a cycle of the rules (no circulation uses another).

`repeating_week` gives the week's data when the weeks are all the same; `rotation_schedule`
turns the week's schedule into the rotation's. The gap of the rotation is then the week's
schedule against the week's LP bound, and its work is a week's, not the weeks' (whose LP
alone is several times the week's).
"""

from __future__ import annotations

from dataclasses import replace

import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.levels import shift_levels
from omnistaff.optimize.tours import Rules, TourData

#: Relative tolerance of "the same" between weeks.
SAME = 1e-9


def repeating_week(data: ScheduleData) -> ScheduleData | None:
    """The data of one week of a tour model whose weeks are all the same, its people a
    stationary circulation through the contracts' moves (None: not a rotation of several
    weeks, the weeks differ, or the model has no tours)."""
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
    rules = {name: _held(r) or _cycling(r) for name, r in tours.rules.items()}
    options = data.options
    week_tours = _week_tours(tours, rules)
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


def _cycling(rules: Rules) -> Rules:
    """A contract's rules with only the moves that lie on a cycle (from whose next node the
    move's own node can be reached again): a circulation's people are on no other."""
    after: dict[int, set[int]] = {}
    for a, b in rules.moves:
        after.setdefault(a, set()).add(b)
    return Rules(rules.patterns, rules.nodes,
                 [(a, b) for a, b in rules.moves if a in _reachable(after, b)])


def _reachable(after: dict[int, set[int]], node: int) -> set[int]:
    """The nodes reached from `node` by one move or more, or by none."""
    seen, frontier = {node}, [node]
    while frontier:
        for b in after.get(frontier.pop(), ()):
            if b not in seen:
                seen.add(b)
                frontier.append(b)
    return seen


def _week_tours(tours: TourData, rules: dict[str, Rules]) -> TourData:
    """The week's tour block: the week-0 variables of each line's moves kept in `rules`."""
    rota, cost = [], []
    index = {name: {move: m for m, move in enumerate(r.moves)} for name, r in rules.items()}
    for (line, week, move), c in zip(tours.rota, tours.cost, strict=True):
        contract = tours.lines[line].contract
        kept = index[contract].get(tours.rules[contract].moves[move])
        if week == 0 and kept is not None:
            rota.append((line, 0, kept))
            cost.append(c)
    return replace(tours, weeks=1, rules=rules, rota=rota, cost=cost,
                   positions=list(range(len(rota))))


def rotation_schedule(data: ScheduleData, week: ScheduleData,
                      agents: tuple[int, ...]) -> tuple[int, ...]:
    """The rotation's schedule (agents per option, then people per rota variable) of a
    schedule of its `repeating_week`: the same agents, and in every week the week's people on
    each line and move."""
    tours, stationary = data.tours, week.tours
    assert tours is not None and stationary is not None
    options = len(data.options)
    people: dict[tuple[int, tuple[int, int]], int] = {}  # (line, move) -> people on it
    for (line, _, move), count in zip(stationary.rota, agents[options:], strict=True):
        moves = stationary.rules[stationary.lines[line].contract].moves
        people[(line, moves[move])] = count
    rota = [people.get((line, tours.rules[tours.lines[line].contract].moves[move]), 0)
            for line, _, move in tours.rota]
    return tuple(agents[:options]) + tuple(rota)


#: Variables of a schedule model indexed by interval last (the week's at the interval modulo
#: the week's length), and those indexed by day last (the week's at the day modulo 7).
BY_INTERVAL = ("staffed", "resting", "allocated", "backlog", "late", "late_waiting",
               "coverage_gap", "staff_gap", "late_work", "headcount_gap")
BY_DAY = ("takes",)


def repeat_week(model: pyo.ConcreteModel, week_model: pyo.ConcreteModel,
                schedule: tuple[int, ...]) -> bool:
    """Load a rotation's `schedule` (from `rotation_schedule`) into its model with every other
    variable at the value of the solved week model's at the same time of the week: the week's
    solution every week, which meets every row of the rotation as the week's meets the
    week's (the rows are the same every week and both horizons wrap). False, with nothing
    loaded, when the model has a variable this does not know how to repeat."""
    known = {"agents", "rota", *BY_INTERVAL, *BY_DAY, "budget_gap", "part_time_gap"}
    if any(v.local_name not in known for v in model.component_objects(pyo.Var)):
        return False
    length = week_model.schedule_data.intervals
    counts = list(schedule)
    fixed = [*model.agents.values(), *(model.rota.values() if hasattr(model, "rota") else ())]
    for var, count in zip(fixed, counts, strict=True):
        var.set_value(count)
    for name, period in [*((n, length) for n in BY_INTERVAL), *((n, 7) for n in BY_DAY)]:
        if not hasattr(model, name):
            continue
        source = getattr(week_model, name)
        for index, var in getattr(model, name).items():
            if not var.fixed:
                var.set_value(source[(*index[:-1], index[-1] % period)].value)
    weeks = model.schedule_data.intervals // length
    for name in ("budget_gap", "part_time_gap"):  # a limit over the horizon: the weeks'
        if not getattr(model, name).fixed:
            getattr(model, name).set_value(weeks * (getattr(week_model, name).value or 0.0))
    return True
