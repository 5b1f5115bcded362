"""The named roster: the people of a solved tour model, each with their own working days.

People per line, week and move (a layered circulation) are taken apart into cycles: a cycle
through the weeks once is one person repeating their weeks; a cycle through them k times is
a rotation of k people, each taking the next one's weeks in the next cycle (`next`). Each
person working a day gets one of that day's agent-shifts of their shift (break placement), so
the roster holds exactly the schedule's agent-shifts.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import pandas as pd

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.shifts import Break, clock_text
from omnistaff.optimize.tours import Line, TourData
from omnistaff.scenarios.pay import shift_premium
from omnistaff.scenarios.scenario import Scenario


@dataclass(frozen=True)
class RosterShift:
    """One person's shift on one day of the horizon (times in seconds after its midnight)."""

    agent: str
    group: str
    contract: str
    template: str
    day: int
    start: float
    length: float
    breaks: tuple[Break, ...]
    next_agent: str

    @property
    def paid_seconds(self) -> float:
        return self.length - sum(d for _, d, paid in self.breaks if not paid)


def build_roster(data: ScheduleData, schedule: tuple[int, ...]) -> list[RosterShift]:
    """The roster of a solved schedule (agents per option, then people per rota variable)."""
    tours = data.tours
    if tours is None:
        return []
    agents = list(schedule[:len(data.options)])
    rota = list(schedule[len(data.options):])
    places = _places(data, agents)
    shifts: list[RosterShift] = []
    waiting: dict[tuple[str, float, int], list[tuple[Line, str, str]]] = {}
    numbers: dict[str, int] = {}
    for i, line in enumerate(tours.lines):
        for chain in _cycles(tours, i, rota):
            names = []
            for _ in chain:
                numbers[line.group] = numbers.get(line.group, 0) + 1
                names.append(f"{line.group}-{numbers[line.group]:04d}")
            for k, weeks in enumerate(chain):
                following = names[(k + 1) % len(names)]
                for w, pattern in enumerate(weeks):
                    for d in (d for d in range(7) if pattern[d]):
                        if line.band:  # a start of the band, once the fixed starts are taken
                            waiting.setdefault((line.group, line.length, 7 * w + d), []).append(
                                (line, names[k], following))
                            continue
                        breaks = places[(line.group, line.start, line.length, 7 * w + d)].pop()
                        shifts.append(RosterShift(names[k], line.group, line.contract,
                                                  line.template, 7 * w + d, line.start,
                                                  line.length, breaks, following))
    for (group, length, day), people in sorted(waiting.items(), key=lambda x: x[0]):
        shifts += _band_starts(group, length, day, people, places)
    return sorted(shifts, key=lambda s: (s.agent, s.day))


def _band_starts(group: str, length: float, day: int, people: list[tuple[Line, str, str]],
                 places: dict[tuple, list[tuple[Break, ...]]]) -> list[RosterShift]:
    """A day's people of band lines (of one group and length), each given one of the day's
    agent-shifts left at a start of their band: starts in order, each to the waiting person
    whose band ends first (Glover's rule, which finds a full assignment of intervals whenever
    there is one)."""
    starts = sorted(s for (g, s, n, d), stack in places.items()
                    if (g, n, d) == (group, length, day) and stack)
    pending = sorted(people, key=lambda p: (p[0].start, p[1]))
    shifts: list[RosterShift] = []
    open_: list[tuple[float, int, tuple[Line, str, str]]] = []
    for start in starts:
        while pending and pending[0][0].start <= start:
            person = pending.pop(0)
            heapq.heappush(open_, (person[0].start + person[0].band, len(pending), person))
        stack = places[(group, start, length, day)]
        while stack and open_ and open_[0][0] >= start:
            line, agent, following = heapq.heappop(open_)[2]
            shifts.append(RosterShift(agent, group, line.contract, line.template, day, start,
                                      length, stack.pop(), following))
        if open_ and open_[0][0] < start:
            break
    if pending or open_:
        raise ValueError(f"no start left in the band of {len(pending) + len(open_)} people of "
                         f"{group} on day {day}: the schedule's agent-shifts do not match its "
                         "people")
    return shifts


def _places(data: ScheduleData, agents: list[int]) -> dict[tuple, list[tuple[Break, ...]]]:
    """Per (group, start, length, day), the break placements of the day's agent-shifts."""
    places: dict[tuple, list[tuple[Break, ...]]] = {}
    for s, count in enumerate(agents):
        o = data.options[s]
        if count and data.tours is not None and o.group in data.tours.groups:
            for day in data.weekday_days[o.weekday]:
                places.setdefault((o.group, o.start, o.length, day), []).extend(
                    [o.breaks] * count)
    for stack in places.values():
        stack.reverse()
    return places


def _cycles(tours: TourData, line: int, rota: list[int]) -> list[list[list[tuple[bool, ...]]]]:
    """A line's people as cycles of the circulation: per cycle, per person, their weekly
    patterns."""
    rules = tours.rules[tours.lines[line].contract]
    flow: dict[tuple[int, int], dict[int, int]] = {}  # (week, from node) -> move -> people
    for r, (i, week, move) in enumerate(tours.rota):
        if i == line and rota[r] > 0:
            flow.setdefault((week, rules.moves[move][0]), {})[move] = rota[r]
    cycles = []
    while any(flow.get((0, n)) for n in range(len(rules.nodes))):
        node = min(n for n in range(len(rules.nodes)) if flow.get((0, n)))
        walk: list[tuple[int, int]] = []  # (week, move)
        seen: dict[int, int] = {}  # week-0 node -> place in the walk
        week = 0
        while True:
            if week == 0:
                if node in seen:
                    break
                seen[node] = len(walk)
            move = min(flow[(week, node)])
            walk.append((week, move))
            node, week = rules.moves[move][1], (week + 1) % tours.weeks
        loop = walk[seen[node]:]
        for week, move in loop:
            key = (week, rules.moves[move][0])
            flow[key][move] -= 1
            if not flow[key][move]:
                del flow[key][move]
        patterns = [rules.patterns[rules.nodes[rules.moves[m][0]][0]] for _, m in loop]
        cycles.append([patterns[k:k + tours.weeks] for k in range(0, len(patterns),
                                                                   tours.weeks)])
    return cycles


def roster_frame(scenario: Scenario, roster: list[RosterShift]) -> pd.DataFrame:
    """roster.csv: one row per person per working day."""
    horizon = scenario.horizon
    rows = [{
        "agent": s.agent, "group": s.group, "contract": s.contract, "template": s.template,
        "day": s.day, "weekday": horizon.day_label(s.day), "start": clock_text(s.start),
        "end": clock_text(s.start + s.length), "breaks": breaks_text(s.breaks),
        "paid_hours": s.paid_seconds / 3600,
        "premium_cost": shift_premium(scenario, s.group, horizon.weekday(s.day), s.day,
                                      s.start, s.length, s.breaks),
        "next_cycle_agent": s.next_agent,
    } for s in roster]
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)


ROSTER_COLUMNS = ["agent", "group", "contract", "template", "day", "weekday", "start", "end",
                  "breaks", "paid_hours", "premium_cost", "next_cycle_agent"]


def breaks_text(breaks: tuple[Break, ...]) -> str:
    """'12:00-12:30 unpaid; 15:00-15:15 paid' (offsets from the start, as clock times from 0)."""
    return "; ".join(f"+{after / 3600:g}h {duration / 60:g}min {'paid' if paid else 'unpaid'}"
                     for after, duration, paid in breaks)


def roster_shifts(scenario: Scenario, roster: list[RosterShift]) -> list[dict[str, Any]]:
    """The roster as `staffing.shifts` entries: per person and shift, the weekdays of each week
    they work it, so simulation logs each person in and out on their own days."""
    horizon = scenario.horizon
    grouped: dict[tuple, set[tuple[int, int]]] = {}
    for s in roster:
        key = (s.agent, s.group, s.start, s.length, s.breaks)
        grouped.setdefault(key, set()).add((s.day // 7, s.day % 7))
    entries = []
    for (agent, group, start, length, breaks), days in sorted(grouped.items()):
        by_week: dict[frozenset[int], list[int]] = {}
        for week in sorted({w for w, _ in days}):
            by_week.setdefault(frozenset(d for w, d in days if w == week), []).append(week)
        for weekdays, weeks in by_week.items():
            entries.append({
                "group": group, "agent": agent, "start": clock_text(start), "length": length,
                "days": [horizon.weekday(d) for d in sorted(weekdays)], "weeks": weeks,
                "breaks": [{"after": a, "duration": d, "paid": p} for a, d, p in breaks],
                "count": 1})
    return entries


def headcount_frame(scenario: Scenario, roster: list[RosterShift]) -> pd.DataFrame:
    """People per group and contract with their FTE, paid hours and cost over the horizon:
    base pay, time and skill premiums, overtime."""
    frame = roster_frame(scenario, roster)
    columns = ["group", "contract", "people", "fte", "paid_hours", "base_cost",
               "premium_cost", "overtime_cost", "total_cost"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    weeks = scenario.horizon.days / 7
    rows = []
    for (group, contract), part in frame.groupby(["group", "contract"], sort=True):
        rate = scenario.groups[group].hourly_cost
        hours = float(part["paid_hours"].sum())
        weekly = part.groupby(["agent", part["day"] // 7])["paid_hours"].sum()
        limit = scenario.contracts[contract].contract_hours / 3600
        overtime = float((weekly - limit).clip(lower=0).sum()) * rate * \
            scenario.pay.overtime_premium
        base, premium = hours * rate, float(part["premium_cost"].sum())
        rows.append({"group": group, "contract": contract, "people": part["agent"].nunique(),
                     "fte": hours / weeks / (scenario.pay.full_time_hours / 3600),
                     "paid_hours": hours, "base_cost": base, "premium_cost": premium,
                     "overtime_cost": overtime, "total_cost": base + premium + overtime})
    return pd.DataFrame(rows, columns=columns)


def tour_staffing(scenario: Scenario, data: ScheduleData, schedule: tuple[int, ...]
                  ) -> tuple[list[dict[str, Any]], list[RosterShift]]:
    """The staffing of a schedule with tours, and its roster: the named roster for contracted
    groups, loose agent-shifts (as schedule.csv has them) for the others."""
    from omnistaff.optimize.schedule import shifts_of

    roster = build_roster(data, schedule)
    tours = data.tours
    loose = [0 if tours is not None and o.group in tours.groups else a
             for o, a in zip(data.options, schedule[:len(data.options)], strict=True)]
    return shifts_of(data, loose) + roster_shifts(scenario, roster), roster
