"""Samplers and decay probabilities against closed forms (formulas-detection.md §5.3–5.4)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkbeam.sampling import isotropic_directions, probability_in_segment, truncated_exponential


@pytest.mark.parametrize("L, p_exact", [(1e12, 5.000000e-12), (1e3, 4.512895e-3),
                                        (50.0, 1.287885e-2), (1.0, 3.695010e-44), (0.1, 0.0)])
def test_probability_in_segment(L, p_exact):
    # e^{-100/L} − e^{-105/L}; by hand: L = 1e3 → e^{-0.1}(1 − e^{-0.005}) = 0.904837·0.0049875
    p = probability_in_segment(np.array([100.0]), np.array([105.0]), np.array([L]))[0]
    assert p == pytest.approx(p_exact, rel=1e-6, abs=1e-300)


def test_probability_long_lifetime_keeps_digits():
    # Δℓ/L = 5e-20: the naive difference of exponentials is exactly 0 in double precision
    p = probability_in_segment(np.array([100.0]), np.array([105.0]), np.array([1e20]))[0]
    assert p == pytest.approx(5e-20, rel=1e-9, abs=0)


@pytest.mark.parametrize("L", [1e12, 10.0, 0.5, 1e-4])
def test_truncated_exponential_mean(L):
    rng = np.random.default_rng(3)
    n = 400_000
    x = truncated_exponential(rng.random(n), np.full(n, 100.0), np.full(n, 105.0), np.full(n, L))
    assert x.min() >= 100.0 and x.max() <= 105.0
    d = 5.0
    exact = 100.0 + (L - d * math.exp(-d / L) / -math.expm1(-d / L) if L > 1e-3 else L)
    spread = min(d, L) / math.sqrt(n) * 5
    assert abs(x.mean() - exact) < spread


def test_truncated_exponential_shape():
    # density on [0, 2] ∝ e^{-ℓ}: compare bin contents with the integral of the density
    rng = np.random.default_rng(5)
    n = 500_000
    x = truncated_exponential(rng.random(n), np.zeros(n), np.full(n, 2.0), np.ones(n))
    counts, edges = np.histogram(x, bins=10, range=(0, 2))
    expected = n * (np.exp(-edges[:-1]) - np.exp(-edges[1:])) / (1 - math.exp(-2))
    chi2 = np.sum((counts - expected) ** 2 / expected)
    assert chi2 < 30  # 10 bins: P(χ² > 30) ≈ 1e-3


def test_isotropic_directions():
    rng = np.random.default_rng(1)
    d = isotropic_directions(rng.random(200_000), rng.random(200_000))
    assert np.allclose(np.linalg.norm(d, axis=1), 1)
    assert np.all(np.abs(d.mean(axis=0)) < 0.01)
    assert np.allclose(np.cov(d.T), np.eye(3) / 3, atol=0.005)
