"""The scenario's optimizer section: sensible defaults, clear errors, and the shift options a
template expands into."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from omnistaff.optimize.shifts import (
    break_placements,
    kept_counts,
    shift_options,
    template_starts,
)
from omnistaff.scenarios import Scenario, ScenarioError, scenario_from_dict
from omnistaff.scenarios.templates import BreakWindow, OptimizerSettings, ShiftTemplate


def scenario(optimizer: dict[str, Any] | None = None, days: int = 1) -> Scenario:
    data: dict[str, Any] = {
        "name": "templates", "horizon": {"days": days},
        "channels": {"phone": {"mode": "live", "arrivals": {"weekly_volume": 700},
                               "handle_time": {"mean": 200, "cv": 1},
                               "sla": {"target": 0.8, "threshold": "20s"}}},
        "groups": {"a": {"skills": ["phone"]}, "b": {"skills": ["phone"]}},
    }
    if optimizer is not None:
        data["optimizer"] = optimizer
    return scenario_from_dict(data)


def test_defaults_are_eight_hour_shifts_every_half_hour_with_a_meal_break() -> None:
    settings = OptimizerSettings()
    (template,) = settings.templates
    assert template.lengths == (8 * 3600,) and template.start_step == 1800
    assert len(template.days) == 7
    (meal,) = template.breaks
    assert (meal.duration, meal.paid, meal.earliest, meal.latest) == (1800, False, 10800, 18000)
    # One day, two groups: 48 starts x 5 break placements each.
    assert len(shift_options(scenario())) == 2 * 48 * 5


def test_a_start_window_may_cross_midnight() -> None:
    template = ShiftTemplate(name="night", earliest_start="22:00", latest_start="02:00",
                             start_step="1h")
    assert [s // 3600 for s in template_starts(template)] == [22, 23, 0, 1, 2]


def test_breaks_are_placed_in_order_without_overlap() -> None:
    first = BreakWindow(duration="30min", earliest="2h", latest="3h")
    second = BreakWindow(duration="15min", earliest="2.5h", latest="3.5h", paid=True)
    template = ShiftTemplate(name="t", lengths=["6h"], breaks=[first, second])
    placements = break_placements(template, 6 * 3600)
    assert all(b[0] + b[1] <= c[0] for b, c in (p for p in placements))
    assert len(placements) == 6  # of 3 x 3 pairs, those where the second starts after the first


def test_templates_name_groups_and_days() -> None:
    options = shift_options(scenario({"templates": [
        {"name": "weekend", "groups": ["b"], "days": "weekend", "lengths": ["4h"],
         "start_step": "1h"}]}, days=7))
    assert {o.group for o in options} == {"b"}
    assert {o.weekday for o in options} == {"sat", "sun"}
    assert len(options) == 2 * 24


@pytest.mark.parametrize(("optimizer", "path", "words"), [
    ({"templates": [{"name": "t", "groups": ["c"]}]}, "optimizer.templates.0.groups.0",
     "no agent group named 'c'"),
    ({"templates": [{"name": "t", "lengths": ["4h"],
                     "breaks": [{"duration": "30min", "earliest": "4h", "latest": "5h"}]}]},
     "optimizer.templates.0", "cannot end within the 4 h shift"),
    ({"templates": [{"name": "t", "breaks": [{"duration": "30min", "earliest": "5h",
                                              "latest": "3h"}]}]},
     "optimizer.templates.0.breaks.0", "latest 3 h is before earliest 5 h"),
    ({"templates": [{"name": "t"}, {"name": "t"}]}, "optimizer", "give each template its own"),
    ({"mip_gap": 0}, "optimizer.mip_gap", "greater than 0"),
    ({"channels": ["phone", "fone"]}, "optimizer.channels.1", "no channel named 'fone'"),
    ({"sla_period": "week"}, "optimizer.sla_period", "'horizon' or 'day'"),
])
def test_bad_settings_get_one_clear_message(optimizer: dict[str, Any], path: str,
                                            words: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario(optimizer)
    text = str(caught.value)
    assert path in text and words in text


def test_only_shifts_can_be_kept() -> None:
    data = scenario().model_dump(mode="json")
    data["staffing"] = {"per_interval": {"a": [2] * 48}}
    data["optimizer"]["keep_staffing"] = True
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data)
    assert "optimizer.keep_staffing" in str(caught.value)
    assert "write that staffing as staffing.shifts" in str(caught.value)


def test_kept_shifts_are_options_with_their_agents_as_a_floor() -> None:
    kept = {"group": "a", "days": ["mon"], "start": "09:00", "length": "4h", "count": 2}
    data = scenario({"keep_staffing": True, "templates": [
        {"name": "t", "groups": ["b"], "lengths": ["4h"], "start_step": "1h"}]},
        days=7).model_dump(mode="json")
    data["staffing"] = {"shifts": [kept, {**kept, "start": "13:00", "count": 0}]}
    with_kept = scenario_from_dict(data)
    options = shift_options(with_kept)
    assert [(o.group, o.template, o.weekday, o.start) for o in options if o.group == "a"] == [
        ("a", "kept", "mon", 9 * 3600)]
    floors = kept_counts(with_kept)
    assert list(floors.values()) == [2]
    data["optimizer"]["keep_staffing"] = False
    assert kept_counts(scenario_from_dict(data)) == {}


@pytest.mark.parametrize("model", [OptimizerSettings, ShiftTemplate, BreakWindow])
def test_every_setting_is_documented(model: type[BaseModel]) -> None:
    undocumented = [name for name, spec in model.model_fields.items() if not spec.description]
    assert undocumented == []
