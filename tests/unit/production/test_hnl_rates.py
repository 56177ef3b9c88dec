"""Meson → N branching ratios (darkbeam.production.hnl_rates) against independent values.

* the check values of darkbeam issue 21: BR(K⁺→μ⁺N)/|U_μ4|² = 1.18, 2.26, 2.43 at m_N = 0.1, 0.2,
  0.3 GeV (f_K = 0.1557 GeV, |V_us| = 0.2243, τ_K = 12.380 ns; verified: 1.1790, 2.2563, 2.4299);
* P → ℓN against the spin-summed trace written here, and the tree-level SM limits
  R_e/μ(π) = (m_e/m_μ)²[(m_π² − m_e²)/(m_π² − m_μ²)]² = 1.2834×10⁻⁴ (Marciano–Sirlin 1993 quote the
  tree value before the −3.7 % radiative correction) and BR(K→μν) = 0.623;
* K → πℓN: scipy quadrature of the textbook K_ℓ3 spectrum (massless ν; e.g. Cirigliano et al.,
  Rev. Mod. Phys. 84 (2012) 399, the dΓ/dq² with f₊ and f₀ terms), also with the roles of ℓ and N
  exchanged (massive N, massless ℓ: the symmetric lepton tensor makes the same formula hold), and the
  PDG K_e3, K_μ3 branching ratios (5.07 %, 3.352 %, K_L: 40.55 %, 27.04 %) within 5 % after the
  short-distance factor S_EW = 1.0232 (Sirlin 1982; isospin and long-distance EM corrections of a few
  per cent are not in the tree-level code).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.constants import mass
from darkbeam.production import hnl_rates as r
from scipy import integrate

GF, FK, VUS, VUD, FPI = 1.1663788e-5, 0.1557, 0.2243, 0.97373, 0.1302
MK, MPI, MMU, ME = mass(321), mass(211), mass(13), mass(11)


@pytest.mark.parametrize("m_n, expected", [(0.1, 1.18), (0.2, 2.26), (0.3, 2.43)])
def test_issue_check_values(m_n, expected):
    assert r.two_body_branching_ratio("K+", "mu", m_n) == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize("meson, lep, m_n", [("K+", "mu", 0.15), ("K+", "e", 0.3), ("pi+", "e", 0.1),
                                              ("pi+", "mu", 0.02)])
def test_two_body_against_trace(meson, lep, m_n):
    mp = mass({"K+": 321, "pi+": 211}[meson])
    ml = {"e": ME, "mu": MMU}[lep]
    f, v = (FK, VUS) if meson == "K+" else (FPI, VUD)
    p = math.sqrt((mp**2 - (ml + m_n) ** 2) * (mp**2 - (ml - m_n) ** 2)) / (2 * mp)
    el, en = math.sqrt(p * p + ml * ml), math.sqrt(p * p + m_n * m_n)
    l_q, n_q, l_n = mp * el, mp * en, el * en + p * p
    msq = 4 * GF**2 * v * v * f * f * (2 * l_q * n_q - mp**2 * l_n)     # Σ_spins, P spinless
    assert r.two_body_width(mp, ml, m_n, f, v) == pytest.approx(p * msq / (8 * math.pi * mp**2), rel=1e-12)


def test_sm_limits():
    r_e_mu = r.two_body_width(MPI, ME, 0.0, FPI, VUD) / r.two_body_width(MPI, MMU, 0.0, FPI, VUD)
    assert r_e_mu == pytest.approx((ME / MMU) ** 2 * ((MPI**2 - ME**2) / (MPI**2 - MMU**2)) ** 2, rel=1e-12)
    assert r_e_mu == pytest.approx(1.2834e-4, rel=2e-4)
    assert r.two_body_branching_ratio("K+", "mu", 0.0) == pytest.approx(0.623, abs=1e-3)
    assert r.two_body_branching_ratio("K+", "mu", MK - MMU + 1e-6) == 0.0


def _kl3_textbook(kaon, ml, mnu, c2):
    """∫ dΓ/dt for K → πℓν with one massless lepton; ``ml`` the massive one (scipy)."""
    kid, pid = (321, 111) if kaon == "K+" else (130, 211)
    mk, mp = mass(kid), mass(pid)
    assert mnu == 0.0
    f0_, lp, l0 = 0.9698, 0.0297, 0.0195

    def dgdt(t):
        fp = f0_ * (1 + lp * t / MPI**2)
        f0 = f0_ * (1 + l0 * t / MPI**2)
        lam = (mk**2 - mp**2 - t) ** 2 - 4 * mp**2 * t
        lam = max(lam, 0.0)
        pre = GF**2 * VUS**2 * c2 / (192 * math.pi**3 * mk**3) * (1 - ml * ml / t) ** 2
        return pre * (lam**1.5 * (1 + ml * ml / (2 * t)) * fp * fp
                      + 1.5 * ml * ml / t * (mk**2 - mp**2) ** 2 * math.sqrt(lam) * f0 * f0)
    val, _ = integrate.quad(dgdt, ml * ml, (mk - mp) ** 2, epsrel=1e-10, limit=200)
    return val


@pytest.mark.parametrize("kaon", ["K+", "K_L"])
def test_three_body_massless_neutrino_against_textbook(kaon):
    c2 = 0.5 if kaon == "K+" else 1.0        # K_L: two charge modes of ½ each
    for lep, ml in (("e", ME), ("mu", MMU)):
        assert r.three_body_width(kaon, lep, 1e-9) == pytest.approx(_kl3_textbook(kaon, ml, 0.0, c2), rel=2e-6)


@pytest.mark.parametrize("m_n", [0.1, 0.2, 0.3])
def test_three_body_massive_n_against_textbook(m_n):
    """K → π e N with m_e → 0 is the textbook spectrum with the massive lepton's mass m_N
    (m_e ≠ 0 enters at O(m_e²/m_N²))."""
    ref = _kl3_textbook("K+", m_n, 0.0, 0.5)
    assert r.three_body_width("K+", "e", m_n) == pytest.approx(ref, rel=1e-3)


def test_three_body_pdg_branching_ratios():
    s_ew = 1.0232
    assert r.three_body_branching_ratio("K+", "e", 1e-9) * s_ew == pytest.approx(0.0507, rel=0.05)
    assert r.three_body_branching_ratio("K+", "mu", 1e-9) * s_ew == pytest.approx(0.03352, rel=0.05)
    assert r.three_body_branching_ratio("K_L", "e", 1e-9) * s_ew == pytest.approx(0.4055, rel=0.05)
    assert r.three_body_branching_ratio("K_L", "mu", 1e-9) * s_ew == pytest.approx(0.2704, rel=0.05)
    ratio = r.three_body_branching_ratio("K+", "mu", 1e-9) / r.three_body_branching_ratio("K+", "e", 1e-9)
    assert ratio == pytest.approx(0.03352 / 0.0507, rel=0.015)


def test_three_body_closed_and_linear():
    assert r.three_body_width("K+", "mu", mass(321) - mass(111) - MMU + 1e-4) == 0.0
    assert r.three_body_branching_ratio("K+", "e", 0.2, 3e-6) == pytest.approx(
        3e-6 * r.three_body_branching_ratio("K+", "e", 0.2), rel=1e-12)
    vals = [r.three_body_width("K+", "e", m) for m in np.linspace(0.01, 0.35, 8)]
    assert all(np.diff(vals) < 0)         # phase space closes with m_N


def test_charm_leptonic_pdg():
    """m_N → 0: the SM D_s → μν, τν and D⁺ → μν (PDG 2024: 5.35e-3, 5.36e-2, 3.74e-4; tree level, 5 %)."""
    assert r.two_body_branching_ratio("D_s+", "mu", 0.0) == pytest.approx(5.35e-3, rel=0.05)
    assert r.two_body_branching_ratio("D_s+", "tau", 0.0) == pytest.approx(5.36e-2, rel=0.05)
    assert r.two_body_branching_ratio("D+", "mu", 0.0) == pytest.approx(3.74e-4, rel=0.05)
    # helicity un-suppression: BR(D_s → μN)/|U|² ≫ BR(D_s → μν) at 1 GeV, and closed above m_Ds − m_μ
    assert r.two_body_branching_ratio("D_s+", "mu", 1.0) > 30 * r.two_body_branching_ratio("D_s+", "mu", 0.0)
    assert r.two_body_branching_ratio("D_s+", "mu", mass(431) - MMU + 1e-6) == 0.0


def test_tau_to_hadron_n_against_trace():
    """τ → πN: spin-averaged |M|² = 2G²|V|²f²[2(p_N·q)(p_τ·q) − m_π²(p_N·p_τ)] (symmetric in the
    fermions), Γ = p*|M|²/(8π m_τ²); m_N → 0 is τ → πν (10.63 % at tree level)."""
    mt, m_n = mass(15), 0.8
    p = math.sqrt((mt**2 - (m_n + MPI) ** 2) * (mt**2 - (m_n - MPI) ** 2)) / (2 * mt)
    en, epi = math.sqrt(p * p + m_n * m_n), math.sqrt(p * p + MPI * MPI)
    msq = 2 * GF**2 * VUD**2 * FPI**2 * (2 * (en * epi + p * p) * mt * epi - MPI**2 * mt * en)
    width = p * msq / (8 * math.pi * mt**2)
    br = width * 290.3e-15 / 6.582119569e-25
    assert r.tau_branching_ratio("pi", m_n) == pytest.approx(br, rel=1e-3)
    assert r.tau_branching_ratio("pi", 0.0) == pytest.approx(0.1082 / 1.016, rel=0.005)
    assert r.tau_branching_ratio("rho", mt - mass(213) + 1e-6) == 0.0
