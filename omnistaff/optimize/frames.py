"""Reading a solved schedule model back as tidy frames: the shifts worked, and coverage against
requirement per channel and interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from omnistaff.optimize.data import ScheduleData
from omnistaff.optimize.shifts import Break, clock_text

SCHEDULE_COLUMNS = ["group", "template", "day", "start", "end", "length_hours", "paid_hours",
                    "breaks", "count", "cost", "option"]


def schedule_frame(model: pyo.ConcreteModel) -> pd.DataFrame:
    """One row per shift option worked: group, template, day, start, end, length and paid
    hours, breaks, agents (`count`) and paid cost over the horizon."""
    data: ScheduleData = model.schedule_data
    rows = []
    for s in model.OPTIONS:
        count = round(model.agents[s].value or 0)
        if count <= 0:
            continue
        option = data.options[s]
        rows.append({
            "group": option.group, "template": option.template, "day": option.weekday,
            "start": option.clock, "end": option.end_clock,
            "length_hours": option.length / 3600, "paid_hours": option.paid_seconds / 3600,
            "breaks": breaks_text(option.start, option.breaks), "count": count,
            "cost": data.cost[s] * count, "option": s,
        })
    return pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)


def breaks_text(start: int, breaks: tuple[Break, ...]) -> str:
    """Breaks as clock times, e.g. '12:00-12:30 unpaid; 15:00-15:15 paid'."""
    return "; ".join(
        f"{clock_text(start + offset)}-{clock_text(start + offset + duration)} "
        f"{'paid' if paid else 'unpaid'}" for offset, duration, paid in breaks
    )


def coverage_frame(model: pyo.ConcreteModel) -> pd.DataFrame:
    """Per channel and interval: `required` reference agents (deferred: work arriving, in
    agent-intervals), `allocated` capacity, capacity `available` from every group serving the
    channel, and deferred `backlog` at the interval's end."""
    data: ScheduleData = model.schedule_data
    steps = range(data.intervals)
    working = {g: np.array([(model.staffed[g, t].value or 0.0) - (model.resting[g, t].value or 0.0)
                            for t in steps]) for g in data.groups}
    allocated = {key: var.value or 0.0 for key, var in model.allocated.items()}
    frames = []
    for c in [*data.live, *data.deferred]:
        groups = data.skilled(c)
        frame = pd.DataFrame({"channel": c, "interval": np.arange(data.intervals),
                              "label": data.labels})
        source = data.required if c in data.live else data.work
        frame["required"] = [source.get((c, t), 0.0) for t in steps]
        frame["allocated"] = [sum(data.efficiency[(g, c)] * allocated.get((g, c, t), 0.0)
                                  for g in groups) for t in steps]
        frame["available"] = sum((data.efficiency[(g, c)] * data.availability[g] * working[g]
                                  for g in groups), np.zeros(data.intervals))
        frame["backlog"] = ([model.backlog[c, t].value or 0.0 for t in steps]
                            if c in data.deferred else np.nan)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
