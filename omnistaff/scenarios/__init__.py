"""The shared language of omnistaff: the scenario schema, its loader and variants."""

from omnistaff.scenarios.channel import Channel
from omnistaff.scenarios.loader import (
    Problem,
    ScenarioError,
    bundled_scenarios,
    load_scenario,
    parse_scenario,
    scenario_from_dict,
)
from omnistaff.scenarios.scenario import Horizon, Scenario
from omnistaff.scenarios.variants import VariantError, apply_variant, with_overrides
from omnistaff.scenarios.workforce import AgentGroup, Shift, Staffing

__all__ = [
    "AgentGroup",
    "Channel",
    "Horizon",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Shift",
    "Staffing",
    "VariantError",
    "apply_variant",
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
    "scenario_from_dict",
    "with_overrides",
]
