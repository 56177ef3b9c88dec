"""Dipole portal: N → νγ width and ν T → N T up-scattering against Dirac traces evaluated here.

The traces use explicit 4×4 gamma matrices (Weyl basis) and the vertex of 𝓛 = d ν̄_L σ_μν F^μν N + h.c.
(2d σ_μν q^μ ε^ν P_R): an evaluation of the amplitude independent of the closed forms in the code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.models.dipole import DipoleHNL
from darkbeam.scattering import dipole
from scipy import integrate

ALPHA = 1 / 137.035999084
GEV2CM2 = 0.3893793721e-27
HBARC_M = 1.973269804e-16
M_E = 0.51099895e-3
M_AR = 37.2155       # ⁴⁰Ar nucleus, GeV

_Z2, _I2 = np.zeros((2, 2)), np.eye(2)
_PAULI = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex)]
GAMMA = [np.block([[_Z2, _I2], [_I2, _Z2]]).astype(complex)] + [np.block([[_Z2, s], [-s, _Z2]]) for s in _PAULI]
G5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
ETA = np.diag([1.0, -1.0, -1.0, -1.0])
PR, PL, ONE = (np.eye(4) + G5) / 2, (np.eye(4) - G5) / 2, np.eye(4)
SIGMA = [[0.5j * (GAMMA[m] @ GAMMA[n] - GAMMA[n] @ GAMMA[m]) for n in range(4)] for m in range(4)]


def slash(p):
    return sum(ETA[m, m] * p[m] * GAMMA[m] for m in range(4))


def bar(a):
    return GAMMA[0] @ a.conj().T @ GAMMA[0]


def vertex(q, d):
    """Γ_ν = 2d σ_μν q^μ (lower index ν), the photon vertex of d ν̄σFN (both terms of F^μν)."""
    return [2 * d * sum(ETA[m, m] * ETA[n, n] * SIGMA[m][n] * q[m] for m in range(4)) for n in range(4)]


def width_trace(m, d):
    """Γ(N → ν_L γ) at rest: |p|/(8π m²) · ½ Σ|M|², Σ_pol ε ε* → −g."""
    p_n = np.array([m, 0, 0, 0.0])
    q = np.array([m / 2, 0, 0, m / 2])
    k = p_n - q
    v = vertex(q, d)
    m2 = sum(-ETA[n, n] * np.trace(slash(k) @ v[n] @ PR @ (slash(p_n) + m * ONE) @ bar(v[n] @ PR)).real
             for n in range(4))
    return (m / 2) / (8 * math.pi * m * m) * m2 / 2


def final_state(e_nu, e_r, m_n, big_m):
    k = np.array([e_nu, 0, 0, e_nu])
    p = np.array([big_m, 0, 0, 0.0])
    e_t = big_m + e_r
    p_t = math.sqrt(e_t**2 - big_m**2)
    c = (e_nu**2 + p_t**2 - ((e_nu - e_r) ** 2 - m_n**2)) / (2 * e_nu * p_t)
    assert abs(c) <= 1
    pp = np.array([e_t, p_t * math.sqrt(1 - c * c), 0, p_t * c])
    return k, p, pp, k + p - pp


def dsigma_trace(e_nu, e_r, m_n, big_m, d, spin):
    """dσ/dE_r (GeV⁻³) from the trace, target of unit charge, spin ½ (γ^μ) or 0 ((p + p′)^μ)."""
    e = math.sqrt(4 * math.pi * ALPHA)
    k, p, pp, kp = final_state(e_nu, e_r, m_n, big_m)
    q = k - kp
    q2 = q[0] ** 2 - q[1:] @ q[1:]
    v = vertex(q, d)
    lep = [[np.trace((slash(kp) + m_n * ONE) @ v[a] @ PL @ slash(k) @ bar(v[b] @ PL)) for b in range(4)]
           for a in range(4)]
    if spin == 0:
        j = e * (p + pp)
        m2 = sum(lep[a][b] * j[a] * j[b] for a in range(4) for b in range(4)).real
    else:
        had = [[e * e * np.trace((slash(pp) + big_m * ONE) @ GAMMA[a] @ (slash(p) + big_m * ONE) @ GAMMA[b]) / 2
                for b in range(4)] for a in range(4)]
        m2 = sum(lep[a][b] * had[a][b] for a in range(4) for b in range(4)).real
    s = big_m**2 + 2 * big_m * e_nu
    return m2 / q2**2 / (16 * math.pi * (s - big_m**2) ** 2) * 2 * big_m


def test_width_check_values_of_the_issue():
    """Γ = |d|² m³/(4π): d = 1e-6 GeV⁻¹, 100 MeV → 7.958e-17 GeV, cτ = 2.48 m; 1e-7, 50 MeV → 1.98 km."""
    n = DipoleHNL(0.1, 1e-6)
    assert n.total_width() == pytest.approx(7.958e-17, rel=1e-4, abs=0)
    assert n.ctau() == pytest.approx(2.48, rel=2e-3)
    assert DipoleHNL(0.05, 1e-7).ctau() == pytest.approx(1980.0, rel=2e-3)


@pytest.mark.parametrize("m, d", [(0.1, 1e-6), (0.02, 3e-8)])
def test_width_equals_the_dirac_trace(m, d):
    assert DipoleHNL(m, d).total_width() == pytest.approx(width_trace(m, d), rel=1e-12, abs=0)


def test_majorana_doubles_the_width_with_equal_channels():
    dirac, maj = DipoleHNL(0.1, 1e-6), DipoleHNL(0.1, 1e-6, majorana=True)
    assert maj.total_width() == pytest.approx(2 * dirac.total_width(), rel=1e-14, abs=0)
    assert maj.branching_ratios() == {"nu gamma": 0.5, "nubar gamma": 0.5}
    assert HBARC_M / maj.total_width() == pytest.approx(maj.ctau(), rel=1e-6)


@pytest.mark.parametrize("e_nu, m_n", [(0.03, 0.0), (0.03, 0.003), (0.5, 0.02), (2.0, 0.03)])
@pytest.mark.parametrize("frac", [0.01, 0.3, 0.9])
def test_electron_target_equals_the_spin_half_trace(e_nu, m_n, frac):
    lo, hi = dipole.recoil_range(e_nu, m_n, M_E)
    e_r = lo + (hi - lo) * frac if lo > 0 else hi * frac
    got = dipole.dsigma_derecoil(e_r, e_nu, m_n, 1e-6, 1, M_E)
    assert got == pytest.approx(dsigma_trace(e_nu, e_r, m_n, M_E, 1e-6, 0.5) * GEV2CM2, rel=1e-7, abs=0)


@pytest.mark.parametrize("e_nu, m_n, tol", [(0.05, 0.01, 1e-5), (1.0, 0.1, 1e-3)])
@pytest.mark.parametrize("frac", [0.01, 0.5, 0.95])
def test_argon_agrees_with_the_spin_zero_trace_to_order_er_over_m(e_nu, m_n, tol, frac):
    lo, hi = dipole.recoil_range(e_nu, m_n, M_AR)
    e_r = lo + (hi - lo) * frac
    got = dipole.dsigma_derecoil(e_r, e_nu, m_n, 1e-6, 18, M_AR)
    ref = 18**2 * dsigma_trace(e_nu, e_r, m_n, M_AR, 1e-6, 0) * GEV2CM2
    assert got == pytest.approx(ref, rel=tol, abs=0)


@pytest.mark.parametrize("e_nu, m_n, big_m", [(0.03, 0.01, M_AR), (1.0, 0.2, M_E * 2000), (0.5, 0.02, M_E)])
def test_recoil_range_from_brute_force_kinematics(e_nu, m_n, big_m):
    """Lab-frame scan (independent of the centre-of-mass formulae): at each N angle solve energy
    conservation E_ν + M = E_N + √(M² + E_ν² + p² − 2E_ν p cos θ) for p (brentq on bracketed roots)."""
    from scipy.optimize import brentq

    def g(p, c):
        return e_nu + big_m - math.sqrt(p * p + m_n * m_n) - math.sqrt(big_m**2 + e_nu**2 + p * p - 2 * e_nu * p * c)

    grid = np.linspace(0.0, e_nu, 1001)
    recoils = []
    for c in np.linspace(-1.0, 1.0, 201):
        vals = np.array([g(p, c) for p in grid])
        for i in np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:])):
            p = brentq(g, grid[i], grid[i + 1], args=(c,), xtol=1e-15, rtol=1e-14)
            recoils.append(e_nu - math.sqrt(p * p + m_n * m_n))
    lo, hi = dipole.recoil_range(e_nu, m_n, big_m)
    assert hi == pytest.approx(max(recoils), rel=1e-9, abs=0)
    assert lo == pytest.approx(min(recoils), rel=1e-7, abs=0)   # the minimum is at 0° (in the scan)


def test_below_threshold_is_closed():
    m_n = 0.1
    thr = m_n + m_n**2 / (2 * M_AR)
    lo, hi = dipole.recoil_range(thr * 0.999, m_n, M_AR)
    assert np.isnan(lo) and np.isnan(hi)
    assert dipole.sigma(thr * 0.999, m_n, 1e-6, 18, M_AR) == 0.0
    assert dipole.sigma(thr * 1.01, m_n, 1e-6, 18, M_AR) > 0.0


@pytest.mark.parametrize("e_nu, m_n, big_m, z", [(0.0298, 0.01, M_AR, 18), (1.0, 0.1, M_AR, 18), (0.5, 0.02, M_E, 1)])
def test_total_cross_section_against_scipy(e_nu, m_n, big_m, z):
    """σ = ∫ dσ/dE_r: scipy quad (in ln E_r) of the module formula written out in the test, with a
    Gaussian form factor exp(−q²/Λ²/2) that the code takes as a callable."""
    lam = 0.1

    def ff(q):
        return np.exp(-np.asarray(q) ** 2 / lam**2 / 2)

    def ds(er):
        e, m2, mm = e_nu, m_n**2, big_m
        br = 1 / er - 1 / e + m2 * (er - 2 * e - mm) / (4 * e * e * mm * er) + m2 * m2 * (er - mm) / (8 * e * e * mm * mm * er * er)
        q2 = 2 * mm * er + er * er
        return 4 * ALPHA * 1e-12 * z * z * math.exp(-q2 / lam**2) * br * GEV2CM2

    lo, hi = dipole.recoil_range(e_nu, m_n, big_m)
    ref = integrate.quad(lambda u: ds(math.exp(u)) * math.exp(u), math.log(lo), math.log(hi), limit=400,
                         epsrel=1e-10)[0]
    assert dipole.sigma(e_nu, m_n, 1e-6, z, big_m, form_factor=ff) == pytest.approx(ref, rel=1e-5, abs=0)


def test_massless_n_needs_a_recoil_threshold():
    with pytest.raises(ValueError, match="recoil_min"):
        dipole.sigma(0.03, 0.0, 1e-6, 1, M_E)
    assert dipole.sigma(0.03, 0.0, 1e-6, 1, M_E, recoil_min=1e-3) > 0
