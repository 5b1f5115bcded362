"""Formatting KPIs for reports: which columns to show, and values with CIs in plain words."""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.ui.tables import amount as number
from omnistaff.ui.tables import duration

#: KPI -> (column title, kind). Kinds decide the format: share, seconds, money, count, hours.
CHANNEL_COLUMNS: dict[str, tuple[str, str]] = {
    "service_level": ("service level", "share"),
    "asa_seconds": ("mean wait / response", "seconds"),
    "response_p90_seconds": ("90% answered within", "seconds"),
    "abandon_rate": ("abandoned or expired", "share"),
    "backlog_end": ("backlog at end", "count"),
    "handled": ("handled", "count"),
    "total_cost": ("cost", "money"),
    "cost_per_handled": ("cost per handled", "money"),
    "cost_per_resolved": ("cost per resolved", "money"),
    "idle_share": ("idle share of cost", "share"),
}
GROUP_COLUMNS: dict[str, tuple[str, str]] = {
    "paid_hours": ("paid hours", "hours"),
    "fte": ("full-time equivalents", "number"),
    "occupancy": ("occupancy", "share"),
    "labour_cost": ("labour cost", "money"),
    "training_cost": ("training cost", "money"),
}
#: KPIs where a rise is good news; for the rest (costs, waits, losses) a fall is.
HIGHER_IS_BETTER = {"service_level", "handled", "resolved", "occupancy"}


def spread(value: float, kind: str, currency: str = "") -> str:
    """A CI half-width in the same unit (shares in percentage points)."""
    if value is None or math.isnan(value):
        return ""
    if kind == "share":
        return f"{100 * value:.1f} pts"
    if kind == "money":
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return number(value, kind, currency)


def cell(mean: float, half: float, kind: str, currency: str) -> str:
    """`value ± half-width`, HTML-escaped."""
    text = number(mean, kind, currency)
    extra = spread(half, kind, currency)
    return html.escape(f"{text} ± {extra}" if extra and text != "–" else text)


def difference_cell(row: pd.Series, kpi: str, kind: str, currency: str) -> str:
    """`Δ +x ± h` under a variant's value, coloured when the interval excludes zero."""
    diff, half = row.get("diff"), row.get("diff_ci95")
    if diff is None or _missing(diff):
        return ""
    text = f"Δ {difference_text(diff, half, kind, currency)}"
    css = _direction(diff, half, kpi)
    return f"<span class='d {css}'>{html.escape(text)}</span>"


def difference_text(diff: float, half: float | None, kind: str, currency: str) -> str:
    """`+x ± h` in the KPI's unit (shares in percentage points); `–` when there is none."""
    if _missing(diff):
        return "–"
    if diff == 0 and (_missing(half) or half == 0):
        return "no change"
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    magnitude = spread(abs(diff), kind, currency) if kind == "share" else number(
        abs(diff), kind, currency)
    text = f"{sign}{magnitude}"
    return text if _missing(half) else f"{text} ± {spread(half, kind, currency)}"


def _direction(diff: float, half: Any, kpi: str) -> str:
    if _missing(half) or abs(diff) <= half:
        return ""
    better = (diff > 0) == (kpi in HIGHER_IS_BETTER)
    return "up" if better else "down"


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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
