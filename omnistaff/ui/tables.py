"""Rich tables of KPIs for the terminal: formatting only, no model logic."""

from __future__ import annotations

import math

import pandas as pd
from rich.markup import escape
from rich.table import Table

from omnistaff.scenarios.scenario import Scenario
from omnistaff.ui.catalogue import CHANNEL_CATALOGUE, GROUP_CATALOGUE, amount, duration, with_ci

__all__ = ["amount", "channel_table", "duration", "group_table", "text_table"]

CHANNEL_COLUMNS = ["offered", "handled", "service_level", "asa_seconds", "response_p90_seconds",
                   "abandon_rate", "backlog_end"]
GROUP_COLUMNS = ["occupancy", "paid_hours", "staffed_hours", "mean_concurrency"]


def channel_table(table: pd.DataFrame, scenario: Scenario, title: str) -> Table:
    """Per channel: volumes, service level against target, waits, abandonment, backlog."""
    kpis = [CHANNEL_CATALOGUE[k] for k in CHANNEL_COLUMNS]
    headers = ["channel"]
    for kpi in kpis:
        headers += [kpi.title, "target"] if kpi.key == "service_level" else [kpi.title]
    rows = []
    for channel, row in table.iterrows():
        spec = scenario.channels[str(channel)]
        cells = [f"{channel} ({spec.mode})"]
        for kpi in kpis:
            half = row[f"{kpi.key}_ci95"] if kpi.key == "service_level" else None
            cells.append(with_ci(row[kpi.key], half, kpi.kind))
            if kpi.key == "service_level":
                cells.append(f"{100 * spec.sla.target:.0f}% in {duration(spec.sla.threshold)}")
        rows.append(cells)
    return _table(title, headers, rows)


def _table(title: str, headers: list[str], rows: list[list[str]]) -> Table:
    """A table of text cells, first column left-aligned. A narrow terminal wraps the titles
    wider than their values, never a value."""
    out = Table(title=escape(title), title_justify="left")
    for i, header in enumerate(headers):
        widest = max((len(line) for row in rows for line in row[i].splitlines()), default=0)
        out.add_column(header, justify="left" if i == 0 else "right",
                       no_wrap=widest >= len(header))
    for row in rows:
        out.add_row(*row)
    return out


def text_table(frame: pd.DataFrame, title: str) -> Table:
    """A frame of text cells (say, `policy_view.policy_table`) as a terminal table."""
    return _table(title, [str(c) for c in frame.columns],
                  [[str(v) for v in row] for row in frame.itertuples(index=False)])


def group_table(table: pd.DataFrame, title: str) -> Table:
    """Per group: occupancy, paid and staffed hours, concurrency."""
    headers = ["group", *(GROUP_CATALOGUE[key].title for key in GROUP_COLUMNS)]
    rows = []
    for group, row in table.iterrows():
        concurrency = row["mean_concurrency"]
        rows.append([str(group), with_ci(row["occupancy"], row["occupancy_ci95"], "share"),
                     amount(row["paid_hours"], "hours"), amount(row["staffed_hours"], "hours"),
                     "–" if math.isnan(concurrency) else f"{concurrency:.2f}"])
    return _table(title, headers, rows)


#: Columns beside offered that account for every contact: abandoned includes those who
#: balked or got a busy signal; waiting, those still queued at the end of the horizon;
#: called back (where a channel offers call-backs), those who left the queue for one.
ACCOUNTED = {"handled": ("handled",), "triaged out": ("triaged_out",),
             "deflected": ("deflected",), "abandoned": ("abandoned", "balked", "blocked"),
             "expired": ("expired",), "waiting": ("waiting",), "called back": ("called_back",)}


def contacts_table(table: pd.DataFrame, title: str) -> Table:
    """Per channel: where every offered contact went (the columns add up to offered), and
    how many handled ones escalated to another channel."""
    out = Table(title=escape(title), title_justify="left")
    accounted = {name: columns for name, columns in ACCOUNTED.items()
                 if all(c in table.columns for c in columns)}
    for name in ("channel", "offered", *accounted, "escalated"):
        out.add_column(name, justify="left" if name == "channel" else "right", no_wrap=True)
    for channel, row in table.iterrows():
        counts = [sum(row[c] for c in columns) for columns in accounted.values()]
        out.add_row(str(channel), *(f"{v:,.0f}" for v in (row["offered"], *counts,
                                                           row["escalated"])))
    return out
