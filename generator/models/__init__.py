"""Dark-sector models: mediators, their couplings and widths.

Every model exposes ``mass`` (GeV), ``width(channel)``, ``total_width()``,
``branching_ratios()``, ``ctau()`` (m) and ``decay_length(momentum)`` (m).
"""

from .vector import VectorMediator

__all__ = ["VectorMediator"]
