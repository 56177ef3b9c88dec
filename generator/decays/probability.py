"""Decay-in-volume probability in log form (formulas-detection.md §5.3).

P = e^{−ℓ_in/L} − e^{−ℓ_out/L} = e^{−ℓ_in/L}·[−expm1(−Δℓ/L)]. For ℓ_in/L ≳ 700 the first factor
underflows in double precision, so the weight is carried as

    ln P = −ℓ_in/L + ln[−expm1(−Δℓ/L)],

which stays finite (e.g. ℓ_in = 100 m, ℓ_out = 105 m, L = 0.1 m: ln P = −1000.000000), and is
combined with the other log-weights before exponentiating (:func:`weight_from_logs`).
"""

from __future__ import annotations

import numpy as np


def log_probability_in_segment(l_in: np.ndarray, l_out: np.ndarray, decay_length: np.ndarray) -> np.ndarray:
    """ln P of decaying on [ℓ_in, ℓ_out] for lab decay length L (m); −inf where P = 0 exactly
    (empty segment, L = 0 or L = ∞)."""
    l_in, l_out, L = np.broadcast_arrays(np.asarray(l_in, float), np.asarray(l_out, float),
                                         np.asarray(decay_length, float))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = -l_in / L + np.log(-np.expm1(-(l_out - l_in) / L))
    return np.where(np.isnan(out), -np.inf, out)


def weight_from_logs(*log_factors: np.ndarray) -> np.ndarray:
    """exp(Σ ln wᵢ): the product of factors given as logs (−inf → 0, no overflow warnings)."""
    total = np.sum(np.broadcast_arrays(*log_factors), axis=0)
    with np.errstate(over="ignore", under="ignore"):
        return np.exp(total)
