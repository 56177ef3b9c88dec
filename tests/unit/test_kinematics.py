"""Two-body decays and boosts: invariants and a closed-form boost."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.kinematics import boost, two_body_decay, two_body_momentum


def minkowski_mass(p4):
    return np.sqrt(np.maximum(p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1), 0))


def test_two_body_momentum_closed_form():
    # π⁰ → γA′: |p| = (m_π² − m²)/(2 m_π)
    m_pi, m = 0.1349768, 0.05
    assert two_body_momentum(m_pi, m, 0.0) == pytest.approx((m_pi**2 - m**2) / (2 * m_pi))


def test_boost_along_z_closed_form():
    # a photon of energy 1 emitted along +z in a frame moving with γ = 2: E' = γ(1 + β)
    gamma = 2.0
    beta = np.sqrt(1 - 1 / gamma**2)
    m = 0.135
    parent = np.array([[0.0, 0.0, m * gamma * beta, m * gamma]])
    out = boost(np.array([[0.0, 0.0, 1.0, 1.0]]), parent)
    assert out[0, 3] == pytest.approx(gamma * (1 + beta))
    assert out[0, 2] == pytest.approx(gamma * (1 + beta))


@settings(max_examples=50, deadline=None)
@given(p=st.floats(0.0, 50.0), theta=st.floats(0, np.pi), phi=st.floats(0, 2 * np.pi),
       m_parent=st.floats(0.14, 1.0), frac=st.floats(0.0, 0.99), seed=st.integers(0, 2**31))
def test_two_body_decay_conserves_four_momentum(p, theta, phi, m_parent, frac, seed):
    m1 = frac * m_parent
    rng = np.random.default_rng(seed)
    n = 64
    parent = np.tile([p * np.sin(theta) * np.cos(phi), p * np.sin(theta) * np.sin(phi),
                      p * np.cos(theta), np.hypot(p, m_parent)], (n, 1))
    k1, k2 = two_body_decay(parent, m1, 0.0, rng.random(n), rng.random(n))
    scale = max(1.0, parent[0, 3])
    assert np.allclose(k1 + k2, parent, atol=1e-9 * scale)
    assert np.allclose(minkowski_mass(k1), m1, atol=1e-6 * scale)
    assert np.allclose(k2[:, 3], np.linalg.norm(k2[:, :3], axis=1), rtol=1e-9, atol=1e-12)
