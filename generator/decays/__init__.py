"""darkbeam.decays — decays of dark particles inside the detector."""

from .in_flight import DecaySignal, FINAL_STATES

__all__ = ["DecaySignal", "FINAL_STATES"]
