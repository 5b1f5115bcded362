"""Required against scheduled staffing on the Simulate page, before any optimizing: which
groups are short or have agents to spare, day by day, and where in the day (a heat map of
agents short or over per day and hour, and the week's lines). The figures come from
`omnistaff.optimize.staffing_gap`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from omnistaff.optimize import staffing_gap
from omnistaff.scenarios import Scenario
from omnistaff.ui.app.charts import colour, day_axis, layout
from omnistaff.ui.glossary import help_for

SHORT_CSS, OVER_CSS = "background-color: #ffd8d3", "background-color: #dbe9f6"
LIVE_FILL, DEFERRED_FILL = "rgba(214, 39, 40, 0.45)", "rgba(255, 127, 14, 0.35)"
HELP = ("**Required**: agents on shift that the optimizer plans for, from the forecast: for a "
        "live channel the least agents on queue meeting its SLA by Erlang A (Erlang C "
        "without patience), for a deferred channel its work as it arrives; shared among the "
        "groups serving a channel by the capacity each has scheduled, and grossed up by "
        "shrinkage and absenteeism. **Scheduled**: the scenario's shifts, breaks excluded. "
        "**Short**: scheduled below required; **over**: at least "
        f"{staffing_gap.OVER_AGENTS:g} agent more than required.  \n"
        + help_for("requirement", "shrinkage", "deferred channel"))


def show(gap: pd.DataFrame, scenario: Scenario) -> None:
    """The groups short somewhere, the day table, then one group's day x hour heat map and
    its week."""
    days = staffing_gap.gap_by_day(gap, scenario)
    lines = staffing_gap.short_lines(days, scenario)
    if lines:
        st.warning("**Scheduled staffing falls short of the requirement:**\n\n"
                   + "\n".join(f"- {line}" for line in lines), icon=":material/warning:")
    else:
        st.success("Every group has at least the agents its channels require in every "
                   "interval.", icon=":material/check_circle:")
    st.markdown("**Hours short and over, by group and day**", help=HELP)
    st.dataframe(day_table(days, scenario), hide_index=True, width="stretch")
    st.caption("Hours short (−, red) and hours with an agent or more to spare (+, blue) each "
               "day; fits: neither. Deferred "
               "work may wait up to its response window, so an hour short of deferred work "
               "alone may be caught up later. The requirement follows the scenario (chat "
               "concurrency, bot share, volumes); the scheduled staffing changes only when "
               "optimized (Optimize page).")
    groups = list(scenario.groups)
    first = str(days.loc[days["short_hours"].idxmax(), "group"]) if len(days) else groups[0]
    group = st.columns([2, 5])[0].selectbox("Group", groups, index=groups.index(first),
                         format_func=lambda g: scenario.groups[g].label or g,
                         key="staffing_group")
    left, right = st.columns([4, 5])
    left.plotly_chart(hour_figure(gap, scenario, group), width="stretch",
                      config={"displayModeBar": False})
    right.plotly_chart(week_figure(gap, scenario, group), width="stretch",
                       config={"displayModeBar": False})


def day_table(days: pd.DataFrame, scenario: Scenario) -> Styler:
    """Groups down, days across: hours short and over each day (`_cell`)."""
    labels = [scenario.horizon.day_label(d) for d in range(scenario.horizon.days)]
    text: dict[str, dict[str, str]] = {}
    css: dict[str, dict[str, str]] = {}
    for _, row in days.iterrows():
        title = scenario.groups[str(row["group"])].label or str(row["group"])
        text.setdefault(title, {"group": title})[row["weekday"]] = _cell(row)
        css.setdefault(title, {"group": ""})[row["weekday"]] = (
            SHORT_CSS if row["short_hours"] > 0 else OVER_CSS if row["over_hours"] > 0 else "")
    frame = pd.DataFrame(list(text.values()), columns=["group", *labels]).fillna("–")
    colours = pd.DataFrame(list(css.values()), columns=["group", *labels]).fillna("")
    return frame.style.apply(lambda _: colours, axis=None)


def _cell(row: pd.Series) -> str:
    """'−2.5 h / +6 h': hours short, then hours over; 'fits' when neither, '–' when nothing
    is required or scheduled."""
    short, over = row["short_hours"], row["over_hours"]
    if short or over:
        return " / ".join(part for part, hours in ((f"−{short:g} h", short),
                                                   (f"+{over:g} h", over)) if hours)
    return "fits" if row["required_hours"] > 0 else "–"


def hour_figure(gap: pd.DataFrame, scenario: Scenario, group: str) -> go.Figure:
    """Days down, hours across: agents on shift minus agents required (mean over the hour),
    red where short, blue where over."""
    part = gap[gap["group"] == group]
    hourly = part.groupby(["day", "hour"], as_index=False)[["gap", "required",
                                                            "scheduled"]].mean()
    grid = hourly.pivot(index="day", columns="hour", values="gap").reindex(columns=range(24))
    need = hourly.pivot(index="day", columns="hour", values="required").reindex(
        index=grid.index, columns=range(24))
    have = hourly.pivot(index="day", columns="hour", values="scheduled").reindex(
        index=grid.index, columns=range(24))
    reach = max(1.0, float(grid.abs().max().max()))
    figure = go.Figure(go.Heatmap(
        z=grid.to_numpy(), x=[f"{h:02d}" for h in range(24)],
        y=[scenario.horizon.day_label(int(d)) for d in grid.index],
        customdata=np.dstack([need.to_numpy(), have.to_numpy()]),
        colorscale="RdBu", zmin=-reach, zmax=reach, zmid=0, xgap=1, ygap=1,
        colorbar={"title": {"text": "agents"}, "thickness": 12},
        hovertemplate="%{y} %{x}:00: %{z:+.1f} agents (required %{customdata[0]:.1f}, "
                      "scheduled %{customdata[1]:.1f})<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="hour of the day", nticks=12)
    title = scenario.groups[group].label or group
    figure = layout(figure, f"{title}: agents over (+) or short (−), by day and hour", 320)
    figure.update_layout(margin={"l": 50, "r": 10, "t": 34, "b": 40}, hovermode="closest",
                         title={"font": {"size": 13}})
    return figure


def week_figure(gap: pd.DataFrame, scenario: Scenario, group: str) -> go.Figure:
    """Agents required (live channels, then deferred work on top) and scheduled over the
    week."""
    part = gap[gap["group"] == group]
    x = part["interval"] / scenario.horizon.intervals_per_day
    label = part["weekday"] + " " + part["time"]
    figure = go.Figure()
    for column, name, style in (
            ("live", "required: live channels", {"width": 0, "color": LIVE_FILL}),
            ("required", "required: with deferred work", {"width": 0, "color": DEFERRED_FILL}),
            ("scheduled", "scheduled (on shift, breaks excluded)", {"color": colour(0)})):
        figure.add_trace(go.Scatter(
            x=x, y=part[column], mode="lines", name=name, line=style, text=label,
            fillcolor=style["color"],
            fill=None if column == "scheduled" else "tozeroy" if column == "live"
            else "tonexty", hovertemplate="%{text}: %{y:.1f} agents<extra>" + name
            + "</extra>"))
    figure.update_yaxes(title_text="agents on shift", rangemode="tozero")
    day_axis(figure, part, scenario.horizon)
    title = scenario.groups[group].label or group
    figure = layout(figure, f"{title}: agents required and scheduled over the week", 360)
    return figure.update_layout(title={"font": {"size": 13}})
