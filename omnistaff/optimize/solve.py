"""Solving a schedule model: one strategy, in order, with every step stopped by work, never by
the clock, so the same model gives the same schedule on any machine at any load.

The `restricted` strategy (the default, `solve`):

1. **relax**: the LP relaxation of the whole model gives the lower bound (raised to the next
   whole step of the objective, e.g. a quarter-hour's pay: no schedule costs in between) and
   each shift option's reduced cost;
2. **restrict**: a MIP over the options the LP uses, stopped after `max_nodes`
   branch-and-bound nodes (where it finds nothing, one over every option);
3. **widen**: up to `widenings` times while the gap is wider than asked, a MIP over twice as
   many options, the next ones by reduced cost. Once a MIP holds every option whose reduced
   cost is within the gap (less a step), its bound holds for the whole model (reduced-cost
   fixing: a schedule using any other option costs more than the one in hand);
4. **prove**: still wider than asked, a MIP over every option within `max_nodes`: its bound
   (the LP's raised by HiGHS's cuts and branching) holds for the whole model.

Each MIP after the first starts from the best schedule so far (a MIP start), so a wider MIP
stopped by its node limit returns that schedule or a cheaper one. The `direct` strategy is one
MIP over every option, for comparison.

Where the model falls into independent parts (parts of the center that share no channel, and
within one, days no shift spans with nothing carried or limited across them: `parts.py`), each
part goes through steps 1 and 2 on its own model, then steps 3 and 4 only while the whole is
wider than the gap, part by part (`_apart`); the schedules and bounds are added up.

The clock (`time_limit`) is only a safety net: a solve that hits it stops where it is and says
so (`SolveReport.timed_out`), since its schedule then depends on the machine. The gap reported
is always against a bound proven for the whole model.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from typing import Literal

import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.model import build_model
from omnistaff.optimize.parts import Part, independent_parts, restricted_part
from omnistaff.optimize.runner import Outcome, check_solver, run
from omnistaff.optimize.tour_search import (
    group_costs,
    other_lengths,
    outside_floor,
    restricted_gap,
    whole_lines,
)
from omnistaff.optimize.tour_weeks import repeat_week, repeating_week, rotation_schedule
from omnistaff.optimize.tours import people_of, people_start

Agents = tuple[int, ...]
Strategy = Literal["restricted", "direct"]

#: Options the LP leaves at zero whose reduced cost is within this of the gap are kept.
RC_TOLERANCE = 1e-6
#: Relative tolerance of a bound's whole steps of the objective.
STEP_TOLERANCE = 1e-6
#: Each widening adds at least this many options.
WIDEN_MIN = 200
#: Agents the LP puts on an option for it to count as used.
USED = 1e-6


@dataclass(frozen=True)
class SolveSettings:
    """How a schedule model is solved: the solver, the gap asked, the work each MIP may do
    (branch-and-bound nodes) and how many times the options may widen, the strategy, the
    wall-clock safety net (seconds per solve), and whether a schedule still unproven after the
    widenings goes to the proving MIP over every option (`prove`; off, its gap is reported as
    it stands)."""

    solver: str = "appsi_highs"
    mip_gap: float = 0.01
    max_nodes: int = 1000
    widenings: int = 3
    strategy: Strategy = "restricted"
    time_limit: float = 1800.0
    prove: bool = True


@dataclass(frozen=True)
class SolveReport:
    """How a solve ended: `status` (`proven`: within the gap asked; `unproven`: a schedule,
    gap wider; otherwise the solver's word, e.g. `infeasible`), the best schedule's objective,
    the bound proven for the whole model and their relative gap, time, options the last MIP
    searched, whether the safety net stopped it, and the CPU seconds this process spent (the
    solver runs in it, so this is the solve's work whatever else the machine is doing)."""

    solver: str
    status: str
    feasible: bool
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    options_searched: int = 0
    mip_gap: float = 0.01
    timed_out: bool = False
    cpu_seconds: float = 0.0

    @property
    def infeasible(self) -> bool:
        return self.status in ("infeasible", "infeasibleOrUnbounded")

    @property
    def proven(self) -> bool:
        """Whether the schedule is within the gap asked of a bound proven for the model."""
        return self.gap is not None and self.gap <= self.mip_gap + 1e-12

    def headline(self) -> str:
        """The solve in a few words, unproven schedules first of all."""
        if self.gap is None:
            return f"no schedule ({self.status})"
        clock = "; stopped by the time limit, so it may differ on another machine" \
            if self.timed_out else ""
        if not self.proven:
            return f"not proven: {self.gap:.1%} above the lower bound{clock}"
        return f"within {self.gap:.2%} of the lower bound (asked {self.mip_gap:.1%}){clock}"


@dataclass(frozen=True)
class Search:
    """What a solve knows after each step: the proven bound, the best schedule (agents per
    option of the whole model) and its objective, the options the last MIP searched and its
    bound, the solver's last word, and whether the clock stopped it."""

    bound: float
    best: Agents | None = None
    objective: float | None = None
    searched: tuple[int, ...] = ()
    last_bound: float | None = None
    status: str = "unknown"
    timed_out: bool = False
    #: The LP relaxation's objective (None before it is solved).
    relaxation: float | None = None

    def offered(self, agents: Agents | None, objective: float | None) -> Search:
        """The search keeping the cheaper of its schedule and this one."""
        if agents is None or objective is None:
            return self
        if self.objective is not None and objective >= self.objective - 1e-9:
            return self
        return replace(self, best=agents, objective=objective)

    def gap(self) -> float:
        return relative_gap(self.objective, self.bound) if self.objective is not None else 1.0


def solve(model: pyo.ConcreteModel, settings: SolveSettings | None = None,
          start: Agents | None = None) -> SolveReport:
    """Solve the schedule model by `settings.strategy`; the best schedule is loaded into the
    model. `start`, a schedule that fits the model (agents per option), is where the search
    begins: the schedule returned never costs more."""
    settings = settings or SolveSettings()
    check_solver(settings.solver)
    began, cpu = time.perf_counter(), time.process_time()
    data: ScheduleData = model.schedule_data
    week = None if model.elastic or start is not None or settings.strategy != "restricted" \
        else repeating_week(data)
    repeated: Repeated | None = None
    if week is not None:
        search, repeated = _by_week(data, week, settings, began)
        unproven = search.best is not None and search.gap() > settings.mip_gap and settings.prove
        unheld = search.best is None and search.bound > -math.inf
        if not search.timed_out and (unproven or unheld):
            # Still unproven, or no whole schedule of the week (the week's LP has a solution,
            # so the rotation's may too): the strategy on the rotation itself, from the week's
            # schedule if there is one.
            whole = _search(model, settings, began, search.best)
            search = replace(whole, bound=max(whole.bound, search.bound))
    else:
        search = _search(model, settings, began, start)
    if repeated is not None and search.best == repeated.schedule:
        _load_repeated(model, repeated, settings.solver)
    elif search.best is not None:
        load_schedule(model, search.best, settings.solver)
    return replace(_report(settings, search, began), cpu_seconds=time.process_time() - cpu)


def _search(model: pyo.ConcreteModel, settings: SolveSettings, began: float,
            start: Agents | None = None) -> Search:
    """The strategy on each independent part of the model (`parts.py`). Days of the horizon
    are searched apart from the first step; parts of the center (teams sharing no channel)
    only where steps 1 and 2 on the whole model leave it wider than the gap, each from its
    share of the whole's schedule, instead of the whole's steps 3 and 4: a center its first
    MIP solves within the gap keeps that schedule."""
    data: ScheduleData = model.schedule_data
    parts = [] if model.elastic or settings.strategy != "restricted" \
        else independent_parts(data)
    if len(parts) < 2:
        return _strategy(model, settings, began, start)
    if all(part.groups is None for part in parts):
        return _apart(data, parts, settings, began, start)
    begun = Search(bound=float("-inf")).offered(start, _objective(data, start))
    relaxation = run(model, settings.solver, _left(settings, began), relaxed=True)
    whole = _restrict(model, settings, began, begun, relaxation)
    if whole.best is None or whole.gap() <= settings.mip_gap or whole.timed_out:
        return _onward(model, settings, began, whole, relaxation)
    apart = _apart(data, parts, settings, began, whole.best)
    if apart.best is None or apart.objective is None:
        return whole
    return replace(apart, bound=max(apart.bound, min(whole.bound, apart.objective)))


def _strategy(model: pyo.ConcreteModel, settings: SolveSettings, began: float,
              start: Agents | None = None) -> Search:
    """The steps of the module docstring, in order, on one model (from `start`, if given)."""
    data: ScheduleData = model.schedule_data
    begun = Search(bound=float("-inf")).offered(start, _objective(data, start))
    if settings.strategy == "direct":
        return _mip(data, settings, begun, list(model.OPTIONS), True, began, model.elastic)
    relaxation = run(model, settings.solver, _left(settings, began), relaxed=True)
    search = _restrict(model, settings, began, begun, relaxation)
    return _onward(model, settings, began, search, relaxation)


def _restrict(model: pyo.ConcreteModel, settings: SolveSettings, began: float, begun: Search,
              relaxation: Outcome) -> Search:
    """Steps 1 and 2 from the LP relaxation solved and loaded in the model: the bound, then
    the restricted MIP (or, where it finds nothing, one over every option)."""
    data: ScheduleData = model.schedule_data
    elastic = model.elastic
    step = 0.0 if elastic else data.objective_step()
    if not relaxation.feasible or relaxation.objective is None:
        return replace(begun, status=relaxation.status, timed_out=relaxation.timed_out)
    search = replace(begun, bound=_rounded(relaxation.objective, step),
                     relaxation=relaxation.objective)
    if search.objective is not None and search.gap() <= settings.mip_gap:
        return search  # the start is already within the gap of the LP bound
    keep = whole_lines(data, _used(model))
    candidates = _within_gap(relaxation, search, step)
    search = _mip(data, settings, search, keep, set(candidates) <= set(keep), began, elastic,
                  outside_floor(data, relaxation, keep))
    if search.best is None and not search.timed_out:
        search = _mip(data, settings, search, list(model.OPTIONS), True, began, elastic)
    return search


def _onward(model: pyo.ConcreteModel, settings: SolveSettings, began: float, search: Search,
            relaxation: Outcome) -> Search:
    """Steps 3 and 4 while the gap is wider than asked: the widenings, then the proving MIP
    (the model still holds its LP relaxation's solution)."""
    data: ScheduleData = model.schedule_data
    elastic = model.elastic
    step = 0.0 if elastic else data.objective_step()
    if search.relaxation is None:  # the LP had no solution
        return search
    relaxed = group_costs(data, [model.agents[s].value or 0.0 for s in model.OPTIONS]) \
        if data.tours is not None else {}
    for _ in range(settings.widenings):
        if search.best is None or search.gap() <= settings.mip_gap or search.timed_out:
            break
        candidates = _within_gap(relaxation, search, step)
        if set(candidates) <= set(search.searched):
            # The last MIP held every option that could improve: its bound is the model's.
            search = _proven(search, search.last_bound, step)
            break
        # A tour model first widens to other lengths of the shifts kept (`other_lengths`).
        wider = other_lengths(data, list(search.searched), search.best, relaxed) or _widen(
            search.searched, candidates)
        search = _mip(data, settings, search, wider, set(candidates) <= set(wider), began,
                      elastic, outside_floor(data, relaxation, wider))
    if search.best is not None and search.gap() > settings.mip_gap and not search.timed_out \
            and len(search.searched) < len(model.OPTIONS) and settings.prove:
        # Still unproven: a MIP over every option, whose root cuts give a bound for the whole
        # model far above the LP's (and perhaps a better schedule).
        search = _mip(data, settings, search, list(model.OPTIONS), True, began, elastic)
    return search


def _mip(data: ScheduleData, settings: SolveSettings, search: Search, keep: list[int],
         exact: bool, began: float, elastic: bool = False,
         outside: float | None = None) -> Search:
    """A MIP over the options `keep` of `data` within `max_nodes`; when `keep` holds every
    option that could improve on the best schedule so far (`exact`), its bound holds for the
    whole model; otherwise up to `outside`, the least objective of a schedule using an option
    outside `keep` (tour models, `tour_search.outside_floor`)."""
    restricted = build_model(data.restricted(keep))
    start = None
    if search.best is not None and all(search.best[s] == 0 for s in set(range(len(data.options)))
                                       - set(keep)):
        start = {i: search.best[s] for i, s in enumerate(keep)}
    gap, target = restricted_gap(data, settings.mip_gap, search.bound, exact)
    outcome = run(restricted, settings.solver, _left(settings, began), gap,
                  nodes=settings.max_nodes, start=start,
                  start_people=people_start(restricted, data, search.best) if start else None,
                  target=target)
    found = None
    if outcome.feasible and outcome.objective is not None:
        counts = [0] * len(data.options)
        for i, s in enumerate(keep):
            counts[s] = round(restricted.agents[i].value or 0)
        found = tuple(counts) + people_of(restricted, data.tours)
    search = search.offered(found, _objective(data, found))
    search = replace(search, searched=tuple(keep), last_bound=outcome.bound,
                     status=outcome.status, timed_out=search.timed_out or outcome.timed_out)
    step = 0.0 if elastic else data.objective_step()
    if exact:
        return _proven(search, outcome.bound, step)
    if outside is not None and outcome.bound is not None:
        return _proven(search, min(outcome.bound, outside), step)
    return search


@dataclass(frozen=True)
class Repeated:
    """A rotation's schedule found on its week: the week's model and schedule, and the
    rotation's."""

    week_model: pyo.ConcreteModel
    week: Agents
    schedule: Agents


def _by_week(data: ScheduleData, week: ScheduleData, settings: SolveSettings,
             began: float) -> tuple[Search, Repeated | None]:
    """A rotation of identical weeks searched on its week (`tour_weeks`): the week's schedule,
    its people on the same moves every week, and the weeks times the week's LP bound. The
    week's own MIP bounds count whole people per move, which an average of the rotation's
    weeks need not have, so they are not carried over and the week's proving MIP is not
    run."""
    weeks = data.tours.weeks if data.tours is not None else 1
    week_model = build_model(week)
    found = _search(week_model, replace(settings, prove=False), began)
    if found.relaxation is None:
        return replace(Search(bound=float("-inf")), status=found.status,
                       timed_out=found.timed_out), None
    search = replace(Search(bound=_rounded(weeks * found.relaxation, data.objective_step())),
                     status=found.status, timed_out=found.timed_out)
    if found.best is None:
        return search, None
    best = rotation_schedule(data, week, found.best)
    return replace(search.offered(best, _objective(data, best)),
                   searched=tuple(found.searched)), Repeated(week_model, found.best, best)


def _load_repeated(model: pyo.ConcreteModel, repeated: Repeated, solver: str) -> None:
    """Load a rotation's schedule found on its week: the week's fill-in LP (levels,
    allocations, backlog) repeated every week (`tour_weeks.repeat_week`), a week's LP instead
    of the rotation's; the rotation's own fill-in LP where the week's has no solution or the
    model has a variable the repetition does not know."""
    filled = load_schedule(repeated.week_model, repeated.week, solver)
    if not (filled.feasible and repeat_week(model, repeated.week_model, repeated.schedule)):
        load_schedule(model, repeated.schedule, solver)


def _apart(data: ScheduleData, parts: list[Part], settings: SolveSettings,
           began: float, start: Agents | None = None) -> Search:
    """Each part searched on its own model (from its share of `start`); the schedules,
    objectives and bounds added up (a part without a schedule ends the search).

    The gap asked is the whole's, so the parts go through the strategy in two passes: first
    each part's LP relaxation and restricted MIP (steps 1 and 2, asked the gap); then, while
    the whole is wider than the gap, the widenings and proving MIP (steps 3 and 4) of one part
    still wider than the gap, the one nearest its bound first (the cheapest to close, and
    what it closes is left to the others), asked for what the others leave of the whole's gap
    (`part_gap`). A part whose few whole agents make its own gap wide (two social agents where
    the LP has 1.7) so searches on only as far as the whole needs, not to the gap of its own
    size, and once the whole is within the gap no part searches further."""
    models = [build_model(restricted_part(data, part)) for part in parts]
    searches: list[Search] = []
    relaxations: list[Outcome] = []
    for part, model in zip(parts, models, strict=True):
        own = None if start is None else tuple(start[s] for s in part.options)
        begun = Search(bound=float("-inf")).offered(own, _objective(model.schedule_data, own))
        relaxation = run(model, settings.solver, _left(settings, began), relaxed=True)
        found = _restrict(model, settings, began, begun, relaxation)
        if found.best is None or found.objective is None:
            return replace(found, bound=float("-inf"), best=None, objective=None, searched=())
        searches.append(found)
        relaxations.append(relaxation)
    onward: set[int] = set()
    while True:
        over = [k for k in range(len(parts)) if k not in onward
                and searches[k].gap() > settings.mip_gap]
        total = sum(f.objective or 0.0 for f in searches)
        if not over or relative_gap(total, sum(f.bound for f in searches)) <= settings.mip_gap \
                or any(f.timed_out for f in searches):
            break
        k = min(over, key=lambda j: ((searches[j].objective or 0.0) - searches[j].bound, j))
        others = sum((f.objective or 0.0) - f.bound for j, f in enumerate(searches) if j != k)
        asked = part_gap(settings.mip_gap, sum(f.bound for f in searches), others,
                         searches[k].bound)
        searches[k] = _onward(models[k], replace(settings, mip_gap=asked), began, searches[k],
                              relaxations[k])
        onward.add(k)
    return _added(data, parts, searches)


def _added(data: ScheduleData, parts: list[Part], searches: list[Search]) -> Search:
    """The whole's search from its parts': agents per option of the whole, and the objectives,
    bounds and LP objectives added up."""
    counts = [0] * len(data.options)
    for part, found in zip(parts, searches, strict=True):
        assert found.best is not None
        for i, s in enumerate(part.options):
            counts[s] = found.best[i]
    objective = sum(f.objective or 0.0 for f in searches)
    bound = sum(f.bound for f in searches)
    return Search(bound=min(bound, objective), best=tuple(counts), objective=objective,
                  status=searches[-1].status, timed_out=any(f.timed_out for f in searches),
                  searched=tuple(part.options[i] for part, f in zip(parts, searches, strict=True)
                                 for i in f.searched),
                  relaxation=sum(f.relaxation or 0.0 for f in searches))


def part_gap(gap: float, whole_bound: float, others: float, bound: float) -> float:
    """The gap a part is asked for so that the whole is within `gap` of its bound: the whole
    may be `gap` / (1 - `gap`) of `whole_bound` above it, of which the other parts use
    `others` (their objectives above their bounds); the rest, over the part's `bound` plus
    it, is the part's relative gap. Where the others leave nothing, `gap` itself."""
    allowed = gap / (1 - gap) * whole_bound - others
    if allowed <= 0 or bound + allowed <= 0:
        return gap
    return allowed / (bound + allowed)


def load_schedule(model: pyo.ConcreteModel, agents: Agents, solver: str = "appsi_highs",
                  time_limit: float = 1800.0) -> Outcome:
    """Put a schedule in the model: agents fixed at their counts, the rest (on-shift levels,
    allocations, backlog) filled in by an LP (in an elastic model, with what falls short)."""
    fixed = [*model.agents.values(), *(model.rota.values() if hasattr(model, "rota") else ())]
    for var, count in zip(fixed, agents, strict=True):
        var.fix(count)
    try:
        return run(model, solver, time_limit, relaxed=True)
    finally:
        for var in fixed:
            var.unfix()


def _objective(data: ScheduleData, agents: Agents | None) -> float | None:
    """A schedule's objective: paid cost and the tie-breaker per agent-shift."""
    if agents is None:
        return None
    people = agents[len(data.options):]
    tours = sum(c * p for c, p in zip(data.tours.cost, people, strict=True)) if people else 0
    return sum((c + data.tiebreak * n) * a for c, n, a in zip(
        data.cost, data.occurrences, agents[:len(data.options)], strict=True)) + tours


def _used(model: pyo.ConcreteModel) -> list[int]:
    """Options the loaded (LP) solution puts agents on."""
    return [s for s in model.OPTIONS if (model.agents[s].value or 0) > USED]


def _proven(search: Search, bound: float | None, step: float) -> Search:
    """The search with its bound raised to a MIP's bound over options holding every option
    that could improve on the schedule in hand (never above that schedule's objective)."""
    if bound is None:
        return search
    bound = _rounded(bound, step)
    ceiling = bound if search.objective is None else min(bound, search.objective)
    return replace(search, bound=max(search.bound, ceiling))


def _rounded(bound: float, step: float) -> float:
    """A bound raised to the next whole step of the objective, if it has one."""
    if step <= 0:
        return bound
    return math.ceil(bound / step - STEP_TOLERANCE) * step


def _within_gap(relaxation: Outcome, search: Search, step: float) -> list[int]:
    """Options that might be in a schedule cheaper than the one in hand (reduced cost within
    the gap, less one step of the objective), cheapest reduced cost first; every option with
    a reduced cost while there is no schedule yet."""
    costs = relaxation.reduced_costs
    if search.objective is None:
        return sorted(costs, key=lambda s: (costs[s], s))
    slack = search.objective - step - search.bound + RC_TOLERANCE
    return sorted((s for s, rc in costs.items() if rc <= slack), key=lambda s: (costs[s], s))


def _widen(keep: tuple[int, ...], candidates: list[int]) -> list[int]:
    """`keep` and as many again of the candidates not in it, in their order."""
    kept = set(keep)
    extra = [s for s in candidates if s not in kept][: max(len(keep), WIDEN_MIN)]
    return sorted(kept | set(extra))


def _left(settings: SolveSettings, began: float) -> float:
    """The safety net's time left (at least a second, so a call can still report)."""
    return max(settings.time_limit - (time.perf_counter() - began), 1.0)


def relative_gap(objective: float, bound: float) -> float:
    """(objective - bound) / |objective|, never negative."""
    return max(0.0, objective - bound) / max(abs(objective), 1e-9)


def _report(settings: SolveSettings, search: Search, began: float) -> SolveReport:
    feasible = search.objective is not None
    gap = relative_gap(search.objective, search.bound) if feasible else None
    status = search.status
    if feasible:
        status = "proven" if gap is not None and gap <= settings.mip_gap + 1e-12 else "unproven"
    return SolveReport(settings.solver, status, feasible, search.objective,
                       search.bound if feasible else None, gap, time.perf_counter() - began,
                       len(search.searched), settings.mip_gap, search.timed_out)
