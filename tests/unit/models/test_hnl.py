"""Heavy-neutral-lepton widths (darkbeam.models.hnl) against independent values.

* two-body widths against the spin-summed traces written here by hand (|M|² from
  Tr[p̸_ℓ γ^μ(1−γ⁵) p̸_N γ^ν(1−γ⁵)] contracted with the meson current), Γ = p*|M|²/(8π m_N²);
* three-body widths against scipy double integrals over the Dalitz plot (PDG RPP "Kinematics"
  Eq. 49.22: dΓ = |M̄|²/(256π³M³) dm₁₂² dm₂₃²) of the four-fermion matrix elements written here;
* published numbers: the muon lifetime (PDG 2.1969811 μs; the tree-level width is 0.42 % larger,
  the known O(α) correction 1 + (α/2π)(25/4 − π²), Kinoshita–Sirlin 1959), and the crossed
  τ → πν, Kν, ρν, K*ν branching ratios (PDG 2024: 10.82 %, 0.696 %, 25.49 % (ππ⁰), 1.20 %)
  computed with the same N → ℓP / ℓV formulas for a massless "lepton";
* the Pal–Wolfenstein Majorana N → νγ width 9αG_F²m⁵/(256π⁴) (Phys. Rev. D 25 (1982) 766);
* properties: Majorana = 2 × Dirac, BRs equal, linear in each |U|², vectorised = scalar.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.constants import ALPHA_EM, mass
from darkbeam.models import HeavyNeutralLepton, from_card, hnl
from scipy import integrate

GF = 1.1663788e-5
HBAR_GEV_S = 6.582119569e-25
ME, MMU, MPI, MK, MTAU = mass(11), mass(13), mass(211), mass(321), mass(15)


def _two_body(m, m1, m2):
    """(p*, p1·p2, P·p1, P·p2) of P(m) → 1 + 2 at rest."""
    p = math.sqrt((m * m - (m1 + m2) ** 2) * (m * m - (m1 - m2) ** 2)) / (2 * m)
    e1, e2 = math.sqrt(p * p + m1 * m1), math.sqrt(p * p + m2 * m2)
    return p, e1 * e2 + p * p, m * e1, m * e2


def _gamma_l_pseudoscalar(m, ml, mp, f, v):
    # |M̄|² = ½ (G²/2)|V|²f² q_μq_ν T^{μν} = 2G²|V|²f²[2(q·p_ℓ)(q·p_N) − m_P²(p_ℓ·p_N)], q = p_P
    p, l_q, n_l, n_q = _two_body(m, ml, mp)
    msq = 2 * GF**2 * v**2 * f**2 * (2 * l_q * n_q - mp**2 * n_l)
    return p * msq / (8 * math.pi * m * m)


def _gamma_l_vector(m, ml, mv, f, v):
    # Σ_pol ε_με*_ν = −g_μν + q_μq_ν/m_V²: |M̄|² = G²|V|²f²[2m_V²(p_ℓ·p_N) + 4(q·p_ℓ)(q·p_N)]
    p, l_q, n_l, n_q = _two_body(m, ml, mv)
    msq = GF**2 * v**2 * f**2 * (2 * mv**2 * n_l + 4 * l_q * n_q)
    return p * msq / (8 * math.pi * m * m)


@pytest.mark.parametrize("m", [0.3, 0.45, 0.8, 1.0])
@pytest.mark.parametrize("ml", [ME, MMU])
def test_lepton_pseudoscalar_against_trace(m, ml):
    d, c = hnl.data("decay_constants"), hnl.data("ckm")
    for mp, f, v in ((MPI, d["f_pi"], c["v_ud"]), (MK, d["f_k"], c["v_us"])):
        if m <= ml + mp:
            assert hnl.width_lepton_pseudoscalar(m, ml, mp, f, v) == 0.0
            continue
        assert hnl.width_lepton_pseudoscalar(m, ml, mp, f, v) == pytest.approx(
            _gamma_l_pseudoscalar(m, ml, mp, f, v), rel=1e-12)


@pytest.mark.parametrize("m", [1.0, 1.2])
@pytest.mark.parametrize("ml", [ME, MMU])
def test_lepton_vector_against_trace(m, ml):
    d, c = hnl.data("decay_constants"), hnl.data("ckm")
    for mv, f, v in ((mass(213), d["f_rho"], c["v_ud"]), (mass(323), d["f_kstar"], c["v_us"])):
        if m <= ml + mv:
            continue
        assert hnl.width_lepton_vector(m, ml, mv, f, v) == pytest.approx(_gamma_l_vector(m, ml, mv, f, v), rel=1e-12)


def test_crossed_tau_branching_ratios_pdg():
    """τ → Pν, Vν are N → ℓP, ℓV with m_N → m_τ, m_ℓ → 0 (spin-averaged parent, same trace)."""
    d, c = hnl.data("decay_constants"), hnl.data("ckm")
    to_br = 290.3e-15 / HBAR_GEV_S          # τ_τ = 290.3 fs (PDG 2024)
    br_pi = hnl.width_lepton_pseudoscalar(MTAU, 0.0, MPI, d["f_pi"], c["v_ud"]) * to_br
    br_k = hnl.width_lepton_pseudoscalar(MTAU, 0.0, MK, d["f_k"], c["v_us"]) * to_br
    br_rho = hnl.width_lepton_vector(MTAU, 0.0, mass(213), d["f_rho"], c["v_ud"]) * to_br
    br_kst = hnl.width_lepton_vector(MTAU, 0.0, mass(323), d["f_kstar"], c["v_us"]) * to_br
    # tree level; the π mode carries a +1.6 % radiative correction (Decker–Finkemeier 1995)
    assert br_pi == pytest.approx(0.1082 / 1.016, rel=0.005)
    assert br_k == pytest.approx(0.00696, rel=0.02)
    assert br_rho == pytest.approx(0.2549, rel=0.02)
    assert br_kst == pytest.approx(0.0120, rel=0.03)


def _dalitz(m, m1, m2, m3, msq):
    """Γ = ∫∫ |M̄|²(s12, s23)/(256π³m³) over the Dalitz plot of m → 1 2 3 (scipy)."""
    def lim(s12):
        e2 = (s12 - m1 * m1 + m2 * m2) / (2 * math.sqrt(s12))
        e3 = (m * m - s12 - m3 * m3) / (2 * math.sqrt(s12))
        p2, p3 = math.sqrt(max(e2 * e2 - m2 * m2, 0)), math.sqrt(max(e3 * e3 - m3 * m3, 0))
        return (e2 + e3) ** 2 - (p2 + p3) ** 2, (e2 + e3) ** 2 - (p2 - p3) ** 2
    val, _ = integrate.dblquad(lambda s23, s12: msq(s12, s23), (m1 + m2) ** 2, (m - m3) ** 2,
                               lambda s: lim(s)[0], lambda s: lim(s)[1], epsabs=0, epsrel=1e-9)
    return val / (256 * math.pi**3 * m**3)


def _nu_ll_msq(m, ml, gl, gr):
    # 1 = ℓ⁻, 2 = ℓ⁺, 3 = ν: |M̄|² = 64G²[g_L²(N·ℓ⁺)(ν·ℓ⁻) + g_R²(N·ℓ⁻)(ν·ℓ⁺) + g_L g_R m_ℓ²(N·ν)]
    def f(s12, s23):
        s13 = m * m + 2 * ml * ml - s12 - s23
        n_lp, nu_lm = (m * m + ml * ml - s13) / 2, (s13 - ml * ml) / 2
        n_lm, nu_lp = (m * m + ml * ml - s23) / 2, (s23 - ml * ml) / 2
        n_nu = (m * m - s12) / 2
        return 64 * GF**2 * (gl * gl * n_lp * nu_lm + gr * gr * n_lm * nu_lp + gl * gr * ml * ml * n_nu)
    return f


@pytest.mark.parametrize("m, ml", [(0.3, MMU), (0.5, MMU), (0.25, MMU), (0.05, ME), (0.6, ME)])
@pytest.mark.parametrize("same", [False, True])
def test_nu_ll_against_dalitz_integral(m, ml, same):
    s2 = hnl.data("electroweak")["sin2_theta_w"]
    gl, gr = (-0.5 + s2 + (1.0 if same else 0.0)), s2
    ref = _dalitz(m, ml, ml, 0.0, _nu_ll_msq(m, ml, gl, gr))
    assert hnl.width_nu_ll(m, ml, same) == pytest.approx(ref, rel=1e-6)


@pytest.mark.parametrize("m, ma, mb", [(0.3, ME, MMU), (0.3, MMU, ME), (0.8, MMU, ME), (1.0, ME, MMU)])
def test_ll_nu_against_dalitz_integral(m, ma, mb):
    # 1 = ℓ_α⁻, 2 = ℓ_β⁺, 3 = ν_β: |M̄|² = 64G²(N·ℓ_β⁺)(ℓ_α⁻·ν_β)
    def msq(s12, s23):
        s13 = m * m + ma * ma + mb * mb - s12 - s23
        return 64 * GF**2 * (m * m + mb * mb - s13) / 2 * (s13 - ma * ma) / 2
    assert hnl.width_ll_nu(m, ma, mb) == pytest.approx(_dalitz(m, ma, mb, 0.0, msq), rel=1e-6)


def test_muon_lifetime_pdg():
    """The charged-current kernel with N → μ, ℓ_α → e (massless ν's) is muon decay."""
    gamma_tree = hnl.width_ll_nu(MMU, ME, 0.0)
    x = (ME / MMU) ** 2
    f = 1 - 8 * x + 8 * x**3 - x**4 - 12 * x * x * math.log(x)
    assert gamma_tree == pytest.approx(GF**2 * MMU**5 / (192 * math.pi**3) * f, rel=1e-9)
    rad = 1 + ALPHA_EM / (2 * math.pi) * (25 / 4 - math.pi**2)
    assert HBAR_GEV_S / (gamma_tree * rad) == pytest.approx(2.1969811e-6, rel=3e-4)


def test_three_nu_and_nu_gamma_closed_forms():
    m = np.array([0.01, 0.1, 1.0])
    assert np.allclose(hnl.width_three_nu(m), GF**2 * m**5 / (192 * math.pi**3), rtol=1e-12)
    maj = HeavyNeutralLepton(0.05, U2_e=1e-3, majorana=True)
    assert maj.width("nu gamma") == pytest.approx(9 * ALPHA_EM * GF**2 * 0.05**5 * 1e-3 / (256 * math.pi**4), rel=1e-12)


def test_massless_lepton_limits():
    """m_ℓ → 0: ν ℓℓ → C₁ G²m⁵/192π³ (C₁ = g_L² + g_R²), ℓℓν → G²m⁵/192π³ (the muon rate)."""
    s2 = hnl.data("electroweak")["sin2_theta_w"]
    base = GF**2 * 2.0**5 / (192 * math.pi**3)
    assert hnl.width_nu_ll(2.0, 1e-6, False) == pytest.approx(base * ((s2 - 0.5) ** 2 + s2 * s2), rel=1e-6)
    assert hnl.width_nu_ll(2.0, 1e-6, True) == pytest.approx(base * ((s2 + 0.5) ** 2 + s2 * s2), rel=1e-6)
    assert hnl.width_ll_nu(2.0, 1e-6, 1e-6) == pytest.approx(base, rel=1e-6)


def test_vectorised_equals_scalar():
    m = np.linspace(0.02, 1.0, 13)
    for f, args in ((hnl.width_nu_ll, (MMU, True)), (hnl.width_ll_nu, (ME, MMU)),
                    (hnl.width_lepton_pseudoscalar, (MMU, MPI, 0.13, 0.97))):
        vec = f(m, *args)
        assert vec.shape == m.shape
        assert np.allclose(vec, [f(float(x), *args) for x in m], rtol=1e-13, atol=0)


def test_thresholds_closed():
    n = HeavyNeutralLepton(0.2, U2_mu=1e-5)
    w = n._partial_widths()
    assert w["mu pi"] == 0.0 and w["mu+mu-"] == 0.0 and w["nu eta"] == 0.0
    assert w["e pi"] == 0.0          # no electron mixing
    assert w["nu pi0"] > 0 and w["e mu"] > 0   # e mu: μ⁻e⁺ν_e needs U_μ, open at 0.2 GeV


@pytest.mark.parametrize("m", [0.05, 0.3, 0.45, 0.9])
def test_majorana_is_twice_dirac(m):
    kw = {"U2_e": 2e-6, "U2_mu": 1e-5, "U2_tau": 3e-6}
    dirac, maj = HeavyNeutralLepton(m, **kw), HeavyNeutralLepton(m, majorana=True, **kw)
    assert maj.total_width() == pytest.approx(2 * dirac.total_width(), rel=1e-13)
    for ch, br in dirac.branching_ratios().items():
        assert maj.branching_ratios()[ch] == pytest.approx(br, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("m", [0.1, 0.4, 0.9])
def test_linear_in_each_mixing(m):
    parts = [HeavyNeutralLepton(m, **{k: 1e-4}) for k in ("U2_e", "U2_mu", "U2_tau")]
    both = HeavyNeutralLepton(m, U2_e=1e-4, U2_mu=1e-4, U2_tau=1e-4)
    for ch, w in both._partial_widths().items():
        assert w == pytest.approx(sum(p._partial_widths()[ch] for p in parts), rel=1e-12, abs=1e-300)
    assert both.with_couplings(U2_mu=2e-4).total_width() == pytest.approx(
        both.total_width() + parts[1].total_width(), rel=1e-12)


def test_light_hnl_lifetime_closed_form():
    """Below 2m_e only νν ν̄ and νγ: Γ = G²m⁵U²/(192π³)(1 + 27α/(8π)) for Dirac N."""
    m, u2 = 0.9e-3, 1e-2
    n = HeavyNeutralLepton(m, U2_mu=u2)
    ref = GF**2 * m**5 * u2 / (192 * math.pi**3) * (1 + 27 * ALPHA_EM / (8 * math.pi))
    assert n.total_width() == pytest.approx(ref, rel=1e-12)


def test_from_card():
    n = from_card({"type": "hnl", "mass": "250 MeV", "U2_mu": 1e-7, "majorana": True})
    assert isinstance(n, HeavyNeutralLepton) and n.mass == pytest.approx(0.25) and n.majorana
    assert n.couplings() == {"U2_e": 0.0, "U2_mu": 1e-7, "U2_tau": 0.0}
    with pytest.raises(ValueError, match="model.U2_mu"):
        from_card({"type": "hnl", "mass": 0.25})
    with pytest.raises(ValueError, match="model.U2_e = 2"):
        from_card({"type": "hnl", "mass": 0.25, "U2_e": 2})
    with pytest.raises(ValueError, match="model.majorana"):
        from_card({"type": "hnl", "mass": 0.25, "U2_e": 1e-6, "majorana": "yes"})
    with pytest.raises(ValueError, match="model.U_mu"):
        from_card({"type": "hnl", "mass": 0.25, "U_mu": 1e-6})


def test_validity_warning_above_one_gev():
    from darkbeam.models import ModelValidityWarning
    with pytest.warns(ModelValidityWarning, match="multi-meson"):
        HeavyNeutralLepton(1.5, U2_mu=1e-6).total_width()
