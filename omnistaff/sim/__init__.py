"""The simulation engine, analytic queueing and experiments."""

from omnistaff.sim.result import SimResult
from omnistaff.sim.run import simulate

__all__ = ["SimResult", "simulate"]
