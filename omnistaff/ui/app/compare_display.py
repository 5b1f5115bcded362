"""Tables of a comparison: variants side by side, each with its 95% CI, and every variant's
paired difference from the base with its CI (coloured where the CI excludes zero)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd
from pandas.io.formats.style import Styler

from omnistaff.scenarios import Scenario
from omnistaff.sim.compare import Comparison
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.catalogue import describe, difference_text, with_ci
from omnistaff.ui.policy_view import policy_kpis_in

#: The KPIs the page offers, in its order (titles and formats: `catalogue`).
CHANNEL_CHOICES = ["service_level", "response_p90_seconds", "asa_seconds", "abandon_rate",
                   "backlog_end", "offered", "handled", "resolved", "total_cost",
                   "cost_per_handled", "cost_per_resolved", "idle_share", "labour_cost",
                   "bot_cost", "training_cost"]
GROUP_CHOICES = ["fte", "paid_hours", "occupancy", "mean_concurrency", "labour_cost",
                 "training_cost"]
class Compared(Protocol):
    """What the tables read: a `Comparison`, or past runs compared (`past_runs`)."""

    @property
    def scenarios(self) -> dict[str, Scenario]: ...

    @property
    def base(self) -> str: ...

    def kpi_table(self) -> pd.DataFrame: ...


def choices(comparison: Comparison, scope: str) -> list[str]:
    """The KPIs the page offers for a scope: the standing ones, then the routing policies'
    KPIs the comparison has something to say about (call-backs, redials, occupancy cap)."""
    standing = CHANNEL_CHOICES if scope == "channel" else GROUP_CHOICES
    return standing + policy_kpis_in(comparison.kpi_table(), scope)


GOOD, BAD = "color: #1a7f37; font-weight: 600", "color: #cf222e; font-weight: 600"


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


def by_name(comparison: Compared, scope: str, kpi: str, total: bool = True) -> SideBySide:
    """One KPI: a row per channel (or group), a column per variant."""
    base = comparison.scenarios[comparison.base]
    spec = describe(scope, kpi)
    table = comparison.kpi_table()
    rows = table[(table["scope"] == scope) & (table["kpi"] == kpi)]
    cells = [((label, variant), kpi, _row(rows, name, variant))
             for name, label in _names(base, scope, total).items()
             for variant in comparison.scenarios]
    return _grid(cells, spec.title, comparison, scope, base.currency)


def by_variant(comparison: Compared, scope: str, name: str, kpis: list[str]) -> SideBySide:
    """One channel (or group): a row per variant, a column per KPI."""
    base = comparison.scenarios[comparison.base]
    table = comparison.kpi_table()
    rows = table[(table["scope"] == scope) & (table["name"] == name)]
    cells = [((variant, describe(scope, kpi).title), kpi, _row(rows, kpi, variant, "kpi"))
             for variant in comparison.scenarios for kpi in kpis]
    return _grid(cells, "variant", comparison, scope, base.currency)


def _row(rows: pd.DataFrame, item: str, variant: str, key: str = "name") -> pd.Series | None:
    match = rows[(rows[key] == item) & (rows["variant"] == variant)]
    return None if match.empty else match.iloc[0]


Cell = tuple[tuple[str, str], str, pd.Series | None]


def _grid(cells: list[Cell], first: str, comparison: Compared, scope: str,
          currency: str) -> SideBySide:
    """Cells keyed (row, column) into a values frame and a coloured differences frame."""
    values: dict[str, dict[str, str]] = {}
    diffs: dict[str, dict[str, str]] = {}
    colours: dict[str, dict[str, str]] = {}
    for (row, column), kpi, r in cells:
        spec = describe(scope, kpi)
        values.setdefault(row, {first: row})[column] = (
            "–" if r is None else with_ci(r["mean"], r["ci95"], spec.kind, currency))
        if comparison.base in (row, column):
            continue
        diffs.setdefault(row, {first: row})[column] = (
            "–" if r is None else difference_text(r["diff"], r["diff_ci95"], spec.kind,
                                                  currency))
        colours.setdefault(row, {first: ""})[column] = "" if r is None else {
            "better": GOOD, "worse": BAD}.get(spec.verdict(r["diff"], r["diff_ci95"]), "")
    frame = pd.DataFrame(list(diffs.values()))
    css = pd.DataFrame(list(colours.values()), columns=frame.columns).fillna("")
    return SideBySide(pd.DataFrame(list(values.values())),
                      frame.style.apply(lambda _: css, axis=None))
