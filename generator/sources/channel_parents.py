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
(``cascade_parents``). Sources symmetric about the beam axis (the meson spectra, the cascade
pools) may be drawn with a learned importance over the parents' momentum, angle and azimuth
(:mod:`.importance`, ``tilted``), with exact weights. The e± of the track-length source travel along +z from the target's
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
    #: the meson spectra and the beam spot are symmetric about the beam axis
    symmetric = True

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        return _at_target(self.source.sample(rng, n), self.target, self.beta, rng)

    def importance_bins(self):
        return self.source.importance_bins()

    def tilted(self, importance) -> "TargetMesons":
        return dataclasses.replace(self, source=self.source.tilted(importance))


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


def rotate_about_z(v: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Vectors ``v`` (n, 3) (or the spatial part of (n, 4)) rotated by ``angle`` (n,) about +z."""
    out = v.copy()
    c, s = np.cos(angle), np.sin(angle)
    out[:, 0] = c * v[:, 0] - s * v[:, 1]
    out[:, 1] = s * v[:, 0] + c * v[:, 1]
    return out


#: bins of a pool's log-momentum and log-polar angle for its learned importance
POOL_BINS = 16


@dataclass(frozen=True)
class Pool:
    """A fixed sample of parents (Σ weight = per POT), drawn with replacement.

    Drawn uniformly by default; with ``preference`` (one positive number per pooled parent) entry
    i is drawn with probability p_i ∝ preference_i and carries weight w_i/(n p_i), so weighted
    sums stay unbiased whatever the preference (importance resampling): it only moves samples to
    where they matter. ``symmetric``: the pool stands for a source symmetric about the beam axis
    (the target's cascade), so each draw may be rotated about +z (vertex and momentum) by an
    azimuth drawn from ``importance``'s Δφ density, with the exact weight (1/2π)/q(Δφ).
    ``importance``: the learned :class:`~.importance.ParentImportance` (set by :meth:`tilted`).
    ``sampled``: the pool is a random sample of a spectrum (a cascade, a user's simulation), so its
    entries, not the draws, are the independent units of an estimate (the draws carry ``index``);
    False for an exact list (stopped pions: identical entries at rest, no sampling variance).
    """

    parents: Parents
    preference: np.ndarray | None = None
    symmetric: bool = False
    importance: object = None
    sampled: bool = True

    def _units(self, idx: np.ndarray) -> np.ndarray | None:
        """The independent unit of each drawn entry: its family (``parents.index``) or itself;
        None for an exact (not sampled) pool."""
        if not self.sampled:
            return None
        return idx if self.parents.index is None else self.parents.index[idx]

    def _base(self) -> np.ndarray:
        size = len(self.parents)
        return np.full(size, 1.0 / size) if self.preference is None else self.preference / self.preference.sum()

    def _kinematics(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p3 = self.parents.p4[:, :3]
        p = np.linalg.norm(p3, axis=1)
        theta = np.arccos(np.clip(np.divide(p3[:, 2], p, out=np.ones_like(p), where=p > 0), -1, 1))
        return p, theta, np.arctan2(p3[:, 1], p3[:, 0])

    def importance_bins(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bins logarithmic in p (:data:`POOL_BINS` from the pool's smallest to its largest momentum)
        and in θ (from 10⁻⁴ rad, plus [0, 10⁻⁴]), and the pool's probability of each: fine where
        forward, high-energy parents are rare but matter."""
        p, theta, _ = self._kinematics()
        lo, hi = max(p.min(), 1e-6), max(p.max(), 2e-6)
        p_edges = np.concatenate([[0.0], np.geomspace(lo, hi * (1 + 1e-9), POOL_BINS)])
        t_edges = np.concatenate([[0.0], np.geomspace(1e-4, math.pi * (1 + 1e-9), POOL_BINS)])
        i = np.clip(np.searchsorted(p_edges, p, side="right") - 1, 0, len(p_edges) - 2)
        j = np.clip(np.searchsorted(t_edges, theta, side="right") - 1, 0, len(t_edges) - 2)
        prior = np.zeros((len(p_edges) - 1, len(t_edges) - 1))
        np.add.at(prior, (i, j), self._base())
        return p_edges, t_edges, prior

    def tilted(self, importance) -> "Pool":
        """The pool drawn with preferences × the learned factor of each entry's (p, θ) bin, and
        (if symmetric) rotated toward the detector's azimuth."""
        p, theta, _ = self._kinematics()
        pref = self._base() * importance.factor_at(p, theta)
        return Pool(self.parents, pref, self.symmetric, importance if self.symmetric else None, self.sampled)

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        size = len(self.parents)
        if size == 0:
            return self.parents
        if self.preference is None:
            idx = rng.integers(0, size, n)
            picked = self.parents.select(idx)
            picked = dataclasses.replace(picked, weight=picked.weight * (size / n), index=self._units(idx))
        else:
            prob = self.preference / self.preference.sum()
            cdf = np.cumsum(prob)
            idx = np.minimum(np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right"), size - 1)
            picked = self.parents.select(idx)
            picked = dataclasses.replace(picked, weight=picked.weight / (n * prob[idx]), index=self._units(idx))
        if self.importance is None or self.importance.phi is None:
            return picked
        phi_new, w_phi = self.importance.draw_phi(rng.random(n))
        turn = phi_new - np.arctan2(picked.p4[:, 1], picked.p4[:, 0])
        return dataclasses.replace(picked, p4=rotate_about_z(picked.p4, turn),
                                   vertex=rotate_about_z(picked.vertex, turn), weight=picked.weight * w_phi)


def track_length_parents(edges: np.ndarray, dl_de: np.ndarray, pdg: int, n: int,
                         rng: np.random.Generator, origin: np.ndarray | None = None,
                         tilt: np.ndarray | None = None) -> Parents:
    """``n`` e± whose weights sum to the total track length (m per POT) of the spectrum dℓ/dE.

    Energies: bin chosen ∝ its track length (× ``tilt``, a learned factor per bin), log-uniform
    inside (the spectra fall steeply); weight = ℓ_bin / (n p_bin) × the log-uniform density
    correction, so Σ weight·f(E) is unbiased for ∫ f dℓ. Directions along +z (see module
    docstring)."""
    widths = np.diff(edges)
    per_bin = np.clip(dl_de, 0, None) * widths
    total = per_bin.sum()
    if not total > 0:
        return Parents(np.empty(0, np.int32), np.empty((0, 4)), np.empty((0, 3)), np.empty(0), np.empty(0))
    prob = per_bin if tilt is None else per_bin * tilt
    prob = prob / prob.sum()
    k = rng.choice(len(prob), size=n, p=prob)
    lo, hi = edges[k], edges[k + 1]
    u = rng.random(n)
    energy = lo * (hi / lo) ** u
    # density of E given the bin: 1/(E ln(hi/lo)); target density: uniform in the bin (1/width)
    w = per_bin[k] / (n * prob[k]) * (energy * np.log(hi / lo)) / (hi - lo)
    m = mass(abs(pdg))
    p = np.sqrt(np.maximum(energy ** 2 - m ** 2, 0.0))
    p4 = np.column_stack([np.zeros(n), np.zeros(n), p, energy])
    vertex = np.zeros((n, 3)) if origin is None else np.tile(origin, (n, 1))
    return Parents(np.full(n, pdg, dtype=np.int32), p4, vertex, np.zeros(n), w)


class TrackLengths:
    """The e± of a track-length spectrum dℓ/dE, drawn afresh in every block (not pooled: the draws
    are independent samples). ``spectrum()`` gives (energy edges GeV, dℓ/dE m/GeV per POT), built on
    first use (the EM cascade); ``pdg`` 11 or −11. The energy bins are drawn ∝ track length ×
    ``rate`` (a channel's X per metre at the bin's energy, :meth:`with_rate`) × a learned factor
    (:meth:`tilted`; the directions are all along +z), with exact weights."""

    tunable = True
    symmetric = False
    #: fine energy bins per coarse importance bin
    COARSE = 4

    def __init__(self, spectrum, pdg: int, rate=None, factor: np.ndarray | None = None,
                 base: "TrackLengths | None" = None):
        self._spectrum, self.pdg, self._rate, self._factor, self._base = spectrum, pdg, rate, factor, base
        self._cached = None

    def spectrum(self) -> tuple[np.ndarray, np.ndarray]:
        if self._base is not None:
            return self._base.spectrum()
        if self._cached is None:
            self._cached = self._spectrum()
        return self._cached

    def _tilt(self) -> np.ndarray | None:
        edges, _ = self.spectrum()
        tilt = None
        if self._rate is not None:
            r = np.asarray(self._rate(np.sqrt(edges[1:] * edges[:-1])), dtype=float)
            if np.any(r > 0):
                tilt = np.maximum(r, r[r > 0].min() * 1e-6)
        if self._factor is not None:
            tilt = self._factor if tilt is None else tilt * self._factor
        return tilt

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        edges, dl_de = self.spectrum()
        return track_length_parents(edges, dl_de, self.pdg, n, rng, tilt=self._tilt())

    def with_rate(self, rate) -> "TrackLengths":
        return TrackLengths(self._spectrum, self.pdg, rate, self._factor, self._base)

    def _momentum_edges(self, edges: np.ndarray) -> np.ndarray:
        m = mass(abs(self.pdg))
        return np.sqrt(np.maximum(edges**2 - m * m, 0.0))

    def importance_bins(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every :data:`COARSE`-th energy edge (as momenta), one θ bin, and the probability of each
        bin under this source's draws (the rate-tilted one: a learned factor multiplies it)."""
        edges, dl_de = self.spectrum()
        prob = np.clip(dl_de, 0, None) * np.diff(edges)
        tilt = self._tilt()
        if tilt is not None:
            prob = prob * tilt
        k = self.COARSE
        idx = np.arange(0, len(prob), k)
        coarse = np.add.reduceat(prob, idx)
        pe = self._momentum_edges(edges)
        return np.append(pe[idx], pe[-1]), np.array([0.0, math.pi]), (coarse / coarse.sum())[:, None]

    def tilted(self, importance) -> "TrackLengths":
        edges, _ = self.spectrum()
        pe = self._momentum_edges(edges)
        mid = 0.5 * (pe[1:] + pe[:-1])
        factor = importance.factor_at(mid, np.zeros_like(mid))
        root = self._base if self._base is not None else self
        return TrackLengths(self._spectrum, self.pdg, self._rate, factor, base=root)
