"""Inelastic dark matter χ₂ → χ₁ ℓ⁺ℓ⁻ through an off-shell vector X (formulas-detection.md §1.8 b).

The Dalitz density is the spin-averaged |M|² of the sheet (derived there by trace algebra, the
charge-like pseudo-Dirac sign +m₁m₂):

    |M|² ∝ [2(k·p₁)(P·p₂) + 2(k·p₂)(P·p₁) − 2(k·P)X_b − 2(p₁·p₂)X_a + 4X_aX_b] / (s₁₂ − m_X²)²,
    X_a = k·P − m₁m₂,  X_b = p₁·p₂ + m_ℓ²,

P = χ₂, k = χ₁, p₁ = ℓ⁻, p₂ = ℓ⁺, s₁₂ = (p₁ + p₂)², s₂₃ = (p₂ + k)², uniform phase space in
(s₁₂, s₂₃) (PDG RPP "Kinematics" §49.4.3.1). Sampling: variables u = ln s₁₂ and τ ∈ [0, 1] along the
s₂₃ Dalitz range, exact accept–reject under a per-u-bin envelope (the bin maximum over a fine grid
× ``safety``); the distribution does not depend on the χ₂ momentum, so the table is built once per
(m₁, m₂, m_ℓ, m_X). χ₂ is taken unpolarized: the decay plane is oriented isotropically.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..kinematics import boost
from ..sampling import isotropic_directions
from ..scattering.kinematics import direction_at
from ..models.dark_matter import chi2_matrix_element_squared


def dalitz_s23_range(s12, m2: float, m1: float, ml: float):
    """(s₂₃_min, s₂₃_max) at fixed s₁₂ for P(m₂) → ℓ⁻ ℓ⁺ χ₁(m₁) (PDG kinematics, eq. for m²₂₃ limits)."""
    rs = np.sqrt(s12)
    e2 = rs / 2.0
    e3 = (m2 * m2 - s12 - m1 * m1) / (2 * rs)
    p2 = np.sqrt(np.clip(e2 * e2 - ml * ml, 0, None))
    p3 = np.sqrt(np.clip(e3 * e3 - m1 * m1, 0, None))
    base = ml * ml + m1 * m1 + 2 * e2 * e3
    return base - 2 * p2 * p3, base + 2 * p2 * p3


# the matrix element lives with the model (it also gives the width)
matrix_element_squared = chi2_matrix_element_squared


@dataclass(frozen=True)
class ThreeBodyDalitz:
    """Sampler of (s₁₂, s₂₃) for χ₂(m2) → χ₁(m1) ℓ⁻ ℓ⁺ (ml) via X(m_x)."""

    m2: float
    m1: float
    ml: float
    m_x: float
    n_u: int = 256
    n_tau: int = 65
    safety: float = 1.25

    def __post_init__(self):
        if self.m2 - self.m1 <= 2 * self.ml:
            raise ValueError(f"chi2 -> chi1 l+l- closed: splitting {self.m2 - self.m1} GeV <= 2 m_l")

    def density(self, u, tau):
        """Density in (u = ln s₁₂, τ): |M|² · s₁₂ · (s₂₃_max − s₂₃_min) (≥ 0)."""
        s12 = np.exp(u)
        lo, hi = dalitz_s23_range(s12, self.m2, self.m1, self.ml)
        s23 = lo + tau * (hi - lo)
        return np.maximum(matrix_element_squared(s12, s23, self.m2, self.m1, self.ml, self.m_x), 0.0) * s12 * (hi - lo)

    @cached_property
    def _table(self):
        u_lo = np.log(4 * self.ml**2)
        u_hi = np.log((self.m2 - self.m1) ** 2)
        edges = np.linspace(u_lo, u_hi, self.n_u + 1)
        fine = np.linspace(0, 1, 4 * self.n_u + 1)
        uu = u_lo + (u_hi - u_lo) * fine
        tau = np.linspace(0.0, 1.0, self.n_tau)
        d = self.density(uu[:, None], tau[None, :]).max(axis=1)      # (4 n_u + 1,)
        d = d.reshape(-1)
        bmax = np.array([d[4 * i:4 * i + 5].max() for i in range(self.n_u)]) * self.safety
        bmax = np.maximum(bmax, 1e-12 * bmax.max())
        prob = bmax * np.diff(edges)
        return edges, bmax, np.cumsum(prob) / prob.sum()

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """n pairs (s₁₂, s₂₃) distributed as |M|² over the Dalitz plot (exact accept–reject)."""
        edges, bmax, cdf = self._table
        s12 = np.empty(n)
        s23 = np.empty(n)
        todo = np.arange(n)
        while todo.size:
            m = todo.size
            k = np.minimum(np.searchsorted(cdf, rng.random(m)), self.n_u - 1)
            u = edges[k] + (edges[k + 1] - edges[k]) * rng.random(m)
            tau = rng.random(m)
            dens = self.density(u, tau)
            if np.any(dens > bmax[k]):
                warnings.warn("three-body envelope exceeded; raise ThreeBodyDalitz.safety", RuntimeWarning)
            keep = rng.random(m) * bmax[k] <= dens
            sel = todo[keep]
            s12v = np.exp(u[keep])
            lo, hi = dalitz_s23_range(s12v, self.m2, self.m1, self.ml)
            s12[sel] = s12v
            s23[sel] = lo + tau[keep] * (hi - lo)
            todo = todo[~keep]
        return s12, s23

    def momenta(self, s12, s23, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rest-frame (χ₁, ℓ⁻, ℓ⁺) four-momenta for given invariants, randomly oriented."""
        m2, m1, ml = self.m2, self.m1, self.ml
        n = len(s12)
        ek = (m2 * m2 + m1 * m1 - s12) / (2 * m2)
        e1 = (m2 * m2 + ml * ml - s23) / (2 * m2)
        pk = np.sqrt(np.maximum(ek * ek - m1 * m1, 0.0))
        p1 = np.sqrt(np.maximum(e1 * e1 - ml * ml, 0.0))
        s13 = m2 * m2 + m1 * m1 + 2 * ml * ml - s12 - s23
        kp1 = (s13 - ml * ml - m1 * m1) / 2
        with np.errstate(invalid="ignore", divide="ignore"):
            cos_k1 = np.clip((ek * e1 - kp1) / (pk * p1), -1.0, 1.0)
        cos_k1 = np.where(np.isfinite(cos_k1), cos_k1, 1.0)
        sin_k1 = np.sqrt(np.maximum(0.0, 1 - cos_k1 * cos_k1))
        u = rng.random((n, 3))
        dk = isotropic_directions(u[:, 0], u[:, 1])
        d1 = direction_at(dk, cos_k1, sin_k1, 2 * np.pi * u[:, 2])
        k = np.empty((n, 4))
        k[:, :3] = pk[:, None] * dk
        k[:, 3] = np.sqrt(pk * pk + m1 * m1)
        q1 = np.empty((n, 4))
        q1[:, :3] = p1[:, None] * d1
        q1[:, 3] = np.sqrt(p1 * p1 + ml * ml)
        q2 = np.empty((n, 4))
        q2[:, :3] = -k[:, :3] - q1[:, :3]
        q2[:, 3] = np.sqrt(np.sum(q2[:, :3] ** 2, axis=1) + ml * ml)
        return k, q1, q2

    def decay(self, parent_p4: np.ndarray, rng: np.random.Generator):
        """Lab (χ₁, ℓ⁻, ℓ⁺) four-momenta of χ₂ with lab four-momenta ``parent_p4``."""
        s12, s23 = self.sample(rng, len(parent_p4))
        k, q1, q2 = self.momenta(s12, s23, rng)
        pp = np.ascontiguousarray(parent_p4)
        return boost(k, pp), boost(q1, pp), boost(q2, pp)
