"""Nuclear and atomic form factors and nuclear masses (GeV, fm).

* Helm nuclear form factor (Lewin & Smith, Astropart. Phys. 6 (1996) 87, §4; formulas-detection.md §3.2)
  F(q) = 3 j₁(qR₁)/(qR₁) · exp(−q²s²/2), R₁ = √(c² + 7/3 π² a² − 5 s²), c = 1.23 A^{1/3} − 0.60 fm,
  a = 0.52 fm, s = 0.9 fm (``data/parameters.toml``). An optional measured radius replaces R₁ by
  R₀ = √(5/3 ⟨r²⟩ − 5 s²) (seed003, arXiv:2112.04020 Eq. (2.6)).
* Tsai's elastic atomic screening a²q²/(1 + a²q²), a = 111 Z^{−1/3}/m_e (Tsai, PRD 34 (1986) 1326).
* Nuclear mass m_N = A u − Z m_e (formulas-detection.md §0; electron binding neglected, 10⁻⁵).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from ..constants import HBARC_GEV_M, mass
from ._params import parameters

#: ħc in GeV·fm
HBARC_GEV_FM = HBARC_GEV_M * 1e15


def nuclear_mass(z: int, a: float) -> float:
    """Nuclear mass in GeV from the atomic mass ``a`` (u): m_N = A u − Z m_e."""
    return a * parameters()["nuclear"]["atomic_mass_unit"] - z * mass(11)


def helm_radius(a: float) -> float:
    """Helm R₁ (fm) for mass number ``a`` (Lewin & Smith 1996 §4)."""
    p = parameters()["helm"]
    c = p["c_a"] * a ** (1.0 / 3.0) + p["c_b"]
    return float(np.sqrt(c * c + 7.0 / 3.0 * np.pi**2 * p["a"] ** 2 - 5.0 * p["s"] ** 2))


def helm_form_factor(q: np.ndarray, a: float, rms_radius_fm: float | None = None) -> np.ndarray:
    """Helm form factor F(|q|) (not squared) for momentum transfer ``q`` in GeV.

    ``rms_radius_fm`` (optional): a measured rms radius ⟨r²⟩^{1/2} in fm, used through
    R₀ = √(5/3 ⟨r²⟩ − 5 s²) instead of the Lewin–Smith R₁. F(0) = 1; the small-argument limit
    of 3j₁(x)/x is taken from its series (1 − x²/10) for x < 10⁻³.
    """
    s = parameters()["helm"]["s"]
    if rms_radius_fm is None:
        r = helm_radius(a)
    else:
        r = float(np.sqrt(5.0 / 3.0 * rms_radius_fm**2 - 5.0 * s * s))
    return _helm(np.asarray(q, dtype=float) / HBARC_GEV_FM, r, s)


@nb.vectorize(["float64(float64, float64, float64)"], cache=True)
def _helm(qf, r, s):
    """3 j₁(qR)/(qR) e^{−q²s²/2} for q in fm⁻¹ (series 1 − x²/10 below x = 10⁻³)."""
    x = qf * r
    if x < 1e-3:
        j1x = 1.0 / 3.0 - x * x / 30.0
    else:
        j1x = (math.sin(x) / (x * x) - math.cos(x) / x) / x
    return 3.0 * j1x * math.exp(-0.5 * (qf * s) ** 2)


def atomic_screening(q: np.ndarray, z: int) -> np.ndarray:
    """Tsai's elastic atomic form factor a²q²/(1 + a²q²), a = 111 Z^{−1/3}/m_e, q in GeV."""
    a = parameters()["screening"]["coefficient"] * z ** (-1.0 / 3.0) / mass(11)
    aq2 = (a * np.asarray(q, dtype=float)) ** 2
    return aq2 / (1.0 + aq2)
