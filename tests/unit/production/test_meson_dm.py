"""P → γχχ̄ through an on/off-shell X (formulas-production.md §1.3, off-shell paragraph)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from darkbeam.kinematics import boost
from darkbeam.models import DarkMatter, VectorMediator
from darkbeam.production import make_channel
from darkbeam.production.base import ClosedChannelWarning
from darkbeam.production.meson_decay import branching_ratio
from darkbeam.production.meson_decay_dm import MesonDecayDMChannel, dm_width

from .conftest import beam, invariant_mass, weighted_chi2

M_PI0 = 0.1349768


def test_narrow_width_limit_is_br_times_br():
    # ∫ds (mΓ/π)/((s−m²)²+m²Γ²) = 1 ⇒ BR(π⁰→γχχ̄) → BR(π⁰→γX)·BR(X→χχ̄) for Γ ≪ m
    model = VectorMediator(0.05, epsilon=1e-3, dark_matter=DarkMatter("dirac", 0.01, 1e-3))
    expected = branching_ratio("pi0", 0.05, 1e-3) * model.branching_ratios()["chichibar"]
    assert MesonDecayDMChannel("pi0").rate(model) == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize("kind", ["dirac", "complex_scalar"])
def test_dm_width_matches_model(kind):
    dm = DarkMatter(kind, 0.02, 0.3)
    for w in (0.03, 0.05, 0.13):
        assert float(dm_width(dm, w)) == pytest.approx(dm.mediator_width(w), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("meson, m_x, kind", [("pi0", 0.3, "complex_scalar"), ("eta", 0.8, "dirac")])
def test_off_shell_rate_against_scipy(meson, m_x, kind):
    # m_X > m_P: the formula written out here with the chiral-limit F_P = ε (dark photon, any bw)
    m_p = {"pi0": 0.1349768, "eta": 0.547862}[meson]
    br_gg = {"pi0": 0.98823, "eta": 0.3936}[meson]
    eps, m_chi, ad = 1e-3, 0.02, 0.5
    model = VectorMediator(m_x, epsilon=eps, dark_matter=DarkMatter(kind, m_chi, ad))
    gx = model.total_width()

    def f(s):
        rs = math.sqrt(s)
        r = m_chi**2 / s
        g = ad * rs / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r) if kind == "dirac" else ad * rs / 12 * (1 - 4 * r) ** 1.5
        return 2 * eps**2 * (1 - s / m_p**2) ** 3 * br_gg / math.pi * rs * g / ((s - m_x**2) ** 2 + (m_x * gx) ** 2)

    ref = integrate.quad(f, 4 * m_chi**2, m_p**2, epsrel=1e-10)[0]
    ch = MesonDecayDMChannel(meson)
    assert ch.rate(model) == pytest.approx(ref, rel=1e-4, abs=0)
    rng = np.random.default_rng(2)
    x = ch.produce(beam(111 if meson == "pi0" else 221, m_p, 2.0, 200_000), model, rng)
    mean, err = x.weight.mean(), x.weight.std() / math.sqrt(len(x))
    assert abs(mean - ref) < 4 * err and err / mean < 0.01
    # χχ̄ invariant-mass distribution against dBR/ds in 8 bins
    (_, chib), _ = x.siblings
    s = invariant_mass(x.p4 + chib) ** 2
    edges = np.linspace(4 * m_chi**2, m_p**2, 9)
    per = np.array([integrate.quad(f, a, b)[0] for a, b in zip(edges[:-1], edges[1:])])
    chi2, nb = weighted_chi2(s, x.weight, edges, per / per.sum(), total=len(s) * ref)
    assert chi2 < 27


def test_helicity_angle_distribution_dirac():
    # narrow X at 0.08 GeV, π⁰ at rest: cos θ_h of χ in the X rest frame w.r.t. the X direction
    # follows 1 + c² + (1 − β²)(1 − c²) (transverse X*, vector current; e.g. e⁺e⁻ → γ* → μ⁺μ⁻)
    m_x, m_chi = 0.08, 0.03
    model = VectorMediator(m_x, epsilon=1e-3, dark_matter=DarkMatter("dirac", m_chi, 1e-3))
    rng = np.random.default_rng(5)
    x = MesonDecayDMChannel("pi0").produce(beam(111, M_PI0, M_PI0, 200_000), model, rng)
    (_, chib), _ = x.siblings
    xstar = x.p4 + chib
    inv = xstar.copy()
    inv[:, :3] *= -1
    chi_rest = boost(x.p4, inv)
    c = np.sum(chi_rest[:, :3] * xstar[:, :3], axis=1) / (np.linalg.norm(chi_rest[:, :3], axis=1)
                                                          * np.linalg.norm(xstar[:, :3], axis=1))
    b2 = 1 - 4 * m_chi**2 / m_x**2
    edges = np.linspace(-1, 1, 11)
    F = lambda c: (c + c**3 / 3) + (1 - b2) * (c - c**3 / 3)  # noqa: E731  antiderivative
    per = np.array([F(b) - F(a) for a, b in zip(edges[:-1], edges[1:])])
    sel = np.abs(invariant_mass(xstar) - m_x) < 0.01 * m_x   # the resonance (almost all weight)
    chi2, nb = weighted_chi2(c[sel], x.weight[sel], edges, per / per.sum())
    assert chi2 < 30


@settings(max_examples=25, deadline=None)
@given(m_x=st.floats(0.02, 1.0), e=st.floats(0.55, 30.0), seed=st.integers(0, 2**31),
       kind=st.sampled_from(["dirac", "complex_scalar"]))
def test_four_momentum_conservation(m_x, e, seed, kind):
    rng = np.random.default_rng(seed)
    model = VectorMediator(m_x, epsilon=1e-3, dark_matter=DarkMatter(kind, 0.005, 0.1))
    par = beam(221, 0.547862, e, 30, direction=rng.normal(size=3))
    x = MesonDecayDMChannel("eta").produce(par, model, rng)
    (_, chib), (_, g) = x.siblings
    # two tracked rows per parent (χ, then χ̄ of an independent decay), each conserving p4
    assert len(x) == 2 * len(par) and np.array_equal(x.parent_p4, np.concatenate([par.p4, par.p4]))
    assert np.allclose(x.p4 + chib + g, x.parent_p4, rtol=1e-9, atol=1e-10 * e)
    assert np.allclose(invariant_mass(x.p4), 0.005, rtol=1e-3, atol=0)
    assert np.all(np.isfinite(x.weight)) and np.all(x.weight >= 0)


def test_closed_when_2mchi_above_meson():
    model = VectorMediator(0.05, epsilon=1e-3, dark_matter=DarkMatter("dirac", 0.07, 0.5))
    ch = make_channel("pi0_decay_dm")
    assert ch.rate(model) == 0.0
    with pytest.warns(ClosedChannelWarning):
        assert len(ch.produce(beam(111, M_PI0, 1.0, 3), model, np.random.default_rng(0))) == 0
    assert not ch.accepts(VectorMediator.dark_photon(0.05, 1e-3))
