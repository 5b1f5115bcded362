"""Rich tables of KPIs for the terminal: formatting only, no model logic."""

from __future__ import annotations

import math

import pandas as pd
from rich.markup import escape
from rich.table import Table

from omnistaff.scenarios.scenario import Scenario


def duration(seconds: float) -> str:
    """A readable duration: 14 s, 3.5 min, 2.1 h."""
    if seconds is None or math.isnan(seconds):
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.3g} min"
    return f"{seconds / 3600:.3g} h"


def amount(value: float, kind: str, currency: str = "", cents: bool | None = None) -> str:
    """A value in the unit its kind implies: 81.2%, 3.5 min, USD 4.10, USD 12,400, 403 h."""
    if value is None or math.isnan(value):
        return "–"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "seconds":
        return duration(value)
    if kind == "money":
        cents = abs(value) < 100 if cents is None else cents
        return f"{currency} {value:,.{2 if cents else 0}f}".strip()
    if kind == "hours":
        return f"{value:,.0f} h"
    if kind == "number":
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def share(value: float, half: float | None = None) -> str:
    if value is None or math.isnan(value):
        return "–"
    text = f"{100 * value:.1f}%"
    return text if half is None or math.isnan(half) else f"{text} ± {100 * half:.1f}"


def channel_table(table: pd.DataFrame, scenario: Scenario, title: str) -> Table:
    """Per channel: volumes, service level against target, waits, abandonment, backlog."""
    out = Table(title=escape(title), title_justify="left")
    for name in ("channel", "offered", "handled", "service level", "target", "mean wait",
                 "p90 wait", "abandoned", "backlog"):
        out.add_column(name, justify="left" if name == "channel" else "right", no_wrap=True)
    for channel, row in table.iterrows():
        spec = scenario.channels[str(channel)]
        target = f"{100 * spec.sla.target:.0f}% in {duration(spec.sla.threshold)}"
        out.add_row(
            f"{channel} ({spec.mode})", f"{row['offered']:,.0f}", f"{row['handled']:,.0f}",
            share(row["service_level"], row["service_level_ci95"]), target,
            duration(row["asa_seconds"]), duration(row["response_p90_seconds"]),
            share(row["abandon_rate"]), f"{row['backlog_end']:,.0f}",
        )
    return out


def group_table(table: pd.DataFrame, title: str) -> Table:
    """Per group: occupancy, paid and staffed hours, concurrency."""
    out = Table(title=escape(title), title_justify="left")
    for name in ("group", "occupancy", "paid hours", "on-queue hours", "mean concurrency"):
        out.add_column(name, justify="left" if name == "group" else "right")
    for group, row in table.iterrows():
        concurrency = row["mean_concurrency"]
        out.add_row(str(group), share(row["occupancy"], row["occupancy_ci95"]),
                    f"{row['paid_hours']:,.0f}", f"{row['staffed_hours']:,.0f}",
                    "–" if math.isnan(concurrency) else f"{concurrency:.2f}")
    return out


#: Columns beside offered that account for every contact: abandoned includes those who
#: balked or got a busy signal; waiting, those still queued at the end of the horizon.
ACCOUNTED = {"handled": ("handled",), "triaged out": ("triaged_out",),
             "deflected": ("deflected",), "abandoned": ("abandoned", "balked", "blocked"),
             "expired": ("expired",), "waiting": ("waiting",)}


def contacts_table(table: pd.DataFrame, title: str) -> Table:
    """Per channel: where every offered contact went (the columns add up to offered), and
    how many handled ones escalated to another channel."""
    out = Table(title=escape(title), title_justify="left")
    for name in ("channel", "offered", *ACCOUNTED, "escalated"):
        out.add_column(name, justify="left" if name == "channel" else "right", no_wrap=True)
    for channel, row in table.iterrows():
        counts = [sum(row[c] for c in columns) for columns in ACCOUNTED.values()]
        out.add_row(str(channel), *(f"{v:,.0f}" for v in (row["offered"], *counts,
                                                           row["escalated"])))
    return out
