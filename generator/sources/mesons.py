"""Meson sources: parents sampled from a facility's production spectrum and yield per POT.

Shapes come from a named parametrization (:data:`PARAMETRIZATIONS`); the normalisation is always the
documented yield per POT of the facility (``data/facility_sources.toml``) or the user's number, so a
parametrization only has to get the (p, θ) shape right.

Parametrizations and their ranges of validity (each module documents its source):

``sanford_wang``        8.89 GeV/c p–Be (BNB), :mod:`.sanford_wang`; π±, π⁰ = (π⁺ + π⁻)/2, K⁰_L.
``bmpt``                30–450 GeV/c p on nuclei (A-scaled), :mod:`.bmpt`; π±, π⁰, K±, K⁰_L.
``burman_smith``        585–800 MeV protons, :mod:`.burman_smith`; π⁺ (π⁰ uses the π⁺ shape).
``sanford_wang_scaled`` the choice for 1–3 GeV beams (SNS, ESS, J-PARC MLF): the BNB Sanford–Wang π± and
                        K⁰_L fits evaluated at the facility's beam momentum through the explicit p_B
                        dependence of the SW form (p/p_B, c₇p_B cos^c₈θ, the end point p_B − c₉). No
                        published fit at 1–3 GeV was found (formulas-production.md §7.4); the SW form was
                        constrained over 6.4–12.3 GeV/c (HARP + BNL E910, MiniBooNE PRD 79 072002), so this
                        is an extrapolation in p_B (a warning says so); only the shape is used, the yield
                        per POT is the facility's documented number. Its spread is the facility's yield spread.
                        Spallation detectors sit near or behind 90°, so the form is continued to θ ≤ π
                        with cos θ clipped at 0 (as the SW form already does at θ = π/2).

Heavier mesons (η, η′, ρ⁰, ω, φ) have no measured spectra at these facilities. They take the shape of the
heaviest measured meson of the parametrization with their own mass in E: the K⁰_L Sanford–Wang shape at the
BNB (as BdNMC does for η, formulas-production.md §7.1) and the BMPT kaon shape at 30–450 GeV; their
normalisations are the documented ratios to π⁰ (facilities.md §4a, in the data file). At ≤ 0.8 GeV
(Burman–Smith) they are below threshold (pp → ppη needs T_p ≥ 1.26 GeV) and the factory says so.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from functools import partial

import numpy as np

from ..constants import PDG, mass
from ..sampling import truncated_exponential
from . import bmpt, sanford_wang
from .burman_smith import BurmanSmith
from .facility_parameters import source_parameters
from .grid_sampler import GridSampler
from .parents import Parents

#: PDG ids of the kaons used by the meson sources (PDG MC numbering scheme); the others are in
#: :data:`darkbeam.constants.PDG`
KAON_PDG = {"K+": 321, "K-": -321, "K0L": 130}
_ALIASES = {"rho": "rho0", "eta'": "etaprime", "eta_prime": "etaprime", "pi_plus": "pi+",
            "pi_minus": "pi-", "K_plus": "K+", "K_minus": "K-"}
#: mesons whose shape is borrowed from the heaviest measured meson of a parametrization
HEAVY_MESONS = ("eta", "etaprime", "rho0", "omega", "phi")


def canonical_name(meson: str) -> str:
    """The darkbeam name of ``meson`` (accepts a few aliases: rho, eta', pi_plus, ...)."""
    return _ALIASES.get(meson, meson)


def meson_pdg(meson: str) -> int:
    """PDG id of a meson name."""
    meson = canonical_name(meson)
    if meson in KAON_PDG:
        return KAON_PDG[meson]
    return PDG[meson]


_SW_SPECIES = {"pi0": "pi0", "pi+": "pi_plus", "pi-": "pi_minus", "K0L": "K0L",
               **{m: "K0L" for m in HEAVY_MESONS}}


def _sanford_wang(meson: str, p_beam: float, **_target) -> tuple[Callable, float]:
    meson = canonical_name(meson)
    if meson not in _SW_SPECIES:
        raise ValueError(f"the Sanford–Wang parametrization has no {meson!r} spectrum; "
                         f"available: {', '.join(_SW_SPECIES)}")
    species = _SW_SPECIES[meson]
    p_end = sanford_wang.p_max(species, p_beam)
    if p_end <= 0:
        raise ValueError(f"Sanford–Wang {species} spectrum is empty at p_beam = {p_beam} GeV/c "
                         "(kinematically closed in this parametrization)")
    if abs(p_beam - sanford_wang.parameters()["p_beam"]) > 0.05 * sanford_wang.parameters()["p_beam"]:
        warnings.warn(f"Sanford–Wang parameters were fitted at p_beam = {sanford_wang.parameters()['p_beam']}"
                      f" GeV/c; using them at {p_beam:.4g} GeV/c is an extrapolation (shape only)",
                      stacklevel=3)
    return partial(sanford_wang.d2sigma_dp_domega, species, p_beam=p_beam, warn=False), p_end


def _sw_backward_extended(species: str, p: np.ndarray, theta: np.ndarray, p_beam: float) -> np.ndarray:
    """The Sanford–Wang form continued to θ ∈ (π/2, π] with cos θ clipped at 0 (as the form itself does at
    θ = π/2): exponent −c₆θ(p − c₇p_B·0) = value at π/2 × exp(−c₆(θ − π/2)p). Used by ``sanford_wang_scaled``,
    where spallation detectors sit near and behind 90°. An extrapolation (the fit stops at 210 mrad)."""
    if species == "pi0":
        return 0.5 * (_sw_backward_extended("pi_plus", p, theta, p_beam)
                      + _sw_backward_extended("pi_minus", p, theta, p_beam))
    c6 = sanford_wang.parameters()[species]["c"][5]
    p = np.asarray(p, dtype=float)
    theta = np.asarray(theta, dtype=float)
    forward = sanford_wang.d2sigma_dp_domega(species, p, np.minimum(theta, np.pi / 2), p_beam, warn=False)
    with np.errstate(under="ignore"):
        tail = np.exp(-c6 * np.maximum(theta - np.pi / 2, 0.0) * p)
    return np.where(theta <= np.pi, forward * tail, 0.0)


def _sanford_wang_scaled(meson: str, p_beam: float, **target) -> tuple[Callable, float]:
    _, p_end = _sanford_wang(meson, p_beam, **target)  # checks the meson, warns about the extrapolation
    return partial(_sw_backward_extended, _SW_SPECIES[canonical_name(meson)], p_beam=p_beam), p_end


_BMPT_SPECIES = {"pi0": "pi0", "pi+": "pi_plus", "pi-": "pi_minus", "K+": "K_plus", "K-": "K_minus",
                 "K0L": "K0L", **{m: "K0L" for m in HEAVY_MESONS}}


def _bmpt(meson: str, p_beam: float, *, A: float = 9.0, **_target) -> tuple[Callable, float]:
    meson = canonical_name(meson)
    if meson not in _BMPT_SPECIES:
        raise ValueError(f"the BMPT parametrization has no {meson!r} spectrum; "
                         f"available: {', '.join(_BMPT_SPECIES)}")
    species = _BMPT_SPECIES[meson]
    return (partial(bmpt.d2sigma_dp_domega, species, p_beam=p_beam, target_a=A),
            bmpt.p_max(species, p_beam))


def _burman_smith(meson: str, p_beam: float, *, Z: float = 74.0, **_target) -> tuple[Callable, float]:
    meson = canonical_name(meson)
    if meson not in ("pi+", "pi0"):
        raise ValueError(f"the Burman–Smith parametrization has no {meson!r} spectrum (π⁺, and π⁰ with the "
                         "π⁺ shape; heavier mesons are below threshold at ≤ 0.8 GeV)")
    mp = mass(PDG["proton"])
    tp_mev = 1e3 * (np.sqrt(p_beam * p_beam + mp * mp) - mp)
    bs = BurmanSmith(Z, tp_mev)
    return bs.d2sigma_dp_domega, bs.p_max()


PARAMETRIZATIONS: dict[str, Callable[..., tuple[Callable, float]]] = {
    "sanford_wang": _sanford_wang,
    "bmpt": _bmpt,
    "burman_smith": _burman_smith,
    "sanford_wang_scaled": _sanford_wang_scaled,
}

#: source and range of validity of each parametrization (for ``describe`` and the docs)
VALIDITY = {
    "sanford_wang": "Sanford–Wang, MiniBooNE fit (PRD 79 072002, arXiv:0806.1449) to HARP p–Be 8.9 GeV/c and "
                    "BNL E910; p_beam = 8.89 GeV/c, fit region 0.75–6.5 GeV/c, 30–210 mrad",
    "bmpt": "BMPT, Bonesini et al. EPJC 20 (2001) 13 (hep-ph/0101163); 30–450 GeV/c protons, A-scaled from Be, "
            "x_R ≳ 0.05, low p_T",
    "burman_smith": "Burman–Smith, LA-11502-MS (1989) as implemented in BdNMC; π⁺ from 585–800 MeV protons "
                    "(anchors 585 and 730 MeV), Z-dependent",
    "sanford_wang_scaled": "Sanford–Wang BNB fit evaluated at the facility beam momentum (darkbeam's documented "
                           "choice for 1–3 GeV: no published fit found; an extrapolation in p_B, shape only; "
                           "continued to θ ≤ π with cos θ clipped at 0)",
}

#: largest polar angle (rad) of each parametrization's domain
THETA_MAX = {"sanford_wang": np.pi / 2, "bmpt": np.pi / 2, "burman_smith": np.pi,
             "sanford_wang_scaled": np.pi}


class MesonSource:
    """Mesons of one species made in the target, with weights per POT.

    Parameters
    ----------
    meson : str
        Name as in :data:`darkbeam.constants.PDG` (``pi0``, ``eta``, ...) or :data:`KAON_PDG`.
    density : callable
        Shape of the spectrum d²N/dp dΩ(p, θ) in any normalisation.
    p_max : float
        Largest momentum (GeV).
    yield_per_pot : float
        Mesons per proton on target (the normalisation).
    target_length, interaction_length : float
        Target length and nuclear interaction length (m): production points are sampled along the
        beam axis from exp(−z/λ_I) truncated to the target (the proton's first interaction).
    theta_max : float
        Largest polar angle of the sampling domain (rad).
    """

    def __init__(self, meson: str, density: Callable, p_max: float, yield_per_pot: float,
                 target_length: float = 0.0, interaction_length: float = np.inf,
                 theta_max: float = np.pi / 2):
        self.meson = canonical_name(meson)
        self.pdg = meson_pdg(self.meson)
        self.mass = mass(self.pdg)
        self.yield_per_pot = float(yield_per_pot)
        self.target_length = float(target_length)
        self.interaction_length = float(interaction_length)
        self.sampler = GridSampler(density, p_max, theta_max)

    def tilted(self, importance) -> "MesonSource":
        """The same source drawing with a learned importance (:mod:`.importance`)."""
        out = copy.copy(self)
        out.sampler = self.sampler.tilted(importance)
        return out

    def importance_bins(self):
        return self.sampler.importance_bins()

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        """n mesons; Σ weight estimates ``yield_per_pot`` (mesons per POT)."""
        p, theta, phi, w = self.sampler.sample(rng, n)
        st = np.sin(theta)
        p4 = np.empty((n, 4))
        p4[:, 0] = p * st * np.cos(phi)
        p4[:, 1] = p * st * np.sin(phi)
        p4[:, 2] = p * np.cos(theta)
        p4[:, 3] = np.sqrt(p * p + self.mass ** 2)
        vertex = np.zeros((n, 3))
        if self.target_length > 0:
            vertex[:, 2] = truncated_exponential(rng.random(n), 0.0, self.target_length,
                                                 self.interaction_length)
        return Parents(np.full(n, self.pdg, dtype=np.int32), p4, vertex, np.zeros(n),
                       w * self.yield_per_pot / n)


def meson_source(parametrization: str, meson: str, p_beam: float, yield_per_pot: float,
                 target_length: float = 0.0, interaction_length: float = np.inf,
                 **target: float) -> MesonSource:
    """Build the source of ``meson`` from a named parametrization (see :data:`PARAMETRIZATIONS`).

    ``target`` passes the target's ``Z`` (Burman–Smith) and ``A`` (BMPT A-scaling).
    """
    if parametrization not in PARAMETRIZATIONS:
        raise ValueError(f"unknown meson parametrization {parametrization!r}; "
                         f"known: {', '.join(PARAMETRIZATIONS)}")
    density, p_max = PARAMETRIZATIONS[parametrization](meson, p_beam, **target)
    return MesonSource(meson, density, p_max, yield_per_pot, target_length, interaction_length,
                       THETA_MAX[parametrization])


def facility_meson_source(facility: str, meson: str, yield_per_pot: float | None = None,
                          parametrization: str | None = None) -> MesonSource:
    """The ``meson`` source of a facility from ``data/facility_sources.toml``.

    ``yield_per_pot`` overrides the documented default; ``parametrization`` overrides the facility's
    choice (e.g. ``burman_smith`` at the SNS, to see the spread between shapes).
    """
    meson = canonical_name(meson)
    par = source_parameters(facility, None if yield_per_pot is None else {meson: yield_per_pot})
    if meson not in par["yields"]:
        raise ValueError(f"{facility} has no documented {meson} yield per POT (known: "
                         f"{', '.join(par['yields']) or 'none'}); pass yield_per_pot")
    name = parametrization or par["parametrization"]
    tgt = par["target"]
    return meson_source(name, meson, par["beam_momentum_GeV"], par["yields"][meson]["value"],
                        tgt["length_m"], tgt["interaction_length_m"], Z=tgt["Z"], A=tgt["A"])
