"""Detector response functions against the check values of formulas-detection.md §5.1 and
against Monte Carlo of their own definitions."""

from __future__ import annotations

import numpy as np
import pytest

from darkbeam import response as r

KEV = 1e-6


@pytest.mark.parametrize("z, a, k, e_kev, q", [(18, 40, 0.1444, 20, 0.3063), (18, 40, 0.1444, 50, 0.3697),
                                               (32, 72.63, 0.1573, 10, 0.2344), (54, 131.293, 0.1658, 10, 0.2065),
                                               (55, 132.905, 0.1668, 10, 0.2062), (53, 126.904, 0.1665, 10, 0.2084)])
def test_lindhard_check_values(z, a, k, e_kev, q):
    assert r.lindhard_k(z, a) == pytest.approx(k, abs=1e-4)
    assert float(r.lindhard_quenching(e_kev * KEV, z, a)) == pytest.approx(q, abs=1e-4)


def test_lindhard_by_hand_and_configurable_k():
    # Ar at 20 keV with k = 0.2: ε = 11.5·18^(−7/3)·20, g = 3ε^0.15 + 0.7ε^0.6 + ε, Q = kg/(1+kg)
    eps = 11.5 * 18 ** (-7 / 3) * 20
    g = 3 * eps**0.15 + 0.7 * eps**0.6 + eps
    assert float(r.lindhard_quenching(20 * KEV, 18, 40, k=0.2)) == pytest.approx(0.2 * g / (1 + 0.2 * g), rel=1e-12)


def test_coherent_lar_quenching():
    np.testing.assert_allclose(r.coherent_lar_quenching(np.array([20, 50, 100]) * KEV), [0.2616, 0.285, 0.324], rtol=1e-12)
    with pytest.warns(r.ResponseValidityWarning):
        r.coherent_lar_quenching(np.array([5 * KEV]))
    e_ee = r.electron_equivalent(np.array([50 * KEV]), r.coherent_lar_quenching)
    assert e_ee[0] == pytest.approx(0.285 * 50 * KEV)


def test_smearing_moments_and_window_efficiency():
    rng = np.random.default_rng(3)
    e = np.full(200000, 0.02)
    sig = lambda x: r.resolution_sigma(x, constant=1e-3, stochastic=0.01, proportional=0.05)
    s0 = float(sig(np.array([0.02]))[0])
    assert s0 == pytest.approx(np.sqrt(1e-6 + 1e-4 * 0.02 + 0.0025 * 4e-4))
    sm = r.smear_energy(e, sig, rng, clip=False)
    assert sm.mean() == pytest.approx(0.02, abs=4 * s0 / np.sqrt(len(e)))
    assert sm.std() == pytest.approx(s0, rel=0.01)
    frac = r.in_window(sm, 0.019, 0.022).mean()
    eff = r.gaussian_window_efficiency(np.array([0.02]), 0.019, 0.022, sig)[0]
    assert frac == pytest.approx(eff, abs=4 * np.sqrt(eff * (1 - eff) / len(e)))


def test_threshold_scaled_sigma_and_tables():
    assert float(r.threshold_scaled_sigma(1 * KEV, 0.3 * KEV, 1 * KEV)) == pytest.approx(0.3 * KEV)
    assert float(r.threshold_scaled_sigma(4 * KEV, 0.3 * KEV, 1 * KEV)) == pytest.approx(0.6 * KEV)
    eff = r.tabulated_efficiency(np.array([0.0, 5, 10, 100]), [5, 15], [0.0, 0.8])
    np.testing.assert_allclose(eff, [0.0, 0.0, 0.4, 0.8])
    t = r.smear_time(np.zeros(100000), 2.0, np.random.default_rng(1))
    assert t.std() == pytest.approx(2.0, rel=0.02)
