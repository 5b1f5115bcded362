"""One line per variant of a comparison: its paired difference from the base in total cost
and in headcount (full-time equivalents), each with its 95% interval and whether the
interval rules out no difference, and whether it meets every SLA on its mean service level.
Formatting only: the figures are the comparison's KPI table."""

from __future__ import annotations

import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.compare import Comparison
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
    missed = [f"{name} ({100 * levels.get(name, float('nan')):.1f}% against "
              f"{100 * channel.sla.target:.0f}%)" for name, channel in scenario.channels.items()
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


def missed_targets(comparison: Comparison) -> dict[str, list[str]]:
    """Per variant (the base included), each target its mean service level misses: over the
    week (`chat 79.1% over the week against 80%`) or on a day (`social on Sat 71.0% against
    80%`); a variant missing nothing is left out."""
    table, daily = comparison.kpi_table(), comparison.daily_table()
    out: dict[str, list[str]] = {}
    for variant, scenario in comparison.scenarios.items():
        levels = table[(table["variant"] == variant) & (table["scope"] == "channel")
                       & (table["kpi"] == "service_level")].set_index("name")["mean"]
        days = daily[daily["variant"] == variant]
        for name, channel in scenario.channels.items():
            target, label = channel.sla.target, channel.label or name
            week = levels.get(name, float("nan"))
            days_count = scenario.horizon.days
            span = "the week" if days_count == 7 else f"{days_count} days"
            misses = [f"{label} {100 * week:.1f}% over {span}"] if (
                week < target and days_count > 1) else []
            low = days[(days["channel"] == name) & (days["service_level"] < target)]
            misses += [f"{label} on {scenario.horizon.day_label(int(row.day))} "
                       f"{100 * row.service_level:.1f}%" for row in low.itertuples()]
            if misses:
                out.setdefault(variant, []).append(
                    f"{'; '.join(misses)} (target {100 * target:.0f}%)")
    return out


def target_sentence(comparison: Comparison) -> str:
    """One sentence naming every variant that misses a target (or saying none does)."""
    missed = missed_targets(comparison)
    if not missed:
        return ("Every variant meets every service-level target, over the horizon and on "
                "every day (mean service level over the replications).")
    parts = [f"**{variant}** misses {', '.join(lines)}" for variant, lines in missed.items()]
    return ("Missing a target (mean service level over the replications): "
            + "; ".join(parts) + ".")
