"""U(1)_T3R quark couplings derived from seed000's Lagrangian, independently of the preset.

The question (issue 20, item 6): the preset gives u, d the vector coupling ±g/2, while seed000's
production rescaling (Eqs. (7)–(8): events × (π/αf)² = (g/εe)²) treats g as the vector coupling.
Derivation (seed000 §1.1–1.2, /work/shared/reference/seed000.md):

1. f_R couples with strength g: m_A′² = 2 g_φ² V² from |D_μφ|² with φ = V + φ′/√2, and Eq. (3)
   m_A′² = 2 g² V², with |q_fR| = |q_φ| from the Yukawa φ f̄ P_R f (Eq. (1)). Cross-checked by the
   η width of Eq. (5): η_{L,R} carry half the charge of φ, so their vector coupling must be g/2.
2. g γ^μ P_R = (g/2) γ^μ + (g/2) γ^μγ⁵ (P_R = (1 + γ⁵)/2): the vector part is g/2.
3. π⁰ → γA′ takes the vector part only: ratio to a dark photon of the same ε is
   (1 + π/2αf)² = 46 766 (f = 1), not the seed's (π/αf)² = 1.853×10⁵.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkbeam.models import preset

ALPHA = 1 / 137.035999084       # CODATA 2018 (what darkbeam uses via scipy.constants)
E = math.sqrt(4 * math.pi * ALPHA)

# Dirac matrices, Dirac representation (Peskin–Schroeder conventions up to the representation)
_I2, _Z2 = np.eye(2), np.zeros((2, 2))
_SIG = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
GAMMA = [np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)] + \
        [np.block([[_Z2, s], [-s, _Z2]]).astype(complex) for s in _SIG]
GAMMA5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]


def test_dirac_algebra_sanity():
    eta = np.diag([1.0, -1.0, -1.0, -1.0])
    for mu in range(4):
        for nu in range(4):
            anti = GAMMA[mu] @ GAMMA[nu] + GAMMA[nu] @ GAMMA[mu]
            np.testing.assert_allclose(anti, 2 * eta[mu, nu] * np.eye(4), atol=1e-14)
    np.testing.assert_allclose(GAMMA5 @ GAMMA5, np.eye(4), atol=1e-14)


def test_right_handed_current_is_half_vector_half_axial():
    # decompose γ^μ P_R = a γ^μ + b γ^μγ⁵ by least squares over the 16 matrix entries, for each μ
    p_r = 0.5 * (np.eye(4) + GAMMA5)
    for mu in range(4):
        target = (GAMMA[mu] @ p_r).ravel()
        basis = np.stack([GAMMA[mu].ravel(), (GAMMA[mu] @ GAMMA5).ravel()], axis=1)
        (a, b), *_ = np.linalg.lstsq(basis, target, rcond=None)
        assert a == pytest.approx(0.5, abs=1e-14) and b == pytest.approx(0.5, abs=1e-14)


def test_right_handed_coupling_strength_from_seed_equations():
    # Eq. (3): m² = 2 g² V² ⇒ g = m/(√2 V); Eq. (5): Γ(A′→η₁η₂) = m³/(96πV²)(1 − 4r)^½(1 + 2r).
    # A Dirac fermion with vector coupling g_η has Γ = g_η² m/(12π)(1 − 4r)^½(1 + 2r)
    # (e.g. formulas-detection.md §1.7, standard) ⇒ g_η from Eq. (5):
    m, v, m_eta = 0.03, 10.0, 0.01
    r = (m_eta / m) ** 2
    g = m / (math.sqrt(2) * v)
    gamma_eq5 = m**3 / (96 * math.pi * v**2) * math.sqrt(1 - 4 * r) * (1 + 2 * r)
    g_eta = math.sqrt(12 * math.pi * gamma_eq5 / (m * math.sqrt(1 - 4 * r) * (1 + 2 * r)))
    assert g_eta == pytest.approx(g / 2, rel=1e-12)
    # η charge ±1, f_R and φ charge ±2 (seed000 §1.1): the f_R coupling is 2 g_η = g, and its
    # vector part (previous test) g/2 — what the preset gives (x in units of e)
    g_fr = 2 * g_eta
    model = preset("t3r", m, vev=v)
    assert model.x["u"] * E == pytest.approx(g_fr / 2, rel=1e-6)
    assert model.x["d"] * E == pytest.approx(-g_fr / 2, rel=1e-6)
    assert model.axial_coupling("u") * E == pytest.approx(g_fr / 2, rel=1e-6)
    assert model.axial_coupling("mu") * E == pytest.approx(-g_fr / 2, rel=1e-6)
    # the T3R = ±½ reading (f_R coupling g/2) would give m² = g²V²/2 and Γ_η = Eq. (5)/4
    assert 2 * (g / 2) ** 2 * v**2 == pytest.approx(m**2 / 4)


def test_pi0_production_ratio_46766_not_185000():
    # F_π⁰ = 2c_u + c_d (Darkcast arXiv:1801.04847 Eq. 2.7); T3R: c_u = εQ_u + g/2e, c_d = εQ_d − g/2e
    # ⇒ F = ε + g/2e; ε = f g √(α/4π³) ⇒ g/(eε) = π/(αf) (seed000 §1.2 [DERIVED])
    g_over_e_eps = math.pi / ALPHA
    darkbeam_ratio = (1 + g_over_e_eps / 2) ** 2          # vector part g/2 (+ the ε interference)
    seed_ratio = g_over_e_eps ** 2                        # seed000 Eqs. (7)–(8): (π/αf)²
    assert darkbeam_ratio == pytest.approx(46766.5, rel=1e-5)
    assert seed_ratio == pytest.approx(1.8534e5, rel=1e-4)
    assert seed_ratio / darkbeam_ratio == pytest.approx(3.963, abs=1e-3)
    for m, f in ((0.03, 1.0), (0.1, 2.0)):
        t3r = preset("t3r", m, vev=10.0, f=f)
        got = (t3r.meson_factor("pi0") / t3r.epsilon) ** 2
        assert got == pytest.approx((1 + math.pi / (2 * ALPHA * f)) ** 2, rel=1e-6)


def test_pi0_branching_ratio_seed000_section_2_4():
    # seed000 §2.4 [DERIVED]: BR(π⁰→γA′)/BR(π⁰→γγ) ≈ g²/(8πα)(1 − x)³ = 2.4×10⁻⁵(1 − x)³ at
    # g = 2.12×10⁻³ (ε neglected; ε adds (1 + 1/215)² = +0.9 %)
    t3r = preset("t3r", 0.03, vev=10.0)
    g = 0.03 / (math.sqrt(2) * 10.0)
    ratio_over_phase_space = 2 * t3r.meson_factor("pi0") ** 2
    assert g**2 / (8 * math.pi * ALPHA) == pytest.approx(2.45e-5, rel=0.01)
    assert ratio_over_phase_space == pytest.approx(g**2 / (8 * math.pi * ALPHA) * (1 + 2 * ALPHA / math.pi) ** 2,
                                                   rel=1e-6)
