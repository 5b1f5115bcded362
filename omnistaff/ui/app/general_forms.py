"""Forms of the scenario as a whole: name and horizon, variants, and the full YAML text."""

from __future__ import annotations

from typing import Any, get_args

import streamlit as st
import yaml

from omnistaff.scenarios import Problem, Scenario, ScenarioError
from omnistaff.scenarios.scenario import Reporting
from omnistaff.scenarios.units import WEEKDAYS
from omnistaff.ui.app import state
from omnistaff.ui.app.forms import Problems, adopt, apply, duration_text
from omnistaff.ui.app.yaml_io import parse_untrusted, scenario_yaml, untrusted_data

SL_DEFINITIONS: tuple[str, ...] = get_args(Reporting.model_fields["service_level"].annotation)


def general_form(scenario: Scenario) -> None:
    """Name, currency, horizon, routing and the service-level definition."""
    problems, horizon, key = Problems("general"), scenario.horizon, state.widget_key
    with st.form("general", border=False):
        left, right = st.columns(2)
        edits: dict[str, Any] = {
            "name": left.text_input("Name", scenario.name, key=key("name")),
            "currency": left.text_input("Currency of all costs", scenario.currency,
                                        key=key("currency")),
            "description": right.text_area("Description", scenario.description, height=108,
                                           key=key("description")),
        }
        problems.at("name", "currency", "description")
        left, middle, right = st.columns(3)
        edits["horizon.start_weekday"] = left.selectbox(
            "First day", WEEKDAYS, index=WEEKDAYS.index(horizon.start_weekday), key=key("wd"))
        edits["horizon.days"] = left.number_input("Days simulated", value=horizon.days, step=1,
                                                  key=key("days"))
        edits["horizon.interval_minutes"] = middle.selectbox(
            "Reporting interval, minutes", (15, 30), index=(15, 30).index(
                horizon.interval_minutes), key=key("interval"))
        edits["horizon.warmup"] = middle.text_input(
            "Warm-up before day 0", duration_text(horizon.warmup) or "0s", key=key("warmup"),
            help="Simulated but not reported, e.g. 12h.")
        edits["horizon.replications"] = right.number_input(
            "Replications", value=horizon.replications, step=1, key=key("reps"))
        edits["horizon.seed"] = right.number_input("Seed", value=horizon.seed, step=1,
                                                   key=key("seed"))
        problems.at("horizon")
        edits["routing.live_first"] = st.checkbox(
            "Free agents take live contacts before deferred work",
            value=scenario.routing.live_first, key=key("live_first"))
        edits["reporting.service_level"] = st.selectbox(
            "Service level counts", SL_DEFINITIONS,
            index=SL_DEFINITIONS.index(scenario.reporting.service_level), key=key("sl_def"),
            help=Reporting.model_fields["service_level"].description)
        problems.rest()
        if st.form_submit_button("Apply general changes", type="primary"):
            apply("general", edits)


def variants_form(scenario: Scenario) -> None:
    """Named variants as YAML: each a mapping of dotted paths to values."""
    problems = Problems("variants")
    with st.form("variants", border=False):
        st.markdown("Each variant overrides fields by dotted path, e.g. "
                    "`channels.chat.concurrency.max: 2` or `staffing.shifts.5.count: 0`; "
                    "the Compare page runs them side by side.")
        text = st.text_area("Variants (YAML)", _variants_text(scenario), height=260,
                            key=state.widget_key("variants"))
        problems.rest()
        if st.form_submit_button("Apply variants", type="primary"):
            try:
                data = untrusted_data(text, "variants") or {}
            except ScenarioError as exc:
                state.set_problems("variants", [Problem("variants", p.message)
                                                for p in exc.problems])
                st.rerun()
            apply("variants", {"variants": data})


def _variants_text(scenario: Scenario) -> str:
    if not scenario.variants:
        return ""
    return yaml.safe_dump(scenario.variants, sort_keys=False, allow_unicode=True)


def yaml_form(scenario: Scenario) -> None:
    """The whole scenario as YAML, for everything the other forms do not show."""
    problems = Problems("yaml")
    with st.form("yaml", border=False):
        text = st.text_area("Scenario (YAML)", scenario_yaml(scenario), height=480,
                            key=state.widget_key("yaml"))
        problems.rest()
        if st.form_submit_button("Apply YAML", type="primary"):
            try:
                new = parse_untrusted(text, "edited YAML")
            except ScenarioError as exc:
                state.set_problems("yaml", exc.problems)
            else:
                adopt(new, "YAML applied")
            st.rerun()
