"""Decays in flight: log-safe probabilities (§5.3 check values), decay-point distributions,
polarized two-body angular distributions, χ₂ → χ₁e⁺e⁻ with its matrix element, and four-momentum
conservation (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.integrate import quad

from darkbeam.decays import DecaySignal, ThreeBodyDalitz, log_probability_in_segment, weight_from_logs
from darkbeam.kinematics import two_body_decay
from darkbeam.models import ALP, DarkMatter, VectorMediator
from darkbeam.production.base import DarkParticles


# ------------------------------------------------------------------ §5.3 check values
@pytest.mark.parametrize("L, p, lnp", [(1e12, 5.000000e-12, -26.021583), (1e3, 4.512895e-3, None),
                                       (50.0, 1.287885e-2, None), (1.0, 3.695010e-44, -100.006761),
                                       (0.1, 0.0, -1000.000000)])
def test_log_probability_check_values(L, p, lnp):
    got = log_probability_in_segment(100.0, 105.0, L)
    if lnp is not None:
        assert float(got) == pytest.approx(lnp, abs=1e-6)
    if p > 0:
        assert math.exp(float(got)) == pytest.approx(p, rel=1e-6, abs=0)
    # combined with other log-weights before exponentiating: P·10⁴⁰⁰ stays finite
    if L == 0.1:
        assert float(weight_from_logs(got, np.log(10.0) * 440)) == pytest.approx(math.exp(-1000 + 440 * math.log(10)), rel=1e-9)


def alp_beam(h, energy, m_a, n, rng=None):
    return h.beam(energy, m_a, 9000005, n, parent_pdg=22)


def ctau_alp(g, m):
    """cτ (m) of a → γγ, Γ = g² m³/64π (formulas-detection.md §2.1), ħc = 1.973269804e-16 GeV m."""
    return 1.973269804e-16 / (g * g * m**3 / (64 * math.pi))


def test_decay_points_long_lifetime_uniform(h, rng):
    g, m, e = 1e-6, 0.01, 1.0
    L = ctau_alp(g, m) * math.sqrt(e * e - m * m) / m
    assert L > 1e5
    out = DecaySignal("gammagamma").apply(alp_beam(h, e, m, 4000), h.Slab(), ALP(m, g_agg=g), rng)
    frac = (out["vtx"][:, 2] - 100.0) / 5.0
    assert stats.kstest(frac, "uniform").pvalue > 1e-3
    np.testing.assert_allclose(out["p_decay"], math.exp(-100 / L) * -math.expm1(-5 / L), rtol=1e-9)
    assert np.all(out["br"] == 1.0)


def test_decay_points_short_lifetime_at_entry(h, rng):
    """L = 0.5 m on a 5 m chord: truncated exponential; mean ℓ_in + L − Δe^{−Δ/L}/(1 − e^{−Δ/L}) (§5.4)."""
    m, e = 0.01, 0.1
    bg = math.sqrt(e * e - m * m) / m
    g = math.sqrt(1.973269804e-16 * 64 * math.pi / m**3 * bg / 0.5)   # L = 0.5 m
    out = DecaySignal("gammagamma").apply(alp_beam(h, e, m, 20000), h.Slab(z0=2.0, z1=7.0), ALP(m, g_agg=g), rng)
    d = out["vtx"][:, 2] - 2.0
    L, span = 0.5, 5.0
    assert d.mean() == pytest.approx(L - span * math.exp(-span / L) / -math.expm1(-span / L), abs=4 * L / math.sqrt(20000))
    assert stats.kstest(d, lambda s: -np.expm1(-s / L) / -math.expm1(-span / L)).pvalue > 1e-3
    assert np.median(d) < 0.4


def test_underflowing_decay_probability_is_carried_in_logs(h, rng):
    m, e, g = 0.1, 1.0, 1e-3
    L = ctau_alp(g, m) * math.sqrt(e * e - m * m) / m
    out = DecaySignal("gammagamma").apply(alp_beam(h, e, m, 10), h.Slab(), ALP(m, g_agg=g), rng)
    assert 100.0 / L > 1e5
    assert np.all(out["p_decay"] == 0.0)
    np.testing.assert_allclose(out["log_p_decay"], -100.0 / L + math.log(-math.expm1(-5.0 / L)), rtol=1e-8)


# ------------------------------------------------------------------ polarization (P → γX, X → ff̄, ππ)
def meson_at_rest_to_gamma_x(m_x, n, rng, m_par=0.1349768, pdg=111):
    """π⁰ (or η) at rest in the lab → γ X, X isotropic (so the lab is the meson frame)."""
    par = np.tile([0.0, 0.0, 0.0, m_par], (n, 1))
    u = rng.random((n, 2))
    gam, x = two_body_decay(par, 0.0, m_x, u[:, 0], u[:, 1])
    z3 = np.zeros((n, 3))
    return DarkParticles(55, m_x, x, z3, np.zeros(n), np.ones(n), z3, np.zeros(n), np.full(n, pdg), par, z3,
                         ((22, gam),))


class Everywhere:
    material = "LAr"

    def intersect(self, o, d):
        return np.zeros(len(o)), np.full(len(o), 1e9)


def helicity_cos(x_p4, k_lab, m_x, m_d):
    """cosθ* of a daughter in the X rest frame w.r.t. X's lab direction (π⁰ at rest: lab = π⁰ frame),
    from E_lab = γ(E* + β p* cosθ*) — written here independently of the code's boost."""
    p = np.linalg.norm(x_p4[:, :3], axis=1)
    gamma, beta = x_p4[:, 3] / m_x, p / x_p4[:, 3]
    p_star = math.sqrt(m_x**2 / 4 - m_d**2)
    e_star = m_x / 2
    return (k_lab[:, 3] / gamma - e_star) / (beta * p_star)


@pytest.mark.parametrize("final, m_d, m_x, m_par, pdg", [("e+e-", 0.51099895e-3, 0.12, 0.1349768, 111),
                                                         ("mu+mu-", 0.1056583755, 0.25, 0.547862, 221)])
def test_transverse_vector_to_fermions(rng, final, m_d, m_x, m_par, pdg):
    """(2 − β²) + β² cos²θ about X's direction in the meson frame (meson at rest)."""
    n = 40000
    x = meson_at_rest_to_gamma_x(m_x, n, rng, m_par, pdg)
    model = VectorMediator.dark_photon(m_x, 1e-6)
    out = DecaySignal(final).apply(x, Everywhere(), model, rng)
    c = helicity_cos(out["x"].p4, out["products"][0][1], m_x, m_d)
    b2 = 1 - 4 * m_d**2 / m_x**2
    cdf = lambda t: ((2 - b2) * (t + 1) + b2 * (t**3 + 1) / 3) / (2 * (2 - b2) + 2 * b2 / 3)
    assert stats.kstest(c, cdf).pvalue > 1e-3
    # and clearly not isotropic
    assert stats.kstest(c, "uniform", args=(-1, 2)).pvalue < 1e-3
    iso = DecaySignal(final, polarization="isotropic").apply(x, Everywhere(), model, rng)
    c_iso = helicity_cos(iso["x"].p4, iso["products"][0][1], m_x, m_d)
    assert stats.kstest(c_iso, "uniform", args=(-1, 2)).pvalue > 1e-3


def test_helicity_sum_is_isotropic():
    """Σ over λ = ±1, 0 of the fermion distributions is flat: 2[(2 − β²) + β²c²] + 2(1 − c²)·… (derivation
    in darkbeam.decays.two_body): transverse (2 − β²) + β²c², longitudinal 2(1 − c²) + 2(1 − β²)c²."""
    for b2 in (0.1, 0.5, 0.99):
        c = np.linspace(-1, 1, 7)
        tot = 2 * ((2 - b2) + b2 * c * c) + 2 * (1 - c * c) + 2 * (1 - b2) * c * c
        np.testing.assert_allclose(tot, tot[0], rtol=1e-14)
        # both normalisations equal (each helicity decays at the same rate)
        t = quad(lambda c: (2 - b2) + b2 * c * c, -1, 1)[0]
        lo = quad(lambda c: 2 * (1 - c * c) + 2 * (1 - b2) * c * c, -1, 1)[0]
        assert t == pytest.approx(lo, rel=1e-12)


def test_transverse_vector_to_pions():
    """X → π⁺π⁻ from a transverse X: sin²θ. Vector from η → γX (η at rest), m_X = 0.4 GeV."""
    rng = np.random.default_rng(5)
    n, m_x, m_eta, m_pi = 30000, 0.4, 0.547862, 0.13957039
    par = np.tile([0.0, 0.0, 0.0, m_eta], (n, 1))
    u = rng.random((n, 2))
    gam, xp4 = two_body_decay(par, 0.0, m_x, u[:, 0], u[:, 1])
    z3 = np.zeros((n, 3))
    x = DarkParticles(55, m_x, xp4, z3, np.zeros(n), np.ones(n), z3, np.zeros(n), np.full(n, 221), par, z3, ((22, gam),))
    out = DecaySignal("pi+pi-").apply(x, Everywhere(), VectorMediator.dark_photon(m_x, 1e-5), rng)
    c = helicity_cos(out["x"].p4, out["products"][0][1], m_x, m_pi)
    assert stats.kstest(c, lambda t: (3 * (t + 1) - (t**3 + 1)) / 4).pvalue > 1e-3


# ------------------------------------------------------------------ χ₂ → χ₁ e⁺e⁻
def msq_typed(s12, s23, m2, m1, me, mx):
    """|M|² of formulas-detection.md §1.8 (b), typed here (constant prefactor dropped)."""
    p1p2 = (s12 - 2 * me * me) / 2
    s13 = m2 * m2 + m1 * m1 + 2 * me * me - s12 - s23
    kp1 = (s13 - me * me - m1 * m1) / 2
    kp2 = (s23 - me * me - m1 * m1) / 2
    kP = kp1 + kp2 + m1 * m1
    xa, xb = kP - m1 * m2, p1p2 + me * me
    tr = 2 * kp1 * (me * me + p1p2 + kp2) + 2 * kp2 * (me * me + p1p2 + kp1) - 2 * kP * xb - 2 * p1p2 * xa + 4 * xa * xb
    return tr / (s12 - mx * mx) ** 2


def s23_limits(s12, m2, m1, me):
    """PDG RPP kinematics (49.23): E₂* = √s12/2, E₃* = (M² − s12 − m₃²)/(2√s12)."""
    e2 = math.sqrt(s12) / 2
    e3 = (m2 * m2 - s12 - m1 * m1) / (2 * math.sqrt(s12))
    p2, p3 = math.sqrt(max(e2 * e2 - me * me, 0)), math.sqrt(max(e3 * e3 - m1 * m1, 0))
    return me * me + m1 * m1 + 2 * (e2 * e3 - p2 * p3), me * me + m1 * m1 + 2 * (e2 * e3 + p2 * p3)


def test_three_body_s12_spectrum_matches_matrix_element(h):
    m1, m2, mx = 0.1, 0.14, 0.3
    dal = ThreeBodyDalitz(m2, m1, h.ME, mx)
    rng = np.random.default_rng(11)
    s12, s23 = dal.sample(rng, 60000)
    lo, hi = 4 * h.ME**2, (m2 - m1) ** 2
    assert np.all((s12 >= lo) & (s12 <= hi))
    marg = lambda s: quad(lambda t: msq_typed(s, t, m2, m1, h.ME, mx), *s23_limits(s, m2, m1, h.ME))[0]
    edges = np.geomspace(lo, hi, 15)
    w = np.array([quad(marg, a, b, limit=100)[0] for a, b in zip(edges[:-1], edges[1:])])
    exp = w / w.sum() * len(s12)
    obs, _ = np.histogram(s12, edges)
    chi2 = np.sum((obs - exp) ** 2 / exp)
    assert stats.chi2.sf(chi2, len(exp) - 1) > 1e-3, chi2
    # s23 inside its Dalitz range
    lim = np.array([s23_limits(s, m2, m1, h.ME) for s in s12[:200]])
    assert np.all((s23[:200] >= lim[:, 0] - 1e-12) & (s23[:200] <= lim[:, 1] + 1e-12))


def test_three_body_signal(h, rng):
    dm = DarkMatter("inelastic", 0.1, 0.1, 0.04)
    model = VectorMediator(0.3, epsilon=1e-3, dark_matter=dm)
    sig = DecaySignal("chi1e+e-")
    assert sig.closed_reason(model) is None
    ctau, br = sig.ctau_and_br(model)
    assert br == 1.0                                   # Δ = 40 MeV < 2 m_μ
    assert ctau == pytest.approx(0.392, rel=5e-3)      # formulas-detection.md §1.8 table: cτ = 0.392 m
    x = h.beam(1.0, 0.14, 9000052, 2000)
    out = sig.apply(x, h.Slab(), model, rng)
    assert [p for p, _ in out["products"]] == [52, 11, -11]
    assert DecaySignal("chi1mu+mu-").closed_reason(model) is not None


@settings(max_examples=30, deadline=None)
@given(final=st.sampled_from(["e+e-", "mu+mu-", "pi+pi-", "gammagamma", "chi1e+e-"]),
       log_p=st.floats(-1.0, 2.0), theta=st.floats(0, 0.3), seed=st.integers(0, 2**31))
def test_decay_four_momentum_conservation(h, final, log_p, theta, seed):
    rng = np.random.default_rng(seed)
    if final == "gammagamma":
        model, m, pdg = ALP(0.3, g_agg=1e-4), 0.3, 9000005
    elif final == "chi1e+e-":
        model = VectorMediator(0.3, epsilon=1e-3, dark_matter=DarkMatter("inelastic", 0.1, 0.1, 0.03))
        m, pdg = 0.13, 9000052
    else:
        model, m, pdg = VectorMediator.dark_photon(0.6, 1e-5), 0.6, 55
    p = 10**log_p
    d = (math.sin(theta), 0.0, math.cos(theta))
    x = h.beam(math.hypot(p, m), m, pdg, 50, direction=d, parent_pdg=111, siblings=((22, np.zeros((50, 4))),))
    out = DecaySignal(final).apply(x, h.Slab(half=100.0), model, rng)
    prods = [k for _, k in out["products"]]
    np.testing.assert_allclose(sum(prods), out["x"].p4, rtol=1e-9, atol=1e-9 * x.p4[0, 3])
    masses = {"e+e-": [0.51099895e-3] * 2, "mu+mu-": [0.1056583755] * 2, "pi+pi-": [0.13957039] * 2,
              "gammagamma": [0.0, 0.0], "chi1e+e-": [0.1, 0.51099895e-3, 0.51099895e-3]}[final]
    for k, mk in zip(prods, masses):
        m2 = k[:, 3] ** 2 - np.sum(k[:, :3] ** 2, axis=1)
        np.testing.assert_allclose(m2, mk * mk, atol=1e-8 * k[0, 3] ** 2)
    assert np.all(np.isfinite(out["p_decay"])) and np.all(out["p_decay"] >= 0)
