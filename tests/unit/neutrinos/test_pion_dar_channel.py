"""The π-DAR neutrino channels on their own: spectra, kinematics, directed weights, times.

Reference numbers are typed here with their sources (PDG 2024 masses and lifetimes; Michel spectra
of formulas-detection.md §4.1), not read from the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from darkbeam.production import CHANNELS, PionDARNeutrinoChannel, expand_channels, make_channel
from darkbeam.production.aiming import Aim
from darkbeam.sources.parents import Parents

# PDG 2024 (formulas-detection.md §0), GeV and ns
M_PI, M_MU, M_E = 0.13957039, 0.1056583755, 0.00051099895
TAU_PI, TAU_MU = 26.033, 2196.9811


def stopped_pions(n: int, weight: float = 0.0875, t0: float = 0.0) -> Parents:
    p4 = np.zeros((n, 4))
    p4[:, 3] = M_PI
    return Parents(np.full(n, 211, dtype=np.int32), p4, np.zeros((n, 3)), np.full(n, t0),
                   np.full(n, weight / n))


def channel(flavour, aim=None):
    ch = PionDARNeutrinoChannel(flavour)
    return ch if aim is None else ch.aimed_at(Aim(*aim, fraction=1.0))


def test_registry_and_group():
    assert {"pion_dar_numu", "pion_dar_nue", "pion_dar_numubar", "pion_dar_neutrinos"} <= set(CHANNELS)
    assert expand_channels(["pi0_decay", "pion_dar_neutrinos", "pion_dar_nue"]) == [
        "pi0_decay", "pion_dar_numu", "pion_dar_nue", "pion_dar_numubar"]
    with pytest.raises(ValueError, match="group"):
        make_channel("pion_dar_neutrinos")
    ch = make_channel("pion_dar_numubar")
    assert (ch.name, ch.parent, ch.parent_at_rest, ch.produced_pdg) == ("pion_dar_numubar", "pi+", True, -14)
    assert ch.accepts(object()) and ch.closed_reason(None) is None


def test_numu_line_energy():
    """E = (m_π² − m_μ²)/(2 m_π) = 29.7921 MeV (formulas-detection.md §4.1 check value)."""
    x = channel("nu_mu").produce(stopped_pions(1000), None, np.random.default_rng(1))
    e_line = (M_PI**2 - M_MU**2) / (2 * M_PI)
    assert e_line == pytest.approx(0.0297921, abs=2e-7)
    np.testing.assert_allclose(x.p4[:, 3], e_line, rtol=1e-12)
    assert x.pdg == 14 and x.mass == 0.0


def test_michel_spectra():
    """ν_e: CDF 4x³ − 3x⁴ of 12x²(1 − x); ν̄_μ: CDF 2x³ − x⁴ of 2x²(3 − 2x), x = 2E/m_μ
    (integrals of formulas-detection.md §4.1 done by hand). The ν̄_μ spectrum is not sampled
    directly: it follows from the V−A μ decay, so this tests the decay sampler."""
    rng = np.random.default_rng(2)
    n = 40_000
    xe = 2 * channel("nu_e").produce(stopped_pions(n), None, rng).p4[:, 3] / M_MU
    xb = 2 * channel("nu_mu_bar").produce(stopped_pions(n), None, rng).p4[:, 3] / M_MU
    assert stats.kstest(xe, lambda x: 4 * x**3 - 3 * x**4).pvalue > 1e-3
    assert stats.kstest(xb, lambda x: 2 * x**3 - x**4).pvalue > 1e-3
    # and the two are distinguishable (the test can fail): ν̄_μ against the ν_e law
    assert stats.kstest(xb, lambda x: 4 * x**3 - 3 * x**4).pvalue < 1e-6
    # means 0.3 m_μ and 0.35 m_μ (formulas-detection.md §4.1 checks)
    assert np.mean(xe) / 2 == pytest.approx(0.3, abs=3 * 0.1 / np.sqrt(n))
    assert np.mean(xb) / 2 == pytest.approx(0.35, abs=3 * 0.1 / np.sqrt(n))


def test_times_are_pion_and_muon_exponentials():
    rng = np.random.default_rng(3)
    n = 30_000
    t0 = 100.0
    tm = channel("nu_mu").produce(stopped_pions(n, t0=t0), None, rng).t - t0
    te = channel("nu_e").produce(stopped_pions(n, t0=t0), None, rng).t - t0
    assert stats.kstest(tm, stats.expon(scale=TAU_PI).cdf).pvalue > 1e-3

    def conv_cdf(t):   # ∫ (e^{−t/τμ} − e^{−t/τπ})/(τμ − τπ) dt (formulas-detection.md §4.2)
        return 1 - (TAU_MU * np.exp(-t / TAU_MU) - TAU_PI * np.exp(-t / TAU_PI)) / (TAU_MU - TAU_PI)
    assert stats.kstest(te, conv_cdf).pvalue > 1e-3
    assert stats.kstest(te, stats.expon(scale=TAU_PI).cdf).pvalue < 1e-6


def test_directed_weights_give_the_solid_angle_of_the_detector():
    """Aimed at a sphere of radius R at distance D, Σ weight × hit / Σ parent weight = the sphere's
    solid-angle fraction (1 − √(1 − R²/D²))/2 (every aimed ray hits: the cone is the sphere's)."""
    rng = np.random.default_rng(4)
    centre, radius = np.array([19.3, 0.0, 0.0]), 0.113
    x = channel("nu_mu", (centre, radius)).produce(stopped_pions(20_000, weight=1.0), None, rng)
    frac = (1 - np.sqrt(1 - (radius / 19.3) ** 2)) / 2
    assert x.weight.sum() == pytest.approx(frac, rel=1e-12)
    np.testing.assert_allclose(x.importance, frac, rtol=1e-12)
    # every direction within the cone
    cos_c = np.sqrt(1 - (radius / 19.3) ** 2)
    assert np.all(x.directions @ (centre / 19.3) >= cos_c - 1e-12)


def test_isotropic_without_aim():
    x = channel("nu_e").produce(stopped_pions(50_000, weight=1.0), None, np.random.default_rng(5))
    assert x.importance is None or np.all(x.importance == 1)
    cz = x.directions[:, 2]
    assert stats.kstest(cz, stats.uniform(-1, 2).cdf).pvalue > 1e-3


def test_numubar_aimed_keeps_its_spectrum():
    """The rotation onto the aimed direction must not bias the ν̄_μ energy."""
    rng = np.random.default_rng(6)
    x = channel("nu_mu_bar", ((0.0, 20.0, 0.0), 0.5)).produce(stopped_pions(30_000), None, rng)
    xb = 2 * x.p4[:, 3] / M_MU
    assert stats.kstest(xb, lambda v: 2 * v**3 - v**4).pvalue > 1e-3


@settings(max_examples=25, deadline=None)
@given(flavour=st.sampled_from(["nu_mu", "nu_e", "nu_mu_bar"]), seed=st.integers(0, 2**32 - 1),
       cx=st.floats(-50, 50), cy=st.floats(-50, 50), cz=st.floats(-50, 50), r=st.floats(0.01, 5.0))
def test_four_momentum_on_shell_and_weights(flavour, seed, cx, cy, cz, r):
    """parent = X + siblings (every component), all on shell, weights finite and ≥ 0."""
    masses = {14: 0.0, 12: 0.0, -14: 0.0, -13: M_MU, -11: M_E, 211: M_PI}
    x = channel(flavour, ((cx, cy, cz), r)).produce(stopped_pions(64), None,
                                                     np.random.default_rng(seed))
    total = x.p4 + sum(p4 for _, p4 in x.siblings)
    np.testing.assert_allclose(total, x.parent_p4, atol=1e-13)
    for pdg, p4 in ((x.pdg, x.p4), *x.siblings):
        m2 = p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1)
        np.testing.assert_allclose(m2, masses[pdg] ** 2, atol=1e-12)
    pm = x.parent_p4[:, 3] ** 2 - np.sum(x.parent_p4[:, :3] ** 2, axis=1)
    np.testing.assert_allclose(pm, np.array([masses[p] ** 2 for p in x.parent_pdg]), rtol=1e-12)
    assert np.all(np.isfinite(x.weight)) and np.all(x.weight >= 0)
    assert np.all(x.t >= x.t_origin)
