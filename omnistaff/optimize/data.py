"""The schedule model's data, precomputed as plain dicts and sparse indices before any Pyomo
object exists, so the build only assembles rows."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from omnistaff.optimize.levels import Levels, shift_levels
from omnistaff.optimize.premiums import has_premiums, option_cost
from omnistaff.optimize.requirements import Requirements, occupancy_cap
from omnistaff.optimize.shifts import ShiftOption, kept_counts, option_key, shift_options
from omnistaff.optimize.tours import TourData, tour_data
from omnistaff.optimize.workload import reference_throughput
from omnistaff.scenarios.scenario import Scenario
from omnistaff.scenarios.units import WEEKDAYS

ChannelInterval = tuple[str, int]
#: Objective coefficients are taken as whole multiples of a step when they are fractions with
#: denominators up to this (cents of a rate, quarter-hours of a shift, a tie-breaker of 0.01).
STEP_DENOMINATOR = 10_000
#: Late work must be done within this long of its arrival (or before it expires).
LATE_GRACE = 86400.0


@dataclass(frozen=True)
class ScheduleData:
    """Everything `build_model` needs, indexed by names and interval numbers.

    Requirements are in reference agents on queue (`required`, live channels) and reference
    agent-intervals of work (`work`, `allowed` backlog, deferred channels); `efficiency` is what
    one agent of a group is worth on a channel in reference agents, `availability` the share of
    a group's agents on shift who are on queue (shrinkage, absence). `cost` and `occurrences`
    are per shift option over the whole horizon; `kept`, when given, the agents each option
    must have at least (the kept staffing), `most`, when given, the most (None: no limit).
    `late_allowance`, per deferred channel and day, is
    how much of the day's work may miss its response window (agent-intervals; per day, so no
    day is given up to meet the target over the horizon); late work must still be done within
    `expiry` intervals of its arrival interval, the rest within `window` (per arrival
    interval).
    """

    intervals: int
    interval_seconds: float
    labels: list[str]
    groups: list[str]
    live: list[str]
    deferred: list[str]
    skills: list[tuple[str, str]]
    efficiency: dict[tuple[str, str], float]
    availability: dict[str, float]
    required: dict[ChannelInterval, float]
    work: dict[ChannelInterval, float]
    allowed: dict[ChannelInterval, float]
    options: list[ShiftOption]
    cost: list[float]
    occurrences: list[int]
    levels: Levels
    weekday_days: dict[str, list[int]]
    min_agents: dict[ChannelInterval, int] = field(default_factory=dict)
    least_agents: dict[ChannelInterval, int] = field(default_factory=dict)
    headcount: dict[str, int] = field(default_factory=dict)
    part_time: list[bool] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    most: list[int | None] = field(default_factory=list)
    late_allowance: dict[tuple[str, int], float] = field(default_factory=dict)
    window: dict[str, list[int]] = field(default_factory=dict)
    expiry: dict[str, int] = field(default_factory=dict)
    max_part_time_share: float | None = None
    budget: float | None = None
    tiebreak: float = 0.0
    currency: str = "USD"
    tours: TourData | None = None
    #: Per group with a `max_occupancy`: the cap; per (channel, interval), the share of an
    #: allocated agent's time the channel keeps busy (live: offered load over requirement;
    #: deferred: the cap its work was scaled by, else 1). See `model._occupancy_cap`.
    max_occupancy: dict[str, float] = field(default_factory=dict)
    busy_share: dict[ChannelInterval, float] = field(default_factory=dict)

    def skilled(self, channel: str) -> list[str]:
        """Groups that may serve a channel."""
        return [g for g, c in self.skills if c == channel]

    def staff_floor(self, key: ChannelInterval) -> int:
        """Least agents on queue able to serve a channel in an interval: the set minimum, or
        the whole agents its requirement implies, whichever is more."""
        return max(self.min_agents.get(key, 0), self.least_agents.get(key, 0))

    def presence(self) -> dict[str, np.ndarray]:
        """Per group, the intervals some shift option of it covers."""
        present: dict[str, np.ndarray] = {}
        width, count = self.interval_seconds, self.intervals
        for group, weekday, start, length in {(o.group, o.weekday, o.start, o.length)
                                              for o in self.options}:
            marks = present.setdefault(group, np.zeros(count, dtype=bool))
            for day in self.weekday_days[weekday]:
                first = int((day * 86400 + start) // width)
                last = int(np.ceil((day * 86400 + start + length) / width))
                marks[np.arange(first, last) % count] = True
        return present

    def cost_of(self, agents: tuple[int, ...]) -> float:
        """Paid cost of a schedule: agents per option, then (with tours) people per rota
        variable, whose cost beyond their agent-shifts is added."""
        shifts = sum(c * a for c, a in zip(self.cost, agents[:len(self.options)], strict=True))
        people = agents[len(self.options):]
        extra = sum(c * p for c, p in zip(self.tours.cost, people, strict=True)) \
            if self.tours is not None and people else 0.0
        return shifts + extra

    def days_touched(self, option: int) -> set[int]:
        """Days of the horizon an option's shifts are worked on or run into."""
        shift = self.options[option]
        last = int((shift.start + shift.length - 1) // 86400)
        days = self.intervals // self.intervals_per_day
        return {d % days for day in self.weekday_days[shift.weekday]
                for d in range(day, day + last + 1)}

    def needed_intervals(self) -> set[int]:
        """Intervals with something live to cover: a requirement or a minimum of staff."""
        return {t for _, t in (*self.required, *self.min_agents, *self.least_agents)}

    def objective_step(self) -> float:
        """The amount every schedule's objective (paid cost and tie-breaker) is a whole multiple
        of, e.g. a quarter-hour's pay when every shift is paid in quarter-hours; 0 when there is
        none (rates in fractions of a cent)."""
        costs = list(zip(self.cost, self.occurrences, strict=True))
        if self.tours is not None:
            costs += [(c, 0) for c in self.tours.cost if c]
        coefficients = [Fraction(c + self.tiebreak * n).limit_denominator(STEP_DENOMINATOR)
                        for c, n in costs]
        if not coefficients or any(
                abs(float(f) - c - self.tiebreak * n) > 1e-9 * max(1.0, c)
                for f, (c, n) in zip(coefficients, costs, strict=True)):
            return 0.0
        numerator = math.gcd(*(f.numerator for f in coefficients))
        denominator = math.lcm(*(f.denominator for f in coefficients))
        return numerator / denominator

    @property
    def intervals_per_day(self) -> int:
        return round(86400 / self.interval_seconds)

    def unreachable(self, channel: str, present: dict[str, np.ndarray]) -> np.ndarray:
        """Per arrival interval, whether no shift option of a group serving a deferred channel
        covers any interval within the work's response window (`present`: `presence()`)."""
        covered = np.zeros(self.intervals, dtype=bool)
        for g in self.skilled(channel):
            covered |= present.get(g, covered)
        window = np.asarray(self.window[channel])
        reach = np.zeros(self.intervals, dtype=bool)
        for lag in range(int(window.max(initial=0)) + 1):
            reach |= (lag <= window) & np.roll(covered, -lag)
        return ~reach

    def late_levels(self) -> tuple[dict[ChannelInterval, list[int]], dict[ChannelInterval,
                                                                            list[int]]]:
        """For the late-work level of each deferred channel: the arrival intervals whose late
        work joins it at each interval (past the response window), and those whose late work
        leaves it (past expiry); at interval 0, every arrival interval waiting then."""
        joining: dict[ChannelInterval, list[int]] = {}
        leaving: dict[ChannelInterval, list[int]] = {}
        n = self.intervals
        for c in (c for c in self.deferred if c in self.window):
            last = self.expiry.get(c, n - 2)
            window = self.window[c]
            joining[(c, 0)] = [s for s in range(n) if window[s] < (-s) % n <= last]
            for s in range(n):
                first = window[s] + 1
                if first > last:
                    continue
                joins, leaves = (s + first) % n, (s + last + 1) % n
                if joins:  # interval 0 holds the whole level, counted above
                    joining.setdefault((c, joins), []).append(s)
                if leaves:
                    leaving.setdefault((c, leaves), []).append(s)
        return joining, leaving

    def restricted(self, keep: list[int]) -> ScheduleData:
        """The same data with only the shift options `keep` (renumbered in that order)."""
        part_time = [self.part_time[s] for s in keep] if self.part_time else []
        kept = [self.kept[s] for s in keep] if self.kept else []
        most = [self.most[s] for s in keep] if self.most else []
        options = [self.options[s] for s in keep]
        tours = None if self.tours is None else self.tours.restricted(
            {(o.group, o.start, o.length) for o in options})
        return replace(
            self, options=options, cost=[self.cost[s] for s in keep],
            occurrences=[self.occurrences[s] for s in keep], part_time=part_time, kept=kept,
            most=most,
            levels=self.levels.restricted({s: i for i, s in enumerate(keep)}), tours=tours,
        )


def schedule_data(scenario: Scenario, requirements: Requirements) -> ScheduleData:
    """The model data of a scenario under given requirements."""
    horizon, settings = scenario.horizon, scenario.optimizer
    options = shift_options(scenario)
    kept = kept_counts(scenario)
    days = weekday_days(scenario)
    occurrences = [len(days[o.weekday]) for o in options]
    levels = shift_levels(options, horizon.interval_seconds, horizon.intervals, days)
    data = ScheduleData(
        intervals=horizon.intervals,
        interval_seconds=horizon.interval_seconds,
        labels=interval_labels(scenario),
        groups=list(scenario.groups),
        live=requirements.live,
        deferred=requirements.deferred,
        skills=_skills(scenario, requirements),
        efficiency=_efficiency(scenario, requirements),
        availability={name: (1 - g.shrinkage) * (1 - g.absenteeism)
                      for name, g in scenario.groups.items()},
        required=_positive({c: requirements.required[c] for c in requirements.live}),
        work=_positive({c: requirements.work[c] for c in requirements.deferred}),
        allowed={(c, t): float(v) for c in requirements.deferred
                 for t, v in enumerate(requirements.allowed_backlog(c))},
        options=options,
        cost=[option_cost(scenario, o, days[o.weekday]) for o in options]
        if has_premiums(scenario) else
        [o.paid_seconds / 3600 * scenario.groups[o.group].hourly_cost * n
         for o, n in zip(options, occurrences, strict=True)],
        occurrences=occurrences,
        levels=levels,
        weekday_days=days,
        min_agents=_min_agents(requirements, settings.min_agents),
        least_agents=_least_agents(scenario, requirements, levels.whole),
        headcount={name: g.max_headcount for name, g in scenario.groups.items()
                   if g.max_headcount is not None},
        part_time=[o.length < settings.part_time_under for o in options],
        kept=[kept.get(option_key(o), 0) for o in options] if kept else [],
        window={c: [int(w) for w in requirements.window[c]] for c in requirements.deferred},
        expiry={c: _expiry_window(scenario, c) for c in requirements.deferred},
        max_part_time_share=settings.max_part_time_share,
        budget=settings.budget,
        tiebreak=settings.shift_tiebreak,
        currency=scenario.currency,
        tours=tour_data(scenario, options),
        **occupancy_caps(scenario, requirements),
    )
    return replace(data, late_allowance=_late_allowance(data, requirements))


def occupancy_caps(scenario: Scenario, requirements: Requirements) -> dict[str, dict]:
    """`max_occupancy` and `busy_share` of the schedule data, where some group has a cap."""
    caps = {n: g.max_occupancy for n, g in scenario.groups.items() if g.max_occupancy}
    if not caps:
        return {}
    busy: dict[ChannelInterval, float] = {}
    for c in requirements.live:
        load, required = requirements.load.get(c), requirements.required[c]
        for t in np.flatnonzero(required > 0):
            busy[(c, int(t))] = 1.0 if load is None else min(float(load[t] / required[t]), 1.0)
    for c in requirements.deferred:
        share = occupancy_cap(scenario, c) or 1.0
        busy.update({(c, t): share for t in range(len(requirements.work[c]))})
    return {"max_occupancy": caps, "busy_share": busy}


def interval_labels(scenario: Scenario) -> list[str]:
    """'Mon 08:00' for each interval ('Mon 08:00 (day 7)' when the horizon is over a week)."""
    horizon = scenario.horizon
    return [horizon.interval_label(t) for t in range(horizon.intervals)]


def weekday_days(scenario: Scenario) -> dict[str, list[int]]:
    """The horizon's day indices falling on each weekday."""
    return {w: scenario.horizon.days_on(w) for w in WEEKDAYS}


def _late_allowance(data: ScheduleData,
                    requirements: Requirements) -> dict[tuple[str, int], float]:
    """Per deferred channel and day: the work that may miss its response window, the
    channel's late share of the day's work, or the day's work arriving where no shift can be on
    duty within its window, whichever is more."""
    per_day = data.intervals_per_day
    present = data.presence()
    allowance = {}
    for c in requirements.deferred:
        work = requirements.work[c]
        stranded = np.where(data.unreachable(c, present), work, 0.0).reshape(
            -1, per_day).sum(axis=1)
        share = requirements.late_share[c] * work.reshape(-1, per_day).sum(axis=1)
        allowance.update({(c, day): float(v) for day, v in enumerate(np.maximum(share,
                                                                                 stranded))})
    return allowance


def _expiry_window(scenario: Scenario, channel: str) -> int:
    """Intervals after its arrival interval by which late work must be done: within a day
    and before it expires, and within the horizon."""
    horizon = scenario.horizon
    expiry = min(scenario.channels[channel].expiry or LATE_GRACE, LATE_GRACE)
    last = min(horizon.intervals - 2, int(expiry // horizon.interval_seconds) - 1)
    return max(last, 0)


def _min_agents(requirements: Requirements, minimum: int) -> dict[ChannelInterval, int]:
    """The set minimum where live channels are open; one agent where deferred work is due
    within a window shorter than any shift."""
    floors: dict[ChannelInterval, int] = {}
    for c, opened in requirements.open.items():
        least = minimum if c in requirements.live else 1
        if least:
            floors.update({(c, int(t)): least for t in np.flatnonzero(opened)})
    return floors


def _least_agents(scenario: Scenario, requirements: Requirements,
                  whole: frozenset[str]) -> dict[ChannelInterval, int]:
    """Whole agents on queue a live requirement implies when the groups serving it are only
    ever on queue in whole agents: the requirement over the most one agent is worth, rounded up.

    A valid cut (the MIP's own presolve finds it) that brings the LP bound close to the optimum.
    """
    efficiency = _efficiency(scenario, requirements)
    least = {}
    for c in requirements.live:
        groups = [g for g, ch in _skills(scenario, requirements) if ch == c]
        if not groups or any(g not in whole for g in groups):
            continue
        best = max(efficiency[(g, c)] * (1 - scenario.groups[g].shrinkage)
                   * (1 - scenario.groups[g].absenteeism) for g in groups)
        for t in np.flatnonzero(requirements.required[c] > 1e-9):
            least[(c, int(t))] = math.ceil(requirements.required[c][t] / best - 1e-6)
    return least


def _positive(series: dict[str, np.ndarray]) -> dict[ChannelInterval, float]:
    return {(c, int(t)): float(values[t]) for c, values in series.items()
            for t in np.flatnonzero(values > 1e-9)}


def _skills(scenario: Scenario, requirements: Requirements) -> list[tuple[str, str]]:
    needed = set(requirements.live) | set(requirements.deferred)
    return [(g, s.channel) for g, group in scenario.groups.items() for s in group.skills
            if s.channel in needed]


def _efficiency(scenario: Scenario, requirements: Requirements) -> dict[tuple[str, str], float]:
    """Reference agents one agent of a group is worth on a channel: proficiency times its
    concurrency throughput f(k) relative to the channel's full concurrency."""
    efficiency = {}
    for g, c in _skills(scenario, requirements):
        channel = scenario.channels[c]
        skill = next(s for s in scenario.groups[g].skills if s.channel == c)
        limit = skill.concurrency or channel.concurrency.max
        throughput = channel.concurrency.curve()[limit - 1]
        efficiency[(g, c)] = skill.proficiency * throughput / reference_throughput(channel)
    return efficiency
