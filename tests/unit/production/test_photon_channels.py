"""Primakoff and Compton-like production against formulas-production.md §4–5.1/5.2 (E1–E3, F1–F2)
and independent scipy integrations written here."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam.models import ALP, VectorMediator
from darkbeam.production import make_channel
from darkbeam.production.base import ClosedChannelWarning
from darkbeam.production.compton import ComptonChannel, sigma_compton
from darkbeam.production.photon_absorption import (PhotonAbsorptionWarning, radiation_length, sigma_klein_nishina,
                                                   sigma_pair, sigma_total_photon)
from darkbeam.production.primakoff import PrimakoffChannel, sigma_primakoff

from .conftest import beam, invariant_mass, weighted_chi2

ME = 0.51099895e-3
ALPHA = 1 / 137.035999
GEV2CM2 = 3.893794e-28
W, C = (74, 183.84), (6, 12.011)


@pytest.mark.parametrize("za, x0", [(W, 6.763), (C, 42.70), ((82, 207.2), 6.370)])
def test_radiation_length_check_e1(za, x0):
    assert radiation_length(*za) == pytest.approx(x0, abs=2e-3)


def test_pair_and_klein_nishina():
    assert float(sigma_pair(50.0, *W)) == pytest.approx(3.511e-23, rel=1e-3, abs=0)
    assert float(sigma_pair(50.0, *C)) == pytest.approx(3.633e-25, rel=1e-3, abs=0)
    assert float(sigma_klein_nishina(1e-3)) == pytest.approx(2.1121e-25, rel=1e-4, abs=0)
    # Thomson limit 8π r_e²/3 = 6.6525e-25 cm² at κ → 0
    assert float(sigma_klein_nishina(1e-9)) == pytest.approx(6.6525e-25, rel=1e-4, abs=0)


def primakoff_ref(e, m, g, z, a):
    """dσ/dθ of §4.1 with the Tsai form factor, integrated by scipy.quad in θ."""
    aa = 111 * z ** (-1 / 3) / ME
    d = 0.164 * a ** (-2 / 3)
    p = math.sqrt(e * e - m * m)

    def f(th):
        t = 2 * e * (e - p * math.cos(th)) - m * m
        ff = aa * aa * t / (1 + aa * aa * t) / (1 + t / d)
        return g * g * ALPHA * z * z / 4 * ff * ff * e * p**3 * math.sin(th) ** 3 / t**2

    th0 = max(m * m / (2 * e * e), 1 / (aa * e))
    pts = [th0 * 10.0**k for k in range(-2, 6) if th0 * 10.0**k < math.pi]
    return integrate.quad(f, 0, math.pi, points=pts, limit=500, epsrel=1e-8)[0] * GEV2CM2


@pytest.mark.parametrize("e, m, za, expected", [
    (1.0, 1e-6, W, 2.805e-36), (1.0, 0.01, W, 2.408e-36), (1.0, 0.1, W, 6.516e-37),
    (1.0, 1e-6, C, 2.290e-38), (0.1, 0.01, C, 1.165e-38)])
def test_primakoff_cross_section_check_e2(e, m, za, expected):
    got = sigma_primakoff(e, m, 1e-5, *za)
    assert got == pytest.approx(expected, rel=3e-3, abs=0)
    assert got == pytest.approx(primakoff_ref(e, m, 1e-5, *za), rel=2e-3, abs=0)


@pytest.mark.parametrize("e", [0.3, 3.0, 30.0])
@pytest.mark.parametrize("za", [W, C])
def test_primakoff_against_scipy_at_several_energies(e, za):
    assert sigma_primakoff(e, 0.02, 1e-4, *za) == pytest.approx(primakoff_ref(e, 0.02, 1e-4, *za), rel=3e-3, abs=0)


@pytest.mark.parametrize("za, expected", [(W, 7.97e-14), (C, 6.19e-14)])
def test_conversion_probability_check_e3(za, expected):
    ch = PrimakoffChannel(*za)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        assert float(ch.rate(ALP(1e-6, g_agg=1e-5), 1.0)) == pytest.approx(expected, rel=3e-3, abs=0)


def test_primakoff_monte_carlo_and_angle_distribution():
    e, m = 2.0, 0.05
    ch = PrimakoffChannel(*W)
    model = ALP(m, g_agg=1e-4)
    rng = np.random.default_rng(9)
    x = ch.produce(beam(22, 0.0, e, 200_000, direction=(0.3, 0.0, 1.0), weight=0.5), model, rng)
    expected = 0.5 * primakoff_ref(e, m, 1e-4, *W) / float(sigma_total_photon(e, *W))
    mean, err = x.weight.mean(), x.weight.std() / math.sqrt(len(x))
    assert abs(mean - expected) < 4 * err and err / mean < 0.01
    d = np.array([0.3, 0.0, 1.0]) / math.hypot(0.3, 1.0)
    cos_t = x.p4[:, :3] @ d / np.linalg.norm(x.p4[:, :3], axis=1)
    theta = np.arccos(np.clip(cos_t, -1, 1))
    th0 = m * m / (2 * e * e)
    edges = th0 * np.array([0, 0.5, 1, 2, 4, 10, 30, 100, 1000])
    # expected fractions from scipy over each θ bin (same dσ/dθ, independent code)
    aa = 111 * 74 ** (-1 / 3) / ME
    dd = 0.164 * 183.84 ** (-2 / 3)
    p = math.sqrt(e * e - m * m)

    def f(th):
        t = 2 * e * (e - p * math.cos(th)) - m * m
        ff = aa * aa * t / (1 + aa * aa * t) / (1 + t / dd)
        return ff * ff * math.sin(th) ** 3 / t**2

    per = np.array([integrate.quad(f, a, b, limit=200, epsrel=1e-8)[0] for a, b in zip(edges[:-1], edges[1:])])
    tot = integrate.quad(f, 0, math.pi, points=[th0, 10 * th0, 100 * th0, 1000 * th0], limit=500)[0]
    chi2, nb = weighted_chi2(theta, x.weight, edges, per / tot)
    assert chi2 < 27


@settings(max_examples=25, deadline=None)
@given(m=st.floats(1e-4, 0.5), e=st.floats(0.6, 100.0), seed=st.integers(0, 2**31))
def test_primakoff_momentum_conserved_up_to_recoil(m, e, seed):
    rng = np.random.default_rng(seed)
    par = beam(22, 0.0, e, 40, direction=rng.normal(size=3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        x = PrimakoffChannel(*W).produce(par, ALP(m, g_agg=1e-5), rng)
    (_, nuc), = x.siblings
    m_n = 183.84 * 0.93149410242
    assert np.allclose(x.p4[:, :3] + nuc[:, :3], par.p4[:, :3], atol=1e-9 * e)
    # static nucleus: E_a = E_γ; the neglected recoil energy |q|²/2M_A is ≪ E_γ
    assert np.allclose(x.p4[:, 3], par.p4[:, 3], rtol=1e-12)
    recoil = np.sum(nuc[:, :3] ** 2, axis=1) / (2 * m_n)
    if x.weight.sum() > 0:   # weighted mean recoil (large-|q| tails are form-factor suppressed)
        assert np.sum(x.weight * recoil) / x.weight.sum() < 1e-2 * e
    assert np.allclose(np.linalg.norm(x.p4[:, :3], axis=1), np.sqrt(e * e - m * m), rtol=1e-12)  # on shell
    assert np.all(np.isfinite(x.weight)) and np.all(x.weight >= 0)


def test_primakoff_below_threshold_and_closed():
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        x = PrimakoffChannel(*C).produce(beam(22, 0.0, 0.05, 10), ALP(0.1, g_agg=1e-5), rng)
    assert np.all(x.weight == 0)
    with pytest.warns(ClosedChannelWarning):
        assert len(make_channel("primakoff").produce(beam(22, 0.0, 1.0, 3), ALP(0.1, g_aee=1e-5), rng)) == 0


# Compton -------------------------------------------------------------------------------------
def compton_ref(e, m, model):
    """∫dt of the §5.1/5.2 |M|², written out here, with scipy.quad."""
    s = ME**2 + 2 * ME * e
    rs = math.sqrt(s)
    k_in = (s - ME**2) / (2 * rs)
    k_out = math.sqrt((s - (m + ME) ** 2) * (s - (m - ME) ** 2)) / (2 * rs)
    e3 = math.sqrt(k_out**2 + m * m)
    t0, t1 = m * m - 2 * k_in * e3 - 2 * k_in * k_out, m * m - 2 * k_in * e3 + 2 * k_in * k_out
    ee = 4 * math.pi * ALPHA

    def f(t):
        u = 2 * ME**2 + m * m - s - t
        S, U = s - ME**2, u - ME**2
        if isinstance(model, ALP):
            mm = ee * (-(t * t + m**4 - 4 * ME**2 * m * m) / (S * U) + 2 * ME**2 * m * m * (1 / S**2 + 1 / U**2))
        else:
            mm = 2 * ee * ee * (-U / S - S / U - 2 * m * m * t / (S * U) + 4 * ME**2 * (m * m - t) / (S * U)
                                + 2 * ME**2 * m * m * (1 / S**2 + 1 / U**2) + 4 * ME**4 * (1 / S + 1 / U) ** 2)
        return mm / (16 * math.pi * S**2)

    return integrate.quad(f, t0, t1, limit=400, epsrel=1e-9)[0] * GEV2CM2


@pytest.mark.parametrize("e, m, expected", [(0.01, 0.001, 1.282e-25), (0.1, 0.001, 3.052e-26), (1.0, 0.01, 3.891e-27)])
def test_compton_alp_check_f1(e, m, expected):
    model = ALP(m, g_aee=1.0)
    assert sigma_compton(e, model) == pytest.approx(expected, rel=2e-3, abs=0)
    assert sigma_compton(e, model) == pytest.approx(compton_ref(e, m, model), rel=1e-5, abs=0)


@pytest.mark.parametrize("e, m, expected", [(0.01, 0.001, 4.381e-26), (0.1, 0.001, 8.063e-27), (1.0, 0.01, 9.428e-28)])
def test_compton_dark_photon_check_f2(e, m, expected):
    model = VectorMediator.dark_photon(m, 1.0)
    assert sigma_compton(e, model) == pytest.approx(expected, rel=2e-3, abs=0)
    assert sigma_compton(e, model) == pytest.approx(compton_ref(e, m, model), rel=1e-5, abs=0)


def test_compton_massless_alp_closed_form():
    # Brodsky et al. (seed002b §1.5 item 5): σ = (αg²/8s)[2s/(s−m_e²) ln(s/m_e²) − 3 + m_e²/s] for m_a → 0
    e = 0.05
    s = ME**2 + 2 * ME * e
    ref = ALPHA / (8 * s) * (2 * s / (s - ME**2) * math.log(s / ME**2) - 3 + ME**2 / s) * GEV2CM2
    assert sigma_compton(e, ALP(1e-7, g_aee=1.0)) == pytest.approx(ref, rel=1e-4, abs=0)


def test_compton_massless_vector_is_klein_nishina():
    assert sigma_compton(0.02, VectorMediator.dark_photon(1e-7, 1.0)) == pytest.approx(
        float(sigma_klein_nishina(0.02)), rel=1e-5, abs=0)


@pytest.mark.parametrize("model", [ALP(0.005, g_aee=1e-6), VectorMediator.dark_photon(0.005, 1e-5)])
def test_compton_monte_carlo_weight_and_angles(model):
    e = 0.2
    ch = ComptonChannel(*C)
    rng = np.random.default_rng(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        x = ch.produce(beam(22, 0.0, e, 200_000), model, rng)
        expected = float(ch.rate(model, e))
    mean, err = x.weight.mean(), x.weight.std() / math.sqrt(len(x))
    assert abs(mean - expected) < 4 * err and err / mean < 0.02
    # X energy spectrum: dσ/dE_X = dσ/dt · 2m_e (lab, electron at rest: t = m² − 2m_e(E_γ − E_X)... )
    # checked as the t distribution: t = (k − k_X)², bins against scipy of dσ/dt
    k = np.array([0, 0, e, e])
    t = model.mass**2 - 2 * (k[3] * x.p4[:, 3] - x.p4[:, :3] @ k[:3])
    s = ME**2 + 2 * ME * e
    rs = math.sqrt(s)
    k_in = (s - ME**2) / (2 * rs)
    m = model.mass
    k_out = math.sqrt((s - (m + ME) ** 2) * (s - (m - ME) ** 2)) / (2 * rs)
    e3 = math.sqrt(k_out**2 + m * m)
    t0, t1 = m * m - 2 * k_in * e3 - 2 * k_in * k_out, m * m - 2 * k_in * e3 + 2 * k_in * k_out
    edges = np.linspace(t0, t1, 11)
    full = compton_ref(e, m, model)


    ee = 4 * math.pi * ALPHA

    def f(tt):
        u = 2 * ME**2 + m * m - s - tt
        S, U = s - ME**2, u - ME**2
        if isinstance(model, ALP):
            return ee * (-(tt * tt + m**4 - 4 * ME**2 * m * m) / (S * U) + 2 * ME**2 * m * m * (1 / S**2 + 1 / U**2))
        return 2 * ee * ee * (-U / S - S / U - 2 * m * m * tt / (S * U) + 4 * ME**2 * (m * m - tt) / (S * U)
                              + 2 * ME**2 * m * m * (1 / S**2 + 1 / U**2) + 4 * ME**4 * (1 / S + 1 / U) ** 2)

    per = np.array([integrate.quad(f, a, b)[0] for a, b in zip(edges[:-1], edges[1:])])
    chi2, nb = weighted_chi2(t, x.weight, edges, per / per.sum())
    assert chi2 < 30 and full > 0


@settings(max_examples=25, deadline=None)
@given(m=st.floats(1e-4, 0.05), e=st.floats(0.1, 50.0), seed=st.integers(0, 2**31))
def test_compton_conserves_four_momentum(m, e, seed):
    rng = np.random.default_rng(seed)
    par = beam(22, 0.0, e, 40, direction=rng.normal(size=3))
    model = ALP(m, g_aee=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        x = ComptonChannel(*W).produce(par, model, rng)
    (_, el), = x.siblings
    ok = x.weight > 0
    tot = par.p4.copy()
    tot[:, 3] += ME
    assert np.allclose((x.p4 + el)[ok], tot[ok], rtol=1e-9, atol=1e-12 * e)
    assert np.allclose(invariant_mass(x.p4[ok]), m, rtol=1e-4, atol=0)
    assert np.allclose(invariant_mass(el[ok]), ME, rtol=1e-3, atol=0)
    assert np.all(np.isfinite(x.weight)) and np.all(x.weight >= 0)


def test_compton_below_threshold_is_zero():
    rng = np.random.default_rng(1)
    m = 0.01
    # threshold E_γ = m + m²/(2m_e) = 0.01 + 0.0001/0.001022 = 0.1078 GeV
    assert ComptonChannel().threshold(ALP(m, g_aee=1.0)) == pytest.approx(0.01 + 1e-4 / (2 * ME), rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        x = ComptonChannel().produce(beam(22, 0.0, 0.1, 10), ALP(m, g_aee=1.0), rng)
    assert np.all(x.weight == 0)


def helm_ref(q_gev, a):
    from scipy.special import spherical_jn
    q = q_gev / 0.1973269804  # fm⁻¹
    c = 1.23 * a ** (1 / 3) - 0.60
    r = math.sqrt(c * c + 7 / 3 * math.pi**2 * 0.52**2 - 5 * 0.9**2)
    return 3 * spherical_jn(1, q * r) / (q * r) * math.exp(-0.5 * (q * 0.9) ** 2)


@pytest.mark.parametrize("q", [0.01, 0.05, 0.1, 0.3])
def test_helm_form_factor(q):
    from darkbeam.production.primakoff import helm_form_factor
    assert float(helm_form_factor(q * q, 183.84)) == pytest.approx(helm_ref(q, 183.84), rel=1e-6, abs=1e-9)
    assert float(helm_form_factor(1e-14, 183.84)) == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("m", [0.01, 0.2])
def test_primakoff_helm_against_scipy(m):
    e, z, a, g = 1.0, 74, 183.84, 1e-5
    aa = 111 * z ** (-1 / 3) / ME
    p = math.sqrt(e * e - m * m)

    def f(th):
        t = 2 * e * (e - p * math.cos(th)) - m * m
        ff = aa * aa * t / (1 + aa * aa * t) * helm_ref(math.sqrt(t), a)
        return g * g * ALPHA * z * z / 4 * ff * ff * e * p**3 * math.sin(th) ** 3 / t**2

    th0 = max(m * m / (2 * e * e), 1 / (aa * e))
    pts = [th0 * 10.0**k for k in range(-2, 6) if th0 * 10.0**k < math.pi]
    ref = integrate.quad(f, 0, math.pi, points=pts, limit=500, epsrel=1e-8)[0] * GEV2CM2
    assert sigma_primakoff(e, m, g, z, a, kind="helm") == pytest.approx(ref, rel=3e-3, abs=0)
    ch = PrimakoffChannel(z, a, form_factor="helm")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PhotonAbsorptionWarning)
        assert float(ch.rate(ALP(m, g_agg=g), e)) == pytest.approx(ref / float(sigma_total_photon(e, z, a)), rel=3e-3, abs=0)
