"""Stopped-pion (π-DAR) neutrino source for spallation facilities (CCM, COHERENT, JSNS², ESS).

π⁺ → μ⁺ν_μ at rest gives a line at E = (m_π² − m_μ²)/(2m_π) = 29.79 MeV (prompt, emitted a time
t_π ~ Exp(τ_π) after the proton interaction); μ⁺ → e⁺ν_e ν̄_μ at rest gives the Michel spectra (delayed,
t_π + t_μ with t_μ ~ Exp(τ_μ)):

    dN/dE(ν_e)  = (192/m_μ)(E/m_μ)²(1/2 − E/m_μ),   dN/dE(ν̄_μ) = (64/m_μ)(E/m_μ)²(3/4 − E/m_μ),   0 ≤ E ≤ m_μ/2

(/work/shared/reference/formulas-detection.md §4.1, seed003 Eq. 3.6 with its two errata corrected; the standard
V−A Michel spectra neglecting m_e). With x = 2E/m_μ the densities are 12x²(1−x) = Beta(3, 2) for ν_e and
2x²(3 − 2x) = ⅔·Beta(3, 1) + ⅓·Beta(3, 2) for ν̄_μ, so both are sampled exactly with numpy's Beta sampler.

Lifetimes: τ_π⁺ = 26.033 ns, τ_μ⁺ = 2196.9811 ns (PDG 2024, RPP summary tables). Masses from ``particle``.
Yields: ν per flavour per POT, one ν_μ, one ν_e and one ν̄_μ per stopped π⁺ (formulas-detection.md §4.3;
per-facility numbers with their sources in ``data/facility_sources.toml``).
Regime: decays at rest only; π⁻/μ⁻ capture and decay in flight (10⁻³–10⁻² contaminations) are not included.
Times are measured from the proton's interaction; the beam pulse and time of flight are added by
``darkbeam.timing``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..constants import PDG, mass
from ..sampling import isotropic_directions
from .facility_parameters import source_parameters
from .parents import Parents

#: π⁺ mean lifetime in ns (PDG 2024)
TAU_PI_NS = 26.033
#: μ⁺ mean lifetime in ns (PDG 2024)
TAU_MU_NS = 2196.9811


def nu_mu_energy() -> float:
    """Energy of the prompt ν_μ line, (m_π² − m_μ²)/(2m_π) in GeV."""
    m_pi, m_mu = mass(PDG["pi+"]), mass(PDG["mu+"])
    return (m_pi ** 2 - m_mu ** 2) / (2.0 * m_pi)


def michel_nu_e(e: np.ndarray) -> np.ndarray:
    """dN/dE of ν_e from μ⁺ decay at rest (GeV⁻¹, normalised to 1)."""
    m = mass(PDG["mu+"])
    x = np.asarray(e, dtype=float) / m
    return np.where((x >= 0) & (x <= 0.5), 192.0 / m * x * x * (0.5 - x), 0.0)


def michel_nubar_mu(e: np.ndarray) -> np.ndarray:
    """dN/dE of ν̄_μ from μ⁺ decay at rest (GeV⁻¹, normalised to 1)."""
    m = mass(PDG["mu+"])
    x = np.asarray(e, dtype=float) / m
    return np.where((x >= 0) & (x <= 0.5), 64.0 / m * x * x * (0.75 - x), 0.0)


class StoppedPionSource:
    """ν_μ (prompt), ν_e and ν̄_μ (delayed) from π⁺ and μ⁺ decays at rest.

    Parameters
    ----------
    nu_per_flavor_per_pot : float
        Neutrinos of each flavour per POT (= stopped π⁺ per POT).
    vertex : sequence of 3 floats
        Decay point (m, facility frame); the stopping region is small compared with detector distances.
    """

    def __init__(self, nu_per_flavor_per_pot: float, vertex: tuple[float, float, float] = (0.0, 0.0, 0.0)):
        if not nu_per_flavor_per_pot >= 0:
            raise ValueError(f"neutrino yield per POT must be ≥ 0, got {nu_per_flavor_per_pot}")
        self.yield_per_pot = float(nu_per_flavor_per_pot)
        self.vertex = np.asarray(vertex, dtype=float)

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        """3n neutrinos: n ν_μ, then n ν_e, then n ν̄_μ; each has weight ``yield_per_pot``/n (per POT)."""
        m_mu = mass(PDG["mu+"])
        e = np.empty(3 * n)
        e[:n] = nu_mu_energy()
        e[n:2 * n] = 0.5 * m_mu * rng.beta(3.0, 2.0, n)
        pick = rng.random(n) < 2.0 / 3.0
        x = np.where(pick, rng.beta(3.0, 1.0, n), rng.beta(3.0, 2.0, n))
        e[2 * n:] = 0.5 * m_mu * x
        u = rng.random((3 * n, 2))
        p4 = np.empty((3 * n, 4))
        p4[:, :3] = isotropic_directions(u[:, 0], u[:, 1]) * e[:, None]
        p4[:, 3] = e
        t_pi = rng.exponential(TAU_PI_NS, n)
        t = np.concatenate([t_pi, t_pi + rng.exponential(TAU_MU_NS, n), np.empty(n)])
        t[2 * n:] = t[n:2 * n]  # ν_e and ν̄_μ come from the same μ⁺ decay
        pdg = np.repeat(np.array([PDG["nu_mu"], PDG["nu_e"], -PDG["nu_mu"]], dtype=np.int32), n)
        vertex = np.broadcast_to(self.vertex, (3 * n, 3)).copy()
        return Parents(pdg, p4, vertex, t, np.full(3 * n, self.yield_per_pot / n))


def stopped_pion_source(facility: str, nu_per_flavor_per_pot: float | None = None) -> StoppedPionSource:
    """The π-DAR source of a facility with its documented ν yield per POT (or the user's number).

    A yield that is derived rather than published (LANSCE Lujan, PIP-II) triggers a warning.
    """
    par = source_parameters(facility, None if nu_per_flavor_per_pot is None else {"nu": nu_per_flavor_per_pot})
    entry = par.get("neutrinos", {}).get("per_flavor_per_pot")
    if entry is None:
        raise ValueError(f"{facility} has no stopped-pion neutrino yield; pass nu_per_flavor_per_pot")
    if entry["status"] == "derived":
        warnings.warn(f"the {facility} neutrino yield {entry['value']} per flavour per POT is derived, not "
                      f"published ({entry['source']}); spread {entry['spread']}", stacklevel=2)
    return StoppedPionSource(entry["value"])


def stopped_parents(facility: str, species: str, n: int, yield_per_pot: float | None = None) -> Parents:
    """n identical parents at rest at the target origin, weight = yield per POT / n each.

    ``species``: ``"pi+"`` (stopped π⁺ = the per-flavour ν yield; for π⁺ → ℓ⁺X channels at rest; the decay
    time Exp(τ_π) is left to the channel) or ``"pi-"`` (π⁻ captured at rest: the facility's
    ``pi_minus_capture`` yield, for π⁻p → nX, formulas-production.md §6.1). t = 0 at the proton interaction.
    """
    par = source_parameters(facility)
    if species == "pi+":
        entry = par.get("neutrinos", {}).get("per_flavor_per_pot")
    elif species == "pi-":
        entry = par["yields"].get("pi_minus_capture")
    else:
        raise ValueError(f"stopped parents are 'pi+' or 'pi-', not {species!r}")
    if yield_per_pot is None:
        if entry is None:
            raise ValueError(f"{facility} has no documented stopped {species} yield; pass yield_per_pot")
        yield_per_pot = entry["value"]
    pdg = PDG[species]
    p4 = np.zeros((n, 4))
    p4[:, 3] = mass(pdg)
    return Parents(np.full(n, pdg, dtype=np.int32), p4, np.zeros((n, 3)), np.zeros(n),
                   np.full(n, float(yield_per_pot) / n))
