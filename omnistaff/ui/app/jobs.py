"""Heavy work on a background thread, so that a run in progress does not freeze the page:
the page polls the job from a fragment, shows its progress and can cancel it. The thread
never touches Streamlit; it only updates its `Job`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from omnistaff.scenarios import ScenarioError
from omnistaff.ui.app import state

Progress = Callable[..., None]
#: Seconds between progress updates on the page.
POLL_SECONDS = 0.5
#: A job that ends within this many seconds shows its result without a progress bar.
QUICK_SECONDS = 1.0


class Cancelled(Exception):
    """Raised inside the work when the user cancels it."""


@dataclass
class Job:
    """A run in progress: what it runs (plain data), how far it got, and how it ended."""

    kind: str
    label: str
    unit: str
    scenario_json: str
    params: dict[str, Any]
    done: int = 0
    total: int = 0
    note: str = ""
    result: Any = None
    error: str | None = None
    cancelled: bool = False
    finished: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int, note: str = "") -> None:
        """The work's progress callback (with an optional line about the last step); stops
        the work once cancelled."""
        if self.cancelled:
            raise Cancelled
        self.done, self.total, self.note = done, total, note or self.note

    def cancel(self) -> None:
        self.cancelled = True

    def run(self, work: Callable[[Progress], Any]) -> None:
        try:
            self.result = work(self.progress)
        except Cancelled:
            self.error = "cancelled"
        except Exception as exc:  # shown on the page, never a traceback
            self.error = str(exc) if explained(exc) else f"{type(exc).__name__}: {exc}"
        finally:
            self.finished.set()


def explained(exc: Exception) -> bool:
    """Whether the error's message is written for the user (shown as it is, without the
    error's name): a scenario's problem or a schedule the optimizer cannot find."""
    # the optimizer package (Pyomo, SciPy, SimPy) is imported here, not when the app starts:
    # a run that failed has loaded it already
    from omnistaff.optimize.errors import ScheduleInfeasible

    return isinstance(exc, ScenarioError | ScheduleInfeasible)


def start(job: Job, work: Callable[[Progress], Any]) -> None:
    """Run `work(progress)` on a thread for `job` (one job of a kind at a time). Quick runs
    show their result at once, longer ones their progress: the page reruns either way."""
    if running(job.kind):
        st.warning("A run is already in progress; wait for it or cancel it.",
                   icon=":material/hourglass_top:")
        return
    st.session_state.setdefault("jobs", {})[job.kind] = job
    threading.Thread(target=job.run, args=(work,), name=f"omnistaff-{job.kind}",
                     daemon=True).start()
    job.finished.wait(QUICK_SECONDS)
    st.rerun()  # from the top, so the sidebar's run list has a run that ended at once


def collect() -> None:
    """Record every job that has ended (called before the sidebar lists the runs, so the
    list is current)."""
    for job in list(st.session_state.get("jobs", {}).values()):
        if job.finished.is_set():
            _finish(job)


def current(kind: str) -> Job | None:
    return st.session_state.get("jobs", {}).get(kind)


def running(kind: str) -> bool:
    job = current(kind)
    return job is not None and not job.finished.is_set()


def watch(kind: str) -> None:
    """Show the progress of this kind's job; once it has ended, record the run."""
    job = current(kind)
    if job is not None and job.finished.is_set():
        _finish(job)
    elif job is not None:
        _watch(kind)
    error = st.session_state.get("job_errors", {}).pop(kind, None)
    if error:
        st.error(f"The run did not finish: {error}", icon=":material/error:")


@st.fragment(run_every=POLL_SECONDS)
def _watch(kind: str) -> None:
    job = current(kind)
    if job is None:
        return
    if job.finished.is_set():
        st.rerun()  # the full run records the result and draws it
    fraction = min(1.0, job.done / job.total) if job.total else 0.0
    st.progress(fraction, text=f"{job.label}: {job.unit} {job.done} of {job.total or '?'}")
    if job.note:
        st.caption(job.note)
    st.button("Cancel", key=f"cancel-{kind}", on_click=job.cancel,
              icon=":material/stop_circle:")


def _finish(job: Job) -> None:
    st.session_state["jobs"].pop(job.kind, None)
    if job.error is not None:
        st.session_state.setdefault("job_errors", {})[job.kind] = job.error
        return
    state.add_run(state.Run(job.kind, job.label, job.scenario_json, job.params, job.result))
