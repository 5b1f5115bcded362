"""One line per variant of a comparison: its paired difference from the base in total cost
and in headcount (full-time equivalents), each with its 95% interval and whether the
interval rules out no difference, and whether it meets every SLA on its mean service level.
Formatting only: the figures are the comparison's KPI table."""

from __future__ import annotations

import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.catalogue import NO_DIFFERENCE, difference_text, missing


def _row(table: pd.DataFrame, variant: str, scope: str, kpi: str) -> pd.Series:
    rows = table[(table["variant"] == variant) & (table["scope"] == scope)
                 & (table["name"] == TOTAL) & (table["kpi"] == kpi)]
    return rows.iloc[0]


def _change(row: pd.Series, kind: str, currency: str, less: str, more: str) -> str:
    diff, half = row["diff"], row["diff_ci95"]
    text = difference_text(diff, half, kind, currency)
    if text == NO_DIFFERENCE:
        return text
    if missing(diff) or missing(half) or abs(diff) <= half:
        return f"{text} (not distinguishable from no difference)"
    return f"{text} ({less if diff < 0 else more})"


def _slas(table: pd.DataFrame, variant: str, scenario: Scenario) -> str:
    levels = table[(table["variant"] == variant) & (table["scope"] == "channel")
                   & (table["kpi"] == "service_level")].set_index("name")["mean"]
    missed = [name for name, channel in scenario.channels.items()
              if not levels.get(name, float("nan")) >= channel.sla.target]
    return "meets every SLA" if not missed else f"misses {', '.join(missed)}"


def verdicts(table: pd.DataFrame, scenarios: dict[str, Scenario], currency: str) -> list[str]:
    """`hybrid against base: cost −USD 1,200 ± 300 (cheaper), full-time equivalents −2.1 ±
    0.4 (fewer); meets every SLA`, for every variant but the base (the first)."""
    base = next(iter(scenarios))
    lines = []
    for variant, scenario in list(scenarios.items())[1:]:
        cost = _change(_row(table, variant, "channel", "total_cost"), "money", currency,
                       "cheaper", "dearer")
        fte = _change(_row(table, variant, "group", "fte"), "number", currency, "fewer",
                      "more")
        lines.append(f"{variant} against {base}: cost {cost}, full-time equivalents {fte}; "
                     f"{_slas(table, variant, scenario)}")
    return lines
