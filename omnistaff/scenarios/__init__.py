"""The shared language of omnistaff: the scenario schema, its loader and variants."""

from omnistaff.lazy import lazy_exports

_MODULES = {
    "omnistaff.scenarios.channel": ["Channel"],
    "omnistaff.scenarios.loader": ["Problem", "ScenarioError", "bundled_scenarios",
                                   "load_scenario", "parse_scenario", "scenario_from_dict"],
    "omnistaff.scenarios.scenario": ["Horizon", "Scenario"],
    "omnistaff.scenarios.variants": ["VariantError", "apply_variant", "with_overrides"],
    "omnistaff.scenarios.workforce": ["AgentGroup", "Shift", "Staffing"],
}
_EXPORTS = {name: module for module, names in _MODULES.items() for name in names}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())  # see `omnistaff.lazy`

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
