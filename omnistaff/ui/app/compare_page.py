"""Compare page: run variants of the scenario paired (common random numbers) and read them
side by side: a channel over the week (the weekend-social story), cost per channel (the
finance story), staffing and service by group (the omni-versus-specialists story), and every
KPI with its paired difference from the base and 95% CIs."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from omnistaff.sim.compare import BASE, Comparison, variant_scenarios
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.app import compare_charts, jobs, page_report, past_compare, runs, state
from omnistaff.ui.app.compare_display import (
    SideBySide,
    by_name,
    by_variant,
    choices,
    most_changed,
)
from omnistaff.ui.app.history import pick_run
from omnistaff.ui.catalogue import describe
from omnistaff.ui.glossary import help_for
from omnistaff.ui.verdict import missed_targets, target_sentence, verdicts

KIND = "compare"
#: Variants chosen at first (base included): more lines than this are hard to read.
DEFAULT_VARIANTS = 4
SUMMARY_KPIS = ["service_level", "total_cost", "cost_per_handled", "cost_per_resolved",
                "abandon_rate"]
WEEK_KPIS = ["service_level", "response_p90_seconds", "abandon_rate", "backlog_end", "handled",
             "total_cost", "cost_per_resolved"]


def run_form() -> None:
    """The variants to compare, replications and seed; the run goes to a background job."""
    scenario = state.scenario()
    st.caption(f"Scenario **{scenario.name}** ({state.source()}). Variants are defined on the "
               "Scenario page (Variants tab); every variant runs the same replications from "
               "the same seed, so differences are paired.")
    options = [BASE, *scenario.variants]
    if len(options) < 2:
        st.warning("This scenario has no variants to compare: add some on the Scenario page "
                   "(Variants tab), or load a bundled scenario that has them.",
                   icon=":material/warning:")
    with st.form("compare"):
        # the variants get a row of their own, so that six of them fit at 1280 px
        chosen = st.multiselect("Variants (the first is the base of the differences)",
                                options, default=options[:DEFAULT_VARIANTS])
        optimize_col, reps_col, seed_col, button_col = st.columns(
            [3.2, 1.2, 1.6, 1.9], vertical_alignment="bottom")
        optimize = optimize_col.checkbox(
            "Optimize each variant first (to the same SLAs)", value=False,
            help="Run the optimizer on each variant (its own shift templates and limits, the "
            "scenario's SLAs), then compare the optimized schedules: the difference is then "
            "the cost of each design at equal service, not of its current staffing. Takes a "
            "few minutes per variant; `omnistaff compare --optimize` does the same.")
        replications = reps_col.number_input("Replications", min_value=2, max_value=200,
                                             value=max(2, scenario.horizon.replications))
        seed = seed_col.number_input("Seed", min_value=0, value=scenario.horizon.seed)
        pressed = button_col.form_submit_button("Run comparison", type="primary",
                                                disabled=jobs.running(KIND),
                                                icon=":material/compare_arrows:")
    if pressed and len(chosen) < 2:
        st.error("Choose at least two variants to compare.", icon=":material/error:")
    elif pressed:
        start(chosen, int(replications), int(seed), optimize)


def start(chosen: list[str], replications: int, seed: int, optimize: bool = False) -> None:
    scenario = state.scenario()
    texts = {name: s.model_dump_json() for name, s in variant_scenarios(scenario,
                                                                         chosen).items()}
    first = "optimized " if optimize else ""
    label = (f"{scenario.name}: {first}{', '.join(texts)}; {replications} replication(s), "
             f"seed {seed}")
    params = {"variants": list(texts), "replications": replications, "seed": seed,
              "optimized": optimize}
    job = jobs.Job(KIND, label, "variant optimized" if optimize else "run",
                   scenario.model_dump_json(), params)
    work = runs.compare_optimized if optimize else runs.compare
    jobs.start(job, lambda progress: work(texts, replications, seed, _progress=progress))


def report(run: state.Run) -> Callable[[], str]:
    """The comparison's HTML report (the CLI's), made when its download is clicked."""
    result = run.result
    return lambda: page_report.compare_html(getattr(result, "comparison", result))


def results() -> None:
    run = pick_run(KIND, report)
    if run is None:
        st.info("No comparison yet in this session: choose the variants and press **Run "
                "comparison**.", icon=":material/info:")
        return
    optimized = run.result if isinstance(run.result, runs.OptimizedComparison) else None
    comparison: Comparison = optimized.comparison if optimized else run.result
    verdict(comparison, optimized)
    st.caption(f"Base: **{comparison.base}**. Δ is each variant minus the base, paired by "
               "replication; ± is the 95% confidence half-width. Green: better, red: worse "
               "(by the KPI's direction), where the interval excludes zero; headcount, hours "
               "and occupancy are not coloured (neither way is better in itself).",
               help=help_for("paired difference", "common random numbers", "half-width"))
    summary, week, cost, staff, every = st.tabs(["Side by side", "Channel over the week",
                                                 "Cost per channel", "Staffing and service",
                                                 "All KPIs"])
    with summary:
        side_by_side(by_variant(comparison, "channel", TOTAL, SUMMARY_KPIS),
                     "All channels, by variant")
    with week:
        channel_week(comparison)
    with cost:
        cost_per_channel(comparison)
    with staff:
        staffing(comparison)
    with every:
        all_kpis(comparison)


def verdict(comparison: Comparison, optimized: runs.OptimizedComparison | None) -> None:
    """The manager's answer first: which variant misses a target, then each variant's paired
    cost and headcount difference from the base, and how each optimization ended."""
    sentence = target_sentence(comparison)
    lines = verdicts(comparison.kpi_table(), comparison.scenarios,
                     comparison.scenarios[comparison.base].currency)
    said = "\n".join([sentence, "", *(f"- {line}" for line in lines)])
    if missed_targets(comparison):
        st.warning(said, icon=":material/warning:")
    else:
        st.success(said, icon=":material/check_circle:")
    if optimized is not None:
        unproven = [v for v in optimized.headlines
                    if not (optimized.met[v] and optimized.proven[v])]
        title = ("Each variant was optimized first" + (
            f"; not every SLA met or the gap not proven for {', '.join(unproven)}"
            if unproven else ": every SLA met in simulation"))
        with st.expander(title, expanded=bool(unproven)):
            st.markdown("  \n".join(f"**{v}**: {h}" for v, h in optimized.headlines.items()))


def side_by_side(table: SideBySide, title: str) -> None:
    """Values with their CIs, then the paired differences from the base."""
    st.markdown(f"**{title}**")
    st.dataframe(table.values, hide_index=True, width="stretch")
    st.caption("Difference from the base (paired by replication, 95% CI)")
    st.dataframe(table.differences, hide_index=True, width="stretch")


def channel_week(comparison: Comparison) -> None:
    base = comparison.scenarios[comparison.base]
    default = most_changed(comparison)
    channel = st.segmented_control("Channel", list(base.channels), default=default,
                                   key="compare_channel") or default
    st.plotly_chart(compare_charts.channel_week(comparison, channel), width="stretch")
    side_by_side(by_variant(comparison, "channel", channel, WEEK_KPIS),
                 f"{base.channels[channel].label or channel} by variant")


def cost_per_channel(comparison: Comparison) -> None:
    currency = comparison.scenarios[comparison.base].currency
    left, right = st.columns(2)
    left.plotly_chart(compare_charts.stacked(
        comparison, "channel", "total_cost", "Cost per variant, stacked by channel",
        f"cost ({currency})"), width="stretch")
    right.plotly_chart(compare_charts.per_contact(comparison), width="stretch")
    left, right = st.columns(2)
    with left:
        side_by_side(by_name(comparison, "channel", "total_cost"), f"Cost ({currency})")
    with right:
        side_by_side(by_name(comparison, "channel", "cost_per_resolved"),
                     f"Cost per resolved contact ({currency})")


def staffing(comparison: Comparison) -> None:
    left, right = st.columns(2)
    left.plotly_chart(compare_charts.service_levels(comparison), width="stretch")
    right.plotly_chart(compare_charts.stacked(
        comparison, "group", "fte", "Full-time equivalents per variant, stacked by group",
        "full-time equivalents"), width="stretch")
    left, right = st.columns(2)
    with left:
        side_by_side(by_name(comparison, "channel", "service_level"), "Service level")
    with right:
        side_by_side(by_name(comparison, "group", "fte"), "Full-time equivalents")
    left, right = st.columns(2)
    with left:
        side_by_side(by_name(comparison, "channel", "total_cost"), "Cost")
    with right:
        side_by_side(by_name(comparison, "group", "occupancy"), "Occupancy")


def all_kpis(comparison: Comparison) -> None:
    left, right = st.columns(2)
    with left:
        kpi = st.selectbox("Channel KPI", choices(comparison, "channel"),
                           format_func=lambda k: describe("channel", k).title)
        side_by_side(by_name(comparison, "channel", kpi),
                     describe("channel", kpi).title.capitalize())
    with right:
        kpi = st.selectbox("Group KPI", choices(comparison, "group"),
                           format_func=lambda k: describe("group", k).title)
        side_by_side(by_name(comparison, "group", kpi), describe("group", kpi).title.capitalize())
    st.download_button("comparison_kpis.csv", comparison.kpi_table().to_csv(index=False),
                       file_name="comparison_kpis.csv", mime="text/csv",
                       icon=":material/download:")


st.title("Compare")
fresh, past = st.tabs(["Run variants", "Past runs, without re-running"])
with fresh:
    run_form()
    jobs.watch(KIND)
    results()
with past:
    past_compare.section()
