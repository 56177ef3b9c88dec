"""Parents: what a source hands to the production channels.

A :class:`Parents` batch is a struct of arrays (no per-particle objects):

``pdg`` (n,) int32        PDG id of each parent
``p4`` (n, 4) float64     four-momentum (px, py, pz, E) in GeV, facility frame
``vertex`` (n, 3) float64 production point in m, facility frame
``t`` (n,) float64        time in ns from the proton's arrival at the target
``weight`` (n,) float64   importance weight in parents per POT: its mean over samples is the
                          number of such parents per POT (so Σ weight / N_samples → parents/POT;
                          the run divides by the number of samples it drew)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Parents:
    pdg: np.ndarray
    p4: np.ndarray
    vertex: np.ndarray
    t: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.weight)

    def __post_init__(self) -> None:
        n = len(self.weight)
        shapes = {"pdg": (n,), "p4": (n, 4), "vertex": (n, 3), "t": (n,), "weight": (n,)}
        for name, shape in shapes.items():
            if getattr(self, name).shape != shape:
                raise ValueError(f"Parents.{name} has shape {getattr(self, name).shape}, expected {shape}")

    def select(self, mask: np.ndarray) -> "Parents":
        """The parents where ``mask`` is true (or at the given indices)."""
        return Parents(self.pdg[mask], self.p4[mask], self.vertex[mask], self.t[mask], self.weight[mask])
