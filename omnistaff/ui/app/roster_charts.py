"""Plotly figures of a plan in people: the roster as a Gantt chart with one row per person (a
bar per working day, coloured by contract), and people and FTE by group and contract."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from omnistaff.scenarios import Scenario
from omnistaff.ui.app.charts import colour, layout

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: A Monday: day 0 of the horizon is drawn on the date of its weekday in this week.
MONDAY = datetime(2024, 1, 1)
#: Most people drawn (a roster of more is shown in its table and download).
MOST_PEOPLE = 300


def roster_gantt(roster: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """One row per person, a bar from start to end on each working day (overnight shifts run
    into the next day), coloured by contract; hover names the shift, breaks and day."""
    first = MONDAY + timedelta(days=WEEKDAYS.index(scenario.horizon.weekday(0)))
    people = list(dict.fromkeys(roster["agent"]))[:MOST_PEOPLE]
    frame = roster[roster["agent"].isin(people)].copy()
    begins = [first + timedelta(days=int(d), hours=_hours(s))
              for d, s in zip(frame["day"], frame["start"], strict=True)]
    frame["begin"] = begins
    frame["finish"] = [b + timedelta(hours=_length(s, e))
                       for b, s, e in zip(begins, frame["start"], frame["end"], strict=True)]
    contracts = list(scenario.contracts)
    figure = px.timeline(
        frame, x_start="begin", x_end="finish", y="agent", color="contract",
        color_discrete_map={c: colour(i) for i, c in enumerate(contracts)},
        category_orders={"agent": people, "contract": contracts},
        hover_data={"group": True, "weekday": True, "start": True, "end": True,
                    "breaks": True, "begin": False, "finish": False})
    figure.update_yaxes(autorange="reversed", title_text=None)
    figure.update_xaxes(tickformat="%a", dtick=86400000, title_text=None,
                        range=[first, first + timedelta(days=scenario.horizon.days)])
    shown = f"{len(people)} of {roster['agent'].nunique()}" \
        if roster["agent"].nunique() > len(people) else f"{len(people)}"
    layout(figure, f"Roster: {shown} people, a bar per working day", 160 + 18 * len(people))
    return figure.update_layout(hovermode="closest")


def headcount_bars(headcount: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """People per group, stacked by contract, with the FTE they make in the hover."""
    figure = go.Figure()
    for i, contract in enumerate(scenario.contracts):
        part = headcount[headcount["contract"] == contract]
        if part.empty:
            continue
        figure.add_trace(go.Bar(
            x=part["group"], y=part["people"], name=contract, marker_color=colour(i),
            text=part["people"], customdata=part[["fte", "paid_hours"]],
            hovertemplate="%{x}: %{y} people, %{customdata[0]:.1f} FTE, "
            "%{customdata[1]:,.0f} paid hours<extra>" + contract + "</extra>"))
    figure.update_yaxes(title_text="people")
    layout(figure, "Headcount by group and contract", 360)
    return figure.update_layout(barmode="stack", hovermode="closest")


def _hours(clock: str) -> float:
    return int(clock[:2]) + int(clock[3:5]) / 60


def _length(start: str, end: str) -> float:
    """Hours from a start to an end clock time (past midnight when the end is earlier)."""
    return (_hours(end) - _hours(start)) % 24 or 24.0
