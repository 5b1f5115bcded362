"""KPI tables for the pages: library results in readable units (%, minutes, hours, money),
each value with its 95% confidence half-width. Formatting only."""

from __future__ import annotations

import math

import pandas as pd

from omnistaff.scenarios import Scenario
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.tables import amount, duration


def half_width(half: float, mean: float, kind: str) -> str:
    """A 95% half-width in the unit of its mean (shares in percentage points); empty when
    there is none (one replication)."""
    if half is None or math.isnan(half) or mean is None or math.isnan(mean):
        return ""
    if kind == "share":
        return f"± {100 * half:.1f} pts"
    if kind == "seconds":
        unit, size = ("s", 1) if mean < 90 else ("min", 60) if mean < 5400 else ("h", 3600)
        return f"± {half / size:.3g} {unit}"
    if kind == "money":
        return f"± {amount(half, kind, cents=abs(mean) < 100)}"
    return f"± {amount(half, kind)}"


def with_ci(mean: float, half: float, kind: str, currency: str = "") -> str:
    """`81.2% ± 3.1 pts`, `3.5 min ± 0.4 min`, `USD 4.10 ± 0.20`."""
    return f"{amount(mean, kind, currency)} {half_width(half, mean, kind)}".strip()


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
        rows.append({
            "channel": label(scenario, str(name)),
            "target": target_text(scenario, str(name)),
            "service level": with_ci(row["service_level"], row["service_level_ci95"], "share"),
            "offered": amount(row["offered"], "count"),
            "handled": amount(row["handled"], "count"),
            "mean wait / response": with_ci(row["asa_seconds"], row["asa_seconds_ci95"],
                                            "seconds"),
            "90% within": with_ci(row["response_p90_seconds"],
                                  row["response_p90_seconds_ci95"], "seconds"),
            "abandoned or expired": with_ci(row["abandon_rate"], row["abandon_rate_ci95"],
                                            "share"),
            "backlog at end": amount(row["backlog_end"], "count"),
        })
    return pd.DataFrame(rows)


COST_COLUMNS = {"handled": ("handled", "count"), "resolved": ("resolved", "count"),
                "total_cost": ("cost", "money"), "idle_share": ("of which idle time", "share"),
                "bot_cost": ("bot and triage", "money"), "training_cost": ("training", "money"),
                "cost_per_handled": ("cost per handled", "money"),
                "cost_per_resolved": ("cost per resolved", "money")}


def cost_table(kpis: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per channel and in total: cost, per handled and per resolved contact, idle share."""
    rows = []
    for name in [*scenario.channels, TOTAL]:
        row = {"channel": "all channels" if name == TOTAL else label(scenario, name)}
        for key, (title, kind) in COST_COLUMNS.items():
            row[title] = with_ci(*kpi(kpis, "channel", name, key), kind, scenario.currency)
        rows.append(row)
    return pd.DataFrame(rows)


def group_table(groups: pd.DataFrame, kpis: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per agent group: occupancy, hours, FTE, concurrency and labour cost."""
    money, rows = scenario.currency, []
    for name, row in groups.iterrows():
        name = str(name)
        rows.append({
            "group": scenario.groups[name].label or name,
            "skills": ", ".join(s.channel for s in scenario.groups[name].skills),
            "occupancy": with_ci(row["occupancy"], row["occupancy_ci95"], "share"),
            "paid hours": with_ci(row["paid_hours"], row["paid_hours_ci95"], "hours"),
            "on-queue hours": with_ci(row["staffed_hours"], row["staffed_hours_ci95"], "hours"),
            "full-time equivalents": with_ci(*kpi(kpis, "group", name, "fte"), "number"),
            "mean contacts held": "–" if math.isnan(row["mean_concurrency"])
            else f"{row['mean_concurrency']:.2f}",
            "labour cost": with_ci(*kpi(kpis, "group", name, "labour_cost"), "money", money),
        })
    return pd.DataFrame(rows)


def iteration_table(iterations: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per solve-and-simulate iteration: the schedule's cost and size, simulated service level
    per channel, the intervals raised for the next round, and how the solve went."""
    rows = []
    for _, row in iterations.iterrows():
        out = {
            "iteration": int(row["iteration"]),
            "cost": amount(row["cost"], "money", scenario.currency),
            "agent-shifts": amount(row["agent_shifts"], "count"),
            "paid hours": amount(row["paid_hours"], "hours"),
            "channel-intervals meeting SLA": amount(row["attainment"], "share"),
        }
        for name in scenario.channels:
            if f"sla_{name}" in row:
                out[f"{label(scenario, name)} service level"] = with_ci(
                    row[f"sla_{name}"], row[f"sla_{name}_ci95"], "share")
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
