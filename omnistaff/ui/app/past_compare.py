"""Past runs of the session compared on the Compare page without running anything again: any
two or more simulation runs, or variants of comparison runs, against the first chosen
(`omnistaff.ui.past_runs`: paired where the runs share seed, replications, horizon and
channels, Welch otherwise). The choice is kept in the session, so leaving the page loses
nothing."""

from __future__ import annotations

import streamlit as st

from omnistaff.sim.compare import Comparison
from omnistaff.sim.costing import TOTAL
from omnistaff.ui.app import page_report, runs, state
from omnistaff.ui.app.compare_display import SideBySide, by_name, by_variant
from omnistaff.ui.glossary import help_for
from omnistaff.ui.past_runs import PastRun, RunComparison, compare_runs, method_note
from omnistaff.ui.verdict import verdicts

#: Where the runs chosen last are kept (names as `past_runs` lists them).
CHOSEN = "past_runs_chosen"
PICKER = "past_runs_picker"
SUMMARY_KPIS = ["service_level", "total_cost", "cost_per_handled", "cost_per_resolved",
                "abandon_rate"]


def past_runs() -> dict[str, PastRun]:
    """Every run of the session that has KPIs per replication, oldest first: simulations
    ('#2 no_weekend_social'), and each variant of a comparison ('#5 base')."""
    found: dict[str, PastRun] = {}
    for run in reversed(state.all_runs()):
        if run.kind == "simulate" and not run.result.replication_kpis.empty:
            past = runs.simulation_run(run)
            found[past.name] = past
        elif run.kind == "compare":
            comparison: Comparison = getattr(run.result, "comparison", run.result)
            for variant, scenario in comparison.scenarios.items():
                name = f"#{run.id} {variant}"
                kpis = comparison.runs[comparison.runs["variant"] == variant]
                found[name] = PastRun(name, scenario, comparison.seed,
                                      comparison.replications, kpis)
    return found


def section() -> None:
    """Choose the runs (the first is the base), then their side-by-side tables."""
    found = past_runs()
    if len(found) < 2:
        st.info("Two or more runs are needed: run simulations on the Simulate page (or a "
                "comparison here), then compare them without running them again.",
                icon=":material/info:")
        return
    kept = [n for n in st.session_state.get(CHOSEN, []) if n in found]
    # the picker starts from the runs compared last (its own state goes with the page)
    st.session_state[PICKER] = [n for n in st.session_state.get(PICKER, kept or
                                                                 list(found)[-2:])
                                if n in found]
    with st.form("past_compare"):
        pick, button = st.columns([5, 1.4], vertical_alignment="bottom")
        chosen = pick.multiselect(
            "Runs of this session (the first is the base of the differences)", list(found),
            key=PICKER,
            help="Simulation runs, and each variant of a comparison run. Runs with the same "
            "seed, replications, horizon and channels are paired replication by replication; "
            "others are compared as independent samples (Welch).  \n"
            + help_for("paired difference", "Welch"))
        pressed = button.form_submit_button("Compare these runs", type="primary",
                                            icon=":material/compare_arrows:")
    if pressed:
        st.session_state[CHOSEN] = chosen
        kept = [n for n in chosen if n in found]
    if pressed and len(chosen) < 2:
        st.error("Choose at least two runs to compare.", icon=":material/error:")
        return
    if len(kept) >= 2:
        comparison = compare_runs([found[n] for n in kept])
        about, report = st.columns([5, 1.4], vertical_alignment="center")
        about.caption("; ".join(_title(found[n]) for n in kept))
        with report:
            page_report.download(lambda: page_report.past_runs_html(comparison),
                                 "omnistaff-past-runs.html", "report-past-runs")
        results(comparison)


def _title(run: PastRun) -> str:
    return (f"{run.name}: {run.scenario.name}, {run.replications} replication(s), "
            f"seed {run.seed}")


def results(comparison: RunComparison) -> None:
    """Verdict lines, how the differences were taken, and the runs side by side."""
    currency = comparison.scenarios[comparison.base].currency
    lines = verdicts(comparison.kpi_table(), comparison.scenarios, currency)
    st.markdown("\n".join(f"- {line}" for line in lines))
    if comparison.unpaired:
        st.warning(method_note(comparison), icon=":material/info:")
    else:
        st.caption(method_note(comparison), help=help_for("paired difference",
                                                          "common random numbers"))
    summary, service, cost = st.tabs(["Side by side", "Service level by channel",
                                      "Cost by channel"])
    with summary:
        _side_by_side(by_variant(comparison, "channel", TOTAL, SUMMARY_KPIS),
                      "All channels, by run")
    with service:
        _side_by_side(by_name(comparison, "channel", "service_level"), "Service level")
    with cost:
        _side_by_side(by_name(comparison, "channel", "total_cost"), f"Cost ({currency})")


def _side_by_side(table: SideBySide, title: str) -> None:
    st.markdown(f"**{title}**")
    st.dataframe(table.values, hide_index=True, width="stretch")
    st.caption("Difference from the base (95% CI; green better, red worse by the KPI's "
               "direction, where the interval excludes zero)")
    st.dataframe(table.differences, hide_index=True, width="stretch")
