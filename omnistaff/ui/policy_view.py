"""The routing policies' KPIs as people read them: call-backs offered, accepted and served
in their window, redials, interruptions, and each group's occupancy against its cap.

A table shows only the KPIs some run has (a count where it is not zero, a rate or cap where
it has a value) and only the channels or groups they concern, so a scenario without
policies shows nothing more. Formatting only: the figures are `sim.policy_kpis`'.
"""

from __future__ import annotations

import pandas as pd

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.costing import TOTAL
from omnistaff.sim.policy_kpis import POLICY_CHANNEL_KPIS, POLICY_COUNTS, POLICY_GROUP_KPIS
from omnistaff.ui.catalogue import amount, describe, difference_text, missing, with_ci

POLICY_KPIS = {"channel": POLICY_CHANNEL_KPIS, "group": POLICY_GROUP_KPIS}


def long_from_wide(table: pd.DataFrame, scope: str) -> pd.DataFrame:
    """A replications table (a row per channel or group, `kpi` and `kpi_ci95` columns) as
    long rows: scope, name, kpi, mean, ci95 (policy KPIs only)."""
    rows = [{"scope": scope, "name": str(name), "kpi": kpi, "mean": row[kpi],
             "ci95": row.get(f"{kpi}_ci95")}
            for name, row in table.iterrows() for kpi in POLICY_KPIS[scope] if kpi in row]
    return pd.DataFrame(rows, columns=["scope", "name", "kpi", "mean", "ci95"])


def _shown(values: pd.Series, kpi: str) -> bool:
    """Whether a KPI says anything: a count somewhere not zero, a rate or cap with a value."""
    known = values.dropna()
    return bool((known != 0).any()) if kpi in POLICY_COUNTS else not known.empty


def policy_kpis_in(table: pd.DataFrame, scope: str, name: str | None = None) -> list[str]:
    """The policy KPIs of `scope` (of one channel or group when `name` is given) that say
    something in a long table (scope, name, kpi, mean), in the catalogue's order."""
    rows = table[table["scope"] == scope]
    if name is not None:
        rows = rows[rows["name"] == name]
    return [k for k in POLICY_KPIS[scope] if _shown(rows.loc[rows["kpi"] == k, "mean"], k)]


def policy_table(table: pd.DataFrame, scenario: Scenario, scope: str,
                 base: str | None = None, currency: str = "", sep: str = " ") -> pd.DataFrame:
    """Text cells: a row per channel (or group) with some policy KPI (and the total where
    two or more have one), and per variant when the table has variants; a column per KPI,
    `value ± CI`, then `sep` and `(Δ diff ± CI)` in a variant's cell when the table has
    differences. Empty when no policy KPI says anything."""
    kpis = policy_kpis_in(table, scope)
    names = [n for n in (scenario.channels if scope == "channel" else scenario.groups)
             if policy_kpis_in(table, scope, n)]
    if len(names) > 1 and policy_kpis_in(table, scope, TOTAL):
        names.append(TOTAL)
    variants = list(dict.fromkeys(table["variant"])) if "variant" in table else [None]
    rows = table[table["scope"] == scope].set_index(
        ["variant", "name", "kpi"] if "variant" in table else ["name", "kpi"])
    out = []
    for name in names:
        for variant in variants:
            cells = {scope: _label(scenario, scope, name)}
            if variant is not None and len(variants) > 1:
                cells["variant"] = variant
            for kpi in kpis:
                key = (name, kpi) if variant is None else (variant, name, kpi)
                cells[describe(scope, kpi).title] = (
                    _cell(rows.loc[key], scope, kpi, variant != base, currency, sep)
                    if key in rows.index else "–")
            out.append(cells)
    return pd.DataFrame(out)


def _label(scenario: Scenario, scope: str, name: str) -> str:
    if name == TOTAL:
        return "all channels" if scope == "channel" else "all groups"
    spec = scenario.channels[name] if scope == "channel" else scenario.groups[name]
    return spec.label or name


def _cell(row: pd.Series, scope: str, kpi: str, differs: bool, currency: str,
          sep: str) -> str:
    kind = describe(scope, kpi).kind
    if kpi == "max_occupancy":  # a setting, not an estimate
        return amount(row["mean"], kind)
    text = with_ci(row["mean"], row.get("ci95"), kind, currency)
    diff = row.get("diff")
    if differs and not missing(diff):
        text += f"{sep}(Δ {difference_text(diff, row.get('diff_ci95'), kind, currency)})"
    return text
