"""Which parents feed which production channel at a facility, and how they are drawn.

Every object here has ``sample(rng, n) -> Parents`` with Σ weight over the n parents estimating the
parents per POT (the convention of :mod:`darkbeam.sources.parents`); the run scales each block by
n/N. Production points and times of beam-induced parents come from the catalog's target model
(:class:`darkbeam.geometry.Target`): the proton's first interaction, at t = z/(β_p c).

=================  ==========================================================================
parent             source
=================  ==========================================================================
π⁰ η η′ ρ ω φ π±   the facility's meson spectrum × yield per POT (:mod:`.mesons`)
proton             beam protons interacting in the target, weight P_int = 1 − e^{−L/λ_I}
γ                  every photon of the EM cascade in the target (π⁰/η/η′ → γγ, or the beam
                   electrons), drawn from a pool computed once per run (:mod:`.target_em`)
e⁻, e⁺             the cascade's e± track-length spectra dℓ/dE; weight = track length (m) per POT
π⁻ (capture)       π⁻ captured at rest at the target centre (:func:`.stopped_pion.stopped_parents`)
=================  ==========================================================================

Pools are resampled with replacement (a bootstrap of a finite cascade sample), so the run's
statistical uncertainty does not include the pool's own; it is kept small by its size
(``cascade_parents``). The e± of the track-length source travel along +z from the target's
first-interaction point: the spectra carry no angles (shower e± above a few MeV are within a few
degrees of the axis for GeV showers) — documented approximation.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from ..constants import C_M_PER_NS, PDG, mass
from .parents import Parents

MESONS = ("pi0", "eta", "etaprime", "rho0", "omega", "phi", "pi+", "pi-", "K0L")


def _at_target(parents: Parents, target, beta: float, rng: np.random.Generator) -> Parents:
    vertex = target.sample_interaction_points(len(parents), rng)
    return dataclasses.replace(parents, vertex=vertex, t=vertex[:, 2] / (beta * C_M_PER_NS))


@dataclass(frozen=True)
class TargetMesons:
    """A meson spectrum (:class:`~.mesons.MesonSource`) made at the proton's interaction points."""

    source: object
    target: object
    beta: float

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        return _at_target(self.source.sample(rng, n), self.target, self.beta, rng)


@dataclass(frozen=True)
class BeamProtons:
    """Beam protons at their first interaction in the target; Σ weight = P_int per POT."""

    momentum: float
    target: object
    beta: float

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        p4 = np.zeros((n, 4))
        p4[:, 2] = self.momentum
        p4[:, 3] = math.hypot(self.momentum, mass(PDG["proton"]))
        w = np.full(n, self.target.interaction_probability / n)
        parents = Parents(np.full(n, PDG["proton"], dtype=np.int32), p4, np.zeros((n, 3)),
                          np.zeros(n), w)
        return _at_target(parents, self.target, self.beta, rng)


@dataclass(frozen=True)
class Pool:
    """A fixed sample of parents (Σ weight = per POT), drawn with replacement.

    Drawn uniformly by default; with ``preference`` (one positive number per pooled parent) entry
    i is drawn with probability p_i ∝ preference_i and carries weight w_i/(n p_i), so weighted
    sums stay unbiased whatever the preference (importance resampling): it only moves samples to
    where they matter, e.g. photons aimed at an off-axis detector (:func:`aim_preference`).
    """

    parents: Parents
    preference: np.ndarray | None = None

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        size = len(self.parents)
        if size == 0:
            return self.parents
        if self.preference is None:
            picked = self.parents.select(rng.integers(0, size, n))
            return dataclasses.replace(picked, weight=picked.weight * (size / n))
        prob = self.preference / self.preference.sum()
        cdf = np.cumsum(prob)
        idx = np.minimum(np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right"), size - 1)
        picked = self.parents.select(idx)
        return dataclasses.replace(picked, weight=picked.weight / (n * prob[idx]))


def aim_preference(parents: Parents, centre: np.ndarray, radius: float, spread: float = 0.15,
                   target_fraction: float = 0.5, max_boost: float = 1e4) -> np.ndarray | None:
    """Preferences that favour parents flying towards a detector (bounding sphere ``centre``,
    ``radius``, m): those within the detector's angular radius + ``spread`` (rad; the angle the
    daughter may make with its parent) are boosted so that about ``target_fraction`` of the draws
    are aimed, at most ×``max_boost``. ``None`` when (nearly) all parents are aimed already."""
    p = parents.p4[:, :3]
    norm = np.linalg.norm(p, axis=1)
    to_det = centre - parents.vertex
    dist = np.linalg.norm(to_det, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.sum(p * to_det, axis=1) / (norm * dist)
        half = np.arcsin(np.clip(radius / dist, 0.0, 1.0))
    aimed = np.arccos(np.clip(np.nan_to_num(cos, nan=-1.0), -1.0, 1.0)) < half + spread
    f = aimed.mean()
    if f == 0.0 or f >= target_fraction:
        return None
    boost = min(max_boost, target_fraction * (1 - f) / (f * (1 - target_fraction)))
    return np.where(aimed, boost, 1.0)


def track_length_parents(edges: np.ndarray, dl_de: np.ndarray, pdg: int, n: int,
                         rng: np.random.Generator, origin: np.ndarray | None = None) -> Parents:
    """``n`` e± whose weights sum to the total track length (m per POT) of the spectrum dℓ/dE.

    Energies: bin chosen ∝ its track length, log-uniform inside (the spectra fall steeply);
    weight = ℓ_bin / (n p_bin) × the log-uniform density correction, so Σ weight·f(E) is unbiased
    for ∫ f dℓ. Directions along +z (see module docstring)."""
    widths = np.diff(edges)
    per_bin = np.clip(dl_de, 0, None) * widths
    total = per_bin.sum()
    if not total > 0:
        return Parents(np.empty(0, np.int32), np.empty((0, 4)), np.empty((0, 3)), np.empty(0), np.empty(0))
    prob = per_bin / total
    k = rng.choice(len(prob), size=n, p=prob)
    lo, hi = edges[k], edges[k + 1]
    u = rng.random(n)
    energy = lo * (hi / lo) ** u
    # density of E given the bin: 1/(E ln(hi/lo)); target density: uniform in the bin (1/width)
    w = total / n * (energy * np.log(hi / lo)) / (hi - lo)
    m = mass(abs(pdg))
    p = np.sqrt(np.maximum(energy ** 2 - m ** 2, 0.0))
    p4 = np.column_stack([np.zeros(n), np.zeros(n), p, energy])
    vertex = np.zeros((n, 3)) if origin is None else np.tile(origin, (n, 1))
    return Parents(np.full(n, pdg, dtype=np.int32), p4, vertex, np.zeros(n), w)
