"""Plotly figures of an optimized schedule: shifts per group and day as a Gantt-like chart,
coverage against requirement per channel, and the history of the sim-opt iterations."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from omnistaff.scenarios import Scenario
from omnistaff.ui.app.charts import colour, layout


def _week_days(scenario: Scenario) -> list[str]:
    """Weekdays in the horizon's order, from its first day."""
    return list(scenario.horizon.weekdays()[:7])


def schedule_gantt(schedule: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """One row per group and shift (start-end), a bar on each day it is worked, labelled
    with the number of agents (shifts that differ only in their breaks share a bar)."""
    days = _week_days(scenario)
    frame = schedule[schedule["day"].isin(days)].groupby(
        ["group", "day", "start", "end", "length_hours"], as_index=False, sort=False).agg(
        count=("count", "sum"), breaks=("breaks", lambda b: "; ".join(sorted(set(b)))))
    frame["row"] = frame["group"] + " · " + frame["start"] + "-" + frame["end"]
    frame["hours"] = frame["start"].map(lambda c: int(c[:2]) + int(c[3:]) / 60)
    frame["base"] = frame["day"].map(days.index) + frame["hours"] / 24
    figure = go.Figure()
    for i, group in enumerate(scenario.groups):
        part = frame[frame["group"] == group].sort_values(["hours", "row"])
        if part.empty:
            continue
        figure.add_trace(go.Bar(
            y=part["row"], x=part["length_hours"] / 24, base=part["base"], orientation="h",
            name=scenario.groups[group].label or group, marker_color=colour(i),
            text=part["count"], textposition="inside", insidetextanchor="middle", textangle=0,
            customdata=part[["day", "start", "end", "count", "breaks"]],
            hovertemplate="%{customdata[0]} %{customdata[1]}-%{customdata[2]}: "
            "%{customdata[3]} agent(s)<br>breaks %{customdata[4]}<extra>" + group + "</extra>"))
    figure.update_xaxes(tickvals=[k + 0.5 for k in range(len(days))],
                        ticktext=[d.title() for d in days], range=[0, len(days)],
                        showgrid=False, minor={"tickvals": list(range(len(days) + 1)),
                                               "showgrid": True, "gridcolor": "#bbb"})
    figure.update_yaxes(autorange="reversed", title_text=None)
    rows = frame["row"].nunique()
    layout(figure, "Schedule: shifts per group and day (bar labels: agents)",
           max(320, 160 + 24 * rows))
    return figure.update_layout(barmode="overlay", hovermode="closest")


def coverage(frame: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Per channel over the horizon: the agents required, allocated by the schedule and
    available from every group serving it (deferred channels: work arriving, in agents)."""
    names = list(dict.fromkeys(frame["channel"]))
    figure = make_subplots(rows=len(names), cols=1, shared_xaxes=True,
                           subplot_titles=[scenario.channels[n].label or n for n in names],
                           vertical_spacing=min(0.08, 0.3 / max(1, len(names))))
    per_day = scenario.horizon.intervals_per_day
    for row, name in enumerate(names, start=1):
        part = frame[frame["channel"] == name]
        x = part["interval"] / per_day
        for column, what, style in (
                ("available", "available", {"width": 0, "color": "#9ecae1"}),
                ("allocated", "allocated", {"color": colour(2)}),
                ("required", "required", {"dash": "dash", "color": "#d62728"})):
            figure.add_trace(go.Scatter(
                x=x, y=part[column], mode="lines", name=what, legendgroup=what,
                showlegend=row == 1, line=style, text=part["label"],
                fill="tozeroy" if column == "available" else None,
                hovertemplate="%{text}: %{y:.1f}<extra>" + what + "</extra>"), row=row, col=1)
    figure.update_yaxes(title_text="agents", rangemode="tozero")
    starts = list(range(scenario.horizon.days))
    figure.update_xaxes(tickvals=starts, ticktext=[
        scenario.horizon.day_label(d) for d in starts], showgrid=True)
    return layout(figure, "Coverage against requirement, per channel (agents)",
                  120 + 170 * len(names))


def history(iterations: pd.DataFrame, currency: str) -> go.Figure:
    """Cost and the share of channel-days meeting their SLA (95% lower bound) of each
    solve-and-simulate iteration."""
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(go.Bar(x=iterations["iteration"], y=iterations["cost"], name="cost",
                            marker_color=colour(0),
                            hovertemplate="iteration %{x}: %{y:,.0f}<extra>cost</extra>"))
    figure.add_trace(go.Scatter(
        x=iterations["iteration"], y=100 * iterations["attainment"], name="channel-days met",
        mode="lines+markers", line={"color": colour(1)},
        hovertemplate="iteration %{x}: %{y:.0f}%<extra>channel-days met</extra>"), secondary_y=True)
    figure.update_xaxes(title_text="iteration", dtick=1)
    figure.update_yaxes(title_text=f"cost ({currency})", secondary_y=False, rangemode="tozero")
    figure.update_yaxes(title_text="channel-days met", ticksuffix="%",
                        range=[0, 105], tickmode="linear", tick0=0, dtick=25, showgrid=False,
                        secondary_y=True)
    figure.update_layout(hovermode="x unified")
    return layout(figure, "Iterations: cost and SLA attainment", 360)
