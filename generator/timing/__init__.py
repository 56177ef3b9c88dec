"""Timing: beam pulses per facility, times of flight, delays, timing cuts and plots.

Every event carries ``t`` (ns, from the proton's arrival at the target; with a pulse, measured on
the spill clock of :mod:`darkbeam.timing.pulses`) and ``delay`` (ns, relative to light from the
proton's interaction point). Timing windows count from the clock's zero or, with
``[cuts] time_reference = "light"``, from the arrival of light from the pulse's leading edge at the
event vertex (:mod:`darkbeam.timing.cuts`). See the module docstrings for the physics and sources.
"""

from .cuts import (TIME_REFERENCES, parse_delay_min, parse_time_reference, parse_time_window,
                   time_after_light, timing_cut)
from .delays import (StoppedPionTimes, analytic_delay, beta_from_energy, delay,
                     exponential_decay_times, lifetime_ns, muon_lifetime_ns, pion_lifetime_ns,
                     stopped_pion_neutrino_times, stopped_pion_time_moments, time_of_flight)
from .streams import PULSE_STREAM, proton_times, pulse_rng
from .pulses import (KINDS, FlatPulse, GaussianMixturePulse, GaussianPulse, Pulse, TablePulse,
                     TriangularPulse, list_pulse_facilities, pulse_catalog, pulse_for, pulse_or_notice,
                     pulse_from_spec)



def __getattr__(name: str):
    # the plotting helpers (awkward, matplotlib) are imported on first use, not with the run's timing
    if name in ("emission_time", "plot_timing", "visible_energy"):
        from . import plot

        return getattr(plot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "KINDS", "PULSE_STREAM", "TIME_REFERENCES", "FlatPulse", "GaussianMixturePulse", "GaussianPulse",
    "Pulse", "StoppedPionTimes", "TablePulse", "TriangularPulse", "analytic_delay", "beta_from_energy",
    "delay", "emission_time", "exponential_decay_times", "lifetime_ns", "list_pulse_facilities",
    "muon_lifetime_ns", "parse_delay_min", "parse_time_reference", "parse_time_window",
    "pion_lifetime_ns", "plot_timing", "proton_times", "pulse_rng",
    "pulse_catalog", "pulse_for", "pulse_from_spec", "pulse_or_notice", "stopped_pion_neutrino_times",
    "stopped_pion_time_moments", "time_after_light", "time_of_flight", "timing_cut", "visible_energy",
]
