"""Pieces shared by every model: input checks, the width/BR/lifetime interface, warnings."""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from ..constants import HBARC_GEV_M


class ModelValidityWarning(UserWarning):
    """A width was evaluated outside the validity range of its parametrisation."""


def check_mass(value: object, name: str = "mass") -> float:
    """A finite, positive mass in GeV, or ValueError naming ``name`` and the value."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a positive number of GeV, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise ValueError(f"{name} must be a positive, finite number of GeV, got {value!r}")
    return v


def check_coupling(value: object, name: str) -> float:
    """A finite real coupling, or ValueError naming ``name`` and the value."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"coupling {name} must be a real number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"coupling {name} must be finite, got {value!r}")
    return v


def beta(mass: float, m1: float, m2: float | None = None) -> float:
    """Velocity factor √(1 − 4m₁²/M²) (equal masses) or λ^{1/2}(M², m₁², m₂²)/M²; 0 if closed."""
    if m2 is None:
        x = 1.0 - 4.0 * m1 * m1 / (mass * mass)
        return math.sqrt(x) if x > 0 else 0.0
    lam = (1 - (m1 + m2) ** 2 / mass**2) * (1 - (m1 - m2) ** 2 / mass**2)
    return math.sqrt(lam) if lam > 0 else 0.0


class DecayingModel:
    """Mixin: from ``channels()`` and ``width(channel)`` derive total width, BRs and lengths.

    Subclasses define ``mass`` (GeV), ``channels()`` and ``_partial_widths()`` returning a dict
    channel → width (GeV) for all channels at once.
    """

    mass: float
    #: one-line notices a run reports (set by :func:`darkbeam.models.from_card`, e.g. an override)
    notices: tuple[str, ...] = ()

    def _partial_widths(self) -> dict[str, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def channels(self) -> list[str]:
        """Names of the exclusive decay channels (open or closed)."""
        return list(self._partial_widths())

    def _aggregates(self) -> dict[str, Iterable[str]]:
        """Named sums of channels accepted by :meth:`width` (e.g. ``hadrons``)."""
        return {}

    def width(self, channel: str) -> float:
        """Partial width in GeV of an exclusive channel (or of a named group of channels).

        Kinematically closed channels return 0.0.
        """
        widths = self._partial_widths()
        if channel in widths:
            return float(widths[channel])
        groups = self._aggregates()
        if channel in groups:
            return float(sum(widths[c] for c in groups[channel]))
        raise ValueError(f"unknown decay channel {channel!r} for {type(self).__name__}; "
                         f"known: {sorted(widths) + sorted(groups)}")

    def total_width(self) -> float:
        """Sum of the exclusive partial widths (GeV)."""
        return float(sum(self._partial_widths().values()))

    def branching_ratios(self) -> dict[str, float]:
        """Exclusive channel → branching ratio (sums to 1 unless the particle is stable)."""
        widths = self._partial_widths()
        tot = sum(widths.values())
        return {c: (w / tot if tot > 0 else 0.0) for c, w in widths.items()}

    def ctau(self) -> float:
        """Proper decay length cτ = ħc/Γ in metres (inf for a stable particle)."""
        tot = self.total_width()
        return HBARC_GEV_M / tot if tot > 0 else math.inf

    def decay_length(self, momentum: np.ndarray | float) -> np.ndarray | float:
        """Lab decay length βγcτ = (p/m)·cτ in metres for momentum ``p`` in GeV."""
        return np.asarray(momentum) / self.mass * self.ctau()
