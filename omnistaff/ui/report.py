"""Self-contained HTML reports for `compare` and `sweep`, with the data of every figure.

A report is one HTML file with plotly.js embedded (it opens offline, without a network), a
plain-language guide, KPI tables with 95% confidence intervals, and figures. Next to it,
`figures/<name>.csv` holds each figure's data and `figures/<name>.json` its plotly spec.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from omnistaff.scenarios.scenario import Scenario
from omnistaff.sim.compare import Comparison
from omnistaff.sim.costing import TOTAL
from omnistaff.sim.sweep import SweepResult
from omnistaff.ui.catalogue import describe
from omnistaff.ui.policy_view import policy_kpis_in
from omnistaff.ui.report_figures import (
    Figure,
    cost_by_channel,
    cost_per_contact,
    frontier_figure,
    interval_figure,
    sweep_cost_by_channel,
)
from omnistaff.ui.report_format import (
    CHANNEL_COLUMNS,
    GROUP_COLUMNS,
    cell,
    difference_cell,
    number,
    targets,
)
from omnistaff.ui.verdict import verdicts

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1200px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:right;vertical-align:top}
td{white-space:nowrap}
th{background:#f4f6f8}td.l,th.l{text-align:left}.d{display:block;color:#555;font-size:.8rem}
.up{color:#1a7f37}.down{color:#b42318}.note{color:#555;font-size:.9rem}
.guide{background:#f7f9fb;border-left:4px solid #4c78a8;padding:.6rem 1rem}
.wide{overflow-x:auto}
"""
GUIDE_COMPARE = """
<div class="guide"><p><b>How to read this report.</b> Each variant of the scenario was
simulated several times (replications). Every replication of every variant saw the
<i>same</i> customers: the same arrivals, handling times and patience. Numbers are averages
over the replications; <b>±</b> gives the 95% confidence interval, the range the true
average very likely lies in.</p>
<p>Below each value of a variant, <b>Δ</b> is its difference from the base variant, measured
replication by replication on the same customers (a <i>paired</i> difference), with its own
95% interval. When that interval does not include zero, the variant really does differ
from the base. Because both runs saw the same customers, these intervals are much narrower
than comparing two unrelated sets of runs would give ("unpaired ±" in the CSV files).</p>
<p><b>Costs</b>: paid hours (including overtime) times each group's hourly rate, split
across channels by the handling work each group did on them; idle and off-queue time is
shared in the same proportions ("idle share"). Bot and automated-triage costs and training
(per agent and skill, spread over a year) are added. A contact passed on to another channel
counts as <i>resolved</i> once, on the channel that finished it; contacts the bot resolved
count as resolved.</p></div>
"""
GUIDE_SWEEP = """
<div class="guide"><p><b>How to read this report.</b> The scenario was simulated at every
combination of the values below (each a <i>point</i>), each point several times with the same
customers. <b>±</b> gives the 95% confidence interval of the average. The <b>frontier</b>
shows the points no other point beats on both cost and service level: the cheapest way to
reach each service level. Points off the frontier cost more for the same or worse
service.</p></div>
"""


def write_compare_report(comparison: Comparison, out: Path) -> list[Path]:
    """report.html, kpis.csv, summary.json, intervals.csv and figures/ in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    table = comparison.kpi_table()
    intervals = comparison.interval_table()
    daily = comparison.daily_table()
    base = comparison.scenarios[comparison.base]
    figures = [
        interval_figure(intervals, base.horizon, "service_level", "Service level by interval",
                        "service level", percent=True),
        interval_figure(intervals, base.horizon, "backlog_end", "Backlog (contacts waiting) "
                        "at the end of each interval", "contacts waiting"),
        cost_by_channel(table, base.currency),
        cost_per_contact(table, base.currency),
    ]
    body = [
        _header(base, f"Comparison of {len(comparison.scenarios)} variant(s), "
                f"{comparison.replications} replication(s) each, seed {comparison.seed}"),
        GUIDE_COMPARE,
        "<h2>In short</h2>",
        _headline(table, comparison.scenarios),
        *(f"<p>Verdict: {html.escape(line)}.</p>"
          for line in verdicts(table, comparison.scenarios, base.currency)),
        "<h2>Channels</h2>",
        _channel_tables(table, comparison.scenarios),
        "<h2>Day by day</h2>",
        "<p class='note'>Service level of the contacts that arrived each day, and the most "
        "contacts waiting at any interval's end that day.</p>",
        _daily_tables(daily, base),
        "<h2>Agent groups</h2>",
        _group_table(table, comparison.scenarios, base.currency),
        "<h2>Figures</h2>",
    ]
    written = [_save_table(table, out / "kpis.csv"), _save_table(intervals, out /
                                                                  "intervals.csv"),
               _save_table(daily, out / "daily.csv")]
    (out / "summary.json").write_text(json.dumps(comparison.summary(), indent=2))
    written.append(out / "summary.json")
    return [*written, *_write_page(out, base.name, body, figures)]


def write_sweep_report(result: SweepResult, scenario: Scenario, out: Path,
                       channel: str = TOTAL) -> list[Path]:
    """report.html, points.csv, kpis.csv, frontier.csv and figures/ in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    frontier = result.frontier(channel)
    points = result.wide(kpis=("total_cost", "cost_per_resolved", "service_level"))
    figures = [
        frontier_figure(points, frontier, channel, scenario.currency),
        sweep_cost_by_channel(result, scenario.currency),
    ]
    swept = ", ".join(f"<code>{html.escape(p.path)}</code> = "
                      f"{html.escape(', '.join(map(str, p.values)))}" for p in result.params)
    replications = int(result.runs["replication"].max()) + 1 if len(result.runs) else 0
    body = [
        _header(scenario, f"Sweep of {len(result.points)} point(s), {replications} "
                f"replication(s) each: {swept}"),
        GUIDE_SWEEP,
        f"<h2>Frontier: cost against service level ({html.escape(channel)})</h2>",
        _frame_html(frontier, scenario.currency),
        "<h2>Every point</h2>",
        _frame_html(_point_view(points, result, scenario), scenario.currency),
        "<h2>Figures</h2>",
    ]
    written = [_save_table(points, out / "points.csv"),
               _save_table(result.point_table(), out / "kpis.csv"),
               _save_table(frontier, out / "frontier.csv")]
    return [*written, *_write_page(out, scenario.name, body, figures)]


def _point_view(points: pd.DataFrame, result: SweepResult, scenario: Scenario) -> pd.DataFrame:
    """The swept values, total cost and cost per resolved contact, every service level."""
    kpis = [f"{TOTAL}.total_cost", f"{TOTAL}.cost_per_resolved",
            *[f"{c}.service_level" for c in [*scenario.channels, TOTAL]]]
    columns = [p.path for p in result.params]
    for kpi in kpis:
        columns += [kpi, f"{kpi}_ci95"]
    return points[columns]


def _header(scenario: Scenario, subtitle: str) -> str:
    description = html.escape(scenario.description) if scenario.description else ""
    return (f"<h1>{html.escape(scenario.name)}</h1><p>{description}</p>"
            f"<p class='note'>{subtitle}</p>")


def _headline(table: pd.DataFrame, scenarios: dict[str, Scenario]) -> str:
    """Per variant: total cost, its difference from the base, and which SLAs it meets."""
    base = next(iter(scenarios.values()))
    rows = table[table["scope"] == "channel"].set_index(["variant", "name", "kpi"])
    lines = ["<table><tr><th class='l'>variant</th><th>total cost</th><th>cost per resolved "
             "contact</th><th class='l'>service levels against their targets</th></tr>"]
    for variant, scenario in scenarios.items():
        cost = rows.loc[(variant, TOTAL, "total_cost")]
        per = rows.loc[(variant, TOTAL, "cost_per_resolved")]
        lines.append(
            f"<tr><td class='l'>{html.escape(variant)}</td>"
            f"<td>{cell(cost['mean'], cost['ci95'], 'money', base.currency)}"
            f"{difference_cell(cost, 'channel', 'total_cost', base.currency)}</td>"
            f"<td>{cell(per['mean'], per['ci95'], 'money', base.currency)}</td>"
            f"<td class='l'>{_sla_words(rows, variant, scenario)}</td></tr>")
    return "\n".join([*lines, "</table>"])


def _sla_words(rows: pd.DataFrame, variant: str, scenario: Scenario) -> str:
    """`meets all 4` or `misses social (68% against 80%)`, from the mean service levels."""
    missed = []
    for name, channel in scenario.channels.items():
        level = rows.loc[(variant, name, "service_level"), "mean"]
        if not level >= channel.sla.target:
            missed.append(f"{channel.label or name} ({number(level, 'share')} against "
                          f"{number(channel.sla.target, 'share')})")
    if not missed:
        return f"meets all {len(scenario.channels)}"
    return "<span class='down'>misses " + html.escape(", ".join(missed)) + "</span>"


def _channel_tables(table: pd.DataFrame, scenarios: dict[str, Scenario]) -> str:
    """One table per channel (and the total): variants as rows, KPIs with CIs and Δ."""
    base = next(iter(scenarios.values()))
    channels = table[table["scope"] == "channel"]
    parts = []
    for name in [*base.channels, TOTAL]:
        rows = channels[channels["name"] == name]
        label = "All channels" if name == TOTAL else html.escape(base.channels[name].label
                                                                 or name)
        parts.append(f"<h3>{label}</h3>")
        if name != TOTAL:
            parts.append(f"<p class='note'>SLA target: {targets(scenarios, name)}</p>")
        columns = CHANNEL_COLUMNS + policy_kpis_in(rows, "channel")  # call-backs, redials
        parts.append(_kpi_grid(rows, "channel", columns, base.currency))
    return "\n".join(parts)


def _daily_tables(daily: pd.DataFrame, base: Scenario) -> str:
    """Per channel: variants as rows, days as columns; service level and peak backlog."""
    parts = []
    days = daily.drop_duplicates("day").sort_values("day")
    head = "".join(f"<th>{html.escape(base.horizon.day_label(d))}</th>" for d in days["day"])
    for channel in base.channels:
        rows = daily[daily["channel"] == channel].set_index(["variant", "day"])
        parts.append(f"<h3>{html.escape(base.channels[channel].label or channel)}</h3>")
        lines = [f"<table><tr><th class='l'>variant</th>{head}</tr>"]
        for variant in dict.fromkeys(daily["variant"]):
            cells = []
            for day in days["day"]:
                row = rows.loc[(variant, day)]
                level = cell(row["service_level"], row["service_level_ci95"], "share", "")
                cells.append(f"<td>{level}<span class='d'>peak backlog "
                             f"{number(row['peak_backlog'], 'count')}</span></td>")
            lines.append(f"<tr><td class='l'>{html.escape(str(variant))}</td>"
                         f"{''.join(cells)}</tr>")
        parts.append("\n".join([*lines, "</table>"]))
    return "\n".join(parts)


def _group_table(table: pd.DataFrame, scenarios: dict[str, Scenario], currency: str) -> str:
    groups = table[table["scope"] == "group"]
    parts = []
    for name in [*next(iter(scenarios.values())).groups, TOTAL]:
        rows = groups[groups["name"] == name]
        if rows.empty:
            continue
        parts.append(f"<h3>{'All groups' if name == TOTAL else html.escape(name)}</h3>")
        columns = GROUP_COLUMNS + policy_kpis_in(rows, "group")  # occupancy against the cap
        parts.append(_kpi_grid(rows, "group", columns, currency))
    return "\n".join(parts)


def _kpi_grid(rows: pd.DataFrame, scope: str, columns: list[str], currency: str) -> str:
    """Variants as rows; each cell the mean ± CI, and under it Δ vs base ± paired CI."""
    head = "".join(f"<th>{html.escape(describe(scope, kpi).title)}</th>" for kpi in columns)
    lines = [f"<table><tr><th class='l'>variant</th>{head}</tr>"]
    by_kpi = rows.set_index(["variant", "kpi"])
    for variant in dict.fromkeys(rows["variant"]):
        cells = []
        for kpi in columns:
            if (variant, kpi) not in by_kpi.index:
                cells.append("<td>–</td>")
                continue
            row, kind = by_kpi.loc[(variant, kpi)], describe(scope, kpi).kind
            cells.append(f"<td>{cell(row['mean'], row['ci95'], kind, currency)}"
                         f"{difference_cell(row, scope, kpi, currency)}</td>")
        lines.append(f"<tr><td class='l'>{html.escape(str(variant))}</td>{''.join(cells)}</tr>")
    return "\n".join([*lines, "</table>"])


def _frame_html(frame: pd.DataFrame, currency: str) -> str:
    """A plain table of a wide frame, `x` and `x_ci95` columns shown as one cell."""
    shown = [c for c in frame.columns
             if not c.endswith("_ci95") and c not in ("point", "label")]
    head = "".join(f"<th class='l'>{html.escape(_column_title(c))}</th>" for c in shown)
    lines = [f"<div class='wide'><table><tr>{head}</tr>"]
    for row in frame.astype(object).to_dict("records"):
        cells = []
        for column in shown:
            if f"{column}_ci95" in frame.columns:
                kind = "share" if column.endswith("service_level") else "money"
                cells.append(f"<td>{cell(row[column], row[f'{column}_ci95'], kind, currency)}"
                             "</td>")
            else:
                cells.append(f"<td class='l'>{html.escape(str(row[column]))}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return "\n".join([*lines, "</table></div>"])


def _column_title(column: str) -> str:
    """`total.total_cost` -> `total cost`, `chat.service_level` -> `service level: chat`."""
    name, _, kpi = column.rpartition(".")
    if kpi not in ("total_cost", "cost_per_resolved", "service_level"):
        return column
    words = kpi.replace("_", " ")
    return words if name == TOTAL and kpi != "service_level" else f"{words}: {name}"


def _save_table(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def _write_page(out: Path, title: str, body: list[str], figures: list[Figure]) -> list[Path]:
    """report.html with every figure, and each figure's CSV and plotly JSON in figures/."""
    folder = out / "figures"
    folder.mkdir(exist_ok=True)
    written = []
    divs = []
    for figure in figures:
        figure.data.to_csv(folder / f"{figure.name}.csv", index=False)
        (folder / f"{figure.name}.json").write_text(figure.figure.to_json())
        written += [folder / f"{figure.name}.csv", folder / f"{figure.name}.json"]
        divs.append(_figure_html(figure.figure, figure.name))
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
            f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
            f"{''.join(body)}{''.join(divs)}"
            "<p class='note'>Made by omnistaff. The data of every figure is in "
            "figures/ (CSV) next to this file.</p></body></html>")
    (out / "report.html").write_text(page, encoding="utf-8")
    return [out / "report.html", *written]


def _figure_html(figure: go.Figure, name: str) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=name,
                          default_height="460px", config={"displaylogo": False})
