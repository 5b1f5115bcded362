"""Tables of a comparison: variants side by side, each with its 95% CI, and every variant's
paired difference from the base with its CI (coloured where the CI excludes zero)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from omnistaff.scenarios import Scenario
from omnistaff.sim.compare import Comparison
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.app.display import amount, half_width, with_ci

#: KPI -> (title, kind); kinds decide the unit (see display.amount).
CHANNEL_KPIS: dict[str, tuple[str, str]] = {
    "service_level": ("service level", "share"),
    "response_p90_seconds": ("90% answered within", "seconds"),
    "asa_seconds": ("mean wait / response", "seconds"),
    "abandon_rate": ("abandoned or expired", "share"),
    "backlog_end": ("backlog at end", "count"),
    "offered": ("offered", "count"),
    "handled": ("handled", "count"),
    "resolved": ("resolved", "count"),
    "total_cost": ("cost", "money"),
    "cost_per_handled": ("cost per handled", "money"),
    "cost_per_resolved": ("cost per resolved", "money"),
    "idle_share": ("idle share of cost", "share"),
    "labour_cost": ("labour cost", "money"),
    "bot_cost": ("bot and triage cost", "money"),
    "training_cost": ("training cost", "money"),
}
GROUP_KPIS: dict[str, tuple[str, str]] = {
    "fte": ("full-time equivalents", "number"),
    "paid_hours": ("paid hours", "hours"),
    "occupancy": ("occupancy", "share"),
    "mean_concurrency": ("mean contacts held", "number"),
    "labour_cost": ("labour cost", "money"),
    "training_cost": ("training cost", "money"),
}
#: KPIs where a rise is good news; for the rest (costs, waits, losses) a fall is.
HIGHER_IS_BETTER = {"service_level", "handled", "resolved", "occupancy"}
GOOD, BAD = "color: #1a7f37; font-weight: 600", "color: #cf222e; font-weight: 600"


def difference(diff: float, half: float, kind: str, currency: str = "") -> str:
    """`+2.1 pts ± 0.9 pts`, `−USD 1,200 ± 300`: a paired difference and its 95% CI."""
    if diff is None or math.isnan(diff):
        return "–"
    if diff == 0 and not half:
        return "no difference"
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    size = f"{100 * abs(diff):.1f} pts" if kind == "share" else amount(abs(diff), kind, currency)
    return f"{sign}{size} {half_width(half, abs(diff) or 1.0, kind)}".strip()


def verdict(diff: float, half: float, kpi: str) -> str:
    """'better' or 'worse' when the paired CI excludes zero, else ''."""
    if any(v is None or math.isnan(v) for v in (diff, half)) or abs(diff) <= half:
        return ""
    return "better" if (diff > 0) == (kpi in HIGHER_IS_BETTER) else "worse"


def _names(scenario: Scenario, scope: str, total: bool) -> dict[str, str]:
    spec = scenario.channels if scope == "channel" else scenario.groups
    names = {n: s.label or n for n, s in spec.items()}
    if total:
        names[TOTAL] = "all channels" if scope == "channel" else "all groups"
    return names


def most_changed(comparison: Comparison) -> str:
    """The channel whose service level differs most from the base in some variant."""
    table = comparison.kpi_table()
    rows = table[(table["scope"] == "channel") & (table["kpi"] == "service_level")
                 & (table["name"] != TOTAL)]
    change = rows.assign(size=rows["diff"].abs().fillna(0)).groupby("name", sort=False)["size"]
    sizes = change.max()
    return str(sizes.idxmax()) if sizes.max() > 0 else str(rows["name"].iloc[0])


@dataclass(frozen=True)
class SideBySide:
    """Variants' values (each ± its CI) and their paired differences from the base."""

    values: pd.DataFrame
    differences: Styler


def by_name(comparison: Comparison, scope: str, kpi: str, total: bool = True) -> SideBySide:
    """One KPI: a row per channel (or group), a column per variant."""
    base = comparison.scenarios[comparison.base]
    title, kind = (CHANNEL_KPIS if scope == "channel" else GROUP_KPIS)[kpi]
    table = comparison.kpi_table()
    rows = table[(table["scope"] == scope) & (table["kpi"] == kpi)]
    cells = [((label, variant), kpi, kind, _row(rows, name, variant))
             for name, label in _names(base, scope, total).items()
             for variant in comparison.scenarios]
    return _grid(cells, title, comparison, base.currency)


def by_variant(comparison: Comparison, scope: str, name: str, kpis: list[str]) -> SideBySide:
    """One channel (or group): a row per variant, a column per KPI."""
    base = comparison.scenarios[comparison.base]
    spec = CHANNEL_KPIS if scope == "channel" else GROUP_KPIS
    table = comparison.kpi_table()
    rows = table[(table["scope"] == scope) & (table["name"] == name)]
    cells = [((variant, spec[kpi][0]), kpi, spec[kpi][1], _row(rows, kpi, variant, "kpi"))
             for variant in comparison.scenarios for kpi in kpis]
    return _grid(cells, "variant", comparison, base.currency)


def _row(rows: pd.DataFrame, item: str, variant: str, key: str = "name") -> pd.Series | None:
    match = rows[(rows[key] == item) & (rows["variant"] == variant)]
    return None if match.empty else match.iloc[0]


Cell = tuple[tuple[str, str], str, str, pd.Series | None]


def _grid(cells: list[Cell], first: str, comparison: Comparison, currency: str) -> SideBySide:
    """Cells keyed (row, column) into a values frame and a coloured differences frame."""
    values: dict[str, dict[str, str]] = {}
    diffs: dict[str, dict[str, str]] = {}
    colours: dict[str, dict[str, str]] = {}
    for (row, column), kpi, kind, r in cells:
        values.setdefault(row, {first: row})[column] = (
            "–" if r is None else with_ci(r["mean"], r["ci95"], kind, currency))
        if comparison.base in (row, column):
            continue
        diffs.setdefault(row, {first: row})[column] = (
            "–" if r is None else difference(r["diff"], r["diff_ci95"], kind, currency))
        colours.setdefault(row, {first: ""})[column] = "" if r is None else {
            "better": GOOD, "worse": BAD}.get(verdict(r["diff"], r["diff_ci95"], kpi), "")
    frame = pd.DataFrame(list(diffs.values()))
    css = pd.DataFrame(list(colours.values()), columns=frame.columns).fillna("")
    return SideBySide(pd.DataFrame(list(values.values())),
                      frame.style.apply(lambda _: css, axis=None))
