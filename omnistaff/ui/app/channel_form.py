"""The form of one channel's main levers: volume and weekly shape, handle time, patience or
expiry, SLA, concurrency, deflection, triage and escalation shares."""

from __future__ import annotations

from typing import Any

import streamlit as st

from omnistaff.scenarios import Channel
from omnistaff.scenarios.distributions import Exponential, Fixed, Gamma, Lognormal
from omnistaff.scenarios.profiles import INTRADAY_SHAPES
from omnistaff.ui.app import state
from omnistaff.ui.app.forms import (
    Problems,
    apply,
    blank_none,
    duration_text,
    weights_text,
    weights_value,
)

SHARE_HELP = "A share from 0 to 1 (0.8 = 80%)."
#: Staffing is the scenario's shifts until the optimizer sizes it again.
STAFFING_NOTE = ("Changes the work, not the staffing: the scenario's shifts stay as they are "
                 "until the Optimize page sizes them again (Simulate's Required vs scheduled "
                 "tab shows the new requirement at once).")
DURATION_HELP = "Seconds, or a number with a unit: 20s, 15min, 1h, 2d."


def channel_form(name: str, channel: Channel) -> None:
    """Edit one channel; the loader checks the edits and names any field at fault."""
    form = f"channel {name}"
    problems = Problems(form)
    c = f"channels.{name}"
    with st.form(form, border=False):
        edits: dict[str, Any] = {}
        left, middle, right = st.columns(3)
        with left:
            edits |= _arrivals(name, channel, problems)
        with middle:
            edits |= _work(name, channel, problems)
        with right:
            edits |= _service(name, channel, problems)
        problems.rest()
        st.caption("Volume, handle time, concurrency and bot share change the work; the "
                   "staffing stays the scenario's shifts until optimized (Optimize page).")
        if st.form_submit_button(f"Apply changes to {name}", type="primary"):
            apply(form, {f"{c}.{path}": value for path, value in edits.items()})


def _key(name: str, *field: object) -> str:
    return state.widget_key("channel", name, *field)


def _arrivals(name: str, channel: Channel, problems: Problems) -> dict[str, Any]:
    st.markdown("**Arrivals**")
    arrivals, c = channel.arrivals, f"channels.{name}.arrivals"
    edits: dict[str, Any] = {}
    edits["label"] = blank_none(st.text_input("Display name", channel.label or "",
                                              key=_key(name, "label")))
    if arrivals.counts is not None:
        st.caption(f"Volume from a forecast of {len(arrivals.counts)} interval counts "
                   "(edit it in the YAML tab).")
        return edits
    edits["arrivals.weekly_volume"] = st.number_input(
        "Weekly volume (contacts per 7 days)", value=float(arrivals.weekly_volume), step=100.0,
        key=_key(name, "volume"))
    problems.at(f"{c}.weekly_volume")
    edits["arrivals.weekly"] = weights_value(st.text_input(
        "Weekly shape, Mon..Sun", weights_text(arrivals.weekly), key=_key(name, "weekly"),
        help="`flat`, `weekdays` (Mon-Fri only), or 7 weights such as 1, 1, 1, 1, 1.1, 1.2, "
        "1.2."))
    problems.at(f"{c}.weekly")
    if isinstance(arrivals.intraday, str):
        edits["arrivals.intraday"] = st.selectbox(
            "Shape over the day", INTRADAY_SHAPES, index=INTRADAY_SHAPES.index(arrivals.intraday),
            key=_key(name, "intraday"))
    else:
        st.caption(f"Shape over the day: {len(arrivals.intraday)} custom weights (YAML tab).")
    edits["arrivals.day_cv"] = st.number_input(
        "Day-to-day volume CV (forecast error)", value=float(arrivals.day_cv), step=0.01,
        key=_key(name, "day_cv"), help="0 = no day-level noise; about 0.09 in a bank's log.")
    problems.at(f"{c}.intraday", f"{c}.day_cv", f"{c}.hours")
    return edits


def _work(name: str, channel: Channel, problems: Problems) -> dict[str, Any]:
    st.markdown("**Work**")
    c, handle = f"channels.{name}", channel.handle_time
    edits: dict[str, Any] = {}
    if isinstance(handle, Lognormal | Gamma):
        edits["handle_time.mean"] = st.number_input(
            f"Mean handle time, seconds ({handle.dist})", value=float(handle.mean), step=10.0,
            key=_key(name, "aht"))
        edits["handle_time.cv"] = st.number_input(
            "Handle time CV (sd / mean)", value=float(handle.cv), step=0.1, key=_key(name, "cv"))
    elif isinstance(handle, Exponential | Fixed):
        field = "mean" if isinstance(handle, Exponential) else "value"
        edits[f"handle_time.{field}"] = st.number_input(
            f"Mean handle time, seconds ({handle.dist})", value=float(handle.mean), step=10.0,
            key=_key(name, "aht"))
    else:
        st.caption(f"Handle time: {len(handle.samples)} observed values (YAML tab).")
    problems.at(f"{c}.handle_time")
    edits["after_contact_work"] = st.number_input(
        "After-contact work, seconds", value=float(channel.after_contact_work), step=5.0,
        key=_key(name, "acw"))
    problems.at(f"{c}.after_contact_work")
    edits |= _patience_or_expiry(name, channel, problems)
    edits["concurrency.max"] = st.number_input(
        "Most held at once per agent (concurrency)", value=channel.concurrency.max, step=1,
        key=_key(name, "concurrency"), help=f"Phone 1; chat 2 to 4. {STAFFING_NOTE}")
    problems.at(f"{c}.concurrency")
    return edits


def _patience_or_expiry(name: str, channel: Channel, problems: Problems) -> dict[str, Any]:
    c = f"channels.{name}"
    if channel.mode == "deferred":
        expiry = st.text_input("Expires unanswered after", duration_text(channel.expiry),
                               key=_key(name, "expiry"), help=f"{DURATION_HELP} Empty: never.")
        problems.at(f"{c}.expiry")
        return {"expiry": blank_none(expiry)}
    patience = channel.patience
    if patience is None or not isinstance(patience, Lognormal | Gamma | Exponential | Fixed):
        st.caption("Patience: " + ("customers never abandon" if patience is None
                                   else f"{patience.dist} (YAML tab)"))
        return {}
    field = "value" if isinstance(patience, Fixed) else "mean"
    value = st.number_input(f"Mean patience, seconds ({patience.dist})",
                            value=float(patience.mean), step=10.0, key=_key(name, "patience"))
    problems.at(f"{c}.patience")
    return {f"patience.{field}": value}


def _service(name: str, channel: Channel, problems: Problems) -> dict[str, Any]:
    st.markdown("**Service level and flows**")
    c, sla = f"channels.{name}", channel.sla
    edits: dict[str, Any] = {}
    answered = "answered" if channel.mode == "live" else "first responses"
    edits["sla.target"] = st.number_input(
        f"SLA target: share of {answered} in time", value=sla.target, step=0.05,
        key=_key(name, "target"), help=SHARE_HELP)
    edits["sla.threshold"] = st.text_input("SLA threshold T", duration_text(sla.threshold),
                                           key=_key(name, "threshold"), help=DURATION_HELP)
    if channel.mode == "live":
        edits["sla.max_abandon_rate"] = st.number_input(
            "Most abandoned / offered (empty: no limit)", value=sla.max_abandon_rate,
            step=0.01, key=_key(name, "max_abandon"), help=SHARE_HELP)
    problems.at(f"{c}.sla")
    edits |= _deflection(name, channel, problems)
    edits |= _triage_and_escalation(name, channel, problems)
    return edits


def _deflection(name: str, channel: Channel, problems: Problems) -> dict[str, Any]:
    deflection = channel.deflection
    share = st.number_input("Deflected by self-service or bot (share)",
                            value=deflection.share if deflection else 0.0, step=0.05,
                            key=_key(name, "deflection"), help=f"{SHARE_HELP} {STAFFING_NOTE}")
    cost = st.number_input(f"Bot cost per deflected contact ({state.scenario().currency})",
                           value=deflection.cost_per_contact if deflection else 0.0, step=0.1,
                           key=_key(name, "bot_cost"))
    problems.at(f"channels.{name}.deflection")
    keep = share or cost
    return {"deflection": {"share": share, "cost_per_contact": cost} if keep else None}


def _triage_and_escalation(name: str, channel: Channel, problems: Problems) -> dict[str, Any]:
    c = f"channels.{name}"
    edits: dict[str, Any] = {}
    if channel.triage is not None:
        edits["triage.actionable_share"] = st.number_input(
            f"Actionable share (triage {channel.triage.by})",
            value=channel.triage.actionable_share, step=0.05, key=_key(name, "actionable"),
            help=SHARE_HELP)
        problems.at(f"{c}.triage")
    for i, escalation in enumerate(channel.escalation):
        edits[f"escalation.{i}.share"] = st.number_input(
            f"Escalated to {escalation.to} (share of handled)", value=escalation.share,
            step=0.05, key=_key(name, "escalation", i), help=SHARE_HELP)
    problems.at(f"{c}.escalation")
    return edits
