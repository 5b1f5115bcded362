"""Scenarios: the bundled library loads and runs, bad input gets one clear message per
problem (field path and fix, never a traceback), variants apply, the JSON Schema is sound,
and durations read as planners write them."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from omnistaff.scenarios import (
    Scenario,
    ScenarioError,
    VariantError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    scenario_from_dict,
    with_overrides,
)
from omnistaff.sim import simulate

OUTCOMES = ["answered", "abandoned", "expired", "deflected", "balked", "blocked",
            "triaged_out", "waiting"]

# A small scenario in the shorthand planners write (durations with units, day groups, bare
# skill names, distributions without `dist`); each error test breaks it in one place.
BASE = """
name: Desk
horizon: {start_weekday: mon, days: 7, interval_minutes: 30, warmup: 1h}
channels:
  phone:
    mode: live
    arrivals: {weekly_volume: 5000, weekly: weekdays, intraday: business_hours,
               hours: {open: "07:00", close: "21:00", days: weekdays}}
    handle_time: {mean: 190, cv: 1.2}
    after_contact_work: 20s
    patience: {dist: exponential, mean: 400}
    sla: {target: 0.8, threshold: 20s}
  chat:
    mode: live
    arrivals: {weekly_volume: 2000, weekly: weekdays}
    handle_time: {mean: 7min, cv: 0.9}
    concurrency: {max: 3}
    sla: {target: 0.8, threshold: 1min}
  email:
    mode: deferred
    arrivals: {weekly_volume: 1000}
    handle_time: 6min
    expiry: 72h
    sla: {target: 0.9, threshold: 24h}
  social:
    mode: deferred
    arrivals: {weekly_volume: 700, intraday: evening}
    handle_time: {dist: gamma, mean: 4min, cv: 1}
    triage: {actionable_share: 0.6, seconds: 15, by: automated}
    escalation: [{to: phone, share: 0.2, delay: {dist: exponential, mean: 30min}}]
    sla: {target: 0.8, threshold: 1h}
groups:
  phone_team: {skills: [phone], hourly_cost: 28, shrinkage: 0.15}
  chat_team: {skills: [chat, {channel: email, proficiency: 0.8}], hourly_cost: 30}
  social_team: {skills: [social, email], hourly_cost: 32}
staffing:
  shifts:
    - {group: phone_team, days: weekdays, start: "07:00", length: 8h, count: 6,
       breaks: [{after: 4h, duration: 30min}]}
    - {group: chat_team, days: weekdays, start: "08:00", length: 8h, count: 3}
    - {group: social_team, days: all, start: "12:00", length: 8h, count: 2,
       breaks: [{after: 3h30min, duration: 30min}]}
  per_interval:
    phone_team: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0]
variants:
  no_weekend_social: {staffing.shifts.2.days: weekdays}
  chat_2: {channels.chat.concurrency.max: 2, groups.chat_team.hourly_cost: 31}
"""


def base_data() -> dict[str, Any]:
    """The base scenario as plain data."""
    return yaml.safe_load(BASE)


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    message = str(caught.value)
    assert "Traceback" not in message and "errors.pydantic.dev" not in message
    assert caught.value.problems, "a ScenarioError must name at least one problem"
    return [(p.path, p.message) for p in caught.value.problems]


def problems_after(change: Callable[[dict[str, Any]], None]) -> list[tuple[str, str]]:
    data = base_data()
    change(data)
    return problems_of(yaml.safe_dump(data))


# ---------------------------------------------------------------------------- library


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_bundled_scenario_loads_and_runs(name: str) -> None:
    scen = load_scenario(bundled_scenarios()[name])
    assert scen.channels and scen.groups
    result = simulate(scen)
    frame = result.channel_intervals
    assert (frame["offered"] == frame[OUTCOMES].sum(axis=1)).all()
    assert result.channels["offered"].sum() > 0
    assert result.groups["staffed_hours"].sum() > 0
    for variant in scen.variants:
        assert isinstance(scen.variant(variant), Scenario)


def test_shorthand_reads_as_written() -> None:
    scen = parse_scenario(BASE)
    phone, chat, email, social = (scen.channels[n] for n in ("phone", "chat", "email",
                                                               "social"))
    assert (phone.sla.threshold, phone.after_contact_work) == (20, 20)
    assert phone.handle_time.dist == "lognormal" and phone.handle_time.mean == 190
    assert chat.handle_time.mean == 420 and chat.sla.threshold == 60
    assert chat.concurrency.curve() == (1.0, 1.7, 2.5)
    assert email.handle_time.dist == "fixed" and email.handle_time.mean == 360
    assert email.expiry == 72 * 3600
    assert social.escalation[0].delay.mean == 1800
    assert scen.horizon.warmup == 3600
    assert scen.staffing.shifts[0].days == ("mon", "tue", "wed", "thu", "fri")
    assert len(scen.staffing.shifts[2].days) == 7
    assert scen.staffing.shifts[2].breaks[0].after == 3.5 * 3600
    assert scen.staffing.shifts[0].paid_seconds == 7.5 * 3600
    skills = scen.groups["chat_team"].skills
    assert [(s.channel, s.proficiency) for s in skills] == [("chat", 1.0), ("email", 0.8)]


# ---------------------------------------------------------------------- error messages


def test_malformed_yaml_names_line_and_column() -> None:
    text = BASE.replace("handle_time: {mean: 190, cv: 1.2}", "handle_time: {mean: 190 cv: 1.2}")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "190 cv" in row)
    [(path, message)] = problems_of(text)
    assert path == ""
    assert "not valid YAML" in message
    assert f"line {line}, column " in message


def test_not_a_mapping() -> None:
    [(path, message)] = problems_of("- phone\n- chat\n")
    assert "mapping" in message and path == ""


def test_unknown_key_suggests_the_right_one() -> None:
    def misspell(data: dict[str, Any]) -> None:
        data["channels"]["phone"]["handel_time"] = data["channels"]["phone"].pop("handle_time")

    found = dict(problems_after(misspell))
    assert "did you mean 'handle_time'" in found["channels.phone.handel_time"]
    assert "channels.phone.handle_time" in found  # and the real one is now missing


def test_negative_volume() -> None:
    def negative(data: dict[str, Any]) -> None:
        data["channels"]["phone"]["arrivals"]["weekly_volume"] = -100

    [(path, message)] = problems_after(negative)
    assert path == "channels.phone.arrivals.weekly_volume"
    assert "-100" in message and "larger" in message


def test_escalation_cycle_is_named_with_its_path() -> None:
    def cycle(data: dict[str, Any]) -> None:
        data["channels"]["phone"]["escalation"] = [{"to": "social", "share": 0.1}]

    [(path, message)] = problems_after(cycle)
    assert path.startswith("channels.") and path.endswith(".escalation")
    assert "cycle" in message and "phone" in message and "social" in message


def test_skill_naming_a_missing_channel() -> None:
    def fax(data: dict[str, Any]) -> None:
        data["groups"]["phone_team"]["skills"] = ["phone", "fax"]

    [(path, message)] = problems_after(fax)
    assert path == "groups.phone_team.skills.1.channel"
    assert "'fax'" in message and "phone" in message


def test_channel_no_group_can_serve() -> None:
    def orphan(data: dict[str, Any]) -> None:
        data["groups"]["chat_team"]["skills"] = ["email"]

    [(path, message)] = problems_after(orphan)
    assert path == "channels.chat"
    assert "no agent group" in message


def test_several_cross_reference_problems_are_all_listed() -> None:
    def two(data: dict[str, Any]) -> None:
        data["groups"]["chat_team"]["skills"] = ["email"]
        data["groups"]["phone_team"]["skills"] = ["phone", "fax"]

    paths = {path for path, _ in problems_after(two)}
    assert paths == {"channels.chat", "groups.phone_team.skills.1.channel"}


def test_bad_duration_string() -> None:
    def parsecs(data: dict[str, Any]) -> None:
        data["channels"]["phone"]["after_contact_work"] = "20 parsecs"

    [(path, message)] = problems_after(parsecs)
    assert path == "channels.phone.after_contact_work"
    assert "not a duration" in message and "15min" in message


def test_break_outside_its_shift() -> None:
    def late(data: dict[str, Any]) -> None:
        data["staffing"]["shifts"][0]["breaks"] = [{"after": "7h45min", "duration": "30min"}]

    [(path, message)] = problems_after(late)
    assert path == "staffing.shifts.0"
    assert "ends after" in message


@pytest.mark.parametrize(("overrides", "where", "words"), [
    ({"channels.phon.sla.target": 0.9}, "variants.bad", ["'channels.phon' does not exist"]),
    ({"staffing.shifts.17.count": 1}, "variants.bad", ["not an index"]),
    ({"channels.phone.sla.target": 1.5}, "variants.bad -> channels.phone.sla.target",
     ["less than or equal to 1"]),
])
def test_bad_variant(overrides: dict[str, Any], where: str, words: list[str]) -> None:
    def bad(data: dict[str, Any]) -> None:
        data["variants"]["bad"] = overrides

    [(path, message)] = problems_after(bad)
    assert path == where
    for word in words:
        assert word in message


def test_every_problem_is_reported_at_once() -> None:
    def many(data: dict[str, Any]) -> None:
        data["horizon"]["days"] = 99
        data["channels"]["chat"]["mode"] = "carrier pigeon"
        data["groups"]["phone_team"]["hourly_cost"] = -1

    paths = {path for path, _ in problems_after(many)}
    assert {"horizon.days", "channels.chat.mode", "groups.phone_team.hourly_cost"} <= paths


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")


# ---------------------------------------------------------------------------- variants


def test_variants_apply_their_overrides() -> None:
    scen = parse_scenario(BASE)
    assert scen.variant("base") is scen
    chat = scen.variant("chat_2")
    assert chat.channels["chat"].concurrency.max == 2
    assert chat.groups["chat_team"].hourly_cost == 31
    assert scen.channels["chat"].concurrency.max == 3  # the base is untouched (frozen)
    weekend = scen.variant("no_weekend_social")
    assert weekend.staffing.shifts[2].days == ("mon", "tue", "wed", "thu", "fri")
    assert weekend.staffing.shifts[:2] == scen.staffing.shifts[:2]
    assert weekend.channels == scen.channels
    assert weekend.name.endswith("[no_weekend_social]")
    with pytest.raises(VariantError, match="chat_2"):
        scen.variant("no_such_variant")


def test_with_overrides() -> None:
    scen = parse_scenario(BASE)
    changed = with_overrides(scen, {"channels.social.sla.threshold": "2h",
                                    "groups.phone_team.hourly_cost": 35})
    assert changed.channels["social"].sla.threshold == 7200
    assert changed.groups["phone_team"].hourly_cost == 35
    assert changed.channels["phone"] == scen.channels["phone"]
    with pytest.raises(VariantError, match="does not exist"):
        with_overrides(scen, {"channels.nope.sla.target": 0.5})


def test_scenario_round_trips_through_plain_data() -> None:
    scen = parse_scenario(BASE)
    again = scenario_from_dict(json.loads(scen.model_dump_json()))
    assert again == scen


# ------------------------------------------------------------------------------ schema


def test_json_schema_is_generated_and_validates_scenarios() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = Scenario.model_json_schema()
    json.dumps(schema)  # plain JSON
    assert {"channels", "groups", "staffing", "horizon"} <= set(schema["properties"])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(base_data()))
    broken = copy.deepcopy(base_data())
    broken["channels"]["phone"]["mode"] = "fax"
    assert list(validator.iter_errors(broken))


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(("written", "seconds"), [
    ("20s", 20), ("1h", 3600), ("15min", 900), ("90", 90), (45, 45), ("1.5h", 5400),
    ("2d", 172800), ("1h30min", 5400), (" 10 sec ", 10),
])
def test_durations_read_as_written(written: str | int, seconds: float) -> None:
    data = base_data()
    data["channels"]["phone"]["sla"]["threshold"] = written
    data["channels"]["phone"]["after_contact_work"] = written
    scen = scenario_from_dict(data)
    assert scen.channels["phone"].sla.threshold == seconds
    assert scen.channels["phone"].after_contact_work == seconds


@pytest.mark.parametrize("written", ["20 parsecs", "h", "-5s", "1h-30min", ""])
def test_bad_durations_are_rejected(written: str) -> None:
    data = base_data()
    data["channels"]["phone"]["after_contact_work"] = written
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data)
    assert [p.path for p in caught.value.problems] == ["channels.phone.after_contact_work"]
