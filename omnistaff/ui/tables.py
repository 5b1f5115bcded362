"""Rich tables of KPIs for the terminal: formatting only, no model logic."""

from __future__ import annotations

import math

import pandas as pd
from rich.markup import escape
from rich.table import Table

from omnistaff.scenarios.scenario import Scenario
from omnistaff.ui.catalogue import CHANNEL_CATALOGUE, GROUP_CATALOGUE, amount, duration, with_ci

__all__ = ["amount", "channel_table", "duration", "group_table"]

CHANNEL_COLUMNS = ["offered", "handled", "service_level", "asa_seconds", "response_p90_seconds",
                   "abandon_rate", "backlog_end"]
GROUP_COLUMNS = ["occupancy", "paid_hours", "staffed_hours", "mean_concurrency"]


def channel_table(table: pd.DataFrame, scenario: Scenario, title: str) -> Table:
    """Per channel: volumes, service level against target, waits, abandonment, backlog."""
    out = Table(title=escape(title), title_justify="left")
    kpis = [CHANNEL_CATALOGUE[k] for k in CHANNEL_COLUMNS]
    out.add_column("channel", justify="left", no_wrap=True)
    for kpi in kpis:
        out.add_column(kpi.title, justify="right", no_wrap=True)
        if kpi.key == "service_level":
            out.add_column("target", justify="right", no_wrap=True)
    for channel, row in table.iterrows():
        spec = scenario.channels[str(channel)]
        cells = [f"{channel} ({spec.mode})"]
        for kpi in kpis:
            half = row[f"{kpi.key}_ci95"] if kpi.key == "service_level" else None
            cells.append(with_ci(row[kpi.key], half, kpi.kind))
            if kpi.key == "service_level":
                cells.append(f"{100 * spec.sla.target:.0f}% in {duration(spec.sla.threshold)}")
        out.add_row(*cells)
    return out


def group_table(table: pd.DataFrame, title: str) -> Table:
    """Per group: occupancy, paid and staffed hours, concurrency."""
    out = Table(title=escape(title), title_justify="left")
    out.add_column("group", justify="left")
    for key in GROUP_COLUMNS:
        out.add_column(GROUP_CATALOGUE[key].title, justify="right")
    for group, row in table.iterrows():
        concurrency = row["mean_concurrency"]
        out.add_row(str(group), with_ci(row["occupancy"], row["occupancy_ci95"], "share"),
                    amount(row["paid_hours"], "hours"), amount(row["staffed_hours"], "hours"),
                    "–" if math.isnan(concurrency) else f"{concurrency:.2f}")
    return out
