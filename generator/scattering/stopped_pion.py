"""Closed-form stopped-pion (π-DAR) neutrino spectra and flux averages (formulas-detection.md §4).

Per neutrino of each flavour (normalised to 1), m = m_μ, 0 ≤ E ≤ m_μ/2:

    ν_μ (prompt, π⁺ → μ⁺ν_μ):  δ(E − (m_π² − m_μ²)/2m_π)
    ν_e (delayed):   dN/dE = 192/m (E/m)² (½ − E/m)
    ν̄_μ (delayed):   dN/dE = 64/m (E/m)² (¾ − E/m)

Source: seed003 (arXiv:2112.04020) Eq. (3.6) with its two errata corrected (θ(m_μ/2 − E) and E/m_μ,
seed003 §2.1); Michel spectra of μ⁺ decay at rest (tree level, electron mass neglected). Flux at
distance L: Φ = Y N_POT/(4π L²) per flavour (seed003 Eq. (3.7)). Regime: π⁺ and μ⁺ decay at rest;
decay-in-flight and μ⁻ contaminations (10⁻³–10⁻²) are not included.

A full source (timing, yields per facility) belongs to ``darkbeam.sources``; this module keeps the
spectra that the scattering tests and flux-averaged cross sections need.
"""

from __future__ import annotations

import numpy as np

from ..constants import mass

#: PDG ids of the three π-DAR flavours
FLAVOURS = {"nu_mu": 14, "nu_e": 12, "nu_mu_bar": -14}


def prompt_energy() -> float:
    """ν_μ energy from π⁺ → μ⁺ν_μ at rest, (m_π² − m_μ²)/(2m_π) in GeV (29.79 MeV)."""
    m_pi, m_mu = mass(211), mass(13)
    return (m_pi**2 - m_mu**2) / (2 * m_pi)


def endpoint() -> float:
    """Michel endpoint m_μ/2 in GeV."""
    return mass(13) / 2


def nu_e_spectrum(e) -> np.ndarray:
    """dN/dE of ν_e from μ⁺ decay at rest (GeV⁻¹)."""
    m = mass(13)
    x = np.asarray(e, float) / m
    return np.where((x >= 0) & (x <= 0.5), 192.0 / m * x * x * (0.5 - x), 0.0)


def nu_mu_bar_spectrum(e) -> np.ndarray:
    """dN/dE of ν̄_μ from μ⁺ decay at rest (GeV⁻¹)."""
    m = mass(13)
    x = np.asarray(e, float) / m
    return np.where((x >= 0) & (x <= 0.5), 64.0 / m * x * x * (0.75 - x), 0.0)


def flux_average(sigma_of_e, flavour: str, n_nodes: int = 200) -> float:
    """⟨σ⟩ = ∫ dN/dE σ(E) dE for one flavour (``nu_mu`` prompt line, ``nu_e``, ``nu_mu_bar``).

    ``sigma_of_e(E, pdg)`` returns σ in cm² for an array of energies. Gauss–Legendre on [0, m_μ/2]."""
    pdg = FLAVOURS[flavour]
    if flavour == "nu_mu":
        return float(np.asarray(sigma_of_e(np.array([prompt_energy()]), pdg))[0])
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    e = 0.5 * endpoint() * (x + 1.0)
    spec = nu_e_spectrum(e) if flavour == "nu_e" else nu_mu_bar_spectrum(e)
    return float(np.sum(0.5 * endpoint() * w * spec * np.asarray(sigma_of_e(e, pdg))))
