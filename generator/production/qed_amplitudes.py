"""Spin-averaged squared amplitudes of the 2 → 2 QED-like processes (formulas-production.md §5).

Notation: S ≡ s − m_e², U ≡ u − m_e², t = (k_γ − k_X)², s + t + u = 2m_e² + m_X². Each was
obtained in formulas-production.md by brute-force Dirac-spinor sums, checked for gauge invariance
and against Klein–Nishina (m_X → 0); the tests integrate them with scipy against the check
values F1, F2, F4. Couplings: ``c2`` = c_e² (vector, units of e) or g_aee² (ALP).
"""

from __future__ import annotations

import math

from ..constants import ALPHA_EM

E2 = 4 * math.pi * ALPHA_EM


def m2_compton_alp(s, t, m, me, g2):
    """|M|²(γe → ae) = e²g²[−(t² + m⁴ − 4m_e²m²)/(SU) + 2m_e²m²(1/S² + 1/U²)] (§5.1)."""
    u = 2 * me * me + m * m - s - t
    S, U = s - me * me, u - me * me
    return E2 * g2 * (-(t * t + m**4 - 4 * me * me * m * m) / (S * U) + 2 * me * me * m * m * (1 / S**2 + 1 / U**2))


def m2_compton_vector(s, t, m, me, c2):
    """|M|²(γe → Xe), vector X with electron coupling c_e (units of e) (§5.2)."""
    u = 2 * me * me + m * m - s - t
    S, U = s - me * me, u - me * me
    me2 = me * me
    return 2 * E2 * E2 * c2 * (-U / S - S / U - 2 * m * m * t / (S * U) + 4 * me2 * (m * m - t) / (S * U)
                               + 2 * me2 * m * m * (1 / S**2 + 1 / U**2) + 4 * me2 * me2 * (1 / S + 1 / U) ** 2)


def m2_annihilation_gamma(s, t, m, me, c2):
    """|M|²(e⁺e⁻ → γX), T ≡ t − m_e², U ≡ u − m_e², t = (p₁ − k_γ)² (§5.4)."""
    u = 2 * me * me + m * m - s - t
    T, U = t - me * me, u - me * me
    me2 = me * me
    return 2 * E2 * E2 * c2 * (U / T + T / U + 2 * m * m * s / (T * U) - 4 * me2 * (m * m - s) / (T * U)
                               - 2 * me2 * m * m * (1 / T**2 + 1 / U**2) - 4 * me2 * me2 * (1 / T + 1 / U) ** 2)
