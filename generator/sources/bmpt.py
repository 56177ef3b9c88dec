"""BMPT meson production spectra for 30–450 GeV/c protons on light and medium targets.

Bonesini, Marchionni, Pietropaolo, Tabarelli de Fatis, Eur. Phys. J. C 20 (2001) 13, hep-ph/0101163:
the invariant cross section E d³σ/dp³ on beryllium as a function of the radial scaling variable
x_R = E*/E*_max and p_T, with an A-scaling exponent α_A(x_F, p_T) for other nuclei (parameters and the
formula in ``data/bmpt.toml``; see also /work/shared/reference/formulas-production.md §7.2).

Kinematics: nucleon–nucleon CM frame of the beam proton (momentum ``p_beam``) on a nucleon at rest,
s = 2m_p² + 2m_pE_beam; E*_max = (s − M̄_X² + m²)/(2√s); x_F = 2p*_L/√s.

π⁰ is the isospin average (π⁺ + π⁻)/2, K⁰_L the average (K⁺ + K⁻)/2 (the quark-counting average of the
charged states; K⁰_L = (K⁰ + K̄⁰)/√2 has no BMPT fit of its own).

Validity: p_beam 30–450 GeV/c, x_R ≳ 0.05, low p_T (fit to NA20/Atherton 400 GeV and SPY 450 GeV Be data);
a warning is issued for beams outside that range.
"""

from __future__ import annotations

import tomllib
import warnings
from functools import lru_cache
from importlib import resources

import numpy as np

from ..constants import mass

SPECIES = ("pi_plus", "pi_minus", "pi0", "K_plus", "K_minus", "K0L")
_M_PROTON_PDG = 2212
_MASS_PDG = {"pi_plus": 211, "pi_minus": 211, "pi0": 211, "K_plus": 321, "K_minus": 321, "K0L": 130}


@lru_cache(maxsize=None)
def parameters() -> dict:
    """BMPT parameters from ``data/bmpt.toml`` (with their source)."""
    with (resources.files(__package__) / "data" / "bmpt.toml").open("rb") as fh:
        return tomllib.load(fh)


def _check_range(p_beam: float) -> None:
    lo, hi = parameters()["p_beam_range"]
    if not lo <= p_beam <= hi:
        warnings.warn(f"BMPT was fitted for 30–450 GeV/c protons; p_beam = {p_beam} GeV/c is an "
                      "extrapolation", stacklevel=3)


def _kinematics(p: np.ndarray, theta: np.ndarray, p_beam: float, m: float):
    """x_R, x_F and p_T (GeV) of a hadron of mass m (GeV) at lab momentum p (GeV), angle θ (rad)."""
    mp = mass(_M_PROTON_PDG)
    e_beam = np.sqrt(p_beam * p_beam + mp * mp)
    s = 2.0 * mp * mp + 2.0 * mp * e_beam
    rs = np.sqrt(s)
    gamma, beta_gamma = (e_beam + mp) / rs, p_beam / rs
    e = np.sqrt(p * p + m * m)
    p_l, p_t = p * np.cos(theta), p * np.sin(theta)
    e_star = gamma * e - beta_gamma * p_l
    pl_star = gamma * p_l - beta_gamma * e
    e_star_max = (s - parameters()["MX_bar"] ** 2 + m * m) / (2.0 * rs)
    return e_star / e_star_max, 2.0 * pl_star / rs, p_t


def _charged_invariant(key: str, x_r, x_f, p_t, target_a: float) -> np.ndarray:
    c = parameters()[key]
    with np.errstate(all="ignore"):
        a1 = c["a"] / x_r ** c["gamma"]
        b1 = c["a"] ** 2 / (2.0 * x_r ** c["delta"])
        val = (c["A0"] * (1.0 - x_r) ** c["alpha"] * (1.0 + c["B"] * x_r) * x_r ** (-c["beta"])
               * (1.0 + a1 * p_t + b1 * p_t * p_t) * np.exp(-a1 * p_t))
        alpha_a = (0.74 - 0.55 * x_f + 0.26 * x_f * x_f) * (0.98 + 0.21 * p_t)
        val = val * (target_a / parameters()["A_reference"]) ** alpha_a
    return np.where((x_r > 0.0) & (x_r < 1.0) & np.isfinite(val), val, 0.0)


def _ratio(key: str, x_r: np.ndarray) -> np.ndarray:
    """Positive/negative ratio r(x_R): π: r₀(1 + x_R)^r₁, K: r₀(1 − x_R)^r₁ (data/bmpt.toml)."""
    c = parameters()[key]
    with np.errstate(all="ignore"):
        if key == "pi_plus":
            return c["ratio_r0"] * (1.0 + x_r) ** c["ratio_r1"]
        return c["ratio_r0"] * np.maximum(1.0 - x_r, 1e-300) ** c["ratio_r1"]


def invariant_cross_section(species: str, p: np.ndarray, theta: np.ndarray, p_beam: float,
                            target_a: float = 9.0) -> np.ndarray:
    """E d³σ/dp³ in mb GeV⁻² for ``species`` at lab momentum p (GeV/c) and angle θ (rad).

    ``target_a`` is the target mass number (Be = 9 is the fitted reference).
    """
    if species not in SPECIES:
        raise ValueError(f"unknown BMPT species {species!r}; known: {', '.join(SPECIES)}")
    _check_range(p_beam)
    p = np.asarray(p, dtype=float)
    theta = np.asarray(theta, dtype=float)
    m = mass(_MASS_PDG[species])
    x_r, x_f, p_t = _kinematics(p, theta, p_beam, m)
    key = "pi_plus" if species.startswith("pi") else "K_plus"
    plus = _charged_invariant(key, x_r, x_f, p_t, target_a)
    if species in ("pi_plus", "K_plus"):
        out = plus
    else:
        with np.errstate(all="ignore"):
            minus = np.where(plus > 0, plus / _ratio(key, x_r), 0.0)
        out = minus if species in ("pi_minus", "K_minus") else 0.5 * (plus + minus)
    return np.where((p > 0) & (theta >= 0) & (theta <= np.pi / 2), out, 0.0)


def d2sigma_dp_domega(species: str, p: np.ndarray, theta: np.ndarray, p_beam: float,
                      target_a: float = 9.0) -> np.ndarray:
    """d²σ/dp dΩ = (p²/E)·E d³σ/dp³ in mb/(GeV/c sr) (lab frame)."""
    p = np.asarray(p, dtype=float)
    m = mass(_MASS_PDG[species]) if species in _MASS_PDG else 0.0
    return p * p / np.sqrt(p * p + m * m) * invariant_cross_section(species, p, theta, p_beam, target_a)


def p_max(species: str, p_beam: float) -> float:
    """Upper end of the momentum range (GeV/c): the beam momentum (x_R < 1 cuts off below it)."""
    return float(p_beam)
