"""Sanford–Wang meson production spectra (Fermilab BNB, 8.89 GeV/c p–Be).

d²σ/dp dΩ = c₁ p^c₂ (1 − p/(p_B − c₉)) exp[−c₃ p^c₄/p_B^c₅ − c₆ θ (p − c₇ p_B cos^c₈ θ)]
in mb/(GeV/c sr) — J.R. Sanford and C.L. Wang, BNL-11299/11479 (1967); parameters of the MiniBooNE
flux paper, PRD 79, 072002 (2009), arXiv:0806.1449, in ``data/sanford_wang.toml``.
π⁰ is the isospin average (π⁺ + π⁻)/2 (as in BdNMC). Validity: fitted to HARP 8.9 GeV/c p–Be at
0.75 < p < 6.5 GeV/c and 30 < θ < 210 mrad; elsewhere the form is an extrapolation.
"""

from __future__ import annotations

import tomllib
import warnings
from functools import lru_cache
from importlib import resources

import numpy as np

SPECIES = ("pi_plus", "pi_minus", "K0L", "pi0")


@lru_cache(maxsize=None)
def parameters() -> dict:
    """The SW parameter sets and the beam momentum they belong to, from the data file."""
    with (resources.files(__package__) / "data" / "sanford_wang.toml").open("rb") as fh:
        return tomllib.load(fh)


def d2sigma_dp_domega(species: str, p: np.ndarray, theta: np.ndarray,
                      p_beam: float | None = None, warn: bool = True) -> np.ndarray:
    """Sanford–Wang d²σ/dp dΩ in mb/(GeV/c sr) for ``species`` at momentum p (GeV) and angle θ (rad).

    ``species`` is one of pi_plus, pi_minus, K0L, pi0 (= isospin average of π⁺ and π⁻).
    ``warn=False`` silences the extrapolation warning (for callers that warned once already).
    """
    pars = parameters()
    pb = pars["p_beam"] if p_beam is None else p_beam
    if warn and abs(pb - pars["p_beam"]) > 0.05 * pars["p_beam"]:
        warnings.warn(f"Sanford–Wang parameters were fitted at p_beam = {pars['p_beam']} GeV/c; "
                      f"using them at {pb} GeV/c is an extrapolation", stacklevel=2)
    if species == "pi0":
        return 0.5 * (d2sigma_dp_domega("pi_plus", p, theta, pb, warn=False)
                      + d2sigma_dp_domega("pi_minus", p, theta, pb, warn=False))
    if species not in pars:
        raise ValueError(f"unknown Sanford–Wang species {species!r}; known: {', '.join(SPECIES)}")
    c1, c2, c3, c4, c5, c6, c7, c8, c9 = pars[species]["c"]
    p = np.asarray(p, dtype=float)
    theta = np.asarray(theta, dtype=float)
    p_end = pb - c9
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        cos_t = np.maximum(np.cos(theta), 0.0)
        val = (c1 * p ** c2 * (1.0 - p / p_end)
               * np.exp(-c3 * p ** c4 / pb ** c5 - c6 * theta * (p - c7 * pb * cos_t ** c8)))
    return np.where((p > 0) & (p < p_end) & (theta >= 0) & (theta <= np.pi / 2), val, 0.0)


def p_max(species: str, p_beam: float | None = None) -> float:
    """Upper end of the momentum range where the form is non-zero, p_B − c₉ (GeV)."""
    pars = parameters()
    pb = pars["p_beam"] if p_beam is None else p_beam
    key = "pi_plus" if species == "pi0" else species
    return pb - pars[key]["c"][8]
