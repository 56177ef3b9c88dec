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
