"""Optimize page: run the optimizer's solve-and-simulate loop with progress per iteration,
then the schedule (shifts per group and day), coverage against requirement per channel, cost
and the iteration history; download the schedule and the optimized scenario."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from omnistaff.optimize import round_replications
from omnistaff.scenarios import Scenario, ScenarioError
from omnistaff.scenarios.variants import override
from omnistaff.ui import daily
from omnistaff.ui.app import (
    display,
    jobs,
    optimize_charts,
    page_report,
    planner_view,
    roster_charts,
    runs,
    state,
)
from omnistaff.ui.app.display import amount
from omnistaff.ui.app.history import adopt, pick_run
from omnistaff.ui.app.yaml_io import scenario_yaml, validated
from omnistaff.ui.glossary import help_for

KIND = "optimize"
HISTORY_COLUMNS = {"iteration", "cost", "attainment"}


def run_form() -> None:
    """The loop's settings (saved with the scenario's optimizer settings for this run)."""
    scenario = state.scenario()
    settings = scenario.optimizer
    st.caption(f"Scenario **{scenario.name}** ({state.source()}): "
               f"{len(settings.templates)} shift template(s) and the limits set on the "
               "Scenario page (Staffing tab). Each iteration solves the schedule, simulates it "
               "and raises the requirement where an SLA is missed.")
    with st.form("optimize"):
        top = st.columns([4, 1.4], vertical_alignment="bottom")
        variant = top[0].selectbox(
            "Variant to optimize", ["base", *scenario.variants],
            help="The scenario as it is (base) or one of its variants (Scenario page, "
            "Variants tab), e.g. a design without weekend cover: the optimizer schedules it "
            "to the same SLAs.")
        cols = st.columns(5, vertical_alignment="bottom")  # five numbers, none cut off
        edits = {
            "optimizer.max_iterations": cols[0].number_input(
                "Most iterations", min_value=1, max_value=50, value=settings.max_iterations,
                help=_field("optimizer.max_iterations",
                            "Solve-and-simulate rounds at most; the loop stops earlier once "
                            "every SLA is met.")),
            "optimizer.time_limit": cols[1].number_input(
                "Safety net per solve (s)", min_value=1.0, value=float(settings.time_limit),
                step=10.0, help=_field("optimizer.time_limit", "Only a safety net: solves stop "
                                       "by work (optimizer.max_nodes), never by the clock.")),
            "optimizer.mip_gap": cols[2].number_input(
                "Gap to the lower bound (share)", min_value=0.0001, max_value=0.5,
                value=settings.mip_gap, step=0.005, format="%.4f",
                help=_field("optimizer.mip_gap", "Relative gap at which a solve stops.  \n"
                            + help_for("optimality gap", "lower bound"))),
            "optimizer.replications": cols[3].number_input(
                "Replications per iteration", min_value=2, max_value=100,
                value=round_replications(scenario),
                help=_field("optimizer.replications",
                            "Simulated replications that judge each schedule.")),
            "horizon.seed": cols[4].number_input(
                "Seed", min_value=0, value=scenario.horizon.seed,
                help=_field("horizon.seed", "First seed of the simulated replications.")),
        }
        pressed = top[1].form_submit_button("Optimize schedule", type="primary",
                                             disabled=jobs.running(KIND),
                                             icon=":material/calendar_month:")
    if pressed:
        start(scenario.variant(variant), edits, variant)


def _field(key: str, what: str) -> str:
    """A field's help, naming the scenario setting it sets (messages name settings so)."""
    return f"{what} Sets `{key}` of the scenario."


def start(scenario: Scenario, edits: dict[str, Any], variant: str = "base") -> None:
    try:
        chosen = validated(override(scenario.model_dump(mode="json"), edits), "optimize")
    except ScenarioError as exc:
        for problem in exc.problems:
            st.error(str(problem), icon=":material/error:")
        return
    text = chosen.model_dump_json()
    job = jobs.Job(KIND, f"{scenario.name}: up to {chosen.optimizer.max_iterations} "
                   f"round(s), seed {chosen.horizon.seed}", "round", text,
                   {"variant": variant, **{k.split(".")[-1]: v for k, v in edits.items()}})
    jobs.start(job, lambda progress: runs.optimize(text, _progress=progress))


def results() -> None:
    run = pick_run(KIND, page_report.optimize_report)
    if run is None:
        st.info("No optimization yet in this session: set the loop and press **Optimize "
                "schedule**.", icon=":material/info:")
        return
    result: runs.Optimization = run.result
    optimized = Scenario.model_validate_json(result.scenario_json)
    headline(result, optimized)
    if not result.days.empty:
        day_checks(result, optimized)
    st.plotly_chart(optimize_charts.schedule_gantt(result.schedule, optimized), width="stretch")
    st.plotly_chart(optimize_charts.coverage(result.coverage, optimized), width="stretch")
    people(result, optimized)
    iterations(result, optimized)
    downloads(result, optimized, run.id)


def headline(result: runs.Optimization, optimized: Scenario) -> None:
    if result.converged and result.proven:
        st.success(result.headline, icon=":material/check_circle:")
    else:
        st.error(result.headline, icon=":material/error:")
    cols = st.columns(4)
    cols[0].metric("Schedule cost", amount(result.cost, "money", optimized.currency),
                   border=True,
                   help=f"Paid cost of the schedule over {optimized.horizon.days} days.  \n"
                   + help_for("optimality gap", "lower bound", "proven"))
    cols[1].metric("Agent-shifts", f"{int(result.schedule['count'].sum()):,}", border=True,
                   help=help_for("agent-shift"))
    phases = result.iterations.get("phase")
    trials = int((phases == "lower").sum()) if phases is not None else 0
    cols[2].metric("Rounds", len(result.iterations) - trials, border=True,
                   help=f"Solve-and-simulate rounds, then {trials} lowering trial(s): "
                   "schedules sized for less on the days met, kept only if cheaper with "
                   "every SLA still met.  \n" + help_for("round", "lowering trial", "trim"))
    cols[3].metric("Every SLA met", "yes" if result.converged else "no",
                   border=True, help="In simulation, every judged channel on every day: the "
                   "95% one-sided "
                   "lower bound of the day's service level clears the target.  \n"
                   + help_for("channel-day", "met, miss, unclear"))


def day_checks(result: runs.Optimization, optimized: Scenario) -> None:
    """The final schedule's SLA check per channel and day, as the optimizer judged it."""
    judged = result.days[result.days["channel"].isin(optimized.channels)]
    lines = daily.verdict_lines(judged, optimized)
    st.markdown("**Every channel, every day**", help=planner_view.HELP_VERDICT)
    st.caption("The check is per day: the 95% one-sided lower bound of the day's service "
               "level must clear the target.")
    st.dataframe(planner_view.styled(judged, optimized, "level"), hide_index=True,
                 width="stretch")
    if lines:
        st.caption("Missed or unclear: " + "; ".join(lines))


def people(result: runs.Optimization, optimized: Scenario) -> None:
    """With contracts: headcount by contract and the roster, a row per person."""
    if result.roster.empty:
        return
    st.subheader("People")
    heads = result.headcount
    cols = st.columns(4)
    cols[0].metric("People", f"{int(heads['people'].sum()):,}", border=True)
    cols[1].metric("FTE", f"{heads['fte'].sum():,.1f}", border=True, help=help_for("FTE"))
    cols[2].metric("Premiums and overtime",
                   amount(float(heads["premium_cost"].sum() + heads["overtime_cost"].sum()),
                          "money", optimized.currency), border=True)
    cols[3].metric("Pay with premiums", amount(float(heads["total_cost"].sum()), "money",
                                               optimized.currency), border=True)
    st.plotly_chart(roster_charts.headcount_bars(heads, optimized), width="stretch")
    st.dataframe(heads.round(1), hide_index=True, width="stretch")
    st.plotly_chart(roster_charts.roster_gantt(result.roster, optimized), width="stretch")


def iterations(result: runs.Optimization, optimized: Scenario) -> None:
    st.subheader("Iterations")
    frame = result.iterations
    if HISTORY_COLUMNS.issubset(frame.columns):
        st.plotly_chart(optimize_charts.history(frame, optimized.currency), width="stretch")
    if not frame.empty:
        st.dataframe(by_iteration(display.iteration_table(frame, optimized)),
                     hide_index=True, width="stretch")
    for note in result.notes:
        st.caption(note)


def by_iteration(table: pd.DataFrame) -> pd.DataFrame:
    """The iteration table turned: a column per iteration, a row per figure, so that a
    dozen figures fit at 1280 px."""
    turned = table.set_index("iteration").T
    turned.columns = [f"iteration {k}" for k in turned.columns]
    return turned.rename_axis("figure").reset_index()


def downloads(result: runs.Optimization, optimized: Scenario, run_id: int) -> None:
    st.subheader("Downloads")
    left, middle, right = st.columns(3)
    left.download_button("schedule.csv", result.schedule.to_csv(index=False),
                         file_name=f"run{run_id}-schedule.csv", mime="text/csv",
                         icon=":material/download:")
    middle.download_button("optimized scenario (YAML)", scenario_yaml(optimized),
                           file_name=f"run{run_id}-optimized.yaml",
                           mime="application/x-yaml", icon=":material/download:")
    if not result.roster.empty:
        left.download_button("roster.csv", result.roster.to_csv(index=False),
                             file_name=f"run{run_id}-roster.csv", mime="text/csv",
                             icon=":material/download:")
        middle.download_button("headcount.csv", result.headcount.to_csv(index=False),
                               file_name=f"run{run_id}-headcount.csv", mime="text/csv",
                               icon=":material/download:")
    right.button("Work on the optimized scenario", icon=":material/edit:", on_click=adopt,
                 args=(result.scenario_json, f"optimized (run #{run_id})",
                       "Now working on the optimized scenario"),
                 help="Make it the scenario the other pages use, e.g. to simulate it.")


st.title("Optimize")
run_form()
jobs.watch(KIND)
results()
