"""KPI tables for the pages: library results in readable units (%, minutes, hours, money),
each value with its 95% confidence half-width. Formatting only."""

from __future__ import annotations

import math

import pandas as pd

from omnistaff.scenarios import Scenario
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.catalogue import (
    CHANNEL_CATALOGUE,
    GROUP_CATALOGUE,
    amount,
    duration,
    with_ci,
)

SERVICE_KPIS = ["service_level", "offered", "handled", "asa_seconds", "response_p90_seconds",
                "abandon_rate", "backlog_end"]
COST_KPIS = ["handled", "resolved", "total_cost", "idle_share", "bot_cost", "training_cost",
             "cost_per_handled", "cost_per_resolved"]


def target_text(scenario: Scenario, channel: str) -> str:
    spec = scenario.channels[channel]
    verb = "answered" if spec.mode == "live" else "responded"
    return f"{100 * spec.sla.target:.0f}% {verb} in {duration(spec.sla.threshold)}"


def label(scenario: Scenario, channel: str) -> str:
    return scenario.channels[channel].label or channel


def kpi(kpis: pd.DataFrame, scope: str, name: str, key: str) -> tuple[float, float]:
    """Mean and half-width of one KPI in a long KPI table (NaN when absent)."""
    rows = kpis[(kpis["scope"] == scope) & (kpis["name"] == name) & (kpis["kpi"] == key)]
    if rows.empty:
        return math.nan, math.nan
    return float(rows["mean"].iloc[0]), float(rows["ci95"].iloc[0])


def service_table(channels: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per channel: volumes, service level against target, waits, losses and backlog."""
    rows = []
    for name, row in channels.iterrows():
        cells = {"channel": label(scenario, str(name)), "target": target_text(scenario,
                                                                               str(name))}
        for key in SERVICE_KPIS:
            spec = CHANNEL_CATALOGUE[key]
            counted = spec.kind == "count"  # counts are shown without their interval
            cells[spec.title] = amount(row[key], spec.kind) if counted else with_ci(
                row[key], row[f"{key}_ci95"], spec.kind)
        rows.append(cells)
    return pd.DataFrame(rows)


def cost_table(kpis: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per channel and in total: cost, per handled and per resolved contact, idle share."""
    rows = []
    for name in [*scenario.channels, TOTAL]:
        row = {"channel": "all channels" if name == TOTAL else label(scenario, name)}
        for key in COST_KPIS:
            spec = CHANNEL_CATALOGUE[key]
            row[spec.title] = with_ci(*kpi(kpis, "channel", name, key), spec.kind,
                                      scenario.currency)
        rows.append(row)
    return pd.DataFrame(rows)


def group_table(groups: pd.DataFrame, kpis: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per agent group: occupancy, hours, FTE, concurrency and labour cost."""
    money, rows, title = scenario.currency, [], {k: v.title for k, v in GROUP_CATALOGUE.items()}
    for name, row in groups.iterrows():
        name = str(name)
        rows.append({
            "group": scenario.groups[name].label or name,
            "skills": ", ".join(s.channel for s in scenario.groups[name].skills),
            **{title[k]: with_ci(row[k], row[f"{k}_ci95"], GROUP_CATALOGUE[k].kind)
               for k in ("occupancy", "paid_hours", "staffed_hours")},
            title["fte"]: with_ci(*kpi(kpis, "group", name, "fte"), "number"),
            title["mean_concurrency"]: "–" if math.isnan(row["mean_concurrency"])
            else f"{row['mean_concurrency']:.2f}",
            title["labour_cost"]: with_ci(*kpi(kpis, "group", name, "labour_cost"), "money",
                                          money),
        })
    return pd.DataFrame(rows)


def iteration_table(iterations: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per solve-and-simulate iteration (a round, or a lowering trial and whether it was
    kept): the schedule's cost and size, simulated service level per channel, the intervals
    raised for the next round, and how the solve went."""
    rows = []
    for _, row in iterations.iterrows():
        lowering = row.get("phase") == "lower"
        out = {
            "iteration": int(row["iteration"]),
            "step": ("lowering trial, " + ("kept" if row.get("kept") else "not kept"))
            if lowering else "round",
            "cost": amount(row["cost"], "money", scenario.currency),
            "agent-shifts": amount(row["agent_shifts"], "count"),
            "paid hours": amount(row["paid_hours"], "hours"),
            "channel-days met": amount(row["attainment"], "share"),
        }
        for name in scenario.channels:
            if f"sla_{name}" in row:
                out[f"{label(scenario, name)} service level"] = with_ci(
                    row[f"sla_{name}"], row[f"sla_{name}_ci95"], "share")
            if f"sla_{name}_lower_bound" in row:
                out[f"{label(scenario, name)} lowest day (95% lower bound)"] = amount(
                    row[f"sla_{name}_lower_bound"], "share")
        raised = {label(scenario, name): int(row[f"raised_{name}"]) for name in scenario.channels
                  if row.get(f"raised_{name}", 0) > 0}
        out["raised for next iteration"] = ", ".join(
            f"{name} {count} interval(s)" for name, count in raised.items()) or "–"
        out["every SLA met"] = "yes" if row["all_met"] else "no"
        out["solver"] = f"{row['solver_status']}, gap {amount(row['gap'], 'share')}"
        out["solve / simulate time"] = (f"{_clock(row['solve_seconds'])} / "
                                        f"{_clock(row['simulate_seconds'])}")
        rows.append(out)
    return pd.DataFrame(rows)


def _clock(seconds: float) -> str:
    """Run time: tenths of a second under a minute and a half."""
    return f"{seconds:.1f} s" if seconds < 90 else duration(seconds)
