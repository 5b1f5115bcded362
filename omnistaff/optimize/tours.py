"""Tours: people on contracts instead of loose agent-shifts.

A *line* is a group's people on one contract working one shift (template, start and length)
on every working day. Each week a person works a *days-off pattern* (which of the week's
seven days are worked); a *move* is a pattern one week followed by a pattern the next
(cyclically: after the last week of the horizon comes the first). The model counts people
per line, week and move (`rota`, integer): the days-off choice is explicit, as in Baker's
(1974) and Burns and Carter's (1985) days-off problems, while breaks stay implicit, the
existing agent-shift options of each day (one per break placement) adding up to the people of
the lines working that day (Bechtold and Jacobs' implicit breaks). The moves are a layered
flow, one layer per week, so a rotation of several weeks is as small as one week times its
weeks (Jacobs and Brusco's implicit tours link days the same way). Labour rules that span
weeks (most consecutive days, a weekend off in every N weeks: a node carries the weeks since
the last weekend off) are rules on moves; rules within a day (rest, paid hours, templates) on
lines. A person's rest between two working days is 24 h less the shift's length, as the
start is the same every day.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

import pyomo.environ as pyo

from omnistaff.optimize.shifts import DAY, ShiftOption
from omnistaff.scenarios.contracts import Contract, group_contracts
from omnistaff.scenarios.scenario import Scenario

Pattern = tuple[bool, ...]  # worked on each day of a week of the horizon (day 0 first)
Node = tuple[int, int]  # (pattern, weeks since the last weekend off)
LineKey = tuple[str, int, float]  # (group, start, length)


@dataclass(frozen=True)
class Line:
    """People of a group on a contract working one shift every working day."""

    group: str
    contract: str
    template: str
    start: int
    length: float
    paid_seconds: float
    band: float = 0.0
    starts: tuple[int, ...] = ()  # the starts its people may take: its band's offered starts

    @property
    def key(self) -> LineKey:
        return (self.group, self.start, self.length)

    def shift_keys(self) -> list[LineKey]:
        """The (group, start, length) shifts its people may work."""
        return [(self.group, s, self.length) for s in self.starts or (self.start,)]


@dataclass(frozen=True)
class Rules:
    """A contract's patterns and moves, as plain data."""

    patterns: list[Pattern]
    nodes: list[Node]
    moves: list[tuple[int, int]]  # (from node, to node), indices into nodes


@dataclass(frozen=True)
class TourData:
    """The tour block's data: lines, each contract's rules, weeks, the weekday of each day of
    a week, every (line, week, move) variable with its weekly cost beyond the agent-shifts'
    (overtime), and the limits on people. `positions` are each variable's place in the full
    list (a restricted model keeps some)."""

    weeks: int
    weekdays: tuple[str, ...]
    lines: list[Line]
    rules: dict[str, Rules]
    rota: list[tuple[int, int, int]]
    cost: list[float]
    groups: frozenset[str]
    headcount: dict[str, int] = field(default_factory=dict)
    max_people: dict[str, int] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)
    #: Whether pay is the same every week (no public holiday premium on the horizon), so a
    #: rotation of identical weeks may be solved from its week (`tour_weeks`).
    repeats: bool = True

    def works(self, rota: int, day: int) -> bool:
        """Whether the people of a rota variable work a day (0 to 6) of their week."""
        line, _, move = self.rota[rota]
        rules = self.rules[self.lines[line].contract]
        return rules.patterns[rules.nodes[rules.moves[move][0]][0]][day]

    def restricted(self, keys: set[LineKey]) -> TourData:
        """Only the variables of lines whose shift is among `keys` (the options kept)."""
        keep = [r for r, (line, _, _) in enumerate(self.rota)
                if any(k in keys for k in self.lines[line].shift_keys())]
        return replace(self, rota=[self.rota[r] for r in keep], cost=[self.cost[r] for r in keep],
                       positions=[self.positions[r] for r in keep])


def tour_data(scenario: Scenario, options: list[ShiftOption]) -> TourData | None:
    """The tour block of a scenario with contracts (None without)."""
    contracts = scenario.contracts
    if not contracts:
        return None
    weeks = scenario.horizon.days // 7
    weekdays = tuple(scenario.horizon.weekday(d) for d in range(7))
    rules = {name: contract_rules(c, weekdays, weeks) for name, c in contracts.items()}
    lines = _lines(scenario, options)
    offered: dict[LineKey, set[str]] = {}
    for o in options:
        offered.setdefault((o.group, o.start, o.length), set()).add(o.weekday)
    rota, cost = [], []
    for i, line in enumerate(lines):
        contract = contracts[line.contract]
        days = set().union(*(offered[k] for k in line.shift_keys()))
        usable = _usable_patterns(rules[line.contract], days, weekdays)
        overtime = _weekly_overtime(scenario, line, contract)
        for w in range(weeks):
            for m, (a, b) in enumerate(rules[line.contract].moves):
                nodes = rules[line.contract].nodes
                if nodes[a][0] in usable and nodes[b][0] in usable:
                    rota.append((i, w, m))
                    cost.append(overtime)
    groups = frozenset(g for g in scenario.groups if group_contracts(contracts, g))
    return TourData(
        weeks=weeks, weekdays=weekdays, lines=lines, rules=rules, rota=rota, cost=cost,
        groups=groups, positions=list(range(len(rota))),
        headcount={g: scenario.groups[g].max_headcount for g in groups
                   if scenario.groups[g].max_headcount is not None},
        max_people={k: c.max_people for k, c in contracts.items() if c.max_people is not None},
        repeats=not (scenario.pay.holiday_premium and scenario.pay.holidays))


def contract_rules(contract: Contract, weekdays: tuple[str, ...], weeks: int) -> Rules:
    """A contract's weekly patterns, nodes (pattern, weeks since a weekend off) and moves."""
    patterns = [p for p in itertools.product((True, False), repeat=7)
                if sum(p) == contract.days_per_week and _pattern_ok(p, contract, weeks)]
    states = contract.weekend_off_every or 1
    nodes = [(p, r) for p in range(len(patterns)) for r in range(states)]
    weekend = [_weekend_off(p, weekdays) for p in patterns]
    moves = []
    for a, (p, r) in enumerate(nodes):
        for b, (q, s) in enumerate(nodes):
            if weeks == 1 and a != b:
                continue
            after = 0 if weekend[q] or contract.weekend_off_every is None else r + 1
            if s == after and after < states and _run_across(patterns[p], patterns[q]) <= \
                    contract.max_consecutive_days:
                moves.append((a, b))
    return Rules(patterns, nodes, moves)


def _pattern_ok(pattern: Pattern, contract: Contract, weeks: int) -> bool:
    """Days off together (cyclic within the week on a one-week horizon) and no run within the
    week longer than allowed."""
    if contract.days_off_together and 0 < pattern.count(False) < 7:
        off = [d for d in range(7) if not pattern[d]]
        starts = [d for d in off if pattern[d - 1]] if weeks == 1 else \
            [d for d in off if d == 0 or pattern[d - 1]]
        if len(starts) != 1:
            return False
    return _longest_run(pattern) <= contract.max_consecutive_days


def _longest_run(pattern: Pattern) -> int:
    best = run = 0
    for worked in pattern:
        run = run + 1 if worked else 0
        best = max(best, run)
    return best


def _run_across(first: Pattern, second: Pattern) -> int:
    """The longest run of working days across the end of one week and the start of the
    next."""
    return _longest_run(first + second)


def _weekend_off(pattern: Pattern, weekdays: tuple[str, ...]) -> bool:
    return not any(worked for worked, day in zip(pattern, weekdays, strict=True)
                   if day in ("sat", "sun"))


def _lines(scenario: Scenario, options: list[ShiftOption]) -> list[Line]:
    """Every (group, contract, shift) a contract allows: its template, a rest of 24 h less the
    length (and the start band) at least the contract's, weekly paid hours within its range.
    On a contract with a start band, a line's people may take any start of its template and
    length from the line's start to the band's end."""
    seen: dict[tuple, Line] = {}
    named = {g: group_contracts(scenario.contracts, g) for g in scenario.groups}
    starts: dict[tuple[str, str, float], set[int]] = {}
    for o in options:
        starts.setdefault((o.group, o.template, o.length), set()).add(o.start)
    for o in options:
        for name in named[o.group]:
            if (o.group, name, o.start, o.length) in seen:
                continue
            contract = scenario.contracts[name]
            weekly = o.paid_seconds * contract.days_per_week
            if contract.templates and o.template not in contract.templates:
                continue
            band = contract.start_band
            if DAY - o.length - band < contract.min_rest or not (
                    contract.min_paid_hours <= weekly <= contract.max_paid_hours):
                continue
            covered = tuple(sorted(t for t in starts[(o.group, o.template, o.length)]
                                   if o.start <= t <= o.start + band)) if band else ()
            line = Line(o.group, name, o.template, o.start, o.length, o.paid_seconds, band,
                        covered)
            seen.setdefault((o.group, name, o.start, o.length), line)
    return sorted(seen.values(), key=lambda x: (x.group, x.contract, x.start, x.length))


def _usable_patterns(rules: Rules, offered: set[str], weekdays: tuple[str, ...]) -> set[int]:
    """Patterns whose every working day has the line's shift offered (`offered`: the
    weekdays it is)."""
    return {p for p, pattern in enumerate(rules.patterns)
            if all(weekdays[d] in offered for d in range(7) if pattern[d])}


def _weekly_overtime(scenario: Scenario, line: Line, contract: Contract) -> float:
    """Overtime premium of one person-week on a line: paid hours beyond contract hours."""
    extra = max(0.0, line.paid_seconds * contract.days_per_week - contract.contract_hours)
    rate = scenario.groups[line.group].hourly_cost
    return extra / 3600 * rate * scenario.pay.overtime_premium


def add_tours(m: pyo.ConcreteModel, tours: TourData, options: list[ShiftOption],
              weekday_days: dict[str, list[int]]) -> None:
    """People on tours: the agent-shifts of contracted groups are those of people at work."""
    m.ROTA = pyo.RangeSet(0, len(tours.rota) - 1, doc="(line, week, move): people per line "
                          "working one days-off pattern this week and another the next")
    m.rota = pyo.Var(m.ROTA, within=pyo.NonNegativeIntegers,
                     doc="people on a line, week and move of days-off patterns")
    starting: dict[tuple[int, int, int], list[int]] = {}
    ending: dict[tuple[int, int, int], list[int]] = {}
    working: dict[tuple[LineKey, int, int], list[int]] = {}
    banded: dict[tuple[int, int], list[int]] = {}  # (band line, day of the horizon) -> rota
    for r, (line, week, move) in enumerate(tours.rota):
        rules = tours.rules[tours.lines[line].contract]
        a, b = rules.moves[move]
        starting.setdefault((line, week, a), []).append(r)
        ending.setdefault((line, (week + 1) % tours.weeks, b), []).append(r)
        for d in range(7):
            if tours.works(r, d) and tours.lines[line].band:
                banded.setdefault((line, 7 * week + d), []).append(r)
            elif tours.works(r, d):
                working.setdefault((tours.lines[line].key, week, d), []).append(r)
    nodes = sorted(set(starting) | set(ending))
    m.PATTERN_WEEKS = pyo.Set(dimen=3, initialize=nodes, ordered=True,
                              doc="(line, week, node) with people")

    @m.Constraint(m.PATTERN_WEEKS, doc="people on a line keep their line from week to week")
    def rota_flow(m, line, week, node):
        return sum(m.rota[r] for r in ending.get((line, week, node), ())) == sum(
            m.rota[r] for r in starting.get((line, week, node), ()))

    shifts = _option_days(tours, options, weekday_days)
    for (key, week, d) in working:  # people may not work a day their shift is not offered
        shifts.setdefault((*key, 7 * week + d), [])
    m.TOUR_SHIFTS = pyo.Set(dimen=4, initialize=sorted(shifts), ordered=True,
                            doc="(group, start, length, day of the horizon) of tour groups")

    taking = _add_bands(m, tours, banded, shifts)

    @m.Constraint(m.TOUR_SHIFTS, doc="a contracted group's agent-shifts on a day are its "
                  "people on lines working that day (on a band line, those taking this start)")
    def tour_link(m, group, start, length, day):
        people = working.get(((group, start, length), day // 7, day % 7), [])
        agents = shifts[(group, start, length, day)]
        bands = taking.get((group, start, length, day), [])
        if not agents and not people and not bands:
            return pyo.Constraint.Skip
        return sum(m.agents[s] for s in agents) == sum(m.rota[r] for r in people) + sum(
            m.takes[k] for k in bands)

    firsts = [r for r, (_, week, _) in enumerate(tours.rota) if week == 0]

    def people(keep) -> list[int]:
        return [r for r in firsts if keep(tours.lines[tours.rota[r][0]])]

    m.PEOPLE_LIMITS = pyo.Set(initialize=[*(f"group:{g}" for g in tours.headcount),
                                          *(f"contract:{k}" for k in tours.max_people)],
                              doc="groups and contracts with a most number of people")

    @m.Constraint(m.PEOPLE_LIMITS, doc="people of a group (headcount) or on a contract")
    def people_limit(m, limit):
        if m.elastic:  # what had to give is found in the agents' limits instead
            return pyo.Constraint.Skip
        kind, name = limit.split(":", 1)
        if kind == "group":
            chosen, most = people(lambda x: x.group == name), tours.headcount[name]
        else:
            chosen, most = people(lambda x: x.contract == name), tours.max_people[name]
        if not chosen:
            return pyo.Constraint.Skip
        return sum(m.rota[r] for r in chosen) <= most

    m.tour_cost = pyo.Expression(expr=sum(c * m.rota[r] for r, c in enumerate(tours.cost)
                                          if c), doc="overtime premium of people's weeks")


def _add_bands(m: pyo.ConcreteModel, tours: TourData, banded: dict[tuple[int, int], list[int]],
               shifts: dict[tuple, list[int]]) -> dict[tuple, list[tuple[int, int, int]]]:
    """People of band lines each take one start of their band on each working day: `takes`
    counts them per (line, start, day). It need not be integer: people per line and day and
    agent-shifts per start, both whole, with bands as intervals of starts, make a
    transportation problem whose every vertex is whole, so the roster can always give each
    person one start (`roster_out`). Returns the `takes` of each (group, start, length, day)."""
    keys = [(line, start, day) for (line, day) in sorted(banded)
            for start in tours.lines[line].starts
            if (tours.lines[line].group, start, tours.lines[line].length, day) in shifts]
    m.BAND_TAKES = pyo.Set(dimen=3, initialize=keys, ordered=True,
                           doc="(band line, start within its band, day of the horizon)")
    m.takes = pyo.Var(m.BAND_TAKES, within=pyo.NonNegativeReals,
                      doc="people of a band line taking a start of their band on a day")
    by_day: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    taking: dict[tuple, list[tuple[int, int, int]]] = {}
    for key in keys:
        line, start, day = key
        by_day.setdefault((line, day), []).append(key)
        taking.setdefault((tours.lines[line].group, start, tours.lines[line].length, day),
                          []).append(key)
    m.BAND_DAYS = pyo.Set(dimen=2, initialize=sorted(banded), ordered=True,
                          doc="(band line, day of the horizon) with people at work")

    @m.Constraint(m.BAND_DAYS, doc="each person of a band line working a day takes one start")
    def band_link(m, line, day):
        return sum(m.takes[k] for k in by_day.get((line, day), ())) == sum(
            m.rota[r] for r in banded[(line, day)])

    return taking


def _option_days(tours: TourData, options: list[ShiftOption],
                 weekday_days: dict[str, list[int]]) -> dict[tuple, list[int]]:
    """Per (group, start, length, day) of a contracted group, its options worked that day."""
    shifts: dict[tuple, list[int]] = {}
    for s, o in enumerate(options):
        if o.group in tours.groups:
            for day in weekday_days[o.weekday]:
                shifts.setdefault((o.group, o.start, o.length, day), []).append(s)
    return shifts


def people_of(model: pyo.ConcreteModel, full: TourData | None) -> tuple[int, ...]:
    """A solved model's people per rota variable of the full tour data (none without tours;
    variables the model left out hold none)."""
    if full is None:
        return ()
    place = {p: i for i, p in enumerate(full.positions)}
    counts = [0] * len(full.rota)
    tours: TourData = model.schedule_data.tours
    for j, position in enumerate(tours.positions):
        counts[place[position]] = round(model.rota[j].value or 0)
    return tuple(counts)


def people_start(model: pyo.ConcreteModel, full: Any, best: tuple[int, ...]
                 ) -> dict[int, int] | None:
    """A restricted model's people per rota variable in a schedule of the full data (for a
    MIP start); None without tours."""
    if full.tours is None:
        return None
    tail = best[len(full.options):]
    place = {p: i for i, p in enumerate(full.tours.positions)}
    tours: TourData = model.schedule_data.tours
    return {j: tail[place[p]] for j, p in enumerate(tours.positions)}
