"""Dark particles made by a production channel (struct of arrays)."""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class DarkParticles:
    """Dark particles X of one species.

    ``p4`` (n,4) px,py,pz,E GeV; ``vertex`` (n,3) m; ``t`` (n,) ns; ``weight`` (n,) expected X per POT;
    ``origin`` (n,3) and ``t_origin`` (n,): the proton's interaction point and time (for delays);
    ``parent_pdg`` (n,), ``parent_p4`` (n,4), ``parent_vertex`` (n,3); ``siblings``: tuple of
    (pdg, p4 (n,4)) made together with X at the same vertex (pdg an int or an (n,) array). ``pdg``, ``mass``: X's id and mass;
    ``pdg`` may be an (n,) array when a batch tracks a particle and its antiparticle (the χ and the
    χ̄ of P → γχχ̄): the rows of one batch share mass and interactions, only the id differs.
    ``importance`` (n,) or None: the importance-sampling factor already folded into ``weight``
    (e.g. the solid-angle fraction of detector-directed sampling), recorded in the event's
    ``importance`` column; None means 1. ``sample`` (n,) or None: the index of the drawn sample
    (parent) each row comes from, for channels that track several particles per sample; None means
    row i comes from sample i. Rows of one sample are summed before any second moment is taken
    (:mod:`darkbeam.convergence`), so the quoted uncertainty stays honest.
    """

    pdg: int | np.ndarray
    mass: float
    p4: np.ndarray
    vertex: np.ndarray
    t: np.ndarray
    weight: np.ndarray
    origin: np.ndarray
    t_origin: np.ndarray
    parent_pdg: np.ndarray
    parent_p4: np.ndarray
    parent_vertex: np.ndarray
    siblings: tuple[tuple[int, np.ndarray], ...] = field(default_factory=tuple)
    importance: np.ndarray | None = None
    sample: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.weight)

    def select(self, mask: np.ndarray) -> "DarkParticles":
        def rows(ids):   # a per-row id array is cut with the rows, a single id is kept
            return ids if np.ndim(ids) == 0 else ids[mask]
        return DarkParticles(
            rows(self.pdg), self.mass, self.p4[mask], self.vertex[mask], self.t[mask], self.weight[mask],
            self.origin[mask], self.t_origin[mask], self.parent_pdg[mask], self.parent_p4[mask],
            self.parent_vertex[mask], tuple((rows(pdg), p4[mask]) for pdg, p4 in self.siblings),
            None if self.importance is None else self.importance[mask],
            (np.arange(len(self.weight)) if self.sample is None else self.sample)[mask])

    @property
    def species(self) -> int:
        """The id whose interactions all rows share: ``pdg``, or for a batch of a particle and its
        antiparticle, the particle's (positive) id."""
        return int(self.pdg) if np.ndim(self.pdg) == 0 else int(np.abs(self.pdg).max(initial=0))

    @property
    def pdgs(self) -> np.ndarray:
        """The PDG id of every row."""
        return np.broadcast_to(np.asarray(self.pdg), (len(self.weight),))

    @property
    def samples(self) -> np.ndarray:
        """The sample index of every row (see ``sample``)."""
        return np.arange(len(self.weight)) if self.sample is None else self.sample

    @property
    def momentum(self) -> np.ndarray:
        return np.linalg.norm(self.p4[:, :3], axis=1)

    @property
    def directions(self) -> np.ndarray:
        """Unit vectors of the momenta; NaN for an X at rest (a ray that meets nothing)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.p4[:, :3] / self.momentum[:, None]


def empty_particles(pdg: int, mass: float) -> DarkParticles:
    """A batch with no dark particles (a closed channel's yield)."""
    z1, z3, z4 = np.zeros(0), np.zeros((0, 3)), np.zeros((0, 4))
    return DarkParticles(pdg, mass, z4, z3, z1, z1, z3, z1, np.zeros(0, dtype=np.int32), z4, z3)


class ClosedChannelWarning(UserWarning):
    """A channel was asked to produce a particle it cannot make (kinematically closed or zero
    coupling): the yield is zero; the message says why."""


class Channel:
    """Interface shared by every production channel.

    Attributes
    ----------
    name : str
        Registry name (see :data:`darkbeam.production.CHANNELS`).
    parent : str
        Parent species the channel needs from a source, a key of :data:`darkbeam.constants.PDG`
        (or of :data:`PARENT_PDG` for the few not there yet, e.g. ``'K+'``, ``'K_L'``).

    Methods: :meth:`accepts` (model type/couplings fit the channel), :meth:`closed_reason`
    (None when open, else a sentence), :meth:`rate` (production probability per parent, or per
    unit track length for e± channels — documented per channel), :meth:`produce`.
    """

    name: str = ""
    parent: str = ""
    #: where the dark particle should go (:class:`~darkbeam.production.aiming.Aim`); None = plain
    aim = None
    #: the aimed fraction α a channel starts from (isotropic sources at rest: 1, every direction
    #: that can hit lies in the cone; decays in flight: a defensive ½)
    default_aim_fraction: float = 0.5

    def aimed_at(self, aim) -> "Channel":
        """The same channel drawing its dark particles toward ``aim`` (an
        :class:`~darkbeam.production.aiming.Aim`, or None for plain sampling), with exact
        importance weights (:mod:`darkbeam.production.aiming`)."""
        out = copy.copy(self)
        out.aim = aim
        return out

    def accepts(self, model) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def closed_reason(self, model) -> str | None:
        return None

    def parent_rate(self, model, energy: np.ndarray) -> np.ndarray | None:
        """X per parent (or per metre of e± track) at the parents' ``energy`` (GeV), for drawing a
        pool of parents ∝ weight × rate (:func:`pool_preference`); None when it does not depend on
        the energy alone."""
        return None

    def parent_energy_threshold(self, model) -> float:
        """The lowest parent energy (GeV) that can make X (0: unknown); the target's EM cascade
        is not followed below the lowest threshold of a run's photon and e± channels."""
        return 0.0

    def _closed(self, model) -> DarkParticles | None:
        """If closed, warn with the reason and return the empty yield; else None."""
        reason = self.closed_reason(model)
        if reason is None:
            return None
        warnings.warn(reason, ClosedChannelWarning, stacklevel=3)
        return empty_particles(model.pdgid, model.mass)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, parent={self.parent!r})"


def tabulated_rate(rate, energy: np.ndarray, n: int = 256) -> np.ndarray:
    """``rate(E)`` at many energies from a log–log interpolation on ``n`` energies spanning them
    (rates of a pool of parents, where only the proposal depends on it: an exact weight follows
    whatever the interpolation error)."""
    e = np.asarray(energy, dtype=float)
    lo, hi = e.min(initial=np.inf), e.max(initial=0.0)
    if not (np.isfinite(lo) and hi > 0):
        return np.zeros_like(e)
    lo = max(lo, hi * 1e-12)
    grid = np.geomspace(lo, hi * (1 + 1e-12), n) if hi > lo else np.array([lo, lo * (1 + 1e-9)])
    vals = np.maximum(np.asarray(rate(grid), dtype=float), 0.0)
    floor = vals[vals > 0].min(initial=1.0) * 1e-300
    return np.exp(np.interp(np.log(np.maximum(e, lo)), np.log(grid), np.log(vals + floor))) * (vals.max() > 0)


#: PDG ids of parents not (yet) in :data:`darkbeam.constants.PDG`
PARENT_PDG = {"K+": 321, "K-": -321, "K_L": 130, "K_S": 310}


def parent_pdg(name: str) -> int:
    """PDG id of a parent species name."""
    from ..constants import PDG

    if name in PDG:
        return PDG[name]
    return PARENT_PDG[name]


def rotate_to(direction: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Rotate vectors ``local`` (n,3), given in a frame whose z axis is the unit vector
    ``direction`` (n,3), into the lab frame (x′ ⟂ z′ chosen by the Gram–Schmidt rule below)."""
    d = direction / np.linalg.norm(direction, axis=1)[:, None]
    # helper axis: lab x unless d is nearly along x
    helper = np.zeros_like(d)
    use_y = np.abs(d[:, 0]) > 0.9
    helper[~use_y, 0] = 1.0
    helper[use_y, 1] = 1.0
    e1 = helper - np.sum(helper * d, axis=1)[:, None] * d
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(d, e1)
    return local[:, 0:1] * e1 + local[:, 1:2] * e2 + local[:, 2:3] * d


def polar_vectors(p: np.ndarray, cos_t: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """(n,3) vectors of length ``p`` at polar angle arccos(cos_t), azimuth ``phi`` about z."""
    sin_t = np.sqrt(np.maximum(0.0, 1.0 - cos_t * cos_t))
    return np.stack([p * sin_t * np.cos(phi), p * sin_t * np.sin(phi), p * cos_t], axis=1)
