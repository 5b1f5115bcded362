"""Past runs of the session on each page: pick one to show it again, or to work on the
scenario it ran."""

from __future__ import annotations

import streamlit as st

from omnistaff.scenarios import Scenario
from omnistaff.ui.app import state


def pick_run(kind: str) -> state.Run | None:
    """The run of this kind to show, chosen among the session's past runs."""
    past = state.runs(kind)
    current = state.shown(kind)
    if current is None:
        return None
    titles = [r.title for r in past]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    title = left.selectbox("Showing run", titles, index=titles.index(current.title),
                           label_visibility="collapsed",
                           help=f"{len(past)} run(s) of this page this session; pick one to "
                           "show it again.")
    chosen = past[titles.index(title)]
    state.show(kind, chosen.id)
    if right.button("Work on this run's scenario", key=f"adopt-{kind}",
                    help="Make the scenario of this run the one the Scenario page edits."):
        state.set_scenario(Scenario.model_validate_json(chosen.scenario_json),
                           f"run #{chosen.id}")
        st.toast(f"Now working on the scenario of run #{chosen.id}")
    return chosen
