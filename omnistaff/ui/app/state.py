"""What the app remembers for one browser session: the scenario being worked on, the
problems found in the forms, and the runs made so far (listed and reloadable)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from omnistaff.scenarios import Problem, Scenario, bundled_scenarios, load_scenario

DEFAULT_SCENARIO = "small_multichannel"
#: Past runs kept per session; the oldest are dropped first.
MAX_RUNS = 20


@dataclass(frozen=True)
class Run:
    """One finished run: what was run (plain data) and its result."""

    kind: str
    label: str
    scenario_json: str
    params: dict[str, Any]
    result: Any
    started: str = field(default_factory=lambda: time.strftime("%H:%M:%S"))
    id: int = 0

    @property
    def title(self) -> str:
        return f"#{self.id} {self.started} · {self.label}"


def short_title(title: str) -> str:
    """A run's title without its time ('#2 Small multichannel: 3 replication(s), seed 5'),
    so that it fits a picker at 1280 px; the sidebar gives the time."""
    number, _, rest = title.partition(" · ")
    return f"{number.split(' ')[0]} {rest}" if rest else title


def scenario() -> Scenario:
    """The scenario being worked on (the bundled default until one is chosen)."""
    if "scenario" not in st.session_state:
        set_scenario(load_scenario(bundled_scenarios()[DEFAULT_SCENARIO]), DEFAULT_SCENARIO)
    return st.session_state["scenario"]


def scenario_json() -> str:
    """The scenario as JSON: the plain data runs are cached on."""
    return scenario().model_dump_json()


def source() -> str:
    """Where the scenario came from: a bundled name, a file name or 'edited'."""
    scenario()
    return st.session_state.get("source", "scenario")


def set_scenario(new: Scenario, origin: str | None = None) -> None:
    """Work on `new` from now on; forms are rebuilt from its values."""
    st.session_state["scenario"] = new
    if origin is not None:
        st.session_state["source"] = origin
    st.session_state["revision"] = st.session_state.get("revision", 0) + 1
    st.session_state["problems"] = {}


def revision() -> int:
    """Bumped whenever the scenario changes, so that form widgets start from its values."""
    scenario()
    return st.session_state.get("revision", 0)


def widget_key(*parts: object) -> str:
    """A widget key tied to the scenario revision."""
    return ".".join(str(p) for p in (revision(), *parts))


def problems(form: str) -> list[Problem]:
    """The problems found when `form` was last submitted."""
    return st.session_state.get("problems", {}).get(form, [])


def set_problems(form: str, found: list[Problem]) -> None:
    st.session_state.setdefault("problems", {})[form] = found


def runs(kind: str) -> list[Run]:
    """Past runs of one kind, newest first."""
    return [r for r in reversed(st.session_state.get("runs", [])) if r.kind == kind]


def all_runs() -> list[Run]:
    return list(reversed(st.session_state.get("runs", [])))


def add_run(run: Run) -> Run:
    """Remember a finished run (numbered within the session) and show it."""
    count = st.session_state.get("run_count", 0) + 1
    st.session_state["run_count"] = count
    run = replace(run, id=count)
    history = [*st.session_state.get("runs", []), run][-MAX_RUNS:]
    st.session_state["runs"] = history
    st.session_state[f"shown_{run.kind}"] = run.id
    return run


def shown(kind: str) -> Run | None:
    """The run of this kind on display: the one picked, else the latest."""
    past = runs(kind)
    wanted = st.session_state.get(f"shown_{kind}")
    return next((r for r in past if r.id == wanted), past[0] if past else None)


def show(kind: str, run_id: int) -> None:
    st.session_state[f"shown_{kind}"] = run_id
