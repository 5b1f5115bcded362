"""The form of people's contracts and pay rules: one row per contract with its labour rules,
and the premiums. With contracts, the optimizer plans people on weekly tours and writes a named
roster. Tables in, plain data out; the loader checks."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from omnistaff.scenarios import Scenario
from omnistaff.ui.app import state
from omnistaff.ui.app.forms import Problems, apply, cell, duration_text

#: Contract fields in the table: durations are written as a planner does (11h, 90min).
DURATIONS = ["min_rest", "start_band", "contract_hours", "min_paid_hours", "max_paid_hours"]
LISTS = ["groups", "templates"]
CONTRACT_COLUMNS = ["contract", "groups", "days_per_week", "days_off_together", "min_rest",
                    "max_consecutive_days", "weekend_off_every", "start_band", "templates",
                    "contract_hours", "min_paid_hours", "max_paid_hours", "max_people"]
PREMIUMS = ["weekend_premium", "night_premium", "holiday_premium", "overtime_premium",
            "skill_premium"]


def contracts_form(scenario: Scenario) -> None:
    """Contracts (rows may be added or deleted; none: loose agent-shifts) and pay rules."""
    problems = Problems("contracts")
    with st.form("contracts", border=False):
        st.markdown("**Contracts**: with at least one, the optimizer plans the groups it "
                    "names in people on weekly tours and writes a roster. An empty cell takes "
                    "the default (5 days of 7, days off together, 11 h rest, the same start "
                    "every day); groups and templates are comma-separated names, empty = all.")
        table = st.data_editor(
            contracts_frame(scenario), num_rows="dynamic", hide_index=True, width="stretch",
            key=state.widget_key("contracts"), column_config=_contract_columns())
        problems.at("contracts", "horizon.days")
        st.markdown("**Pay rules**: premiums as shares of the hourly cost (0.25 = 25% more); "
                    "the skill premium is pay per paid hour for each skill beyond the first.")
        pay = scenario.pay
        cols = st.columns(len(PREMIUMS))
        premiums = {f"pay.{name}": cols[i].number_input(
            name.removesuffix("_premium").replace("_", " "), min_value=0.0,
            value=float(getattr(pay, name)), step=0.05, key=state.widget_key(name))
            for i, name in enumerate(PREMIUMS)}
        problems.at("pay")
        problems.rest()
        if st.form_submit_button("Apply changes to contracts and pay", type="primary"):
            apply("contracts", {"contracts": contracts_data(table), **premiums})


def contracts_frame(scenario: Scenario) -> pd.DataFrame:
    """The scenario's contracts, one row each, durations and lists as text."""
    rows = []
    for name, contract in scenario.contracts.items():
        row: dict[str, Any] = {"contract": name}
        for column in CONTRACT_COLUMNS[1:]:
            value = getattr(contract, column)
            if column in DURATIONS:
                value = duration_text(value)
            elif column in LISTS:
                value = ", ".join(value)
            row[column] = value
        rows.append(row)
    return pd.DataFrame(rows, columns=CONTRACT_COLUMNS).astype(
        {"weekend_off_every": "Int64", "max_people": "Int64", "days_per_week": "Int64",
         "max_consecutive_days": "Int64"})


def contracts_data(table: pd.DataFrame) -> dict[str, Any]:
    """The `contracts` mapping from the table: rows without a name are dropped, empty cells
    take the defaults, and `weekend_off_every` and `max_people` may be empty (no rule)."""
    data: dict[str, Any] = {}
    for row in table.to_dict("records"):
        name = cell(row["contract"])
        if not name:
            continue
        fields: dict[str, Any] = {}
        for column in CONTRACT_COLUMNS[1:]:
            value = cell(row[column])
            if column in LISTS:
                fields[column] = [p.strip() for p in str(value or "").split(",") if p.strip()]
            elif value is not None and value != "":
                fields[column] = value
        data[str(name)] = fields
    return data


def _contract_columns() -> dict[str, Any]:
    number, text = st.column_config.NumberColumn, st.column_config.TextColumn
    return {
        "contract": text("contract", required=True, help="A short name, e.g. full_time."),
        "groups": text("groups", help="Agent groups on it, comma-separated; empty: every "
                       "group."),
        "days_per_week": number("days a week", format="%d", min_value=1, max_value=7),
        "days_off_together": st.column_config.CheckboxColumn("days off together",
                                                             default=True),
        "min_rest": text("least rest", help="Between shifts, e.g. 11h."),
        "max_consecutive_days": number("most days in a row", format="%d", min_value=1),
        "weekend_off_every": number("weekend off every (weeks)", format="%d", min_value=1,
                                    max_value=4, help="Empty: no weekend rule."),
        "start_band": text("start band", help="How far the start may move from day to day, "
                           "e.g. 2h; 0s: the same start every day."),
        "templates": text("templates", help="Shift templates it may work, comma-separated; "
                          "empty: all."),
        "contract_hours": text("contract hours", help="A week, e.g. 40h; above: overtime."),
        "min_paid_hours": text("least paid hours", help="A week, e.g. 0s."),
        "max_paid_hours": text("most paid hours", help="A week, e.g. 48h."),
        "max_people": number("most people", format="%d", min_value=0,
                             help="Empty: no limit."),
    }
