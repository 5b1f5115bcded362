"""Formatting KPIs for reports: which columns to show, and values with CIs in plain words."""

from __future__ import annotations

import html

import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.ui.catalogue import amount as number
from omnistaff.ui.catalogue import describe, difference_text, duration, missing, with_ci

__all__ = ["CHANNEL_COLUMNS", "GROUP_COLUMNS", "cell", "difference_cell", "difference_text",
           "number", "targets"]

#: The KPIs a report shows per channel and per group, in order (see `catalogue`).
CHANNEL_COLUMNS = ["service_level", "asa_seconds", "response_p90_seconds", "abandon_rate",
                   "backlog_end", "handled", "total_cost", "cost_per_handled",
                   "cost_per_resolved", "idle_share"]
GROUP_COLUMNS = ["paid_hours", "fte", "occupancy", "labour_cost", "training_cost"]


def cell(mean: float, half: float, kind: str, currency: str) -> str:
    """`value ± half-width`, HTML-escaped."""
    return html.escape(with_ci(mean, half, kind, currency))


def difference_cell(row: pd.Series, scope: str, kpi: str, currency: str) -> str:
    """`Δ +x ± h` under a variant's value, coloured when the interval excludes zero."""
    diff, half = row.get("diff"), row.get("diff_ci95")
    if missing(diff):
        return ""
    spec = describe(scope, kpi)
    text = f"Δ {difference_text(diff, half, spec.kind, currency)}"
    css = {"better": "up", "worse": "down"}.get(spec.verdict(diff, half), "")
    return f"<span class='d {css}'>{html.escape(text)}</span>"


def targets(scenarios: dict[str, Scenario], channel: str) -> str:
    """The channel's SLA as words; per variant when variants change it."""
    words = {name: _target(s, channel) for name, s in scenarios.items()}
    if len(set(words.values())) == 1:
        return html.escape(next(iter(words.values())))
    return html.escape("; ".join(f"{name}: {text}" for name, text in words.items()))


def _target(scenario: Scenario, channel: str) -> str:
    sla = scenario.channels[channel].sla
    mode = scenario.channels[channel].mode
    verb = "answered" if mode == "live" else "first response"
    return f"{100 * sla.target:.0f}% {verb} within {duration(sla.threshold)}"
