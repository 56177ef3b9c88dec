"""Helpers shared by the production tests."""

from __future__ import annotations

import numpy as np

from darkbeam.sources.parents import Parents


def parents_at(pdg: int, p4: np.ndarray, weight: float = 1.0) -> Parents:
    n = len(p4)
    return Parents(np.full(n, pdg, dtype=np.int32), np.asarray(p4, float), np.zeros((n, 3)),
                   np.zeros(n), np.full(n, weight))


def beam(pdg: int, mass: float, energy: float, n: int, direction=(0.0, 0.0, 1.0), weight=1.0) -> Parents:
    """n identical parents of total energy ``energy`` along ``direction``."""
    d = np.asarray(direction, float) / np.linalg.norm(direction)
    p = np.sqrt(energy**2 - mass**2)
    p4 = np.zeros((n, 4))
    p4[:, :3] = p * d
    p4[:, 3] = energy
    return parents_at(pdg, p4, weight)


def invariant_mass(p4: np.ndarray) -> np.ndarray:
    return np.sqrt(np.maximum(p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1), 0.0))


def weighted_chi2(values, weights, edges, expected_fraction, total=None):
    """χ² of a weighted histogram against expected bin fractions of ``total`` (default: the
    observed weight sum; pass the expected absolute sum to test the normalisation too).

    Variance per bin from Σw²; returns (χ², number of bins)."""
    h, _ = np.histogram(values, edges, weights=weights)
    h2, _ = np.histogram(values, edges, weights=weights**2)
    total = weights.sum() if total is None else total
    exp = expected_fraction * total
    ok = h2 > 0
    return float(np.sum((h[ok] - exp[ok]) ** 2 / h2[ok])), int(ok.sum())
