"""Nuclear and atomic form factors and nuclear masses (GeV, fm).

* Helm nuclear form factor (Lewin & Smith, Astropart. Phys. 6 (1996) 87, §4; formulas-detection.md §3.2)
  F(q) = 3 j₁(qR₁)/(qR₁) · exp(−q²s²/2), R₁ = √(c² + 7/3 π² a² − 5 s²), c = 1.23 A^{1/3} − 0.60 fm,
  a = 0.52 fm, s = 0.9 fm (``data/parameters.toml``). An optional measured radius replaces R₁ by
  R₀ = √(5/3 ⟨r²⟩ − 5 s²) (seed003, arXiv:2112.04020 Eq. (2.6)).

  Radius convention. R₁ is the Helm box radius of the Lewin–Smith fit to muonic-atom/electron-scattering
  charge densities, used for protons and neutrons alike (F_p = F_n); A is the isotope's mass number
  (the atomic mass in u is passed, within 10⁻³ of A). Its rms radius is √(3/5 R₁² + 3 s²):
  ¹³³Cs R₁ = 5.867 fm (rms 4.81 fm), ⁴⁰Ar 3.897 fm (rms 3.40 fm), ⁷²Ge 4.752 fm (rms 4.00 fm).
  pyCEvNS (athompson-tamu/pyCEvNS 268e5bd, ``events.py`` ``HelmFormFactor``) takes the same Helm shape
  with s = 0.9 fm but R₀ = √(5/3 r_n² − 5 s²) from r_n = 4.7 fm (A/133)^{1/3} (4.7 fm for every nucleus
  when no detector is passed): R₀(¹³³Cs) = 5.724 fm, R₀(⁴⁰Ar) = 3.533 fm — smaller radii, so a larger
  F² and a larger rate than here: the π-DAR flux-averaged σ (three flavours, corrected couplings) is
  +1.4 % (¹³³Cs, ¹²⁷I), +2.5 % (⁴⁰Ar), +1.9 % (⁷²Ge) higher with pyCEvNS's radii (computed with
  ``helm_form_factor(q, a, rms_radius_fm=r_n)``, which is pyCEvNS's formula, tested in
  tests/validation/test_cevns_radiative.py). With the radiative couplings (+2.6 to +2.9 %) this makes
  the 4–5 % by which pyCEvNS exceeded darkbeam's tree-level rates (issue 20).
* Tsai's elastic atomic screening a²q²/(1 + a²q²), a = 111 Z^{−1/3}/m_e (Tsai, PRD 34 (1986) 1326).
* Nuclear mass m_N = A u − Z m_e (formulas-detection.md §0; electron binding neglected, 10⁻⁵).
"""

from __future__ import annotations

import functools
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
    return _helm()(np.asarray(q, dtype=float) / HBARC_GEV_FM, r, s)


@functools.cache
def _helm():
    """The ufunc of :func:`_helm_kernel`, made on first use: a vectorize with an explicit
    signature compiles (or loads from numba's cache) when it is applied, which at import time
    would start LLVM and numba's extensions for every ``import darkbeam.scattering``."""
    return nb.vectorize(["float64(float64, float64, float64)"], cache=True)(_helm_kernel)


def _helm_kernel(qf, r, s):
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
