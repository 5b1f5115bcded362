"""Plotly figures of a comparison: one line or bar per variant, against the targets."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from omnistaff.scenarios import Scenario
from omnistaff.sim.compare import Comparison
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.app.charts import HOVER, TARGET, colour, day_axis, days, layout
from omnistaff.ui.catalogue import duration


def _rows(comparison: Comparison, scope: str, kpi: str) -> pd.DataFrame:
    table = comparison.kpi_table()
    return table[(table["scope"] == scope) & (table["kpi"] == kpi) & (table["name"] != TOTAL)]


def channel_week(comparison: Comparison, channel: str) -> go.Figure:
    """One channel over the horizon, a line per variant: service level against its target,
    90th-percentile response time and backlog."""
    base = comparison.scenarios[comparison.base]
    spec = base.channels[channel]
    intervals = comparison.interval_table()
    intervals = intervals[intervals["channel"] == channel]
    figure = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07,
                           subplot_titles=[
                               f"service level (target {100 * spec.sla.target:.0f}% within "
                               f"{duration(spec.sla.threshold)})",
                               "90% answered or responded to within (minutes)",
                               "backlog: contacts waiting at interval end"])
    for i, variant in enumerate(comparison.scenarios):
        part = intervals[intervals["variant"] == variant]
        x, data = days(part, base), part[["weekday", "time"]]
        for row, y in enumerate((100 * part["service_level"], part["response_p90_seconds"] / 60,
                                 part["backlog_end"]), start=1):
            figure.add_trace(go.Scatter(
                x=x, y=y, mode="lines", name=variant, legendgroup=variant, showlegend=row == 1,
                line={"color": colour(i)}, customdata=data,
                hovertemplate=HOVER + "<extra>" + variant + "</extra>"), row=row, col=1)
    span = [days(intervals, base).min(), days(intervals, base).max()]
    figure.add_trace(go.Scatter(x=span, y=[100 * spec.sla.target] * 2, mode="lines",
                                line=TARGET, name="target", hoverinfo="skip"), row=1, col=1)
    figure.add_trace(go.Scatter(x=span, y=[spec.sla.threshold / 60] * 2, mode="lines",
                                line=TARGET, showlegend=False, hoverinfo="skip"), row=2, col=1)
    figure.update_yaxes(range=[0, 105], ticksuffix="%", row=1, col=1)
    figure.update_yaxes(title_text="minutes", rangemode="tozero", row=2, col=1)
    figure.update_yaxes(title_text="contacts", rangemode="tozero", row=3, col=1)
    day_axis(figure, intervals, base.horizon)
    return layout(figure, f"{spec.label or channel} over the week, by variant (mean of "
                  f"{comparison.replications} replication(s))", 720)


def service_levels(comparison: Comparison) -> go.Figure:
    """Service level per channel, a bar per variant with its 95% CI, and each target."""
    base = comparison.scenarios[comparison.base]
    rows = _rows(comparison, "channel", "service_level")
    figure = go.Figure()
    for i, variant in enumerate(comparison.scenarios):
        part = rows[rows["variant"] == variant]
        figure.add_trace(go.Bar(
            x=[_label(base, n) for n in part["name"]], y=100 * part["mean"], name=variant,
            marker_color=colour(i), error_y={"type": "data", "array": 100 * part["ci95"]},
            hovertemplate="%{x}: %{y:.1f}%<extra>" + variant + "</extra>"))
    _targets(figure, base)
    figure.update_yaxes(title_text="service level", ticksuffix="%", range=[0, 105])
    figure.update_layout(barmode="group", hovermode="closest")
    return layout(figure, "Service level by channel (95% CI) against target", 400)


def _targets(figure: go.Figure, scenario: Scenario) -> None:
    figure.add_trace(go.Scatter(
        x=[_label(scenario, n) for n in scenario.channels],
        y=[100 * c.sla.target for c in scenario.channels.values()], mode="markers",
        name="target", hovertemplate="%{x}: target %{y:.0f}%<extra></extra>",
        marker={"symbol": "line-ew", "size": 60, "line": {"width": 3, "color": "#d62728"}}))


def stacked(comparison: Comparison, scope: str, kpi: str, title: str, axis: str) -> go.Figure:
    """A KPI per variant, stacked by channel or group (cost by channel, FTE by group)."""
    base = comparison.scenarios[comparison.base]
    rows = _rows(comparison, scope, kpi)
    figure = go.Figure()
    for i, name in enumerate(dict.fromkeys(rows["name"])):
        part = rows[rows["name"] == name]
        figure.add_trace(go.Bar(
            x=part["variant"], y=part["mean"], name=_label(base, name, scope),
            marker_color=colour(i), hovertemplate="%{x}: %{y:,.1f}<extra>" + name + "</extra>"))
    figure.update_layout(barmode="stack", hovermode="closest")
    figure.update_yaxes(title_text=axis)
    return layout(figure, title, 400)


def per_contact(comparison: Comparison) -> go.Figure:
    """Cost per handled and per resolved contact by channel, a bar per variant (95% CI)."""
    base = comparison.scenarios[comparison.base]
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True,
                           subplot_titles=["per handled contact", "per resolved contact"])
    for col, kpi in enumerate(("cost_per_handled", "cost_per_resolved"), start=1):
        rows = _rows(comparison, "channel", kpi)
        for i, variant in enumerate(comparison.scenarios):
            part = rows[rows["variant"] == variant]
            figure.add_trace(go.Bar(
                x=[_label(base, n) for n in part["name"]], y=part["mean"], name=variant,
                legendgroup=variant, showlegend=col == 1, marker_color=colour(i),
                error_y={"type": "data", "array": part["ci95"]},
                hovertemplate="%{x}: %{y:,.2f}<extra>" + variant + "</extra>"), row=1, col=col)
    figure.update_layout(barmode="group", hovermode="closest")
    figure.update_yaxes(title_text=f"{base.currency} per contact", col=1)
    return layout(figure, "Cost per contact by channel (95% CI)", 400)


def _label(scenario: Scenario, name: str, scope: str = "channel") -> str:
    spec = scenario.channels if scope == "channel" else scenario.groups
    return (spec[name].label or name) if name in spec else name
