"""Importance over the parents' kinematics, learned in a warm-up: parents drawn where they matter.

The sources draw parents (mesons, photons, e±) from their physical spectra; for a small or off-axis
detector most of them cannot send anything there. A :class:`ParentImportance` multiplies the
source's own proposal by a factor g that is piecewise constant on coarse bins of the parent's
momentum p and polar angle θ, and by a density of the azimuth relative to the detector's,
Δφ = φ − φ_det (sources symmetric about the beam axis only: meson spectra, cascade photons and
e±, whose production points are symmetric too). Every sample carries the exact ratio of the
source's density to the modified one, so weighted sums are unchanged in expectation.

Choice of g (the optimal cell probabilities of stratified importance sampling): with p_c the
source's probability of bin c and W the weight a sample of bin c ends with, the variance of the
estimate Σ p_c² E[W²|c]/p'_c is smallest for p'_c ∝ p_c √E[W²|c] (e.g. Owen, *Monte Carlo theory,
methods and examples* (2013) §9.1). A warm-up (:func:`learn`) estimates √E[W²|c] from samples of
the plain (or a previous) proposal and freezes it; a defensive share ``floor`` of the original
probabilities is kept (p'_c = p_c[(1 − floor) g_c/Σp g + floor]), so a bin the warm-up missed is
still sampled, and each bin's √E[W²] is spread to its neighbours first (importance varies smoothly;
a warm-up misses rare bins). The azimuth gets the same treatment on :data:`N_PHI` bins. The learned factors are
a function of the card and the seed only, so a run stays independent of chunking and workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import maximum_filter

from ..sampling import PiecewiseDensity

#: bins of the azimuth relative to the detector's
N_PHI = 48


@dataclass(frozen=True)
class ParentImportance:
    """g(p, θ) on the bins ``p_edges`` × ``theta_edges`` (GeV, rad; ``factor`` (Kp, Kθ) ≥ 0, the
    defensive floor included) and the density ``phi`` of Δφ = φ − ``phi0`` on [−π, π) (None: φ
    uniform)."""

    p_edges: np.ndarray
    theta_edges: np.ndarray
    factor: np.ndarray
    phi: PiecewiseDensity | None = None
    phi0: float = 0.0

    def bins(self, p: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i = np.clip(np.searchsorted(self.p_edges, p, side="right") - 1, 0, len(self.p_edges) - 2)
        j = np.clip(np.searchsorted(self.theta_edges, theta, side="right") - 1, 0, len(self.theta_edges) - 2)
        return i, j

    def factor_at(self, p: np.ndarray, theta: np.ndarray) -> np.ndarray:
        i, j = self.bins(p, theta)
        return self.factor[i, j]

    def draw_phi(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Azimuths (rad) for uniform deviates ``u`` and their weights (1/2π)/q(Δφ)."""
        if self.phi is None:
            return 2.0 * math.pi * u, np.ones(len(u))
        dphi, q = self.phi.sample(u)
        return self.phi0 + dphi, 1.0 / (2.0 * math.pi * q)


def _cell_probabilities(w2: np.ndarray, count: np.ndarray, prior: np.ndarray, floor: float,
                        wrap: bool = False) -> np.ndarray:
    """g per bin from Σ W² and counts: √(mean W²) where seen, spread to the neighbouring bins (a
    3-wide maximum filter: a bin next to one that matters may matter although the warm-up missed
    it — without this, the rare draws from such a bin carry the floor's large weights), mixed with
    the prior (the source's own bin probabilities) by ``floor``; normalised so that Σ prior·g = 1.
    ``wrap``: the bins are periodic (the azimuth)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        rms = np.where(count > 0, np.sqrt(w2 / np.maximum(count, 1)), 0.0)
    rms = maximum_filter(rms, size=3, mode="wrap" if wrap else "nearest")
    norm = np.sum(prior * rms)
    if not norm > 0:
        return np.ones_like(prior)
    g = (1.0 - floor) * rms / norm + floor / prior.sum()
    # quantised to steps of 2^{1/8} (9 %): warm-ups whose weights differ only by rounding (runs at
    # two couplings, whose weights agree to ~1e-10) learn bit-identical proposals
    g = np.exp2(np.round(8.0 * np.log2(g)) / 8.0)
    return g / np.sum(prior * g)


def learn(p: np.ndarray, theta: np.ndarray, phi: np.ndarray, weight: np.ndarray, r_cell: np.ndarray,
          r_phi: np.ndarray, p_edges: np.ndarray, theta_edges: np.ndarray, prior: np.ndarray,
          phi0: float | None, floor: float = 0.2) -> ParentImportance | None:
    """A :class:`ParentImportance` from warm-up samples.

    ``p``, ``theta``, ``phi`` (n,) the parents' kinematics; ``weight`` (n,) the weight each sample
    ended with; ``r_cell`` and ``r_phi`` (n,) the ratios of the source's own proposal to the one
    that drew them, in (p, θ) and in φ (1 for the plain source), so that W·r_cell·r_phi is the
    weight under the plain source; ``prior`` (Kp, Kθ) the source's own bin probabilities; ``phi0``
    the detector's azimuth (None: no azimuthal importance). The conditional means E[W²|bin] are
    self-normalised estimates under the plain proposal (each marginal reweighted by the other's
    ratio). None when no sample has a weight (nothing to learn from).
    """
    w_plain2 = (weight * r_cell * r_phi) ** 2
    if not np.any(w_plain2 > 0):
        return None
    imp = ParentImportance(np.asarray(p_edges), np.asarray(theta_edges), np.ones_like(prior))
    i, j = imp.bins(p, theta)
    kp, kt = prior.shape
    flat = i * kt + j
    w2 = np.bincount(flat, weights=w_plain2 * r_phi, minlength=kp * kt).reshape(kp, kt)
    count = np.bincount(flat, weights=r_phi, minlength=kp * kt).reshape(kp, kt)
    factor = _cell_probabilities(w2, count, prior / prior.sum(), floor)
    phi_density = None
    if phi0 is not None:
        dphi = np.mod(phi - phi0 + math.pi, 2.0 * math.pi) - math.pi
        edges = np.linspace(-math.pi, math.pi, N_PHI + 1)
        k = np.clip(np.searchsorted(edges, dphi, side="right") - 1, 0, N_PHI - 1)
        w2_phi = np.bincount(k, weights=w_plain2 * r_cell, minlength=N_PHI)
        c_phi = np.bincount(k, weights=r_cell, minlength=N_PHI)
        flat_prior = np.full(N_PHI, 1.0 / N_PHI)
        g_phi = _cell_probabilities(w2_phi, c_phi, flat_prior, floor, wrap=True)
        phi_density = PiecewiseDensity(edges, flat_prior * g_phi)
    return ParentImportance(imp.p_edges, imp.theta_edges, factor, phi_density,
                            0.0 if phi0 is None else float(phi0))
