"""Elementary samplers on arrays (uniform random numbers in, samples out).

Each takes the uniform deviates explicitly, so callers control the random stream and the
functions stay pure.
"""

from __future__ import annotations

import numpy as np


def truncated_exponential(u: np.ndarray, l_in: np.ndarray, l_out: np.ndarray,
                          decay_length: np.ndarray) -> np.ndarray:
    """Points on [l_in, l_out] distributed as exp(−ℓ/L), by the exact inverse CDF.

    ℓ = ℓ_in − L·log1p(u·expm1(−Δℓ/L)), Δℓ = ℓ_out − ℓ_in (formulas-detection.md §5.4; derived
    from the CDF [1 − e^{−(ℓ−ℓ_in)/L}]/[1 − e^{−Δℓ/L}]). Stable for L → ∞ (uniform) and L → 0
    (ℓ → ℓ_in); the result is clipped into the segment against rounding.
    """
    span = l_out - l_in
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        x = -decay_length * np.log1p(u * np.expm1(-span / decay_length))
        x = np.where(np.isfinite(decay_length), x, u * span)
    return l_in + np.clip(x, 0.0, span)


def probability_in_segment(l_in: np.ndarray, l_out: np.ndarray, decay_length: np.ndarray
                           ) -> np.ndarray:
    """P = e^{−ℓ_in/L} − e^{−ℓ_out/L}, computed as e^{−ℓ_in/L}·(−expm1(−Δℓ/L)).

    The expm1 form keeps all digits for L ≫ Δℓ (formulas-detection.md §5.3); an underflow for
    ℓ_in ≫ L gives an exact 0.
    """
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        p = np.exp(-l_in / decay_length) * -np.expm1(-(l_out - l_in) / decay_length)
    return np.where(np.isfinite(p), p, 0.0)


def isotropic_directions(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Unit vectors uniform on the sphere: cos θ = 2u₁ − 1, φ = 2πu₂. Returns (n, 3)."""
    cos_t = 2.0 * u1 - 1.0
    sin_t = np.sqrt(np.maximum(0.0, 1.0 - cos_t * cos_t))
    phi = 2.0 * np.pi * u2
    return np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), cos_t], axis=1)


class PiecewiseDensity:
    """A piecewise-constant density on cells [edges_k, edges_k+1] with probabilities ``prob``:
    an exact, invertible proposal for importance sampling of one variable.

    Built from a non-negative function tabulated on the cells (:meth:`from_function`), it is the
    grid a one-dimensional VEGAS adaptation converges to (Lepage, J. Comput. Phys. 27 (1978) 192:
    cell widths ∝ 1/|f|, here equal widths with probabilities ∝ |f|); importance weights
    f(x)/q(x) then vary only by f's change within a cell. A floor ``floor`` × the mean
    probability keeps q > 0 wherever f may be positive.
    """

    def __init__(self, edges: np.ndarray, prob: np.ndarray):
        self.edges = np.asarray(edges, dtype=float)
        p = np.asarray(prob, dtype=float)
        if len(self.edges) != len(p) + 1 or not np.all(np.diff(self.edges) > 0) or not np.all(p >= 0):
            raise ValueError("PiecewiseDensity needs increasing edges (k+1) and k probabilities ≥ 0")
        if not p.sum() > 0:
            raise ValueError("PiecewiseDensity: all cell probabilities are zero")
        self.prob = p / p.sum()
        self.cdf = np.concatenate([[0.0], np.cumsum(self.prob)])
        self.cdf[-1] = 1.0

    @classmethod
    def from_function(cls, f, lo: float, hi: float, n_cells: int = 512, points: int = 4,
                      floor: float = 1e-3) -> "PiecewiseDensity":
        """Cells of equal width on [lo, hi]; each cell's probability ∝ the mean of |f| over
        ``points`` Gauss–Legendre nodes in the cell (+ ``floor`` × the mean)."""
        edges = np.linspace(lo, hi, n_cells + 1)
        x, w = np.polynomial.legendre.leggauss(points)
        mid, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * np.diff(edges)
        nodes = mid[:, None] + half[:, None] * x[None, :]
        vals = np.abs(np.asarray(f(nodes.ravel()), dtype=float)).reshape(nodes.shape)
        mean = 0.5 * vals @ w
        mean = np.where(np.isfinite(mean), mean, 0.0)
        return cls(edges, mean + floor * mean.mean())

    def sample(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points for uniform deviates ``u`` (inverse CDF) and the density q at them."""
        k = np.clip(np.searchsorted(self.cdf, u, side="right") - 1, 0, len(self.prob) - 1)
        lo, width = self.edges[k], self.edges[k + 1] - self.edges[k]
        frac = (u - self.cdf[k]) / np.where(self.prob[k] > 0, self.prob[k], 1.0)
        x = lo + np.clip(frac, 0.0, 1.0) * width
        return x, self.prob[k] / width

    def density(self, x: np.ndarray) -> np.ndarray:
        """q(x) (0 outside the edges)."""
        x = np.asarray(x, dtype=float)
        k = np.clip(np.searchsorted(self.edges, x, side="right") - 1, 0, len(self.prob) - 1)
        inside = (x >= self.edges[0]) & (x <= self.edges[-1])
        return np.where(inside, self.prob[k] / (self.edges[k + 1] - self.edges[k]), 0.0)
