"""The schedule MIP: integer agents per shift option (group x template x start x breaks x
weekday), on-shift levels per group and interval, capacity shared across channels by allocation,
coverage of live requirements, deferred backlog with deadlines, and the limits; least paid cost.

Deferred work may miss its response window for the share of each day's work its SLA target
leaves (and wherever no shift can be on duty in time), but must then be done within a day (or
before it expires). The model lets such late work wait while newer work is served in time; the
simulation serves oldest first, where late work delays the work behind it, so the sim-opt loop
lowers a channel's late share while simulation shows it missing its SLA.

`build_model(data)` only assembles rows from precomputed `ScheduleData`. With `elastic=True`
every limit may be broken at a high price, so an infeasible plan can be explained by what had
to give.
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.joint_floors import joint_floors
from omnistaff.optimize.levels import Terms
from omnistaff.optimize.tours import add_tours

#: Price of one reference agent missing for one interval (or one unit of another limit broken)
#: in the elastic model, per currency unit of the dearest agent-hour: far above any real cost.
SHORTFALL_PRICE = 1000.0


def build_model(data: ScheduleData, elastic: bool = False) -> pyo.ConcreteModel:
    """The schedule model of `data`; `elastic` lets every limit give at a high price."""
    m = pyo.ConcreteModel(name="omnistaff schedule")
    m.schedule_data = data
    m.elastic = elastic
    _sets(m, data)
    _variables(m)
    _levels(m, data)
    _capacity(m, data)
    if not elastic:
        _joint_floors(m, data)
    _occupancy_cap(m, data)
    _backlog(m, data)
    _limits(m, data)
    if data.tours is not None:
        add_tours(m, data.tours, data.options, data.weekday_days)
    _objective(m, data)
    return m


def _sets(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    m.GROUPS = pyo.Set(initialize=data.groups, ordered=True, doc="agent groups")
    m.INTERVALS = pyo.RangeSet(0, data.intervals - 1, doc="intervals of the cyclic horizon")
    m.OPTIONS = pyo.RangeSet(0, len(data.options) - 1, doc="shift options")
    m.DEFERRED = pyo.Set(initialize=data.deferred, ordered=True,
                         doc="deferred channels, scheduled as backlog with deadlines")
    m.NEEDS = pyo.Set(dimen=2, initialize=sorted(data.required), ordered=True,
                      doc="(live channel, interval) with agents required")
    m.WORK = pyo.Set(initialize=m.DEFERRED * m.INTERVALS, doc="(deferred channel, interval)")
    floors = data.min_agents if m.elastic else {**data.least_agents, **data.min_agents}
    m.MIN_STAFF = pyo.Set(dimen=2, initialize=sorted(floors), ordered=True,
                          doc="(channel, interval) with a least number of agents on queue")
    m.HEADCOUNT = pyo.Set(dimen=2, ordered=True, doc="(group, interval) under a headcount limit",
                          initialize=[(g, t) for g in data.headcount
                                      for t in range(data.intervals)])
    m.ALLOCATIONS = pyo.Set(dimen=3, initialize=_allocations(data), ordered=True,
                            doc="(group, channel, interval) where a group may serve a channel")


def _allocations(data: ScheduleData) -> list[tuple[str, str, int]]:
    live = [(g, c, t) for (c, t) in sorted(data.required) for g in data.skilled(c)]
    deferred = [(g, c, t) for c in data.deferred for g in data.skilled(c)
                for t in range(data.intervals)]
    return live + deferred


def _variables(m: pyo.ConcreteModel) -> None:
    kept, most = m.schedule_data.kept, m.schedule_data.most
    m.agents = pyo.Var(m.OPTIONS, within=pyo.NonNegativeIntegers,
                       bounds=lambda _, s: (kept[s] if kept else 0, most[s] if most else None),
                       doc="agents working each shift option (at least the kept staffing's, "
                       "at most any limit held)")
    m.staffed = pyo.Var(m.GROUPS, m.INTERVALS, within=pyo.NonNegativeReals,
                        doc="agents on shift, breaks included (mean over the interval)")
    m.resting = pyo.Var(m.GROUPS, m.INTERVALS, within=pyo.NonNegativeReals,
                        doc="agents on a break (mean over the interval)")
    m.allocated = pyo.Var(m.ALLOCATIONS, within=pyo.NonNegativeReals,
                          doc="agents on queue of a group serving a channel")
    m.backlog = pyo.Var(m.WORK, within=pyo.NonNegativeReals,
                        doc="deferred work waiting at the end of an interval, agent-intervals")
    m.late = pyo.Var(m.WORK, within=pyo.NonNegativeReals,
                     bounds=lambda m, c, t: (0, m.schedule_data.work.get((c, t), 0.0)),
                     doc="deferred work arriving in an interval let miss its response window, "
                     "done by its expiry instead")
    m.late_waiting = pyo.Var(m.WORK, within=pyo.NonNegativeReals,
                             doc="late work past its response window that may still wait")
    gaps = {"coverage_gap": (m.NEEDS, "live requirement not covered"),
            "staff_gap": (m.MIN_STAFF, "minimum staff not met"),
            "late_work": (m.WORK, "deferred work past its deadline"),
            "headcount_gap": (m.HEADCOUNT, "agents above the headcount limit")}
    for name, (index, doc) in gaps.items():
        setattr(m, name, pyo.Var(index, within=pyo.NonNegativeReals, initialize=0, doc=doc))
    m.budget_gap = pyo.Var(within=pyo.NonNegativeReals, initialize=0, doc="cost above budget")
    m.part_time_gap = pyo.Var(within=pyo.NonNegativeReals, initialize=0,
                              doc="part-time agent-shifts above the share allowed")
    if not m.elastic:
        for name in (*gaps, "budget_gap", "part_time_gap"):
            getattr(m, name).fix(0)


def _sum(terms: Terms, var: pyo.Var, constant: float = 0.0) -> LinearExpression:
    """A linear expression over the given members of an indexed variable, built directly."""
    indices, coefficients = terms
    return LinearExpression(constant=constant, linear_coefs=list(coefficients),
                            linear_vars=[var[i] for i in indices])


def _levels(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    levels, empty = data.levels, ([], [])

    @m.Constraint(m.GROUPS, m.INTERVALS, doc="agents on shift: last interval's level plus "
                  "those joining less those leaving (interval 0: every shift covering it)")
    def staffed_level(m, g, t):
        if t == 0:
            return m.staffed[g, 0] == _sum(levels.staffed_anchor.get(g, empty), m.agents)
        return m.staffed[g, t] - m.staffed[g, t - 1] == _sum(
            levels.staffed_delta.get((g, t), empty), m.agents)

    @m.Constraint(m.GROUPS, m.INTERVALS, doc="agents on a break, tracked like those on shift")
    def resting_level(m, g, t):
        if t == 0:
            return m.resting[g, 0] == _sum(levels.resting_anchor.get(g, empty), m.agents)
        return m.resting[g, t] - m.resting[g, t - 1] == _sum(
            levels.resting_delta.get((g, t), empty), m.agents)


def _capacity(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    by_group: dict[tuple[str, int], list[tuple[str, str, int]]] = {}
    for key in m.ALLOCATIONS:
        by_group.setdefault((key[0], key[2]), []).append(key)
    m.BUSY = pyo.Set(dimen=2, initialize=sorted(by_group), ordered=True,
                     doc="(group, interval) with work to allocate")

    @m.Constraint(m.BUSY, doc="a group's allocations fit in its agents on queue: on shift, "
                  "not on a break, less shrinkage and absence")
    def capacity(m, g, t):
        allocated = sum(m.allocated[key] for key in by_group[(g, t)])
        return allocated <= data.availability[g] * (m.staffed[g, t] - m.resting[g, t])

    @m.Constraint(m.NEEDS, doc="a live channel's requirement is covered by the groups serving it")
    def coverage(m, c, t):
        served = sum(data.efficiency[(g, c)] * m.allocated[g, c, t] for g in data.skilled(c))
        return served + m.coverage_gap[c, t] >= data.required[(c, t)]

    @m.Constraint(m.MIN_STAFF, doc="at least the set minimum of agents able to serve a channel, "
                  "and the whole agents its requirement implies")
    def min_staff(m, c, t):
        working = sum(m.staffed[g, t] - m.resting[g, t] for g in data.skilled(c))
        floor = data.min_agents.get((c, t), 0) if m.elastic else data.staff_floor((c, t))
        return working + m.staff_gap[c, t] >= floor


def _joint_floors(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    """Whole agents on queue that groups serving several live channels need together
    (`joint_floors.py`: a valid cut the MIP's own cuts do not find)."""
    floors = sorted(joint_floors(data).items())
    m.JOINT = pyo.RangeSet(0, len(floors) - 1,
                           doc="joint floors: (groups serving several live channels, interval)")

    @m.Constraint(m.JOINT, doc="the whole agents on queue several live channels need together "
                  "from the groups serving them")
    def joint_floor(m, k):
        (groups, t), need = floors[k]
        return sum(m.staffed[g, t] - m.resting[g, t] for g in groups) >= need


def _occupancy_cap(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    """A group's busy agents within its `max_occupancy` of its agents on queue, per interval.

    An agent allocated to a channel is busy for the channel's `busy_share` of its time (its
    offered load over its requirement), so the group's busy agents are the allocations so
    weighted. The requirements cap each channel by the loosest cap among its groups; this
    holds each group to its own.
    """
    if not data.max_occupancy:
        return
    channels: dict[tuple[str, int], list[str]] = {}
    for g, c, t in m.ALLOCATIONS:
        if g in data.max_occupancy:
            channels.setdefault((g, t), []).append(c)
    m.CAPPED = pyo.Set(dimen=2, initialize=sorted(channels), ordered=True,
                       doc="(group, interval) of a group with an occupancy cap")

    @m.Constraint(m.CAPPED, doc="a group's busy agents within its occupancy cap of its agents "
                  "on queue")
    def occupancy_cap(m, g, t):
        busy = sum(data.busy_share.get((c, t), 1.0) * m.allocated[g, c, t]
                   for c in channels[(g, t)])
        on_queue = data.availability[g] * (m.staffed[g, t] - m.resting[g, t])
        return busy <= data.max_occupancy[g] * on_queue


def _backlog(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    last = data.intervals - 1

    @m.Constraint(m.WORK, doc="deferred work waiting: last interval's plus arrivals less work "
                  "done (cyclic: the horizon repeats)")
    def backlog_flow(m, c, t):
        done = sum(data.efficiency[(g, c)] * m.allocated[g, c, t] for g in data.skilled(c))
        before = m.backlog[c, last if t == 0 else t - 1]
        return m.backlog[c, t] == before + data.work.get((c, t), 0.0) - done

    @m.Constraint(m.WORK, doc="only work still within its response window may wait, and late "
                  "work until its expiry")
    def deadline(m, c, t):
        return m.backlog[c, t] <= data.allowed[(c, t)] + m.late_waiting[c, t] + m.late_work[c, t]

    joining, leaving = data.late_levels()

    @m.Constraint(m.WORK, doc="late work waiting: last interval's plus work passing its response "
                  "window less work passing its expiry (interval 0: every cohort waiting then)")
    def late_level(m, c, t):
        if t == 0:
            return m.late_waiting[c, 0] == sum(m.late[c, s] for s in joining.get((c, 0), ()))
        return m.late_waiting[c, t] - m.late_waiting[c, t - 1] == sum(
            m.late[c, s] for s in joining.get((c, t), ())) - sum(
            m.late[c, s] for s in leaving.get((c, t), ()))

    per_day = data.intervals_per_day
    m.DAYS = pyo.Set(dimen=2, initialize=sorted(data.late_allowance), ordered=True,
                     doc="(deferred channel, day)")

    @m.Constraint(m.DAYS, doc="a day's late work within the share the SLA target leaves")
    def late_share(m, c, day):
        day_intervals = range(day * per_day, min((day + 1) * per_day, data.intervals))
        return sum(m.late[c, t] for t in day_intervals) <= (
            data.late_allowance[(c, day)])


def _limits(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    @m.Constraint(m.HEADCOUNT, doc="a group's agents on shift at once are within its headcount")
    def headcount(m, g, t):
        return m.staffed[g, t] <= data.headcount[g] + m.headcount_gap[g, t]

    m.paid_cost = pyo.Expression(
        expr=_sum((list(range(len(data.cost))), data.cost), m.agents),
        doc="paid hours times group rates over the horizon",
    )
    if data.budget is not None:
        m.budget = pyo.Constraint(expr=m.paid_cost <= data.budget + m.budget_gap,
                                  doc="paid cost within the budget")
    if data.max_part_time_share is not None:
        share = data.max_part_time_share
        weights = [n * ((1 - share) if part else -share)
                   for n, part in zip(data.occurrences, data.part_time, strict=True)]
        m.part_time_share = pyo.Constraint(
            expr=_sum((list(range(len(weights))), weights), m.agents) <= m.part_time_gap,
            doc="part-time agent-shifts within their share of all agent-shifts",
        )


def _objective(m: pyo.ConcreteModel, data: ScheduleData) -> None:
    price = SHORTFALL_PRICE * max((c / max(n, 1) for c, n in zip(data.cost, data.occurrences,
                                                                  strict=True)), default=1.0)
    shifts = [data.tiebreak * n for n in data.occurrences]
    penalty = 0.0
    if m.elastic:
        gaps = (m.coverage_gap, m.staff_gap, m.late_work, m.headcount_gap)
        penalty = sum(price * gap[key] for gap in gaps for key in gap)
        # Cheaper to break than a requirement, so a plan short only on these names them.
        penalty += 10 * m.budget_gap + price / 100 * m.part_time_gap

    @m.Objective(sense=pyo.minimize, doc="paid cost, plus a tie-breaker toward fewer shifts")
    def cost(m):
        cost = m.paid_cost + _sum((list(range(len(shifts))), shifts), m.agents) + penalty
        return cost + m.tour_cost if data.tours is not None else cost
