"""Long-lived mesons (π±, K±, K⁰_L) at their decay points: at rest in targets and absorbers, in flight in
the decay pipe. Every source returns :class:`~.parents.Parents` whose ``vertex`` is the **decay point**,
``t`` the **decay time** (ns from the proton's arrival) and ``weight`` the **decays per POT** it stands
for, so any decay channel (K → πS, π/K → ℓN, π/K → μν) takes them as they are.

At rest (:class:`AtRestMesons`)
    Mesons that stop in a target or absorber and decay at rest: p = 0, E = m, at the stopping point of
    the facility's data (``data/facility_sources.toml`` ``[FACILITY.at_rest]``: K⁺ in the NuMI absorber)
    or, for π⁺ at spallation targets, the stopped-π⁺ yield of the π-DAR ν source (one ν per flavour per
    stopped π⁺, the ``neutrinos.per_flavor_per_pot`` entry, formulas-detection.md §4.3). The stopping
    time (≲ 1 ns for a K⁺ slowing down in steel or mercury) is neglected; the decay time after stopping
    is exponential with the PDG lifetime (τ_K⁺ = 12.38 ns, τ_π⁺ = 26.03 ns; ``particle``'s tables).
    Weight = the yield per POT (a K⁺ that stops decays: K⁺ is not captured by nuclei). The daughters of a
    decay at rest are isotropic and monoenergetic (the channel's two-body kinematics).
    Proton time: t = 0 at the target for stopped mesons at the target; for the absorber, the light-speed
    flight time of the beam from the target to the absorber (z/c) is added — the stopped kaons there are
    made by beam protons and forward hadrons that reach it at ≈ c.

In flight (:class:`InFlightMesons`)
    Mesons drawn from the facility's target spectrum (Sanford–Wang at the BNB, BMPT at 120 GeV; the
    parametrization and yield per POT of :mod:`.mesons`) at the target's interaction points, then
    propagated **in straight lines** along their production direction through the facility's decay region
    (the catalog's ``[decay_region]``: a cylinder of radius R about the beam axis from z = start to
    start + length). **Horn focusing is not modelled** (no magnetic field: the parent directions are
    those of the production spectrum), so the meson flux down the pipe is that of an unfocused beam; a
    beam-simulation parent file (:func:`.user_files.read_parents`, the dk2nu-like schema) is the way to
    get the focused flux.

    Along a ray the meson is inside the pipe for path lengths s ∈ [s_in, s_out] (entry through the
    upstream plane, exit through the downstream plane or the wall). With the decay length
    λ = p cτ/m = βγcτ, the decay point is drawn from the exponential truncated to [s_in, s_out]
    (exact inverse CDF, :func:`darkbeam.sampling.truncated_exponential`) and the weight is multiplied by
    the exact probability to decay there, P = e^{−s_in/λ} − e^{−s_out/λ}; for a meson starting on the
    axis at the pipe's upstream plane and leaving through its downstream end, P = 1 − exp(−L m/(p cτ)).
    Mesons that decay before the pipe (in the target or the horn region upstream of ``start``) and those
    that leave it without decaying (into the wall or the absorber, where they interact or stop) are not
    counted by this source — the stopped ones are the at-rest source's. Decay time
    t = t_production + s/(βc).

Both sources have ``sample(rng, n)`` with Σ weight over the n parents estimating the decays per POT.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..constants import C_M_PER_NS, mass
from ..sampling import probability_in_segment, truncated_exponential
from ..timing.delays import lifetime_ns
from .parents import Parents

#: meson names accepted by the at-rest and in-flight sources → PDG id
DECAYING_MESONS = {"pi+": 211, "pi-": -211, "K+": 321, "K-": -321, "K0L": 130}


def decay_length(pdg: int | np.ndarray, p: np.ndarray) -> np.ndarray:
    """Mean decay length βγcτ = p cτ/m (m) of mesons of PDG id ``pdg`` and momentum ``p`` (GeV)."""
    pdg = np.abs(np.asarray(pdg))
    out = np.empty(np.broadcast(pdg, p).shape)
    p = np.broadcast_to(p, out.shape)
    pdgs = np.broadcast_to(pdg, out.shape)
    for code in np.unique(pdgs):
        sel = pdgs == code
        out[sel] = p[sel] * lifetime_ns(int(code)) * C_M_PER_NS / mass(int(code))
    return out


@dataclass(frozen=True)
class AtRestMesons:
    """``pdg`` mesons decaying at rest at ``point`` (3,) m; Σ weight = ``yield_per_pot`` per POT; decay
    times t_stop + Exp(τ), ``t_stop`` (ns) the proton-side time of the stopping (see module docstring)."""

    pdg: int
    yield_per_pot: float
    point: np.ndarray
    t_stop: float = 0.0
    #: the draws are identical up to their decay times: exact, not a sample of a spectrum
    symmetric = False

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        m = mass(abs(self.pdg))
        p4 = np.zeros((n, 4))
        p4[:, 3] = m
        t = self.t_stop + rng.exponential(lifetime_ns(abs(self.pdg)), n)
        return Parents(np.full(n, self.pdg, dtype=np.int32), p4, np.tile(np.asarray(self.point, float), (n, 1)),
                       t, np.full(n, self.yield_per_pot / n))


def pipe_segment(vertex: np.ndarray, direction: np.ndarray, start: float, end: float,
                 radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Path lengths (s_in, s_out) (m) along the rays ``vertex + s·direction`` (unit ``direction``) inside the
    cylinder x² + y² ≤ radius², start ≤ z ≤ end; s_out ≤ s_in where a ray misses it (or goes backwards).
    The ray starts at s = 0 (s_in ≥ 0)."""
    v = np.asarray(vertex, dtype=float)
    d = np.asarray(direction, dtype=float)
    dz = d[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        z_lo = np.where(dz > 0, (start - v[:, 2]) / dz, np.where(v[:, 2] >= start, -np.inf, np.inf))
        z_hi = np.where(dz > 0, (end - v[:, 2]) / dz, np.where(v[:, 2] <= end, np.inf, -np.inf))
    # radial: |v⊥ + s d⊥|² ≤ R²  →  a s² + 2 b s + c ≤ 0
    a = d[:, 0] ** 2 + d[:, 1] ** 2
    b = v[:, 0] * d[:, 0] + v[:, 1] * d[:, 1]
    c = v[:, 0] ** 2 + v[:, 1] ** 2 - radius ** 2
    disc = b * b - a * c
    root = np.sqrt(np.maximum(disc, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        r_lo = np.where(a > 0, (-b - root) / a, np.where(c <= 0, -np.inf, np.inf))
        r_hi = np.where(a > 0, (-b + root) / a, np.where(c <= 0, np.inf, -np.inf))
    miss = (a > 0) & (disc < 0)
    r_lo = np.where(miss, np.inf, r_lo)
    r_hi = np.where(miss, -np.inf, r_hi)
    s_in = np.maximum.reduce([np.zeros(len(v)), z_lo, r_lo])
    s_out = np.minimum(z_hi, r_hi)
    return s_in, s_out


@dataclass(frozen=True)
class InFlightMesons:
    """Mesons of a target source (``source.sample(rng, n)`` → Parents at their production points, e.g.
    :class:`~.channel_parents.TargetMesons`) moved to their decay points inside ``region`` (a
    :class:`darkbeam.detectors.catalog.DecayRegion`); see the module docstring."""

    source: object
    region: object

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        par = self.source.sample(rng, n)
        p3 = par.p4[:, :3]
        p = np.linalg.norm(p3, axis=1)
        direction = p3 / np.where(p > 0, p, 1.0)[:, None]
        reg = self.region
        s_in, s_out = pipe_segment(par.vertex, direction, reg.start, reg.end, reg.radius)
        inside = (s_out > s_in) & (p > 0)
        s_out = np.where(inside, s_out, s_in)
        lam = decay_length(par.pdg, np.where(p > 0, p, 1.0))
        prob = np.where(inside, probability_in_segment(s_in, s_out, lam), 0.0)
        s = truncated_exponential(rng.random(len(par)), s_in, s_out, lam)
        beta = p / np.maximum(par.p4[:, 3], 1e-300)
        vertex = par.vertex + s[:, None] * direction
        t = par.t + s / (np.maximum(beta, 1e-300) * C_M_PER_NS)
        return dataclasses.replace(par, vertex=vertex, t=t, weight=par.weight * prob)


def decay_probability_in_pipe(length: float, p: np.ndarray, pdg: int) -> np.ndarray:
    """Closed form 1 − exp(−L m/(p cτ)) for mesons along the axis from the pipe's upstream plane (the
    check of :class:`InFlightMesons`)."""
    return -np.expm1(-length / decay_length(pdg, np.asarray(p, dtype=float)))


def at_rest_source(facility, species: str, yield_per_pot: float | None = None,
                   overrides: dict | None = None) -> AtRestMesons:
    """The mesons of ``species`` (``'K+'``, ``'pi+'``) decaying at rest at ``facility`` (a
    :class:`~darkbeam.detectors.catalog.Facility`), with the documented yield per POT (or the user's).

    π⁺: the stopped-π⁺ yield of the π-DAR ν source (``neutrinos.per_flavor_per_pot``) at the target;
    others: the facility's ``at_rest`` entry. Raises ValueError (one sentence saying what to add) when
    the facility documents no such yield.
    """
    from .facility_parameters import source_parameters

    if species not in DECAYING_MESONS:
        raise ValueError(f"mesons at rest are one of {', '.join(DECAYING_MESONS)}, not {species!r}")
    par = source_parameters(facility.name, overrides)
    entry = par["at_rest"].get(species)
    location = "target"
    if entry is None and species == "pi+":
        entry = par.get("neutrinos", {}).get("per_flavor_per_pot")
    if entry is None:
        raise ValueError(f"facility {facility.name} has no documented yield of {species} decaying at rest; add "
                         f"[facility.yields] \"{species}_at_rest\" = <decays at rest per POT>")
    location = entry.get("location", location)
    value = float(yield_per_pot if yield_per_pot is not None else entry["value"])
    if location == "absorber":
        region = facility.decay_region
        if region is None or region.absorber is None:
            raise ValueError(f"facility {facility.name} has no absorber position ([decay_region] absorber in its "
                             "catalog file) for its mesons at rest")
        point = np.asarray(region.absorber, dtype=float)
        return AtRestMesons(DECAYING_MESONS[species], value, point, float(np.linalg.norm(point)) / C_M_PER_NS)
    centre = 0.5 * facility.target_length if facility.target is not None else 0.0
    return AtRestMesons(DECAYING_MESONS[species], value, np.array([0.0, 0.0, centre]), 0.0)


def in_flight_source(facility, species: str, target_source) -> InFlightMesons:
    """``target_source`` (the facility's meson spectrum at the target) moved to decay points in the
    facility's decay region; ValueError when the catalog has none."""
    if facility.decay_region is None:
        raise ValueError(f"facility {facility.name} has no decay region ([decay_region] in its catalog file): "
                         f"{species} decays in flight are not available there")
    if species not in DECAYING_MESONS:
        raise ValueError(f"mesons in flight are one of {', '.join(DECAYING_MESONS)}, not {species!r}")
    return InFlightMesons(target_source, facility.decay_region)


__all__ = [
    "DECAYING_MESONS",
    "AtRestMesons",
    "InFlightMesons",
    "at_rest_source",
    "decay_length",
    "decay_probability_in_pipe",
    "in_flight_source",
    "pipe_segment",
]
