"""Proton bremsstrahlung (vector, scalar) against formulas-production.md §2, §6.3 (C1–C3, G3) and
an independent scipy integration of the Blümlein–Brunner kernel written out here."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam.models import DarkScalar, VectorMediator, preset
from darkbeam.production import make_channel
from darkbeam.production.base import ClosedChannelWarning
from darkbeam.production.proton_brem import ProtonBremChannel, interacting_protons
from darkbeam.production.scalar_brem import ScalarProtonBremChannel
from darkbeam.production.splitting import QuasiRealValidityWarning, sigma_pp, vector_form_factor_squared

from .conftest import invariant_mass, weighted_chi2

MP = 0.9382721
ALPHA = 1 / 137.035999
# pole set of the formula sheet's own checks (§2.2, "My checks use …")
CHECK_SET = dict(f_rho=[0.6165340, 0.2232042, -0.3397382], m_rho=[0.77526, 1.465, 1.720],
                 gamma_rho=[0.1491, 0.400, 0.250], f_omega=[1.0117545, -0.8816566, 0.3699021],
                 m_omega=[0.78265, 1.425, 1.670], gamma_omega=[0.00849, 0.215, 0.315])


def bb_kernel(z, pt2, m):
    """w_ba written out independently (formulas-production.md §2.1, coefficient z + (1−z)²)."""
    h = pt2 + (1 - z) * m * m + z * z * MP * MP
    return ALPHA / (2 * math.pi * h) * ((1 + (1 - z) ** 2) / z
                                        - 2 * z * (1 - z) * ((2 * MP**2 + m * m) / h - 2 * z * z * MP**4 / h**2)
                                        + 2 * z * (1 - z) * (z + (1 - z) ** 2) * MP**2 * m * m / h**2
                                        + 2 * z * (1 - z) ** 2 * m**4 / h**2)


def sigma_pp_ref(s):
    return 35.45 + 0.308 * math.log(s / 5.38**2) ** 2 + 42.53 * s**-0.458 - 33.34 * s**-0.545


@pytest.mark.parametrize("p, expected", [(8.89, 39.89), (120.0, 38.57), (400.0, 39.87)])
def test_sigma_pp_check_c1(p, expected):
    s = 2 * MP * (math.hypot(p, MP) + MP)
    assert float(sigma_pp(s)) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("m, dp, bl", [(0.1, 1.002, 1.091), (0.5, 3.842, 5.034), (0.7, 37.1, 75.7), (1.0, 13.52, 28.71)])
def test_proton_form_factor_check_c2(m, dp, bl):
    assert vector_form_factor_squared(m, 2 / 3, -1 / 3, "constant", CHECK_SET) == pytest.approx(dp, rel=5e-3)
    assert vector_form_factor_squared(m, 1 / 3, 1 / 3, "constant", CHECK_SET) == pytest.approx(bl, rel=5e-3)


def test_threshold_widths_restore_unit_charge():
    assert vector_form_factor_squared(1e-4, 2 / 3, -1 / 3, "threshold") == pytest.approx(1.0, abs=1e-6)
    # protophobic-like 2c_u + c_d = 0: F_1^X(0) = 0
    assert vector_form_factor_squared(1e-4, -1 / 3, 2 / 3, "threshold") == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("p, m, expected", [(120.0, 0.1, 7.528e-3), (120.0, 0.5, 1.834e-2),
                                             (120.0, 1.0, 3.605e-2), (8.89, 0.5, 1.870e-2)])
def test_yield_check_c3(p, m, expected):
    ch = ProtonBremChannel(form_factor_widths="constant", form_factor_params=CHECK_SET)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QuasiRealValidityWarning)
        assert ch.rate(VectorMediator.dark_photon(m, 1.0), p) == pytest.approx(expected, rel=4e-3)


@pytest.mark.parametrize("kernel, third, m, expected", [
    ("bb", "one", 0.5, 1.918e-2), ("transverse", "z", 0.5, 1.136e-2), ("fr", "z", 0.1, 1.259e-1)])
def test_alternative_kernels_table_2_3(kernel, third, m, expected):
    ch = ProtonBremChannel(kernel=kernel, third=third, form_factor_widths="constant", form_factor_params=CHECK_SET)
    assert ch.rate(VectorMediator.dark_photon(m, 1.0), 120.0) == pytest.approx(expected, rel=4e-3)


def test_offshell_form_factor_band():
    # §2.3: FR(T+L)·|F(p′²)|², Λ_p = 1.5 GeV, 120 GeV: 5.03e-3 at m = 0.5
    ch = ProtonBremChannel(kernel="fr", offshell_lambda=1.5, form_factor_widths="constant", form_factor_params=CHECK_SET)
    assert ch.rate(VectorMediator.dark_photon(0.5, 1.0), 120.0) == pytest.approx(5.03e-3, rel=5e-3)


@pytest.mark.parametrize("m", [0.05, 0.3, 0.9])
def test_monte_carlo_yield_against_scipy(m):
    # mean MC weight (P_int = 1 − e^{−10}) vs dblquad of the BB kernel × σ ratio × |F_1|², ε = 1
    p_beam = 120.0
    e_p = math.hypot(p_beam, MP)
    s = 2 * MP * (e_p + MP)

    def f(pt2, z):
        e_x = math.sqrt((z * p_beam) ** 2 + pt2 + m * m)
        return bb_kernel(z, pt2, m) * sigma_pp_ref(2 * MP * (e_p - e_x) + 2 * MP * MP) / sigma_pp_ref(s)

    ref = integrate.dblquad(f, 0.1, 0.9, 0.0, 1.0, epsabs=0, epsrel=1e-7)[0]
    model = VectorMediator.dark_photon(m, 1.0)
    ch = ProtonBremChannel()
    ref *= ch.form_factor_squared(model) * (-math.expm1(-10.0))
    rng = np.random.default_rng(7)
    parents = interacting_protons(rng, 400_000, p_beam, 1.0, 0.1)
    x = ch.produce(parents, model, rng)
    mean, err = x.weight.mean(), x.weight.std() / math.sqrt(len(x))
    assert abs(mean - ref) < 4 * err and err / mean < 3e-3


def test_z_distribution_matches_kernel():
    m, p_beam = 0.3, 120.0
    ch = ProtonBremChannel()
    model = VectorMediator.dark_photon(m, 1.0)
    rng = np.random.default_rng(3)
    x = ch.produce(interacting_protons(rng, 200_000, p_beam, 1.0, 0.1), model, rng)
    z = x.p4[:, 2] / p_beam
    edges = np.linspace(0.1, 0.9, 9)
    e_p = math.hypot(p_beam, MP)
    s = 2 * MP * (e_p + MP)

    def f(pt2, zz):
        e_x = math.sqrt((zz * p_beam) ** 2 + pt2 + m * m)
        return bb_kernel(zz, pt2, m) * sigma_pp_ref(2 * MP * (e_p - e_x) + 2 * MP * MP) / sigma_pp_ref(s)

    per_bin = np.array([integrate.dblquad(f, a, b, 0.0, 1.0, epsrel=1e-6)[0] for a, b in zip(edges[:-1], edges[1:])])
    chi2, nb = weighted_chi2(z, x.weight, edges, per_bin / per_bin.sum())
    assert chi2 < 27  # 8 bins, p ≈ 7e-4


def test_pt_distribution_matches_kernel():
    m, p_beam = 0.3, 120.0
    model = VectorMediator.dark_photon(m, 1.0)
    rng = np.random.default_rng(4)
    x = ProtonBremChannel().produce(interacting_protons(rng, 200_000, p_beam, 1.0, 0.1), model, rng)
    pt2 = x.p4[:, 0] ** 2 + x.p4[:, 1] ** 2
    edges = np.array([0, 0.01, 0.03, 0.1, 0.2, 0.4, 0.7, 1.0])
    e_p = math.hypot(p_beam, MP)
    s = 2 * MP * (e_p + MP)

    def f(zz, q):
        e_x = math.sqrt((zz * p_beam) ** 2 + q + m * m)
        return bb_kernel(zz, q, m) * sigma_pp_ref(2 * MP * (e_p - e_x) + 2 * MP * MP) / sigma_pp_ref(s)

    per_bin = np.array([integrate.dblquad(f, a, b, 0.1, 0.9, epsrel=1e-6)[0] for a, b in zip(edges[:-1], edges[1:])])
    chi2, nb = weighted_chi2(pt2, x.weight, edges, per_bin / per_bin.sum())
    assert chi2 < 25  # 7 bins


@settings(max_examples=25, deadline=None)
@given(m=st.floats(0.01, 2.0), p=st.floats(30.0, 1000.0), seed=st.integers(0, 2**31))
def test_brem_momentum_balance_and_energy_denominator(m, p, seed):
    rng = np.random.default_rng(seed)
    par = interacting_protons(rng, 64, p, 1.0, 0.1)
    x = ProtonBremChannel().produce(par, VectorMediator.dark_photon(m, 1.0), rng)
    (_, rec), = x.siblings
    assert np.allclose(x.p4[:, :3] + rec[:, :3], par.p4[:, :3], rtol=0, atol=1e-9 * p)   # 3-momentum
    assert np.allclose(invariant_mass(x.p4), m, rtol=1e-6, atol=0)
    assert np.allclose(invariant_mass(rec), MP, rtol=1e-6, atol=0)
    # the target supplies energy ΔE = E_X + E_p′ − E_p; light-cone: ΔE ≈ H/(2 z (1−z) p) for p ≫ all
    z = x.p4[:, 2] / p
    pt2 = x.p4[:, 0] ** 2 + x.p4[:, 1] ** 2
    h = pt2 + (1 - z) * m * m + z * z * MP * MP
    de = x.p4[:, 3] + rec[:, 3] - par.p4[:, 3]
    lc = h / (2 * z * (1 - z) * p)
    assert np.all(de > 0)
    assert np.allclose(de, lc, rtol=0.02 + 20 * (lc / p).max())
    assert np.all(np.isfinite(x.weight)) and np.all(x.weight >= 0)


def test_b_minus_l_uses_isoscalar_form_factor():
    # F_1^X = (g/e)·2F_ω for B−L (§2.2): ratio to DP at 0.5 GeV = 5.034/3.842 (check C2)
    ch = ProtonBremChannel(form_factor_widths="constant", form_factor_params=CHECK_SET)
    e = math.sqrt(4 * math.pi * ALPHA)
    r = ch.rate(preset("b_minus_l", 0.5, g=e), 120.0) / ch.rate(VectorMediator.dark_photon(0.5, 1.0), 120.0)
    assert r == pytest.approx(5.034 / 3.842, rel=5e-3)


def test_low_energy_warns_and_protophobic_closed():
    rng = np.random.default_rng(0)
    with pytest.warns(QuasiRealValidityWarning):
        ProtonBremChannel().produce(interacting_protons(rng, 10, 8.89, 0.5, 0.4),
                                    VectorMediator.dark_photon(0.1, 1e-4), rng)
    pp = VectorMediator(0.1, x={"u": -1 / 3 * 1e-3, "d": 2 / 3 * 1e-3}, epsilon=0.0)
    ch = ProtonBremChannel()
    # F_1^X(q²) at q² = 0.01 GeV² is not exactly 0 (ρ–ω splitting) — open but tiny
    assert ch.rate(pp, 120.0) < 1e-3 * ch.rate(VectorMediator.dark_photon(0.1, 1e-3), 120.0)


# scalar --------------------------------------------------------------------------------------
@pytest.mark.parametrize("m, expected", [(0.1, 4.29e-8), (0.5, 1.47e-8), (1.0, 5.81e-9)])
def test_scalar_brem_check_g3(m, expected):
    assert ScalarProtonBremChannel().rate(DarkScalar(m, sin_theta=1.0), 120.0) == pytest.approx(expected, rel=3e-3)


def test_scalar_brem_monte_carlo_against_scipy():
    m, p_beam, g = 0.2, 400.0, 1.2e-3
    e_p = math.hypot(p_beam, MP)
    s = 2 * MP * (e_p + MP)

    def f(pt2, z):
        h = pt2 + (1 - z) * m * m + z * z * MP * MP
        e_x = math.sqrt((z * p_beam) ** 2 + pt2 + m * m)
        return (g * g / (16 * math.pi**2) * z * (pt2 + MP**2 * (2 - z) ** 2) / h**2
                * sigma_pp_ref(2 * MP * (e_p - e_x) + 2 * MP * MP) / sigma_pp_ref(s))

    ref = integrate.dblquad(f, 0.1, 0.9, 0.0, 1.0, epsrel=1e-7)[0] * (-math.expm1(-10.0))
    rng = np.random.default_rng(11)
    x = ScalarProtonBremChannel().produce(interacting_protons(rng, 200_000, p_beam, 1.0, 0.1),
                                          DarkScalar(m, sin_theta=1.0), rng)
    mean, err = x.weight.mean(), x.weight.std() / math.sqrt(len(x))
    assert abs(mean - ref) < 4 * err and err / mean < 5e-3


def test_scalar_brem_closed_for_zero_mixing():
    ch = make_channel("scalar_proton_brem")
    rng = np.random.default_rng(0)
    with pytest.warns(ClosedChannelWarning):
        assert len(ch.produce(interacting_protons(rng, 5, 120.0, 1.0, 0.1), DarkScalar(0.1, sin_theta=0.0), rng)) == 0


def test_scalar_brem_form_factor_options():
    # F_S(0) = Σ f_i m_i/(m_i − iΓ_i) (constant-width BWs at q² → 0); with the off-shell factor
    # the yield is ∫∫ w_S |F(p′²)|², F = Λ⁴/(Λ⁴ + (H/z)²) (scipy, written out here)
    from darkbeam.production.splitting import scalar_form_factor_squared
    f0 = 0.28 * 0.475 / (0.475 - 0.55j) + 1.8 * 0.98 / (0.98 - 0.055j) - 0.99 * 1.35 / (1.35 - 0.35j)
    assert scalar_form_factor_squared(1e-6) == pytest.approx(abs(f0) ** 2, rel=1e-6)
    m, p_beam, g, lam = 0.3, 120.0, 1.2e-3, 1.5
    e_p = math.hypot(p_beam, MP)
    s = 2 * MP * (e_p + MP)

    def f(pt2, z):
        h = pt2 + (1 - z) * m * m + z * z * MP * MP
        ff = lam**4 / (lam**4 + (h / z) ** 2)
        e_x = math.sqrt((z * p_beam) ** 2 + pt2 + m * m)
        return (g * g / (16 * math.pi**2) * z * (pt2 + MP**2 * (2 - z) ** 2) / h**2 * ff * ff
                * sigma_pp_ref(2 * MP * (e_p - e_x) + 2 * MP * MP) / sigma_pp_ref(s))

    ref = integrate.dblquad(f, 0.1, 0.9, 0.0, 1.0, epsrel=1e-8)[0]
    ch = ScalarProtonBremChannel(offshell_lambda=lam)
    assert ch.rate(DarkScalar(m, sin_theta=1.0), p_beam) == pytest.approx(ref, rel=1e-3)
    ch2 = ScalarProtonBremChannel(offshell_lambda=lam, scalar_form_factor=True)
    assert ch2.rate(DarkScalar(m, sin_theta=1.0), p_beam) == pytest.approx(ref * scalar_form_factor_squared(m), rel=1e-3)
