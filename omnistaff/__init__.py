"""omnistaff: workforce and staffing simulation for multichannel contact centers.

The public API, in the order a study uses it (see docs/api.md):

- scenarios: `load_scenario(path)`, `scenario_from_dict(data)`, `bundled_scenarios()`, a
  `Scenario` and its `variant(name)`; bad input raises `ScenarioError` listing every problem;
- one replication: `simulate(scenario, seed)` -> `SimResult` (tidy frames);
- many: `run_replications(scenario, replications)` (means and 95% intervals) and
  `compare_variants(scenario)` (paired differences with common random numbers), each run
  as a `RunSettings` says (replications, seed, workers, Dask address, progress);
- the optimizer: `omnistaff.optimize.optimize(scenario)`, imported from its own package
  because it brings in Pyomo.
"""

from omnistaff.lazy import lazy_exports

# each public name and its module, imported when first used (see `omnistaff.lazy`)
_EXPORTS = {
    "Scenario": "omnistaff.scenarios",
    "ScenarioError": "omnistaff.scenarios",
    "bundled_scenarios": "omnistaff.scenarios",
    "load_scenario": "omnistaff.scenarios",
    "scenario_from_dict": "omnistaff.scenarios",
    "SimResult": "omnistaff.sim.result",
    "simulate": "omnistaff.sim.run",
    "Comparison": "omnistaff.sim.compare",
    "compare_variants": "omnistaff.sim.compare",
    "Replications": "omnistaff.sim.experiment",
    "RunSettings": "omnistaff.sim.experiment",
    "run_replications": "omnistaff.sim.experiment",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__version__ = "0.1.0"
__all__ = [
    "Comparison",
    "Replications",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "SimResult",
    "bundled_scenarios",
    "compare_variants",
    "load_scenario",
    "run_replications",
    "scenario_from_dict",
    "simulate",
]
