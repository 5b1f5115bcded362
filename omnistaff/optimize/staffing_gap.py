"""Required against scheduled staffing, per agent group and interval, before any optimizing:
where the scenario's shifts leave a group short of what its channels need, and where they
leave agents to spare.

*Required* is what the optimizer plans for (`optimize.channel_requirements`, for every
channel, also those `optimizer.channels` leaves out): for a live channel, the least agents on
queue that meet its SLA by Erlang A (Erlang C without patience); for a deferred channel, its
work as it arrives (it may wait up to its response window, so an interval short of deferred
work alone may be caught up later). A channel served by several groups shares its
requirement among them in proportion to the capacity each has scheduled for it then (equally
when none has any), and a group's agents on queue become agents on shift by its shrinkage
and absenteeism (`ScheduleData.availability`). Channels a group serves are added up, with no
pooling gain. *Scheduled* is the scenario's staffing: agents on shift per interval, breaks
excluded. Scenario in, plain frames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnistaff.optimize.data import ScheduleData, schedule_data
from omnistaff.optimize.evaluate import every_channel_judged
from omnistaff.optimize.requirements import channel_requirements
from omnistaff.scenarios import Scenario
from omnistaff.sim.roster import interval_counts, planned_shifts

#: A shortfall smaller than this many agents is rounding, not a short interval.
SHORT_SLACK = 0.05
#: An interval is overstaffed when at least this many agents more than required are on shift.
OVER_AGENTS = 1.0
COLUMNS = ["group", "interval", "day", "hour", "weekday", "time", "live", "deferred",
           "required", "scheduled", "gap"]


def scheduled_agents(scenario: Scenario) -> dict[str, np.ndarray]:
    """Per group and interval of the horizon, the agents on shift and not on a break
    (time-weighted within the interval): the scenario's shifts and per-interval counts."""
    horizon = scenario.horizon
    width, count = horizon.interval_seconds, horizon.intervals
    on = {name: np.zeros(count) for name in scenario.groups}
    for group, login, logout, breaks in planned_shifts(scenario):
        _add(on[group], login, logout, width, 1.0)
        for start, length, _paid in breaks:
            _add(on[group], start, start + length, width, -1.0)
    if scenario.staffing.per_interval_drop != "levels":  # planned_shifts has only "levels"
        for group, counts in scenario.staffing.per_interval.items():
            index, agents = interval_counts(np.asarray(counts, dtype=float), scenario)
            on[group][index[index >= 0]] += agents[index >= 0]
    return on


def _add(series: np.ndarray, start: float, end: float, width: float, sign: float) -> None:
    """Add `sign` times the share of each interval that [start, end) covers, within the
    horizon."""
    start, end = max(start, 0.0), min(end, width * len(series))
    if end <= start:
        return
    first, last = int(start // width), int(np.ceil(end / width))
    edges = np.arange(first, last + 1) * width
    covered = np.minimum(edges[1:], end) - np.maximum(edges[:-1], start)
    series[first:last] += sign * np.clip(covered, 0.0, None) / width


def staffing_gap(scenario: Scenario) -> pd.DataFrame:
    """Per group and interval: agents on shift required by live channels (`live`) and by
    deferred work (`deferred`), their sum (`required`), agents `scheduled`, and `gap` =
    scheduled - required (negative: short)."""
    every = every_channel_judged(scenario)
    data = schedule_data(every, channel_requirements(every))
    scheduled = scheduled_agents(scenario)
    live = _shared(data, data.live, data.required, scheduled)
    deferred = _shared(data, data.deferred, data.work, scheduled)
    horizon = scenario.horizon
    per_day = horizon.intervals_per_day
    steps = np.arange(horizon.intervals)
    frames = [pd.DataFrame({
        "group": name, "interval": steps, "day": steps // per_day,
        "hour": (steps % per_day) * horizon.interval_minutes // 60,
        "weekday": [horizon.day_label(int(d)) for d in steps // per_day],
        "time": [label.split(" ")[-1] for label in data.labels],
        "live": live[name], "deferred": deferred[name],
        "required": live[name] + deferred[name], "scheduled": scheduled[name],
        "gap": scheduled[name] - live[name] - deferred[name]}) for name in scenario.groups]
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _shared(data: ScheduleData, channels: list[str], need: dict[tuple[str, int], float],
            scheduled: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each group's agents on shift for these channels' needs (reference agents per channel
    and interval), each need shared among its groups by the capacity they have scheduled."""
    steps = range(data.intervals)
    agents = {g: np.zeros(data.intervals) for g in scheduled}
    for c in channels:
        groups = data.skilled(c)
        if not groups:
            continue
        wanted = np.array([need.get((c, t), 0.0) for t in steps])
        capacity = {g: scheduled[g] * data.availability[g] * data.efficiency[(g, c)]
                    for g in groups}
        total = sum(capacity.values(), np.zeros(data.intervals))
        for g in groups:
            share = np.divide(capacity[g], total, out=np.full(data.intervals, 1 / len(groups)),
                              where=total > 0)
            agents[g] += wanted * share / (data.efficiency[(g, c)] * data.availability[g])
    return agents


def gap_by_day(gap: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per group and day: agent-hours required and scheduled, hours short (scheduled below
    required), hours short of the live channels' need alone, hours over (at least
    `OVER_AGENTS` to spare), and the largest shortfall in agents with the interval it falls
    in."""
    hours = scenario.horizon.interval_minutes / 60
    marked = gap.assign(short=gap["gap"] < -SHORT_SLACK, over=gap["gap"] >= OVER_AGENTS,
                        live_short=gap["scheduled"] - gap["live"] < -SHORT_SLACK)
    rows = []
    for (group, day), part in marked.groupby(["group", "day"], sort=False):
        worst = part.loc[part["gap"].idxmin()]
        rows.append({
            "group": group, "day": int(day), "weekday": scenario.horizon.day_label(int(day)),
            "required_hours": part["required"].sum() * hours,
            "scheduled_hours": part["scheduled"].sum() * hours,
            "short_hours": part["short"].sum() * hours,
            "live_short_hours": part["live_short"].sum() * hours,
            "over_hours": part["over"].sum() * hours,
            "most_short": max(0.0, -float(worst["gap"])),
            "most_short_at": str(worst["time"]) if worst["gap"] < -SHORT_SLACK else ""})
    return pd.DataFrame(rows)


def short_lines(by_day: pd.DataFrame, scenario: Scenario) -> list[str]:
    """A line per group short somewhere: its hours short over the horizon (and of them, short
    of the live channels' need alone) and its worst interval ("Phone team: 6.5 h short over 7
    day(s), 6.5 h of them for live channels; at most 3.2 agents short (Mon 08:00)")."""
    lines = []
    for group, part in by_day.groupby("group", sort=False):
        short = float(part["short_hours"].sum())
        if short <= 0:
            continue
        worst = part.loc[part["most_short"].idxmax()]
        title = scenario.groups[str(group)].label or str(group)
        live = float(part["live_short_hours"].sum())
        lines.append(f"{title}: {short:g} h short over {scenario.horizon.days} day(s), "
                     f"{live:g} h of them for live channels; at most "
                     f"{worst['most_short']:.1f} agents short ({worst['weekday']} "
                     f"{worst['most_short_at']})")
    return lines
