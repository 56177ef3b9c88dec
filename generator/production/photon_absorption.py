"""Photon absorption in the target: radiation length, pair and Compton cross sections per atom.

Used for the conversion probability P = σ_X/σ_tot of photon-initiated channels (Primakoff,
Compton-like): a photon produces X before it is absorbed with probability σ_X/σ_tot when σ_X ≪
σ_tot (formulas-production.md §4.3; seed002b §1.2).

* X₀ = 716.408 g cm⁻² · A/[Z²(L_rad − f(Z)) + Z L′_rad] (PDG RPP "Passage of particles through
  matter", Tsai 1974): check E1: W 6.763, C 42.70, Pb 6.370 g cm⁻².
* σ_pair(E → ∞) = (7/9) A/(N_A X₀) (complete screening).
* Below ~1 GeV: the unscreened Bethe–Heitler limit σ = 4αr_e²Z²[(7/9)ln(2E/m_e) − 109/54]
  (Bethe–Heitler 1934; PDG RPP eq. for m_e ≪ E ≪ m_e/(αZ^{1/3})) is smaller; σ_pair = min of the
  two (an interpolation good to ~20–30 % at 10–1000 MeV; UNVERIFIED against XCOM, which should
  replace it below 1 GeV). A :class:`PhotonAbsorptionWarning` is issued below 1 GeV.
* σ_tot = σ_pair + Z σ_KN (Klein–Nishina per electron). Photoelectric absorption (important
  below ~1 MeV in W) is not included.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..constants import ALPHA_EM, AVOGADRO, HBARC2_GEV2_CM2
from ._data import table

M_E = 0.51099895000e-3  # GeV (CODATA 2018)
R_E_CM = 2.8179403262e-13  # classical electron radius, cm (CODATA 2018)


class PhotonAbsorptionWarning(UserWarning):
    """Photon cross sections used outside the range where the asymptotic forms hold."""


def _l_rad(z: int) -> tuple[float, float]:
    light = table("radiation_length")["l_rad_light"]
    if str(int(z)) in light and z <= 4:
        return tuple(light[str(int(z))])
    return math.log(184.15 * z ** (-1 / 3)), math.log(1194.0 * z ** (-2 / 3))


def coulomb_correction(z: float) -> float:
    """f(Z) = a²[(1+a²)⁻¹ + 0.20206 − 0.0369a² + 0.0083a⁴ − 0.002a⁶], a = αZ (Davies–Bethe–Maximon)."""
    a2 = (ALPHA_EM * z) ** 2
    return a2 * (1 / (1 + a2) + 0.20206 - 0.0369 * a2 + 0.0083 * a2 * a2 - 0.002 * a2**3)


def radiation_length(z: int, a: float) -> float:
    """X₀ in g cm⁻² for element (Z, A [g/mol])."""
    lr, lr1 = _l_rad(z)
    return table("radiation_length")["x0_coefficient"] * a / (z * z * (lr - coulomb_correction(z)) + z * lr1)


def sigma_pair(energy, z: int, a: float):
    """Pair-production cross section per atom (cm²): min(complete screening, no screening)."""
    e = np.asarray(energy, dtype=float)
    full = 7.0 / 9.0 * a / (AVOGADRO * radiation_length(z, a))
    with np.errstate(divide="ignore", invalid="ignore"):
        bh = 4 * ALPHA_EM * R_E_CM**2 * z * z * (7 / 9 * np.log(2 * e / M_E) - 109 / 54)
    bh = np.where(e > 2 * M_E, np.maximum(bh, 0.0), 0.0)
    return np.minimum(full, bh)


def sigma_klein_nishina(energy):
    """Klein–Nishina cross section per electron (cm²), κ = E/m_e."""
    k = np.asarray(energy, dtype=float) / M_E
    l = np.log1p(2 * k)
    return 2 * math.pi * R_E_CM**2 * ((1 + k) / k**2 * (2 * (1 + k) / (1 + 2 * k) - l / k)
                                       + l / (2 * k) - (1 + 3 * k) / (1 + 2 * k) ** 2)


def sigma_total_photon(energy, z: int, a: float, warn: bool = True):
    """σ_tot(γ) per atom in cm² = σ_pair + Z σ_KN."""
    e = np.asarray(energy, dtype=float)
    if warn and e.size and float(np.min(e)) < 1.0:
        warnings.warn("photon absorption: σ_pair from asymptotic screening forms below 1 GeV "
                      f"(E_γ down to {float(np.min(e)):.3g} GeV; ~20–30 % accuracy, photoelectric effect "
                      "neglected; Tsai, Rev. Mod. Phys. 46 (1974) 815; PDG review 'Passage of particles through matter')", PhotonAbsorptionWarning, stacklevel=3)
    return sigma_pair(e, z, a) + z * sigma_klein_nishina(e)


GEV2_TO_CM2 = HBARC2_GEV2_CM2
