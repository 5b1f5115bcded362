"""What every scenario form shares: applying its edits through the scenario loader, and
showing each problem the loader finds next to the field it names."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from omnistaff.scenarios import Problem, Scenario, ScenarioError
from omnistaff.scenarios.variants import VariantError, override
from omnistaff.ui.app import state
from omnistaff.ui.app.yaml_io import validated


def apply(form: str, overrides: dict[str, Any]) -> None:
    """Apply dotted-path edits to the scenario, or keep the problems found for the form;
    then rerun so that the page shows either."""
    try:
        data = override(state.scenario().model_dump(mode="json"), overrides)
        new = validated(data, source="edited scenario")
    except ScenarioError as exc:
        state.set_problems(form, exc.problems)
    except VariantError as exc:
        state.set_problems(form, [Problem("", str(exc))])
    else:
        adopt(new, f"{form} applied")
    st.rerun()


def adopt(new: Scenario, message: str) -> None:
    """Work on an edited scenario from now on, and say so on the next run."""
    origin = state.source()
    state.set_scenario(new, origin if origin.endswith("(edited)") else f"{origin} (edited)")
    st.session_state["flash"] = message


def flash() -> None:
    """Show (once) what the last form did."""
    message = st.session_state.pop("flash", None)
    if message:
        st.toast(message, icon=":material/check_circle:")


class Problems:
    """The problems of one form, shown next to the fields they name; the rest at the end."""

    def __init__(self, form: str) -> None:
        self.found = state.problems(form)
        self.shown: set[int] = set()

    def at(self, *paths: str) -> None:
        """Show the problems at these dotted paths or below them."""
        for i, problem in enumerate(self.found):
            if i not in self.shown and any(_under(problem.path, p) for p in paths):
                self.shown.add(i)
                st.error(_text(problem), icon=":material/error:")

    def rest(self) -> None:
        """Show every problem not shown next to a field."""
        for i, problem in enumerate(self.found):
            if i not in self.shown:
                st.error(_text(problem), icon=":material/error:")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(f"{prefix}.")


def _text(problem: Problem) -> str:
    return f"**{problem.path}**: {problem.message}" if problem.path else problem.message


def duration_text(seconds: float | None) -> str:
    """A duration as a planner writes it (20s, 15min, 1h, 72h): the loader reads it back."""
    if seconds is None:
        return ""
    if seconds >= 3600 and seconds % 60 == 0:
        hours, minutes = divmod(int(seconds) // 60, 60)
        return f"{hours}h{minutes}min" if minutes else f"{hours}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}min"
    return f"{seconds:g}s"


def weights_text(weights: str | tuple[float, ...]) -> str:
    """A shape name, or weights as comma-separated numbers."""
    return weights if isinstance(weights, str) else ", ".join(f"{w:g}" for w in weights)


def weights_value(text: str) -> str | list[float]:
    """A shape name or a list of numbers from `weights_text`; other text goes to the loader
    as written, which says what is wrong with it."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    try:
        return [float(p) for p in parts] if len(parts) > 1 else text.strip()
    except ValueError:
        return text.strip()


def cell(value: Any) -> Any:
    """A table cell as plain data: empty cells (None, NaN) are None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def blank_none(text: str) -> str | None:
    return text.strip() or None
