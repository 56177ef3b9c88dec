"""π⁻ capture at rest and K → πS (formulas-production.md §6.1–6.2, G1–G2)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from darkbeam.models import DarkScalar, VectorMediator, preset
from darkbeam.production import make_channel
from darkbeam.production.base import ClosedChannelWarning
from darkbeam.production.kaon_decay import KaonDecayChannel, kaon_branching_ratio
from darkbeam.production.piminus_capture import PiMinusCaptureChannel

from .conftest import beam, invariant_mass, weighted_chi2

M_PI, M_P, M_N = 0.13957039, 0.93827208816, 0.93956542052


@pytest.mark.parametrize("m, e_x", [(1e-9, 0.12941), (0.05, 0.13057), (0.1, 0.13405)])
def test_piminus_capture_energy(m, e_x):
    rng = np.random.default_rng(0)
    x = PiMinusCaptureChannel().produce(beam(-211, M_PI, M_PI, 1000), VectorMediator.dark_photon(m, 1e-3), rng)
    assert np.allclose(x.p4[:, 3], e_x, atol=2e-5)


def test_piminus_capture_rate():
    # f_rad = 1/(1 + 1.546) = 0.39277; ×(c_u − c_d)² = ε² ; × p_X/p_γ with W = m_π + m_p:
    w = M_PI + M_P
    p = lambda m: math.sqrt((w * w - (M_N + m) ** 2) * (w * w - (M_N - m) ** 2)) / (2 * w)  # noqa: E731
    for m in (0.05, 0.1):
        expected = 1 / 2.546 * 1e-6 * p(m) / p(0.0)
        assert PiMinusCaptureChannel().rate(VectorMediator.dark_photon(m, 1e-3)) == pytest.approx(expected, rel=1e-4)
    assert PiMinusCaptureChannel(radiative_fraction=0.02).rate(VectorMediator.dark_photon(0.05, 1.0)) == pytest.approx(
        0.02 * p(0.05) / p(0.0), rel=1e-4)


def test_piminus_capture_isotropic_and_closed():
    rng = np.random.default_rng(3)
    x = PiMinusCaptureChannel().produce(beam(-211, M_PI, M_PI, 100_000), VectorMediator.dark_photon(0.05, 1e-3), rng)
    cos_t = x.p4[:, 2] / np.linalg.norm(x.p4[:, :3], axis=1)
    chi2, nb = weighted_chi2(cos_t, x.weight, np.linspace(-1, 1, 11), np.full(10, 0.1))
    assert chi2 < 30
    with pytest.warns(ClosedChannelWarning):
        assert len(make_channel("piminus_capture").produce(beam(-211, M_PI, M_PI, 3), preset("b_minus_l", 0.05, g=1e-4),
                                                           rng)) == 0


@pytest.mark.parametrize("kaon, m, form, expected", [
    ("K+", 1e-6, "mK2", 1.900e-3), ("K+", 0.1, "mK2", 1.800e-3), ("K+", 0.2, "mK2", 1.488e-3),
    ("K+", 1e-6, "f0", 1.609e-3), ("K_L", 1e-6, "mK2", 1.247e-3), ("K_L", 0.1, "mK2", 1.183e-3),
    ("K_L", 0.2, "mK2", 9.87e-4)])
def test_kaon_branching_ratios_g1_g2(kaon, m, form, expected):
    assert kaon_branching_ratio(kaon, m, 1.0, form) == pytest.approx(expected, rel=2e-3)


def test_kaon_closed_above_threshold():
    ch = KaonDecayChannel("K+")
    assert ch.closed_reason(DarkScalar(0.36, sin_theta=1e-3)) is not None
    with pytest.warns(ClosedChannelWarning):
        assert len(ch.produce(beam(321, 0.493677, 0.493677, 4), DarkScalar(0.36, sin_theta=1e-3),
                              np.random.default_rng(0))) == 0


@settings(max_examples=25, deadline=None)
@given(m=st.floats(0.001, 0.35), e=st.floats(0.4937, 20.0), seed=st.integers(0, 2**31),
       kaon=st.sampled_from(["K+", "K_L"]), pi_mode=st.booleans())
def test_two_body_channels_conserve_four_momentum(m, e, seed, kaon, pi_mode):
    rng = np.random.default_rng(seed)
    if pi_mode:
        par = beam(-211, M_PI, M_PI + (e - 0.4937) * 1e-3, 30, direction=rng.normal(size=3))
        x = PiMinusCaptureChannel().produce(par, VectorMediator.dark_photon(min(m, 0.13), 1e-3), rng)
        tot = par.p4.copy()
        tot[:, 3] += M_P
    else:
        ch = KaonDecayChannel(kaon)
        mk = ch.m_k
        par = beam(321 if kaon == "K+" else 130, mk, max(e, mk), 30, direction=rng.normal(size=3))
        x = ch.produce(par, DarkScalar(m, sin_theta=1e-4), rng)
        tot = par.p4
    (_, sib), = x.siblings
    assert np.allclose(x.p4 + sib, tot, rtol=1e-9, atol=1e-9)
    assert np.allclose(invariant_mass(x.p4), x.mass, rtol=1e-5, atol=1e-7)
    assert np.all(x.weight >= 0)
