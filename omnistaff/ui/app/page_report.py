"""A results page as one self-contained HTML file to download: its headline lines, tables and
figures, with plotly.js embedded once (the file opens offline), in the house style of the
CLI's reports. Made only when the download is clicked (`download` passes a callable)."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from omnistaff.optimize import staffing_gap
from omnistaff.scenarios import Scenario
from omnistaff.sim.compare import Comparison
from omnistaff.sim.costing import TOTAL
from omnistaff.ui import daily
from omnistaff.ui.app import (
    charts,
    display,
    finance_view,
    optimize_charts,
    planner_view,
    runs,
    staffing_view,
    state,
)
from omnistaff.ui.app.compare_display import by_name, by_variant
from omnistaff.ui.past_runs import RunComparison, method_note
from omnistaff.ui.report import STYLE, write_compare_report
from omnistaff.ui.verdict import verdicts

SUMMARY_KPIS = ["service_level", "total_cost", "cost_per_handled", "cost_per_resolved",
                "abandon_rate"]

Part = str | pd.DataFrame | Styler | go.Figure
Section = tuple[str, Sequence[Part]]


def page_html(title: str, subtitle: str, sections: Sequence[Section]) -> str:
    """The page: a heading per section, then its lines, tables and figures in order."""
    body, scripts = [], {"done": False}
    for heading, parts in sections:
        body.append(f"<h2>{html.escape(heading)}</h2>")
        body.extend(_part_html(part, scripts) for part in parts)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
            f"<p class='note'>{html.escape(subtitle)}</p>{''.join(body)}</body></html>")


def _part_html(part: Part, scripts: dict[str, bool]) -> str:
    if isinstance(part, go.Figure):
        first = not scripts["done"]
        scripts["done"] = True
        return part.to_html(full_html=False, include_plotlyjs=first)
    if isinstance(part, Styler):
        return f"<div class='wide'>{part.hide(axis='index').to_html()}</div>"
    if isinstance(part, pd.DataFrame):
        return f"<div class='wide'>{part.to_html(index=False, border=0)}</div>"
    return f"<p>{html.escape(part.replace('**', ''))}</p>"


def compare_html(comparison: Comparison) -> str:
    """The CLI's comparison report (`omnistaff compare`), as one file."""
    with tempfile.TemporaryDirectory() as folder:
        write_compare_report(comparison, Path(folder))
        return (Path(folder) / "report.html").read_text(encoding="utf-8")


def simulate_report(run: state.Run) -> Callable[[], str]:
    """The run's HTML report, made when its download is clicked."""
    def make() -> str:
        sim: runs.Simulation = run.result
        scenario = Scenario.model_validate_json(run.scenario_json)
        worst = daily.worst_hours(sim.hours, scenario)
        return page_html(f"Simulation: {scenario.name}", run.title, [
            ("In short", [*(daily.verdict_lines(sim.days, scenario) or
                            ["Every channel met its target every day."]),
                          *(daily.worst_hour_line(r, scenario) for _, r in worst.iterrows())]),
            ("Service level by day (✓ met, ✗ miss, ? unclear)",
             [planner_view.styled(sim.days, scenario, "level")]),
            ("Backlog by day: at the end of the day (peak)",
             [planner_view.styled(sim.days, scenario, "backlog")]),
            ("Response time by day: median / 90th percentile",
             [planner_view.styled(sim.days, scenario, "waits")]),
            ("Cost", [finance_view.cost_table(sim.kpis, scenario, None),
                      finance_view.driver_figure(sim.kpis, scenario)]),
            ("Required against scheduled staffing: hours short (−) and over (+)",
             staffing_parts(run.scenario_json, scenario)),
            ("Service by channel over the horizon", [display.service_table(sim.channels,
                                                                           scenario)]),
            ("Agent groups", [display.group_table(sim.groups, sim.kpis, scenario)]),
            ("Figures", [*(planner_view.hour_figure(sim.hours, scenario, c)
                           for c in scenario.channels),
                         charts.service_level(sim.channel_intervals, scenario),
                         charts.backlog(sim.channel_intervals, scenario)]),
        ])
    return make


def staffing_parts(scenario_json: str, scenario: Scenario) -> list[Part]:
    """The groups short somewhere and the hours short and over by group and day."""
    days = staffing_gap.gap_by_day(runs.staffing(scenario_json), scenario)
    lines = staffing_gap.short_lines(days, scenario) or [
        "Every group has the agents its channels require in every interval."]
    return [*lines, staffing_view.day_table(days, scenario)]


def past_runs_html(comparison: RunComparison) -> str:
    """Past runs compared (`past_runs`): the verdict lines, how the differences were taken,
    and the runs side by side with their differences from the base."""
    currency = comparison.scenarios[comparison.base].currency
    parts: list[Section] = [("In short", [*verdicts(comparison.kpi_table(),
                                                    comparison.scenarios, currency),
                                          method_note(comparison)])]
    for title, table in (
            ("All channels, by run", by_variant(comparison, "channel", TOTAL, SUMMARY_KPIS)),
            ("Service level", by_name(comparison, "channel", "service_level")),
            (f"Cost ({currency})", by_name(comparison, "channel", "total_cost"))):
        parts.append((title, [table.values, "Difference from the base (95% CI)",
                              table.differences]))
    return page_html("Past runs compared", ", ".join(comparison.scenarios), parts)


def optimize_report(run: state.Run) -> Callable[[], str]:
    """The run's HTML report, made when its download is clicked."""
    def make() -> str:
        result: runs.Optimization = run.result
        optimized = Scenario.model_validate_json(result.scenario_json)
        return page_html(f"Optimization: {optimized.name}", run.title, [
            ("In short", [result.headline, *result.notes]),
            ("Every channel, every day (✓ met, ✗ miss, ? unclear)",
             [planner_view.styled(result.days, optimized, "level")]),
            ("Iterations", [display.iteration_table(result.iterations, optimized)]),
            ("Figures", [optimize_charts.schedule_gantt(result.schedule, optimized),
                         optimize_charts.coverage(result.coverage, optimized)]),
        ])
    return make


def download(make: Callable[[], str], name: str, key: str) -> None:
    """The download button of a page's HTML report (made when clicked)."""
    st.download_button("HTML report", make, file_name=name, mime="text/html", key=key,
                       icon=":material/description:",
                       help="This page's figures and tables in one HTML file that opens "
                       "offline.")
