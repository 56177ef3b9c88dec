"""Burman–Smith π⁺ (and π⁰) spectra for 585–800 MeV protons (LANSCE Lujan, PIP-II).

R.L. Burman and E.S. Smith, LA-11502-MS (1989): d²σ/dT dΩ in μb/(MeV sr) as a function of the pion kinetic
energy T (MeV) and lab angle θ (degrees), for a target of charge Z and a beam of kinetic energy T_p (MeV);
the formula and the numbers (with their provenance) are in ``data/burman_smith.toml``
(/work/shared/reference/formulas-production.md §7.3).

The meson sources work in momentum: d²σ/dp dΩ = (dT/dp)·d²σ/dT dΩ with dT/dp = p/E. Since
1 μb/MeV = 1 mb/GeV, the result is in mb/(GeV/c sr) without a numerical factor.

π⁰ uses the π⁺ shape (as BdNMC does; isospin gives σ(π⁰) ≈ (σ(π⁺) + σ(π⁻))/2 but the π⁻ shape is not part of
the parametrization), normalised by the facility's π⁰ yield per POT.
Validity: 585 ≤ T_p ≤ 800 MeV; outside it a warning is issued.
"""

from __future__ import annotations

import tomllib
import warnings
from functools import lru_cache
from importlib import resources

import numpy as np

from ..constants import mass

_M_PI_PLUS = 211
_M_PROTON = 2212
_M_DEUTERON_GEV = 1.875612945  # CODATA 2018 deuteron mass energy equivalent (scipy.constants)


@lru_cache(maxsize=None)
def parameters() -> dict:
    """Burman–Smith parameters from ``data/burman_smith.toml``."""
    with (resources.files(__package__) / "data" / "burman_smith.toml").open("rb") as fh:
        return tomllib.load(fh)


def _pp_to_dpi_endpoint_mev(tp_mev: float) -> float:
    """Largest π⁺ kinetic energy (MeV) in p p → d π⁺ at beam kinetic energy T_p (two-body, forward)."""
    mp, mpi, md = mass(_M_PROTON), mass(_M_PI_PLUS), _M_DEUTERON_GEV
    e_beam = mp + tp_mev * 1e-3
    s = 2 * mp * mp + 2 * mp * e_beam
    rs = np.sqrt(s)
    p_star = np.sqrt(max((s - (md + mpi) ** 2) * (s - (md - mpi) ** 2), 0.0)) / (2 * rs)
    e_star = np.sqrt(p_star ** 2 + mpi ** 2)
    gamma, beta_gamma = e_beam / rs + mp / rs, np.sqrt(e_beam ** 2 - mp ** 2) / rs
    return 1e3 * (gamma * e_star + beta_gamma * p_star - mpi)


class BurmanSmith:
    """d²σ/dT dΩ of π⁺ for target charge ``z`` and beam kinetic energy ``tp_mev`` (MeV)."""

    def __init__(self, z: float, tp_mev: float):
        par = parameters()
        lo, hi = par["Tp_range_MeV"]
        if not lo - 0.1 <= tp_mev <= hi + 0.1:  # 0.1 MeV slack for momentum round trips
            warnings.warn(f"Burman–Smith is valid for 585 ≤ T_p ≤ 800 MeV; T_p = {tp_mev} MeV is an "
                          "extrapolation", stacklevel=2)
        if z < 1:
            raise ValueError(f"target charge Z must be ≥ 1, got {z}")
        self.z, self.tp = float(z), float(tp_mev)
        lz = np.log(z)
        self.norm = z ** (1.0 / 3.0) * sum(c * lz ** k for k, c in enumerate(par["norm_c"]))
        a = np.array([min(27.0 - 4.0 * ((730.0 - tp_mev) / 145.0) ** 2, 27.0), 18.2, 8.0,
                      13.0 + (z - 12.0) / 10.0, 9.0 + (z - 12.0) / 10.0 - (tp_mev - 685.0) / 20.0])
        key = "H" if z < 2 else ("light" if z <= 8 else "heavy")
        ta730, ta585, sa730, sa585 = par["anchors"][key]
        f = (tp_mev - 585.0) / (730.0 - 585.0)
        self.t_a = ta585 + f * (ta730 - ta585)
        self.sigma_a = sa585 + f * (sa730 - sa585)
        self.fermi_b = par["fermi_B_MeV"]
        if key == "H":
            a, self.norm = 2.0 * a, 0.7 * self.norm
            self.t_f = _pp_to_dpi_endpoint_mev(tp_mev)
        else:
            self.t_f = tp_mev - 140.0 - 2.0 * self.fermi_b
        from scipy.interpolate import BSpline   # here: scipy.interpolate costs ~0.3 s at import

        self._angular = BSpline(np.array(par["knots_deg"]), a, 2, extrapolate=False)

    def d2sigma_dT_domega(self, t_mev: np.ndarray, theta_deg: np.ndarray) -> np.ndarray:
        """d²σ/dT dΩ in μb/(MeV sr) at pion kinetic energy T (MeV) and lab angle θ (degrees)."""
        par = parameters()
        t = np.asarray(t_mev, dtype=float)
        th = np.asarray(theta_deg, dtype=float)
        t_bar = par["Tbar0_MeV"] + par["Tbar1_MeV"] * np.exp(-th / self.t_a)
        sig = self.sigma_a * np.exp(-th / par["sigma_theta_scale_deg"])
        with np.errstate(over="ignore"):
            val = (self.norm * self._angular(th) * np.exp(-(t - t_bar) ** 2 / (2.0 * sig * sig))
                   / (1.0 + np.exp((t - self.t_f) / self.fermi_b)))
        ok = (t >= 0) & (t <= self.tp) & (th >= 0) & (th <= 180.0) & np.isfinite(val)
        return np.where(ok, val, 0.0)

    def d2sigma_dp_domega(self, p: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """d²σ/dp dΩ in mb/(GeV/c sr) at π⁺ momentum p (GeV/c) and lab angle θ (rad); dT/dp = p/E."""
        m = mass(_M_PI_PLUS)
        p = np.asarray(p, dtype=float)
        e = np.sqrt(p * p + m * m)
        return (p / e) * self.d2sigma_dT_domega(1e3 * (e - m), np.degrees(theta))

    def p_max(self) -> float:
        """Momentum (GeV/c) of a pion with the beam kinetic energy (the spectrum ends below it)."""
        m = mass(_M_PI_PLUS)
        t = self.tp * 1e-3
        return float(np.sqrt(t * t + 2 * t * m))
