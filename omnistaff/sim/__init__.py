"""The simulation engine, analytic queueing and experiments."""

from omnistaff.lazy import lazy_exports

_EXPORTS = {"SimResult": "omnistaff.sim.result", "simulate": "omnistaff.sim.run"}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())  # see `omnistaff.lazy`

__all__ = ["SimResult", "simulate"]
