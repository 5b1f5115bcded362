"""Simulate page: run replications of the scenario (or a variant) with a progress bar, then
service level and backlog over the week against the target, response times, occupancy by
group and hour, staffed agents, and KPI tables with 95% confidence intervals."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from omnistaff.optimize import ScheduleInfeasible
from omnistaff.scenarios import Scenario
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.app import (
    charts,
    display,
    finance_view,
    jobs,
    page_report,
    planner_view,
    runs,
    staffing_view,
    state,
)
from omnistaff.ui.app.history import pick_run
from omnistaff.ui.catalogue import half_width_text
from omnistaff.ui.glossary import help_for
from omnistaff.ui.policy_view import long_from_wide, policy_table

KIND = "simulate"


def run_form() -> None:
    """Variant, replications and seed; the run goes to a background job."""
    scenario = state.scenario()
    st.caption(f"Scenario **{scenario.name}** ({state.source()}); edit it on the Scenario page.")
    busy = jobs.running(KIND)
    again = len(state.runs(KIND))
    title = f"Run again ({again} run(s) so far): variant, replications, seed" if again else \
        "New run"
    with st.expander(title, expanded=not again, icon=":material/play_arrow:"), \
            st.form("simulate"):
        variant_col, reps_col, seed_col, button_col = st.columns(
            [2, 1, 1.4, 1.4], vertical_alignment="bottom")
        variant = variant_col.selectbox("Variant", ["base", *scenario.variants])
        replications = reps_col.number_input("Replications", min_value=1, max_value=200,
                                             value=scenario.horizon.replications)
        seed = seed_col.number_input("Seed", min_value=0, value=scenario.horizon.seed)
        pressed = button_col.form_submit_button("Run simulation", type="primary",
                                                disabled=busy, icon=":material/play_arrow:")
    if pressed:
        start(scenario.variant(variant), variant, int(replications), int(seed))


def start(scenario: Scenario, variant: str, replications: int, seed: int) -> None:
    text = scenario.model_dump_json()
    job = jobs.Job(KIND, f"{scenario.name}: {replications} replication(s), seed {seed}",
                   "replication", text,
                   {"variant": variant, "replications": replications, "seed": seed})
    jobs.start(job, lambda progress: runs.simulate(text, replications, seed,
                                                   _progress=progress))


def results() -> None:
    run = pick_run(KIND, page_report.simulate_report)
    if run is None:
        st.info("No simulation yet in this session: choose the replications and press "
                "**Run simulation**.", icon=":material/info:")
        return
    sim: runs.Simulation = run.result
    scenario = Scenario.model_validate_json(run.scenario_json)
    planner, finance, staffing, week, tables = st.tabs(
        ["By day (planner)", "Cost (finance)", "Required vs scheduled", "Over the week",
         "KPI tables and downloads"])
    with planner:
        planner_view.show(sim.days, sim.hours, scenario)
    with finance:
        finance_view.show(sim, scenario, run.id)
    with staffing:
        required_vs_scheduled(run.scenario_json, scenario)
    with week:
        headline(sim, scenario)
        figures(sim, scenario)
    with tables:
        kpi_tables(sim, scenario)
        downloads(sim, run.id)


def required_vs_scheduled(scenario_json: str, scenario: Scenario) -> None:
    """The run's scenario: agents required against agents scheduled, per group."""
    try:
        gap = runs.staffing(scenario_json)
    except ScheduleInfeasible as exc:
        st.error(f"No requirement could be worked out: {exc}", icon=":material/error:")
        return
    staffing_view.show(gap, scenario)


def kpi_tables(sim: runs.Simulation, scenario: Scenario) -> None:
    """Static tables, which wrap their cells: every column fits at 1280 px."""
    st.subheader("Service by channel")
    fitted(display.service_table(sim.channels, scenario))
    st.subheader(f"Cost by channel ({scenario.currency})")
    fitted(display.cost_table(sim.kpis, scenario))
    st.subheader("Agent groups")
    fitted(display.group_table(sim.groups, sim.kpis, scenario))
    policies(sim, scenario)
    st.caption(f"{sim.replications} replication(s) from seed {sim.seed}; ± is the 95% "
               "confidence half-width over replications (none with one replication).")


def fitted(frame: pd.DataFrame) -> None:
    """A table as wide as the page, its cells wrapped rather than cut off."""
    st.table(frame.style.hide(axis="index"))


def policies(sim: runs.Simulation, scenario: Scenario) -> None:
    """Call-backs, redials and interruptions by channel, occupancy against the cap by group:
    shown where the scenario sets them."""
    tables = [(policy_table(long_from_wide(frame, scope), scenario, scope), title)
              for scope, frame, title in (
                  ("channel", sim.channels, "Call-backs, redials and interruptions"),
                  ("group", sim.groups, "Occupancy against the cap"))]
    for table, title in tables:
        if not table.empty:
            st.subheader(title)
            fitted(table)


def headline(sim: runs.Simulation, scenario: Scenario) -> None:
    """Service level of each channel against its target, and the total cost (95% CIs)."""
    # a row of channels, the total cost beside them only where there is room for it in full
    many = len(scenario.channels) > 3
    cols = st.columns(len(scenario.channels) + (0 if many else 1))
    for col, (name, row) in zip(cols, sim.channels.iterrows(), strict=False):
        spec = scenario.channels[str(name)]
        mean, half = row["service_level"], row["service_level_ci95"]
        col.metric(f"{display.label(scenario, str(name))}: target {100 * spec.sla.target:.0f}%",
                   display.amount(mean, "share"), half_width_text(half, mean, "share") or None,
                   delta_color="off", delta_arrow="off", border=True,
                   help=f"Target {display.target_text(scenario, str(name))}.  \n"
                   + help_for("service level", "half-width"))
    mean, half = display.kpi(sim.kpis, "channel", TOTAL, "total_cost")
    where = st.columns(3)[0] if many else cols[-1]
    where.metric("Total cost", display.amount(mean, "money", scenario.currency),
                    half_width_text(half, mean, "money") or None, delta_color="off",
                    delta_arrow="off", border=True,
                    help=f"Labour (premiums included), bot, triage and training over "
                    f"{scenario.horizon.days} days.  \n" + help_for("premium", "half-width"))


def figures(sim: runs.Simulation, scenario: Scenario) -> None:
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.service_level(sim.channel_intervals, scenario), width="stretch")
        st.plotly_chart(charts.response_summary(sim.channels, scenario), width="stretch")
        st.plotly_chart(charts.staffed(sim.group_intervals, scenario), width="stretch")
    with right:
        st.plotly_chart(charts.response_times(sim.channel_intervals, scenario), width="stretch")
        st.plotly_chart(charts.backlog(sim.channel_intervals, scenario), width="stretch")
        st.plotly_chart(charts.occupancy_heatmap(sim.group_intervals, scenario),
                        width="stretch")


def downloads(sim: runs.Simulation, run_id: int) -> None:
    st.subheader("Downloads")
    frames = {"channels": sim.channels, "groups": sim.groups, "kpis_and_costs": sim.kpis,
              "channel_intervals": sim.channel_intervals,
              "group_intervals": sim.group_intervals}
    cols = st.columns(3)  # three a row: every file name in full
    for i, (name, frame) in enumerate(frames.items()):
        cols[i % 3].download_button(
            f"{name}.csv", frame.to_csv(index=name in ("channels", "groups")),
            file_name=f"run{run_id}-{name}.csv", mime="text/csv", icon=":material/download:",
            key=f"dl-{name}")


st.title("Simulate")
run_form()
jobs.watch(KIND)
results()
