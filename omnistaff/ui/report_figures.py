"""The figures of the HTML reports, each with the tidy data it was drawn from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from omnistaff.scenarios import Horizon
from omnistaff.sim.costing import TOTAL
from omnistaff.sim.sweep import SweepResult

PALETTE = qualitative.Plotly + qualitative.D3


@dataclass(frozen=True)
class Figure:
    """A named plotly figure and the data behind it (saved as CSV beside the report)."""

    name: str
    figure: go.Figure
    data: pd.DataFrame


def _colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def _day_ticks(frame: pd.DataFrame, horizon: Horizon) -> tuple[list[float], list[str]]:
    """Tick positions at each day's start (x in days) labelled with the weekday."""
    starts = sorted(set(frame["day"]))
    return [float(d) for d in starts], [horizon.day_label(d) for d in starts]


def interval_figure(intervals: pd.DataFrame, horizon: Horizon, column: str, title: str,
                    axis: str, percent: bool = False) -> Figure:
    """One panel per channel, one line per variant, over the horizon's intervals."""
    data = intervals[["variant", "channel", "interval", "day", "weekday", "time", column]]
    per_day = (data["interval"].max() + 1) / (data["day"].max() + 1)
    data = data.assign(x_days=data["interval"] / per_day)
    channels = list(dict.fromkeys(data["channel"]))
    figure = make_subplots(rows=len(channels), cols=1, shared_xaxes=True,
                           subplot_titles=channels, vertical_spacing=0.06)
    for i, variant in enumerate(dict.fromkeys(data["variant"])):
        for row, channel in enumerate(channels, start=1):
            part = data[(data["variant"] == variant) & (data["channel"] == channel)]
            figure.add_trace(go.Scatter(
                x=part["x_days"], y=part[column], mode="lines", name=str(variant),
                legendgroup=str(variant), showlegend=row == 1, line={"color": _colour(i)},
                customdata=part[["weekday", "time"]],
                hovertemplate="%{customdata[0]} %{customdata[1]}: %{y}<extra>" + str(variant)
                + "</extra>"), row=row, col=1)
    ticks, labels = _day_ticks(data, horizon)
    figure.update_xaxes(tickvals=ticks, ticktext=labels)
    figure.update_yaxes(title_text=axis, tickformat=".0%" if percent else None)
    figure.update_layout(title=title, height=max(300, 220 * len(channels)))
    name = "service_level_by_interval" if column == "service_level" else f"{column}_by_interval"
    return Figure(name, figure, data.drop(columns="x_days"))


def _channel_kpi(table: pd.DataFrame, kpi: str) -> pd.DataFrame:
    rows = table[(table["scope"] == "channel") & (table["kpi"] == kpi)
                 & (table["name"] != TOTAL)]
    return rows[["variant", "name", "mean", "ci95"]].rename(
        columns={"name": "channel", "mean": kpi, "ci95": f"{kpi}_ci95"}).reset_index(drop=True)


def cost_by_channel(table: pd.DataFrame, currency: str) -> Figure:
    """Total cost per variant, stacked by channel."""
    data = _channel_kpi(table, "total_cost")
    figure = go.Figure()
    for i, channel in enumerate(dict.fromkeys(data["channel"])):
        part = data[data["channel"] == channel]
        figure.add_trace(go.Bar(x=part["variant"], y=part["total_cost"], name=str(channel),
                                marker_color=_colour(i)))
    figure.update_layout(barmode="stack", title="Cost per channel (stacked: the total cost)",
                         yaxis_title=f"cost ({currency})")
    return Figure("cost_by_channel", figure, data)


def cost_per_contact(table: pd.DataFrame, currency: str) -> Figure:
    """Cost per handled and per resolved contact by channel, one bar per variant, with CIs."""
    data = _channel_kpi(table, "cost_per_handled").merge(
        _channel_kpi(table, "cost_per_resolved"), on=["variant", "channel"])
    figure = make_subplots(rows=1, cols=2, subplot_titles=["per handled contact",
                                                           "per resolved contact"])
    for i, variant in enumerate(dict.fromkeys(data["variant"])):
        part = data[data["variant"] == variant]
        for col, kpi in enumerate(("cost_per_handled", "cost_per_resolved"), start=1):
            figure.add_trace(go.Bar(
                x=part["channel"], y=part[kpi], name=str(variant), legendgroup=str(variant),
                showlegend=col == 1, marker_color=_colour(i),
                error_y={"type": "data", "array": part[f"{kpi}_ci95"]}), row=1, col=col)
    figure.update_layout(barmode="group", title="Cost per contact by channel (95% CI)")
    figure.update_yaxes(title_text=f"{currency} per contact", col=1)
    return Figure("cost_per_contact", figure, data)


def frontier_figure(points: pd.DataFrame, frontier: pd.DataFrame, channel: str,
                    currency: str) -> Figure:
    """Every sweep point's total cost against service level, the frontier joined up."""
    cost, level = f"{TOTAL}.total_cost", f"{channel}.service_level"
    data = points[["point", "label", cost, f"{cost}_ci95", level, f"{level}_ci95"]].copy()
    data["on_frontier"] = data["point"].isin(frontier["point"])
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=data[cost], y=data[level], mode="markers", name="points", text=data["label"],
        marker={"color": "#9aa5b1", "size": 9},
        error_x={"type": "data", "array": data[f"{cost}_ci95"], "thickness": 1},
        error_y={"type": "data", "array": data[f"{level}_ci95"], "thickness": 1},
        hovertemplate="%{text}<br>cost %{x:,.0f}<br>service level %{y:.1%}<extra></extra>"))
    edge = data[data["on_frontier"]].sort_values(cost)
    figure.add_trace(go.Scatter(
        x=edge[cost], y=edge[level], mode="lines+markers", name="frontier", text=edge["label"],
        marker={"color": "#d62728", "size": 11}, line={"color": "#d62728"},
        hovertemplate="%{text}<br>cost %{x:,.0f}<br>service level %{y:.1%}<extra></extra>"))
    figure.update_layout(title=f"Cost against service level ({channel}): the frontier",
                         xaxis_title=f"total cost ({currency})", yaxis_title="service level",
                         yaxis_tickformat=".0%")
    return Figure("frontier", figure, data)


def sweep_cost_by_channel(result: SweepResult, currency: str) -> Figure:
    """Total cost per sweep point, stacked by channel."""
    table = result.point_table()
    rows = table[(table["scope"] == "channel") & (table["kpi"] == "total_cost")
                 & (table["name"] != TOTAL)]
    labels = {p.index: p.label for p in result.points}
    data = rows.assign(label=rows["point"].map(labels))[["point", "label", "name", "mean",
                                                          "ci95"]]
    data = data.rename(columns={"name": "channel", "mean": "total_cost",
                                "ci95": "total_cost_ci95"}).reset_index(drop=True)
    figure = go.Figure()
    for i, channel in enumerate(dict.fromkeys(data["channel"])):
        part = data[data["channel"] == channel]
        figure.add_trace(go.Bar(x=part["label"], y=part["total_cost"], name=str(channel),
                                marker_color=_colour(i)))
    figure.update_layout(barmode="stack", title="Cost per channel at each point",
                         yaxis_title=f"cost ({currency})")
    return Figure("cost_by_channel", figure, data)
