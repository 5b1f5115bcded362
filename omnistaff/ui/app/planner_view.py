"""The planner's answer on the Simulate page, on one screen: a verdict line per channel and
day that misses its target, service level, backlog and response-time percentiles by day
(channels down, days across, coloured by verdict), service level by day and hour as a heat
map, and the weekend's worst hour. The figures come from `omnistaff.ui.daily`."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from omnistaff.scenarios import Scenario
from omnistaff.ui import daily
from omnistaff.ui.app.charts import layout
from omnistaff.ui.catalogue import amount
from omnistaff.ui.glossary import help_for

#: Verdict lines shown before the rest fold away.
SHOWN_LINES = 4
#: Marks of a day's verdict in the tables (colour alone does not carry it).
MARKS = {"met": "✓", "missed": "✗", "unclear": "?"}
VERDICT_CSS = {"met": "background-color: #dafbe1", "missed": "background-color: #ffd8d3",
               "unclear": "background-color: #fff1c2"}
HELP_VERDICT = ("A day is **met** when the 95% one-sided lower bound of its service level "
                "(over the replications) clears the target, **miss** when the upper bound is "
                "below it (or abandonment is clearly over its ceiling), **unclear** otherwise: "
                "more replications would tell. The optimizer judges schedules by the same rule."
                "  \n" + help_for("channel-day", "replication"))


def show(days: pd.DataFrame, hours: pd.DataFrame, scenario: Scenario) -> None:
    """Verdict lines and day tables on the left, the day x hour heat map on the right. The
    heat map is sent first: the browser takes longest to draw it, so it starts at once."""
    left, right = st.columns([5.4, 4])
    with right:
        heat_map(hours, scenario)
    with left:
        verdicts(days, scenario)
        by_day_tables(days, scenario)


def verdicts(days: pd.DataFrame, scenario: Scenario) -> None:
    lines = daily.verdict_lines(days, scenario)
    judged = days.dropna(subset=["service_level"])
    met = int((judged["verdict"] == "met").sum())
    summary = (f"{met} of {len(judged)} channel-days met their target "
               f"(95% lower bound of the day's service level)")
    if not lines:
        st.success(f"Every channel met its target every day: {summary}.",
                   icon=":material/check_circle:")
        return
    shown = "\n".join(f"- {line}" for line in lines[:SHOWN_LINES])
    st.warning(f"**{summary}.** Missed or unclear:\n\n{shown}", icon=":material/warning:")
    if len(lines) > SHOWN_LINES:
        with st.expander(f"{len(lines) - SHOWN_LINES} more missed or unclear channel-days"):
            st.markdown("\n".join(f"- {line}" for line in lines[SHOWN_LINES:]))


def _grid(days: pd.DataFrame, scenario: Scenario, cell: str) -> tuple[pd.DataFrame,
                                                                       pd.DataFrame]:
    """Channels down, days across: the text of `cell` per row, and each cell's colour."""
    labels = [scenario.horizon.day_label(d) for d in range(scenario.horizon.days)]
    text: dict[str, dict[str, str]] = {}
    css: dict[str, dict[str, str]] = {}
    order = {name: i for i, name in enumerate(scenario.channels)}
    days = days.sort_values(["channel", "day"], key=lambda c: c.map(order) if c.name ==
                            "channel" else c)
    for _, row in days.iterrows():
        name = str(row["channel"])
        title = scenario.channels[name].label or name
        day = scenario.horizon.day_label(int(row["day"]))
        text.setdefault(title, {"channel": title})[day] = _cell(row, cell)
        judged = cell == "level" and not pd.isna(row["service_level"])
        css.setdefault(title, {"channel": ""})[day] = (
            VERDICT_CSS.get(str(row["verdict"]), "") if judged else "")
    frame = pd.DataFrame(list(text.values()), columns=["channel", *labels])
    colours = pd.DataFrame(list(css.values()), columns=["channel", *labels]).fillna("")
    return frame.fillna("–"), colours


def _cell(row: pd.Series, cell: str) -> str:
    if cell == "level":
        if pd.isna(row["service_level"]):
            return "–"
        return f"{100 * row['service_level']:.0f}% {MARKS[str(row['verdict'])]}"
    if cell == "backlog":
        return f"{row['backlog_end']:.0f} (peak {row['backlog_peak']:.0f})"
    if pd.isna(row.get("p50")):
        return "–"
    return f"{amount(row['p50'], 'seconds')} / {amount(row['p90'], 'seconds')}"


def styled(days: pd.DataFrame, scenario: Scenario, cell: str) -> Styler:
    frame, colours = _grid(days, scenario, cell)
    return frame.style.apply(lambda _: colours, axis=None)


def by_day_tables(days: pd.DataFrame, scenario: Scenario) -> None:
    """Service level with its verdict, backlog, and response-time percentiles, by day."""
    level, backlog, waits = st.tabs(["Service level by day", "Backlog by day",
                                     "Response time by day (p50 / p90)"])
    targets = ", ".join(f"{ch.label or name} {100 * ch.sla.target:.0f}% within "
                        f"{daily.threshold_text(ch.sla.threshold)}"
                        for name, ch in scenario.channels.items())
    with level:
        st.dataframe(styled(days, scenario, "level"), hide_index=True, width="stretch")
        st.caption(f"Share answered or responded to within the SLA threshold each day: ✓ met, "
                   f"✗ miss, ? unclear, – no contacts. Targets: {targets}.", help=HELP_VERDICT)
    with backlog:
        st.dataframe(styled(days, scenario, "backlog"), hide_index=True, width="stretch")
        st.caption("Contacts waiting at the end of each day, and the most waiting at the end "
                   "of any interval of the day (contacts; means over replications).")
    with waits:
        st.dataframe(styled(days, scenario, "waits"), hide_index=True, width="stretch")
        st.caption("Median and 90th percentile of the wait for an answer or first response "
                   "of the contacts answered that arrived on the day (means over "
                   "replications).")


def heat_map(hours: pd.DataFrame, scenario: Scenario) -> None:
    """Service level by day and hour for one channel (the worst at the weekend first), and
    the weekend's worst hour of each channel."""
    worst = daily.worst_hours(hours, scenario)
    names = list(scenario.channels)
    first = str(worst["channel"].iloc[0]) if not worst.empty else names[0]
    channel = st.selectbox("Heat map of", names, index=names.index(first),
                           format_func=lambda n: scenario.channels[n].label or n)
    st.plotly_chart(hour_figure(hours, scenario, channel), width="stretch",
                    config={"displayModeBar": False})
    spec = scenario.channels[channel]
    st.caption(f"Share in time per hour; red below the target ({100 * spec.sla.target:.0f}% "
               f"within {daily.threshold_text(spec.sla.threshold)}), green above; blank: no "
               "contacts.")
    weekend = any(d in daily.WEEKEND for d in scenario.horizon.weekdays())
    where = "weekend" if weekend else "horizon"
    if worst.empty:
        st.caption(f"No hour of the {where} had {daily.MIN_HOUR_CONTACTS:.0f} or more contacts.")
        return
    lines = "  \n".join(daily.worst_hour_line(row, scenario) for _, row in worst.iterrows())
    st.markdown(f"**Worst hour of the {where}**, per channel:  \n{lines}",
                help=f"The hour furthest below the channel's target among hours with at least "
                f"{daily.MIN_HOUR_CONTACTS:.0f} contacts judged by the SLA (mean over "
                "replications).")


def hour_figure(hours: pd.DataFrame, scenario: Scenario, channel: str) -> go.Figure:
    """Days down, hours across, coloured red below the channel's target and green above."""
    part = hours[hours["channel"] == channel]
    level = part.pivot(index="day", columns="hour", values="service_level").sort_index()
    level = level.reindex(columns=range(24))
    counts = part.pivot(index="day", columns="hour", values="sla_base").reindex(
        index=level.index, columns=range(24))
    spec = scenario.channels[channel]
    figure = go.Figure(go.Heatmap(
        z=100 * level.to_numpy(), x=[f"{h:02d}" for h in range(24)],
        y=[scenario.horizon.day_label(int(d)) for d in level.index],
        customdata=counts.to_numpy(), colorscale="RdYlGn", zmin=0, zmax=100,
        zmid=100 * spec.sla.target, xgap=1, ygap=1,
        colorbar={"title": {"text": "in time"}, "ticksuffix": "%", "thickness": 12},
        hovertemplate="%{y} %{x}:00: %{z:.0f}% in time, %{customdata:.0f} contacts"
                      "<extra></extra>"))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="hour of the day", nticks=12)
    figure = layout(figure, f"{spec.label or channel}: service level by day and hour", 290)
    figure.update_layout(margin={"l": 50, "r": 10, "t": 34, "b": 40}, hovermode="closest",
                         title={"font": {"size": 13}})
    return figure
