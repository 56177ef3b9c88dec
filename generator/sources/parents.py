"""Parents: what a source hands to the production channels.

A :class:`Parents` batch is a struct of arrays (no per-particle objects):

``pdg`` (n,) int32        PDG id of each parent
``p4`` (n, 4) float64     four-momentum (px, py, pz, E) in GeV, facility frame
``vertex`` (n, 3) float64 production point in m, facility frame
``t`` (n,) float64        time in ns from the proton's arrival at the target
``weight`` (n,) float64   parents per POT that each sampled parent stands for: Σ weight over one
                          sample (one call of a source, or one user file) estimates the number of
                          such parents per POT. A run that draws N parents in blocks of n scales
                          each block by n/N.
``index`` (n,) int64 or None  for parents drawn from a finite pool, the independent unit each
                          comes from — the pool entry, or the decay it shares with a sibling
                          entry (the two photons of one π⁰): the units, not the draws, are what a
                          pooled estimate averages over (:mod:`darkbeam.convergence`). In a pool it
                          labels the entries' families; None for a source drawn afresh.
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
    index: np.ndarray | None = None

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
        return Parents(self.pdg[mask], self.p4[mask], self.vertex[mask], self.t[mask], self.weight[mask],
                       None if self.index is None else self.index[mask])
