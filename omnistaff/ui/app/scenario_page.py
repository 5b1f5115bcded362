"""Scenario page: pick a bundled scenario or upload a YAML, edit its main levers in forms
(every problem shown next to its field), and download the edited YAML."""

from __future__ import annotations

import streamlit as st

from omnistaff.scenarios import ScenarioError, bundled_scenarios, load_scenario
from omnistaff.ui.app import state
from omnistaff.ui.app.channel_form import channel_form
from omnistaff.ui.app.contract_forms import contracts_form
from omnistaff.ui.app.forms import flash
from omnistaff.ui.app.general_forms import general_form, variants_form, yaml_form
from omnistaff.ui.app.template_form import templates_form
from omnistaff.ui.app.workforce_forms import groups_form, staffing_form
from omnistaff.ui.app.yaml_io import MAX_UPLOAD_BYTES, parse_untrusted, scenario_yaml
from omnistaff.ui.catalogue import duration


def choose_source() -> None:
    """A bundled scenario by name, or an uploaded YAML file (size-limited, parsed safely)."""
    bundled, upload = st.columns(2)
    names = list(bundled_scenarios())
    titles = bundled_titles()
    with bundled.form("bundled", border=False):
        current = state.source()
        name = st.selectbox("Bundled scenario", names,
                            index=names.index(current) if current in names else 0,
                            format_func=lambda n: f"{titles[n]} ({n})")
        if st.form_submit_button("Load bundled scenario"):
            state.set_scenario(load_scenario(bundled_scenarios()[name]), name)
            st.session_state["flash"] = f"Loaded {name}"
            st.rerun()
    with upload:
        file = st.file_uploader("Or upload a scenario (YAML, at most "
                                f"{MAX_UPLOAD_BYTES / 1e6:g} MB)",
                                max_upload_size=max(1, MAX_UPLOAD_BYTES // 1_000_000),
                                key="upload", on_change=_forget_problems,
                                help="A file of another kind is read and refused in words; "
                                "one over the size limit is refused by the uploader.")
        if file is not None and st.session_state.get("upload_seen") != file.file_id:
            st.session_state["upload_seen"] = file.file_id
            _load_upload(file.name, file.getvalue())
        for problem in st.session_state.get("upload_problems", []):
            st.error(problem, icon=":material/error:")


@st.cache_data(show_spinner=False)
def bundled_titles() -> dict[str, str]:
    """Each bundled scenario's title by its file name."""
    return {name: load_scenario(path).name for name, path in bundled_scenarios().items()}


def guide() -> None:
    """Where each question is answered, folded away once the session has runs."""
    with st.expander("How to get your answer", expanded=not state.all_runs(),
                     icon=":material/help:"):
        planner, finance, manager = st.columns(3)
        planner.markdown("**Planner: is every day covered?**  \nChoose or upload a scenario "
                         "here, then **Simulate**: service level and backlog by day, a day x "
                         "hour heat map, the weekend's worst hour, and required against "
                         "scheduled staffing per group.")
        finance.markdown("**Finance: what does a contact cost?**  \n**Simulate**, tab *Cost "
                         "(finance)*: cost per handled and per resolved contact by channel, "
                         "what drives it, and the change against another run.")
        manager.markdown("**Manager: which design, at equal service?**  \n**Optimize** a "
                         "variant to its SLAs, or **Compare** variants with *Optimize each "
                         "variant first*; past runs compare without re-running. Terms: "
                         "**Glossary**.")


def _forget_problems() -> None:
    """A new file (or none: the uploader refused it) replaces the last file's problems."""
    st.session_state["upload_problems"] = []


def _load_upload(name: str, content: bytes) -> None:
    try:
        new = parse_untrusted(content, name)
    except ScenarioError as exc:
        st.session_state["upload_problems"] = [
            f"{name} was not loaded: {len(exc.problems)} problem(s)",
            *(str(p) for p in exc.problems)]
        return
    st.session_state["upload_problems"] = []
    state.set_scenario(new, name)
    st.session_state["flash"] = f"Loaded {name}"
    st.rerun()


def summary() -> None:
    """What the scenario holds, and the download of its YAML."""
    scenario = state.scenario()
    st.subheader(scenario.name)
    if scenario.description:
        st.caption(scenario.description)
    horizon = scenario.horizon
    cols = st.columns([1, 1, 1, 1, 1.3])
    cols[0].metric("Channels", len(scenario.channels))
    cols[1].metric("Agent groups", len(scenario.groups))
    cols[2].metric("Shifts", len(scenario.staffing.shifts),
                   help=f"{len(scenario.optimizer.templates)} template(s) for the optimizer")
    cols[3].metric("Days", horizon.days, help=f"From {horizon.start_weekday}, "
                   f"{horizon.interval_minutes}-minute intervals")
    cols[4].download_button(
        "Download scenario YAML", scenario_yaml(scenario), file_name=_file_name(),
        mime="application/x-yaml", icon=":material/download:", type="primary")
    cols[4].caption(f"Source: {state.source()}")


def _file_name() -> str:
    stem = state.source().removesuffix(" (edited)").removesuffix(".yaml").removesuffix(".yml")
    edited = "-edited" if state.source().endswith("(edited)") else ""
    return f"{stem}{edited}.yaml"


def editors() -> None:
    """One tab per part of the scenario, each a form applied through the loader."""
    scenario = state.scenario()
    channels, groups, staffing, people, general, variants, text = st.tabs(
        ["Channels", "Agent groups", "Staffing", "Contracts and pay", "Horizon and general",
         "Variants", "YAML"])
    with channels:
        names = list(scenario.channels)
        for name, tab in zip(names, st.tabs([_channel_title(n) for n in names]), strict=True):
            with tab:
                channel_form(name, scenario.channels[name])
    with groups:
        groups_form(scenario)
    with staffing:
        staffing_form(scenario)
        st.divider()
        templates_form(scenario)
    with people:
        contracts_form(scenario)
    with general:
        general_form(scenario)
    with variants:
        variants_form(scenario)
    with text:
        yaml_form(scenario)


def _channel_title(name: str) -> str:
    channel = state.scenario().channels[name]
    sla = channel.sla
    return (f"{channel.label or name} ({channel.mode}, {100 * sla.target:.0f}% in "
            f"{duration(sla.threshold)})")


st.title("Scenario")
flash()
guide()
choose_source()
summary()
editors()
