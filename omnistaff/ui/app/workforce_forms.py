"""Forms of the workforce: agent groups with their rates and skills, and the staffing
(shift templates, or agents per interval). Tables in, plain data out; the loader checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from omnistaff.scenarios import Scenario, Shift
from omnistaff.scenarios.units import DAY_GROUPS
from omnistaff.ui.app import state
from omnistaff.ui.app.forms import Problems, apply, cell, duration_text

GROUP_COLUMNS = ["group", "label", "hourly_cost", "training_cost_per_skill", "shrinkage",
                 "absenteeism", "max_headcount"]
SKILL_COLUMNS = ["group", "channel", "proficiency", "concurrency"]
SHIFT_COLUMNS = ["group", "days", "start", "length", "count", "breaks"]


def groups_form(scenario: Scenario) -> None:
    """Agent groups (rows may be added or deleted) and their skills in preference order."""
    problems = Problems("agent groups")
    with st.form("agent groups", border=False):
        groups = st.data_editor(
            groups_frame(scenario), num_rows="dynamic", hide_index=True, width="stretch",
            key=state.widget_key("groups"), column_config=_group_columns())
        st.markdown("**Skills**: the channels each group handles, most preferred first; "
                    "proficiency divides handle time (0.8 = 25% slower).")
        skills = st.data_editor(
            skills_frame(scenario), num_rows="dynamic", hide_index=True, width="stretch",
            key=state.widget_key("skills"), column_config=_skill_columns(scenario))
        problems.at("groups")
        problems.rest()
        if st.form_submit_button("Apply changes to agent groups", type="primary"):
            apply("agent groups", {"groups": groups_data(groups, skills)})


def groups_frame(scenario: Scenario) -> pd.DataFrame:
    rows = [{"group": name, **{c: getattr(g, c) for c in GROUP_COLUMNS[1:]}}
            for name, g in scenario.groups.items()]
    return pd.DataFrame(rows, columns=GROUP_COLUMNS).astype({"max_headcount": "Int64"})


def skills_frame(scenario: Scenario) -> pd.DataFrame:
    rows = [{"group": name, "channel": s.channel, "proficiency": s.proficiency,
             "concurrency": s.concurrency}
            for name, g in scenario.groups.items() for s in g.skills]
    return pd.DataFrame(rows, columns=SKILL_COLUMNS).astype({"concurrency": "Int64"})


def groups_data(groups: pd.DataFrame, skills: pd.DataFrame) -> dict[str, Any]:
    """The `groups` mapping from the two tables (rows without a group name are dropped)."""
    data: dict[str, Any] = {}
    for row in groups.to_dict("records"):
        name = cell(row["group"])
        if not name:
            continue
        fields = {c: cell(row[c]) for c in GROUP_COLUMNS[1:]}
        fields["skills"] = [
            {c: cell(s[c]) for c in SKILL_COLUMNS[1:] if cell(s[c]) is not None}
            for s in skills.to_dict("records") if cell(s["group"]) == name]
        data[str(name)] = {k: v for k, v in fields.items()
                           if v is not None or k == "max_headcount"}
    return data


def _group_columns() -> dict[str, Any]:
    number = st.column_config.NumberColumn
    currency = state.scenario().currency
    return {
        "group": st.column_config.TextColumn("group", required=True, help="A short name."),
        "label": st.column_config.TextColumn("display name"),
        "hourly_cost": number(f"cost per hour ({currency})", format="%.2f",
                              help="Paid cost per agent-hour."),
        "training_cost_per_skill": number(f"training per skill ({currency} a year)",
                                          format="%.0f", help="Per agent and skill, a year."),
        "shrinkage": number("shrinkage", format="%.2f", help="Share of logged-in time off "
                            "the queue beyond breaks (0-1)."),
        "absenteeism": number("absenteeism", format="%.2f",
                              help="Chance a scheduled agent-shift is not worked (0-1)."),
        "max_headcount": number("max on shift", format="%d", help="Optimizer limit; empty: "
                                "none."),
    }


def _skill_columns(scenario: Scenario) -> dict[str, Any]:
    return {
        "group": st.column_config.TextColumn("group", required=True,
                                             help="A group name from the table above."),
        "channel": st.column_config.SelectboxColumn("channel", options=list(scenario.channels),
                                                    required=True),
        "proficiency": st.column_config.NumberColumn("proficiency", format="%.2f", default=1.0),
        "concurrency": st.column_config.NumberColumn(
            "most held", format="%d", help="Empty: the channel's concurrency."),
    }


def staffing_form(scenario: Scenario) -> None:
    """Shift templates, and agents per interval when the scenario has them."""
    problems = Problems("staffing")
    with st.form("staffing", border=False):
        st.markdown("**Shifts**: `count` agents of `group` from `start` for `length` on each "
                    "of `days` (all, weekdays, weekend or a list such as mon, sat); breaks as "
                    "`after/duration`, e.g. `4h/30min, 6h/15min paid`.")
        shifts = st.data_editor(
            shifts_frame(scenario), num_rows="dynamic", hide_index=True, width="stretch",
            key=state.widget_key("shifts"), column_config=_shift_columns(scenario))
        problems.at("staffing.shifts")
        edits: dict[str, Any] = {"staffing.shifts": shifts_data(shifts)}
        if scenario.staffing.per_interval:
            edits |= _per_interval(scenario, problems)
        problems.rest()
        if st.form_submit_button("Apply changes to staffing", type="primary"):
            apply("staffing", edits)


def shifts_frame(scenario: Scenario) -> pd.DataFrame:
    rows = [{"group": s.group, "days": days_text(s.days), "start": s.start,
             "length": duration_text(s.length), "count": s.count, "breaks": breaks_text(s)}
            for s in scenario.staffing.shifts]
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def shifts_data(shifts: pd.DataFrame) -> list[dict[str, Any]]:
    """Shift mappings from the table; cells go to the loader as written."""
    return [{"group": cell(r["group"]), "days": days_value(cell(r["days"]) or ""),
             "start": cell(r["start"]), "length": cell(r["length"]), "count": cell(r["count"]),
             "breaks": breaks_value(cell(r["breaks"]) or "")}
            for r in shifts.to_dict("records")]


def days_text(days: tuple[str, ...]) -> str:
    named = [name for name, group in DAY_GROUPS.items() if tuple(group) == tuple(days)]
    return named[0] if named else ", ".join(days)


def days_value(text: str) -> str | list[str]:
    parts = [p for p in text.replace(",", " ").split() if p]
    return parts if len(parts) > 1 else text.strip()


def breaks_text(shift: Shift) -> str:
    return ", ".join(f"{duration_text(b.after)}/{duration_text(b.duration)}"
                     + (" paid" if b.paid else "") for b in shift.breaks)


def breaks_value(text: str) -> list[dict[str, Any]]:
    """`4h/30min, 6h/15min paid` as break mappings; odd text goes to the loader as written."""
    found = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        paid = part.endswith(" paid")
        after, _, duration = part.removesuffix(" paid").partition("/")
        found.append({"after": after.strip(), "duration": duration.strip(),
                      "paid": paid})
    return found


def _shift_columns(scenario: Scenario) -> dict[str, Any]:
    text = st.column_config.TextColumn
    return {
        "group": st.column_config.SelectboxColumn("group", options=list(scenario.groups),
                                                  required=True),
        "days": text("days", default="weekdays"),
        "start": text("start", help="HH:MM", default="09:00"),
        "length": text("length", help="e.g. 8h", default="8h"),
        "count": st.column_config.NumberColumn("agents", format="%d", default=1),
        "breaks": text("breaks", help="after/duration, e.g. 4h/30min", default=""),
    }


def _per_interval(scenario: Scenario, problems: Problems) -> dict[str, Any]:
    counts = scenario.staffing.per_interval
    horizon = scenario.horizon
    if any(len(v) != horizon.intervals_per_day for v in counts.values()):
        st.caption("Agents per interval over the whole horizon: edit them in the YAML tab.")
        return {}
    st.markdown("**Agents per interval** (every day), added to the shifts")
    times = [f"{m // 60:02d}:{m % 60:02d}"
             for m in range(0, 1440, horizon.interval_minutes)]
    table = st.data_editor(pd.DataFrame(counts, index=pd.Index(times, name="time")),
                           width="stretch", key=state.widget_key("per_interval"))
    problems.at("staffing.per_interval")
    return {"staffing.per_interval": {g: [cell(v) for v in table[g]] for g in table.columns}}
