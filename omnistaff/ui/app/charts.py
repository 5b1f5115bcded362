"""Plotly figures of the app: results over the horizon, per channel and per group, in
readable units (%, minutes, agents, money). Frames in, figures out; no model maths."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from omnistaff.scenarios import Horizon, Scenario
from omnistaff.ui.catalogue import duration

PALETTE = qualitative.Plotly
TARGET = {"color": "#d62728", "dash": "dash", "width": 1.5}
HOVER = "%{customdata[0]} %{customdata[1]}: %{y:.1f}"


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def channel_colours(scenario: Scenario) -> dict[str, str]:
    return {name: colour(i) for i, name in enumerate(scenario.channels)}


def days(frame: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Position in days from the start of the horizon: the x axis of every time chart."""
    return frame["interval"] / scenario.horizon.intervals_per_day


def day_axis(figure: go.Figure, frame: pd.DataFrame, horizon: Horizon) -> None:
    """Ticks at the start of each day, labelled with the weekday (and day number past 7)."""
    starts = sorted(set(frame["day"]))
    figure.update_xaxes(tickvals=[float(d) for d in starts],
                        ticktext=[horizon.day_label(d) for d in starts],
                        showgrid=True, gridcolor="#e5e5e5")


def layout(figure: go.Figure, title: str, height: int) -> go.Figure:
    """Title top left, legend under the plot, white background."""
    top, bottom = 60, 90
    figure.update_layout(title={"text": title, "x": 0, "font": {"size": 15}}, height=height,
                         template="plotly_white", hovermode="x unified",
                         margin={"l": 60, "r": 20, "t": top, "b": bottom},
                         legend={"orientation": "h", "x": 0, "xanchor": "left",
                                 "y": -50 / (height - top - bottom), "yanchor": "top"})
    return figure


def _per_channel(scenario: Scenario, titles: list[str]) -> go.Figure:
    rows = len(titles)
    return make_subplots(rows=rows, cols=1, shared_xaxes=True, subplot_titles=titles,
                         vertical_spacing=min(0.08, 0.3 / rows))


def _target_title(scenario: Scenario, name: str) -> str:
    spec = scenario.channels[name]
    return (f"{spec.label or name}: target {100 * spec.sla.target:.0f}% within "
            f"{duration(spec.sla.threshold)}")


def service_level(intervals: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Service level per interval and channel over the horizon (mean over replications)
    against the channel's target."""
    names = list(scenario.channels)
    figure = _per_channel(scenario, [_target_title(scenario, n) for n in names])
    for row, name in enumerate(names, start=1):
        part = intervals[intervals["channel"] == name]
        x, level = days(part, scenario), 100 * part["service_level"]
        figure.add_trace(go.Scatter(
            x=x, y=level, mode="lines", name="service level", showlegend=row == 1,
            line={"color": colour(0)}, customdata=part[["weekday", "time"]],
            hovertemplate=HOVER + "%<extra>" + name + "</extra>"), row=row, col=1)
        figure.add_trace(go.Scatter(
            x=[x.min(), x.max()], y=[100 * scenario.channels[name].sla.target] * 2,
            mode="lines", line=TARGET, name="target", showlegend=row == 1, hoverinfo="skip"),
            row=row, col=1)
    figure.update_yaxes(range=[0, 105], ticksuffix="%", title_text="in time")
    day_axis(figure, intervals, scenario.horizon)
    return layout(figure, "Service level by interval (share answered or responded to in time)",
                   120 + 170 * len(names))


def backlog(intervals: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Contacts waiting at the end of each interval, per channel."""
    figure = go.Figure()
    for name, col in channel_colours(scenario).items():
        part = intervals[intervals["channel"] == name]
        figure.add_trace(go.Scatter(
            x=days(part, scenario), y=part["backlog_end"], mode="lines", line={"color": col},
            name=scenario.channels[name].label or name, customdata=part[["weekday", "time"]],
            hovertemplate=HOVER + "<extra>" + name + "</extra>"))
    figure.update_yaxes(title_text="contacts waiting", rangemode="tozero")
    day_axis(figure, intervals, scenario.horizon)
    return layout(figure, "Backlog: contacts waiting at the end of each interval", 380)


def response_times(intervals: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Mean and 90th-percentile wait for an answer or first response, per interval and
    channel, in minutes, against the SLA threshold."""
    names = list(scenario.channels)
    figure = _per_channel(scenario, [scenario.channels[n].label or n for n in names])
    for row, name in enumerate(names, start=1):
        part = intervals[intervals["channel"] == name]
        x, data = days(part, scenario), part[["weekday", "time"]]
        for column, what, dash in (("response_p90_seconds", "90th percentile", "solid"),
                                   ("response_mean_seconds", "mean", "dot")):
            figure.add_trace(go.Scatter(
                x=x, y=part[column] / 60, mode="lines", name=what, showlegend=row == 1,
                line={"color": colour(row - 1), "dash": dash}, legendgroup=what,
                customdata=data, hovertemplate=HOVER + " min<extra>" + what + "</extra>"),
                row=row, col=1)
        figure.add_trace(go.Scatter(
            x=[x.min(), x.max()], y=[scenario.channels[name].sla.threshold / 60] * 2,
            mode="lines", line=TARGET, name="SLA threshold", showlegend=row == 1,
            hoverinfo="skip"), row=row, col=1)
    figure.update_yaxes(title_text="minutes", rangemode="tozero")
    day_axis(figure, intervals, scenario.horizon)
    return layout(figure, "Wait for an answer or first response, by interval (minutes)",
                   120 + 170 * len(names))


def response_summary(channels: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Mean and 90th-percentile wait per channel over the horizon (95% CI), and the SLA
    threshold, in minutes on a log scale (phones wait seconds, e-mails hours)."""
    labels = [scenario.channels[str(n)].label or str(n) for n in channels.index]
    figure = go.Figure()
    for i, (column, what) in enumerate((("asa_seconds", "mean"),
                                        ("response_p90_seconds", "90th percentile"))):
        figure.add_trace(go.Bar(
            x=labels, y=channels[column] / 60, name=what, marker_color=colour(i),
            error_y={"type": "data", "array": channels[f"{column}_ci95"] / 60},
            hovertemplate="%{x}: %{y:.2f} min<extra>" + what + "</extra>"))
    figure.add_trace(go.Scatter(
        x=labels, y=[scenario.channels[str(n)].sla.threshold / 60 for n in channels.index],
        mode="markers", name="SLA threshold", hovertemplate="%{x}: %{y:.2f} min<extra></extra>",
        marker={"symbol": "line-ew", "size": 40, "line": {"width": 3, "color": "#d62728"}}))
    figure.update_yaxes(type="log", title_text="minutes (log scale)")
    figure.update_layout(barmode="group", hovermode="closest")
    return layout(figure, "Response time by channel over the horizon", 380)


def occupancy_heatmap(intervals: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Occupancy (busy / on queue) per group, day and time of day, in %."""
    names = list(scenario.groups)
    figure = make_subplots(rows=len(names), cols=1, shared_xaxes=True,
                           subplot_titles=[scenario.groups[g].label or g for g in names],
                           vertical_spacing=min(0.08, 0.3 / len(names)))
    for row, name in enumerate(names, start=1):
        part = intervals[intervals["group"] == name]
        grid = part.pivot(index="day", columns="time", values="occupancy").sort_index()
        labels = [scenario.horizon.day_label(d) for d in grid.index]
        figure.add_trace(go.Heatmap(
            z=100 * grid.to_numpy(), x=list(grid.columns), y=labels, coloraxis="coloraxis",
            hovertemplate="%{y} %{x}: %{z:.0f}%<extra>" + name + "</extra>"), row=row, col=1)
        figure.update_yaxes(autorange="reversed", row=row, col=1)
    figure.update_layout(coloraxis={"colorscale": "YlOrRd", "cmin": 0, "cmax": 100,
                                    "colorbar": {"title": {"text": "occupancy"},
                                                 "ticksuffix": "%"}})
    figure.update_xaxes(nticks=13, title_text=None)
    figure.update_xaxes(title_text="time of day", row=len(names), col=1)
    per_group = 40 + 22 * min(scenario.horizon.days, 14)
    return layout(figure, "Occupancy by group, day and time of day (white: nobody on queue)",
                   100 + per_group * len(names))


def staffed(intervals: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Agents on queue per group over the horizon (after breaks, shrinkage and absence)."""
    figure = go.Figure()
    for i, name in enumerate(scenario.groups):
        part = intervals[intervals["group"] == name]
        figure.add_trace(go.Scatter(
            x=days(part, scenario), y=part["staffed"], mode="lines", line={"color": colour(i)},
            name=scenario.groups[name].label or name, stackgroup="staffed",
            customdata=part[["weekday", "time"]],
            hovertemplate=HOVER + " agents<extra>" + name + "</extra>"))
    figure.update_yaxes(title_text="agents on queue", rangemode="tozero")
    day_axis(figure, intervals, scenario.horizon)
    return layout(figure, "Staffed agents per group (stacked; on queue, mean per interval)",
                   380)
