"""The optimizer's shift templates and limits as a form: the shifts it may schedule (start
window, lengths, break windows, days, groups) and the bounds it must respect."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from omnistaff.scenarios import Scenario
from omnistaff.scenarios.templates import BreakWindow, ShiftTemplate
from omnistaff.ui.app import state
from omnistaff.ui.app.forms import Problems, apply, cell, duration_text
from omnistaff.ui.app.workforce_forms import days_text, days_value

TEMPLATE_COLUMNS = ["name", "groups", "days", "earliest_start", "latest_start", "start_step",
                    "lengths", "breaks"]
LIMIT_HELP = {
    "min_agents": "Least agents on shift able to serve each live channel while it is open.",
    "max_part_time_share": "Most part-time agent-shifts as a share of all (empty: no limit).",
    "budget": "Most paid cost over the horizon (empty: no limit).",
}


def templates_form(scenario: Scenario) -> None:
    """Shift templates (rows may be added or deleted) and the optimizer's limits."""
    problems = Problems("shift templates")
    settings = scenario.optimizer
    with st.form("shift templates", border=False):
        st.markdown("**Shift templates** the optimizer may schedule: starts every `start_step` "
                    "from `earliest_start` to `latest_start`, `lengths` such as `8h, 6h`, "
                    "breaks as `duration@earliest-latest`, e.g. `30min@3h-5h` or "
                    "`15min@1.5h-2.5h/15min paid`; empty groups: every group.")
        table = st.data_editor(templates_frame(scenario), num_rows="dynamic", hide_index=True,
                               width="stretch", key=state.widget_key("templates"),
                               column_config=_columns())
        problems.at("optimizer.templates")
        left, middle, right = st.columns(3)
        edits: dict[str, Any] = {"optimizer.templates": templates_data(table)}
        edits["optimizer.min_agents"] = left.number_input(
            "Least agents per open live channel", value=settings.min_agents, step=1,
            key=state.widget_key("min_agents"), help=LIMIT_HELP["min_agents"])
        edits["optimizer.max_part_time_share"] = middle.number_input(
            "Most part-time share (0-1)", value=settings.max_part_time_share, step=0.05,
            key=state.widget_key("part_time"), help=LIMIT_HELP["max_part_time_share"])
        edits["optimizer.budget"] = right.number_input(
            f"Budget over the horizon ({scenario.currency})", value=settings.budget, step=1000.0,
            key=state.widget_key("budget"), help=LIMIT_HELP["budget"])
        problems.rest()
        if st.form_submit_button("Apply changes to shift templates", type="primary"):
            apply("shift templates", edits)


def templates_frame(scenario: Scenario) -> pd.DataFrame:
    rows = [{"name": t.name, "groups": ", ".join(t.groups), "days": days_text(t.days),
             "earliest_start": t.earliest_start, "latest_start": t.latest_start,
             "start_step": duration_text(t.start_step),
             "lengths": ", ".join(duration_text(x) for x in t.lengths),
             "breaks": ", ".join(break_text(b) for b in t.breaks)}
            for t in scenario.optimizer.templates]
    return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)


def break_text(window: BreakWindow) -> str:
    step = "" if window.step == BreakWindow.model_fields["step"].default else \
        f"/{duration_text(window.step)}"
    return (f"{duration_text(window.duration)}@{duration_text(window.earliest)}-"
            f"{duration_text(window.latest)}{step}{' paid' if window.paid else ''}")


def break_value(text: str) -> dict[str, Any]:
    """A break window from `duration@earliest-latest[/step][ paid]`; odd text goes to the
    loader as written, which names what is wrong."""
    paid = text.endswith(" paid")
    body = text.removesuffix(" paid").strip()
    duration, _, window = body.partition("@")
    window, _, step = window.partition("/")
    earliest, _, latest = window.partition("-")
    found: dict[str, Any] = {"duration": duration.strip(), "earliest": earliest.strip(),
                             "latest": (latest or earliest).strip(), "paid": paid}
    return found | ({"step": step.strip()} if step.strip() else {})


def templates_data(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Template mappings from the table; cells go to the loader as written."""
    found = []
    for row in table.to_dict("records"):
        groups = [g.strip() for g in (cell(row["groups"]) or "").split(",") if g.strip()]
        breaks = [break_value(b.strip()) for b in (cell(row["breaks"]) or "").split(",")
                  if b.strip()]
        lengths = [x.strip() for x in (cell(row["lengths"]) or "").split(",") if x.strip()]
        found.append({"name": cell(row["name"]), "groups": groups,
                      "days": days_value(cell(row["days"]) or ""),
                      "earliest_start": cell(row["earliest_start"]),
                      "latest_start": cell(row["latest_start"]),
                      "start_step": cell(row["start_step"]), "lengths": lengths,
                      "breaks": breaks})
    return found


def _columns() -> dict[str, Any]:
    text = st.column_config.TextColumn
    defaults = ShiftTemplate(name="new")
    return {
        "name": text("name", required=True),
        "groups": text("groups", help="Comma-separated; empty: every group.", default=""),
        "days": text("days", default="all"),
        "earliest_start": text("earliest start", help="HH:MM",
                               default=defaults.earliest_start),
        "latest_start": text("latest start", help="HH:MM", default=defaults.latest_start),
        "start_step": text("start every", default=duration_text(defaults.start_step)),
        "lengths": text("lengths", help="e.g. 8h, 6h", default="8h"),
        "breaks": text("breaks", help="duration@earliest-latest, e.g. 30min@3h-5h",
                       default="30min@3h-5h"),
    }
