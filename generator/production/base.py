"""Dark particles made by a production channel (struct of arrays)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class DarkParticles:
    """Dark particles X of one species.

    ``p4`` (n,4) px,py,pz,E GeV; ``vertex`` (n,3) m; ``t`` (n,) ns; ``weight`` (n,) expected X per POT;
    ``origin`` (n,3) and ``t_origin`` (n,): the proton's interaction point and time (for delays);
    ``parent_pdg`` (n,), ``parent_p4`` (n,4), ``parent_vertex`` (n,3); ``siblings``: tuple of
    (pdg, p4 (n,4)) made together with X at the same vertex. ``pdg``, ``mass``: X's id and mass.
    """

    pdg: int
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

    def __len__(self) -> int:
        return len(self.weight)

    def select(self, mask: np.ndarray) -> "DarkParticles":
        return DarkParticles(
            self.pdg, self.mass, self.p4[mask], self.vertex[mask], self.t[mask], self.weight[mask],
            self.origin[mask], self.t_origin[mask], self.parent_pdg[mask], self.parent_p4[mask],
            self.parent_vertex[mask], tuple((pdg, p4[mask]) for pdg, p4 in self.siblings))

    @property
    def momentum(self) -> np.ndarray:
        return np.linalg.norm(self.p4[:, :3], axis=1)

    @property
    def directions(self) -> np.ndarray:
        return self.p4[:, :3] / self.momentum[:, None]
