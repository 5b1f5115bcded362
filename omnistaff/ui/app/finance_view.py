"""The finance answer on the Simulate page: cost per handled and per resolved contact by
channel, what drives it (paid labour while busy, idle paid time, shift premiums, bot and
triage, training), and the change against another run of the session chosen as the base.
The figures are the run's cost KPIs (`sim.costing`, means over replications)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from omnistaff.scenarios import Scenario
from omnistaff.scenarios.pay import staffing_premiums
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.app import display, runs, state
from omnistaff.ui.app.charts import colour, layout
from omnistaff.ui.app.compare_display import BAD, GOOD
from omnistaff.ui.catalogue import amount, describe, difference_text, with_ci
from omnistaff.ui.glossary import help_for
from omnistaff.ui.past_runs import RunComparison, compare_runs, method_note

#: The parts a channel's cost is made of (they add up to its total cost).
DRIVERS = {"busy labour": "paid time with a contact in hand",
           "idle labour": "paid time with no contact in hand (waiting, paid breaks, "
                          "off-queue)",
           "bot and triage": "per deflected contact and per item triaged automatically",
           "training": "per agent and skill, a yearly cost over the horizon"}
COLUMNS = [("cost_per_handled", "per handled", "money"),
           ("cost_per_resolved", "per resolved", "money"),
           ("idle_share", "idle share", "share"), ("total_cost", "total cost", "money")]
GLOSSARY = help_for("handled", "resolved", "idle share")


def show(sim: runs.Simulation, scenario: Scenario, run_id: int) -> None:
    """Per-contact costs with their drivers, and the change against a chosen base run."""
    kpis = sim.kpis
    change = against_base(run_id)
    diffs = None if change is None else change.kpi_table()
    diffs = None if diffs is None else diffs[diffs["variant"] == list(change.scenarios)[-1]]
    st.dataframe(cost_table(kpis, scenario, diffs), hide_index=True, width="stretch")
    left, right = st.columns([4, 5])
    with right:
        how = "" if change is None else f" {method_note(change)}"
        st.caption(f"{scenario.currency} over {scenario.horizon.days} days; means over the "
                   "replications, ± their 95% half-width; Δ against the base run, green "
                   f"cheaper, red dearer, where the interval excludes no change.{how}")
        premium_note(scenario)
        st.markdown(GLOSSARY)
    with left:
        st.plotly_chart(driver_figure(kpis, scenario), width="stretch",
                        config={"displayModeBar": False})


def against_base(run_id: int) -> RunComparison | None:
    """This run against another simulation of the session chosen as the base (paired when
    both share seed, replications, horizon and channels; Welch otherwise)."""
    past = state.runs("simulate")
    others = [r for r in past if r.id != run_id]
    titles = ["none", *(r.title for r in others)]
    title = st.columns([3, 1])[0].selectbox(
        "Change against", titles, format_func=state.short_title,
        help="Another simulation run of this session (e.g. the current staffing) as the base "
        "of the Δ columns: paired by replication when both share seed, replications, horizon "
        "and channels, else Welch.  \n" + help_for("paired difference", "Welch"))
    chosen = next((r for r in others if r.title == title), None)
    this = next((r for r in past if r.id == run_id), None)
    if chosen is None or this is None:
        return None
    return compare_runs([runs.simulation_run(chosen), runs.simulation_run(this)])


def _kpi(kpis: pd.DataFrame, name: str, key: str) -> tuple[float, float]:
    return display.kpi(kpis, "channel", name, key)


def cost_table(kpis: pd.DataFrame, scenario: Scenario, diffs: pd.DataFrame | None) -> Styler:
    """Per channel and in total: per handled and per resolved contact, idle share, total
    (and, given the differences from a base run, their change, green where cheaper and red
    where dearer)."""
    money, rows, colours = scenario.currency, [], []
    for name in [*scenario.channels, TOTAL]:
        label = "all channels" if name == TOTAL else display.label(scenario, name)
        row, css = {"channel": label}, {"channel": ""}
        for key, title, kind in COLUMNS:
            mean, half = _kpi(kpis, name, key)
            row[title], css[title] = with_ci(mean, half, kind, money), ""
        for key, title, kind in COLUMNS if diffs is not None else ():
            if key == "idle_share":
                continue
            diff, spread = _difference(diffs, name, key)
            row[f"Δ {title}"] = difference_text(diff, spread, kind, money)
            css[f"Δ {title}"] = {"better": GOOD, "worse": BAD}.get(
                describe("channel", key).verdict(diff, spread), "")
        rows.append(row)
        colours.append(css)
    frame = pd.DataFrame(rows)
    css_frame = pd.DataFrame(colours, columns=frame.columns).fillna("")
    return frame.style.apply(lambda _: css_frame, axis=None)


def _difference(diffs: pd.DataFrame, name: str, key: str) -> tuple[float, float]:
    rows = diffs[(diffs["scope"] == "channel") & (diffs["name"] == name) & (diffs["kpi"] == key)]
    if rows.empty:
        return math.nan, math.nan
    return float(rows["diff"].iloc[0]), float(rows["diff_ci95"].iloc[0])


def drivers(kpis: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per channel: the cost per resolved contact split by each part's share of the
    channel's cost (the parts add up to the cost per resolved contact shown)."""
    rows = []
    for name in scenario.channels:
        per_resolved = _kpi(kpis, name, "cost_per_resolved")[0]
        total = _kpi(kpis, name, "total_cost")[0]
        labour, idle = _kpi(kpis, name, "labour_cost")[0], _kpi(kpis, name, "idle_cost")[0]
        parts = {"busy labour": labour - idle, "idle labour": idle,
                 "bot and triage": _kpi(kpis, name, "bot_cost")[0],
                 "training": _kpi(kpis, name, "training_cost")[0]}
        rows.append({"channel": display.label(scenario, name),
                     **{k: per_resolved * v / total if total > 0 else math.nan
                        for k, v in parts.items()}})
    return pd.DataFrame(rows)


def driver_figure(kpis: pd.DataFrame, scenario: Scenario) -> go.Figure:
    """Cost per resolved contact by channel, stacked by what it is paid for."""
    frame = drivers(kpis, scenario)
    figure = go.Figure()
    for i, (part, what) in enumerate(DRIVERS.items()):
        figure.add_trace(go.Bar(
            x=frame["channel"], y=frame[part], name=part, marker_color=colour(i),
            hovertemplate=f"%{{x}}: {scenario.currency} %{{y:,.2f}} per resolved contact"
                          f"<extra>{part}: {what}</extra>"))
    figure.update_layout(barmode="stack", hovermode="closest")
    figure.update_yaxes(title_text=f"{scenario.currency} per resolved contact")
    return layout(figure, "What a resolved contact costs, by channel", 330)


def premium_note(scenario: Scenario) -> None:
    """Shift premiums (nights, weekends, skills) are part of labour: say how much."""
    premiums = staffing_premiums(scenario)
    total = sum(premiums.values())
    if total <= 0:
        st.caption("No shift premiums: the scenario sets no pay rules.")
        return
    parts = ", ".join(f"{scenario.groups[g].label or g} {amount(v, 'money', scenario.currency)}"
                      for g, v in premiums.items() if v > 0)
    st.caption(f"Shift premiums in labour (scheduled shifts, before absence): "
               f"{amount(total, 'money', scenario.currency)} ({parts}).")
