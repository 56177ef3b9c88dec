"""Scalar proton bremsstrahlung p N → p N S (Higgs-portal scalar, 𝓛 = −g_SNN sinθ S p̄p),
quasi-real approximation (formulas-production.md §6.3):

    d²P/dz dp_T² = g_SNN² sin²θ/(16π²) · z (p_T² + m_p²(2−z)²)/H² · |F_S(m_S²)|² |F(p′²)|²
                   × σ_pp(s′)/σ_pp(s),

the light-cone (LC-PT) scalar splitting as implemented for Foroughi-Abari–Ritz arXiv:2108.05900
in ALPINIST; g_SNN = 1.2×10⁻³. The Boiarska-style variant (arXiv:1908.04635) has 1/(8π²), 2×
larger (UNVERIFIED which is right; the LC-PT derivation supports 1/16π²; §8 item 6).
Form factors are off by default (``scalar_form_factor``, ``offshell_lambda`` switch them on; the
f₀ parameters' provenance is UNVERIFIED). Check values G3 (no form factors, 120 GeV): 4.29×10⁻⁸
(m_S = 0.1), 5.81×10⁻⁹ (1.0 GeV) per POT per sin²θ.
Kinematics and parents as in :mod:`.proton_brem`.
"""

from __future__ import annotations

import math

import numpy as np

from ..sources.parents import Parents
from ._data import table
from .base import Channel, DarkParticles
from .proton_brem import brem_rate, produce_brem
from .splitting import (M_P, h_function, offshell_form_factor,
                        scalar_form_factor_squared)


def w_scalar(z, pt2, m):
    """z(p_T² + m_p²(2−z)²)/(16π² H²) per unit g_SNN² sin²θ (GeV⁻²)."""
    h = h_function(z, pt2, m)
    return z * (pt2 + M_P * M_P * (2 - z) ** 2) / (16 * math.pi**2 * h * h)


class ScalarProtonBremChannel(Channel):
    name = "scalar_proton_brem"
    parent = "proton"

    def __init__(self, z_min: float = 0.1, z_max: float = 0.9, pt_max: float = 1.0,
                 scalar_form_factor: bool = False, offshell_lambda: float | None = None):
        if not 0 < z_min < z_max < 1:
            raise ValueError(f"scalar_proton_brem needs 0 < z_min < z_max < 1, got {z_min}, {z_max}")
        self.z_min, self.z_max, self.pt2_max = z_min, z_max, pt_max * pt_max
        self.scalar_form_factor, self.offshell_lambda = scalar_form_factor, offshell_lambda

    def accepts(self, model) -> bool:
        return hasattr(model, "sin_theta")

    def closed_reason(self, model) -> str | None:
        if model.sin_theta == 0:
            return f"{self.name}: sin θ = 0 (zero yield)"
        return None

    def _coupling2(self, model) -> float:
        c = table("scalar_brem")["g_snn"] ** 2 * model.sin_theta**2
        if self.scalar_form_factor:
            c *= scalar_form_factor_squared(model.mass)
        return c

    def splitting(self, z, pt2, m):
        w = w_scalar(z, pt2, m)
        if self.offshell_lambda is not None:
            w = w * offshell_form_factor(z, pt2, m, self.offshell_lambda)
        return w

    def production_scale(self, model) -> float:
        """The coupling factor of the weight (g_SNN² sin²θ at fixed kinematics), for reweighting."""
        return self._coupling2(model)

    def rate(self, model, beam_momentum: float) -> float:
        """S per interacting proton of momentum ``beam_momentum`` (GeV)."""
        return self._coupling2(model) * brem_rate(self, model.mass, beam_momentum)

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        return produce_brem(self, parents, model, rng, self._coupling2(model), "uniform")
