"""Past runs of the session on each page: pick one to show it again, or to work on the
scenario it ran."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from omnistaff.scenarios import Scenario
from omnistaff.ui.app import page_report, state


def pick_run(kind: str, report: Callable[[state.Run], Callable[[], str]] | None = None
             ) -> state.Run | None:
    """The run of this kind to show, chosen among the session's past runs (with the download
    of its HTML report, made by `report(run)` when clicked)."""
    past = state.runs(kind)
    current = state.shown(kind)
    if current is None:
        return None
    titles = [r.title for r in past]
    # the picker has a row of its own, so that a comparison's title fits at 1280 px
    title = st.selectbox("Showing run", titles, index=titles.index(current.title),
                           label_visibility="collapsed", format_func=state.short_title,
                           help=f"{len(past)} run(s) of this page this session; pick one to "
                           "show it again.")
    chosen = past[titles.index(title)]
    state.show(kind, chosen.id)
    right, last, _ = st.columns([1.6, 1.2, 4], vertical_alignment="center")
    right.button("Work on its scenario", key=f"adopt-{kind}", on_click=adopt,
                 args=(chosen.scenario_json, f"run #{chosen.id}",
                       f"Now working on the scenario of run #{chosen.id}"),
                 help="Make the scenario of this run the one the Scenario page edits.")
    if report is not None:
        with last:
            page_report.download(report(chosen), f"omnistaff-{kind}-run{chosen.id}.html",
                                 f"report-{kind}")
    return chosen


def adopt(scenario_json: str, origin: str, message: str) -> None:
    """Work on this scenario from now on. A button's callback: it runs before the page does,
    so the choice holds even if the page is left at once."""
    state.set_scenario(Scenario.model_validate_json(scenario_json), origin)
    st.toast(message, icon=":material/check_circle:")
