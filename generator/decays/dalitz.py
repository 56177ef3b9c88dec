"""Generic three-body phase space M → 1 2 3 weighted by a spin-averaged |M|²(s₁₂, s₂₃).

Uniform phase space is flat in (s₁₂ = m₁₂², s₂₃ = m₂₃²) (PDG RPP "Kinematics" Eq. 49.22), so the
pairs are drawn uniformly in the bounding rectangle and kept when they fall inside the Dalitz region
(limits: PDG RPP Eq. 49.23) and pass an accept–reject test against the maximum of |M|² found on a
fine grid × ``safety`` (exact unless the envelope is exceeded, which warns). The parent is taken
unpolarized: the decay is oriented isotropically (:func:`rest_frame_momenta`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from ..kinematics import boost
from ..sampling import isotropic_directions
from ..scattering.kinematics import direction_at


def s23_limits(s12, m: float, m1: float, m2: float, m3: float):
    """(s₂₃_min, s₂₃_max) at fixed s₁₂ (PDG RPP Eq. 49.23; NaN outside the region)."""
    rs = np.sqrt(s12)
    e2 = (s12 - m1 * m1 + m2 * m2) / (2 * rs)
    e3 = (m * m - s12 - m3 * m3) / (2 * rs)
    p2 = np.sqrt(np.maximum(e2 * e2 - m2 * m2, 0.0))
    p3 = np.sqrt(np.maximum(e3 * e3 - m3 * m3, 0.0))
    return (e2 + e3) ** 2 - (p2 + p3) ** 2, (e2 + e3) ** 2 - (p2 - p3) ** 2


class Dalitz:
    """Sampler of (s₁₂, s₂₃) for M → 1 2 3 distributed as ``msq(s12, s23)`` (≥ 0, vectorised)."""

    def __init__(self, m: float, m1: float, m2: float, m3: float,
                 msq: Callable[[np.ndarray, np.ndarray], np.ndarray], n_grid: int = 161, safety: float = 1.3):
        if m <= m1 + m2 + m3:
            raise ValueError(f"three-body decay closed: {m} GeV <= {m1 + m2 + m3} GeV")
        self.m, self.m1, self.m2, self.m3, self.msq = m, m1, m2, m3, msq
        self.a = ((m1 + m2) ** 2, (m - m3) ** 2)
        self.b = ((m2 + m3) ** 2, (m - m1) ** 2)
        s12 = np.linspace(*self.a, n_grid)[1:-1, None]
        lo, hi = s23_limits(s12, m, m1, m2, m3)
        s23 = lo + (hi - lo) * np.linspace(0.0, 1.0, n_grid)[None, :]
        self.top = float(np.max(msq(np.broadcast_to(s12, s23.shape), s23))) * safety

    def sample(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        s12, s23 = np.empty(n), np.empty(n)
        todo = np.arange(n)
        while todo.size:
            k = max(2 * todo.size, 64)
            u = rng.random((k, 3))
            a = self.a[0] + (self.a[1] - self.a[0]) * u[:, 0]
            b = self.b[0] + (self.b[1] - self.b[0]) * u[:, 1]
            lo, hi = s23_limits(a, self.m, self.m1, self.m2, self.m3)
            inside = (b >= lo) & (b <= hi)
            val = np.where(inside, self.msq(a, np.where(inside, b, lo)), 0.0)
            if np.any(val > self.top):
                warnings.warn("Dalitz envelope exceeded; raise Dalitz(safety=...)", RuntimeWarning, stacklevel=2)
            keep = np.flatnonzero(inside & (u[:, 2] * self.top <= val))[: todo.size]
            s12[todo[: keep.size]], s23[todo[: keep.size]] = a[keep], b[keep]
            todo = todo[keep.size:]
        return s12, s23

    def rest_frame_momenta(self, s12, s23, rng: np.random.Generator):
        """(p1, p2, p3) four-momenta (n, 4) in the parent rest frame, randomly oriented."""
        m, m1, m2, m3 = self.m, self.m1, self.m2, self.m3
        n = len(s12)
        e1 = (m * m + m1 * m1 - s23) / (2 * m)
        e3 = (m * m + m3 * m3 - s12) / (2 * m)
        p1 = np.sqrt(np.maximum(e1 * e1 - m1 * m1, 0.0))
        p3 = np.sqrt(np.maximum(e3 * e3 - m3 * m3, 0.0))
        s13 = m * m + m1 * m1 + m2 * m2 + m3 * m3 - s12 - s23
        with np.errstate(invalid="ignore", divide="ignore"):
            c = (e1 * e3 - 0.5 * (s13 - m1 * m1 - m3 * m3)) / (p1 * p3)
        c = np.clip(np.where(np.isfinite(c), c, 1.0), -1.0, 1.0)
        u = rng.random((n, 3))
        d3 = isotropic_directions(u[:, 0], u[:, 1])
        d1 = direction_at(d3, c, np.sqrt(1 - c * c), 2 * np.pi * u[:, 2])
        q1 = np.column_stack([p1[:, None] * d1, e1])
        q3 = np.column_stack([p3[:, None] * d3, e3])
        q2 = np.empty_like(q1)
        q2[:, :3] = -q1[:, :3] - q3[:, :3]
        q2[:, 3] = m - e1 - e3
        return q1, q2, q3

    def decay(self, parent_p4: np.ndarray, rng: np.random.Generator):
        """Lab (p1, p2, p3) of parents with lab four-momenta ``parent_p4`` (n, 4)."""
        s12, s23 = self.sample(rng, len(parent_p4))
        q = self.rest_frame_momenta(s12, s23, rng)
        pp = np.ascontiguousarray(parent_p4, dtype=float)
        return tuple(boost(np.ascontiguousarray(x), pp) for x in q)
