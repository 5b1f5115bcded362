"""The omnistaff app's entry script (`omnistaff ui` runs it): the page frame, the navigation
and the sidebar list of this session's runs."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import streamlit as st

from omnistaff.ui.app import jobs, state

HERE = Path(__file__).parent
PAGES = {
    "scenario": ("scenario_page.py", "Scenario", ":material/tune:"),
    "simulate": ("simulate_page.py", "Simulate", ":material/monitoring:"),
    "optimize": ("optimize_page.py", "Optimize", ":material/calendar_month:"),
    "compare": ("compare_page.py", "Compare", ":material/compare_arrows:"),
    "glossary": ("glossary_page.py", "Glossary", ":material/menu_book:"),
}


def pages() -> dict[str, st.Page]:
    return {url: st.Page(HERE / file, title=title, icon=icon, url_path=url,
                         default=url == "scenario")
            for url, (file, title, icon) in PAGES.items()}

#: Pages that run the engine. The app starts without it (Pyomo, SciPy and SimPy take seconds
#: to import); the first of these pages to open loads it under a spinner saying so.
ENGINE_PAGES = ("simulate", "optimize", "compare")
ENGINE = "omnistaff.ui.app.runs"


def load_engine(url: str) -> None:
    """Import the engine before an engine page draws, with words on the screen meanwhile."""
    if url in ENGINE_PAGES and ENGINE not in sys.modules:
        with st.spinner("Loading the simulation and optimization engine (once per server)…",
                        show_time=True):
            importlib.import_module(ENGINE)


def sidebar(by_url: dict[str, st.Page]) -> None:
    """The scenario being worked on and the runs of this session, each a link to its page."""
    with st.sidebar:
        st.caption("Scenario")
        st.markdown(f"**{state.scenario().name}**  \n{state.source()}")
        past = state.all_runs()
        if past:
            st.caption("Runs this session (pick one on its page to show it again)")
        for run in past:
            st.page_link(by_url[run.kind], label=f"#{run.id} {run.kind} · {run.started}",
                         help=run.title)


#: Words in the grey box a chart holds until the browser has drawn it (the first chart of a
#: visit waits seconds for the chart library).
DRAWING = "Drawing the chart…"
#: Less empty space above the title and a narrower sidebar, so each page's answer fits above
#: the fold of a 1280 x 800 screen; the chart's box says it is being drawn.
COMPACT = """<style>
.block-container, [data-testid="stMainBlockContainer"] {padding-top: 2.2rem; padding-bottom: 2rem}
section[data-testid="stSidebar"] {width: 250px !important; min-width: 250px !important}
h1 {padding-top: 0 !important; padding-bottom: 0.25rem !important; font-size: 2rem !important}
.stPrintGraphic [data-testid="stSkeleton"] {display: flex; align-items: center;
  justify-content: center}
.stPrintGraphic [data-testid="stSkeleton"]::after {content: "DRAWING"; color: #555;
  font-size: 0.9rem}
</style>""".replace("DRAWING", DRAWING)


st.set_page_config(page_title="omnistaff", page_icon=":material/support_agent:", layout="wide")
st.html(COMPACT)
by_url = pages()
page = st.navigation(list(by_url.values()))
jobs.collect()
sidebar(by_url)
load_engine(page.url_path)
page.run()
