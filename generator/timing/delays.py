"""Time of flight, delays and parent decay times (plain functions on arrays; ns, m).

* A particle of speed βc covers a distance L in L/(βc); light covers it in L/c.
* The **delay** of a vertex is its time minus the arrival time of a light-speed particle that left
  the proton's interaction point (``origin``, at ``t_origin``) for that vertex:
  delay = t − (t_origin + |vertex − origin|/c). A slow dark particle that flies straight from the
  target has delay = L/(βc) − L/c = (L/c)(1/β − 1).
* Parent decays: a particle of proper lifetime τ decays after an exponential time of mean τ at rest
  (γτ in flight). Lifetimes come from the PDG tables shipped with ``particle``:
  τ(π⁺) = 26.033 ns, τ(μ⁺) = 2196.98 ns (PDG RPP 2024 summary tables); π⁰ (8.4×10⁻⁸ ns) is
  prompt on the ns scale.
* Stopped-pion source (π⁺ → μ⁺ν_μ at rest, then μ⁺ → e⁺ν_e ν̄_μ at rest): ν_μ is emitted at
  t_p + T_π and ν_e, ν̄_μ at t_p + T_π + T_μ, with t_p the proton time, T_π ~ Exp(τ_π) and
  T_μ ~ Exp(τ_μ) independent; so the prompt time is pulse ⊗ exp(τ_π) and the delayed time
  pulse ⊗ exp(τ_π) ⊗ exp(τ_μ) (the decay-at-rest timing used by LSND, PRD 64 (2001) 112007, and
  COHERENT, Science 357 (2017) 1123). For a δ pulse the delayed density is
  (e^{−t/τ_μ} − e^{−t/τ_π})/(τ_μ − τ_π), whose tail falls as e^{−t/τ_μ}.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..constants import C_M_PER_NS


@lru_cache(maxsize=None)
def lifetime_ns(pdgid: int) -> float:
    """Mean proper lifetime (ns) from the PDG tables shipped with ``particle``."""
    from particle import Particle

    tau = Particle.from_pdgid(pdgid).lifetime
    if tau is None or not np.isfinite(tau):
        raise KeyError(f"no finite lifetime for PDG id {pdgid}")
    return float(tau)


def pion_lifetime_ns() -> float:
    """τ(π⁺) in ns (PDG: 26.033 ns)."""
    return lifetime_ns(211)


def muon_lifetime_ns() -> float:
    """τ(μ⁺) in ns (PDG: 2196.98 ns)."""
    return lifetime_ns(-13)


def time_of_flight(distance_m, beta) -> np.ndarray:
    """L/(βc) in ns for a distance L (m) at speed βc, 0 < β ≤ 1 (arrays broadcast)."""
    distance = np.asarray(distance_m, dtype=float)
    beta = np.asarray(beta, dtype=float)
    if np.any(~(beta > 0) | (beta > 1)):
        raise ValueError("time_of_flight: expected 0 < beta <= 1")
    if np.any(distance < 0):
        raise ValueError("time_of_flight: expected distances >= 0 (m)")
    return distance / (beta * C_M_PER_NS)


def beta_from_energy(energy, mass) -> np.ndarray:
    """β = p/E = √(E² − m²)/E for energy E ≥ m (GeV)."""
    energy = np.asarray(energy, dtype=float)
    mass = np.asarray(mass, dtype=float)
    return np.sqrt(np.maximum(energy * energy - mass * mass, 0.0)) / energy


def delay(t, vertex, origin, t_origin) -> np.ndarray:
    """delay = t − (t_origin + |vertex − origin|/c), ns.

    ``t`` (n,) ns time of the vertex; ``vertex`` and ``origin`` (n, 3) m; ``t_origin`` (n,) ns
    time at which the proton interacted at ``origin``.
    """
    vertex = np.asarray(vertex, dtype=float)
    origin = np.asarray(origin, dtype=float)
    light = np.linalg.norm(vertex - origin, axis=-1) / C_M_PER_NS
    return np.asarray(t, dtype=float) - (np.asarray(t_origin, dtype=float) + light)


def analytic_delay(distance_m, beta) -> np.ndarray:
    """(L/c)(1/β − 1): the delay of a particle flying L (m) straight from the proton's
    interaction point at speed βc, relative to light (ns); computed as L(1 − β)/(βc) so it keeps
    its digits for β → 1."""
    distance = np.asarray(distance_m, dtype=float)
    beta = np.asarray(beta, dtype=float)
    return distance * (1.0 - beta) / (beta * C_M_PER_NS)


def exponential_decay_times(rng: np.random.Generator, n: int, tau_ns: float) -> np.ndarray:
    """n decay times (ns) of particles of mean lifetime ``tau_ns`` (use γτ for decays in flight)."""
    if not tau_ns >= 0:
        raise ValueError(f"exponential_decay_times: expected tau_ns >= 0, got {tau_ns!r}")
    return rng.exponential(tau_ns, n) if tau_ns > 0 else np.zeros(n)


@dataclass(frozen=True)
class StoppedPionTimes:
    """Emission times (ns, proton clock) of the neutrinos of n stopped π⁺ → μ⁺ → e⁺ chains.

    ``prompt``: ν_μ from π⁺ → μ⁺ν_μ; ``delayed``: ν_e and ν̄_μ from the same chain's μ⁺ decay
    (the two are emitted together, so they share one array).
    """

    prompt: np.ndarray
    delayed: np.ndarray

    @property
    def nu_mu(self) -> np.ndarray:
        return self.prompt

    @property
    def nu_e(self) -> np.ndarray:
        return self.delayed

    @property
    def nu_mu_bar(self) -> np.ndarray:
        return self.delayed

    def as_dict(self) -> dict[str, np.ndarray]:
        """Labels → times, as :func:`darkbeam.timing.plot_timing` takes them."""
        return {"prompt ν_μ (π⁺ decay)": self.prompt,
                "delayed ν_e, ν̄_μ (μ⁺ decay)": self.delayed}


def stopped_pion_neutrino_times(rng: np.random.Generator, n: int, pulse, *,
                                tau_pi: float | None = None, tau_mu: float | None = None
                                ) -> StoppedPionTimes:
    """Sample n π⁺ → μ⁺ → e⁺ decay chains at rest started by protons of ``pulse``.

    Returns the ν_μ (prompt: pulse ⊗ exp(τ_π)) and ν_e/ν̄_μ (delayed: pulse ⊗ exp(τ_π) ⊗ exp(τ_μ))
    emission times in ns; add L/c for the arrival at a detector at distance L. Lifetimes default
    to the PDG values (:func:`pion_lifetime_ns`, :func:`muon_lifetime_ns`). The pion's and
    muon's stopping times (≲ 1 ns in a heavy target) are neglected.
    """
    tau_pi = pion_lifetime_ns() if tau_pi is None else tau_pi
    tau_mu = muon_lifetime_ns() if tau_mu is None else tau_mu
    t_proton = pulse.sample(rng, n)
    prompt = t_proton + exponential_decay_times(rng, n, tau_pi)
    delayed = prompt + exponential_decay_times(rng, n, tau_mu)
    return StoppedPionTimes(prompt, delayed)


def stopped_pion_time_moments(pulse, *, tau_pi: float | None = None, tau_mu: float | None = None
                              ) -> dict[str, tuple[float, float]]:
    """Exact (mean, std) of the prompt and delayed neutrino times for ``pulse``.

    Means and variances of independent sums add: prompt (μ_p + τ_π, √(σ_p² + τ_π²)), delayed
    (μ_p + τ_π + τ_μ, √(σ_p² + τ_π² + τ_μ²)) (an exponential of mean τ has variance τ²).
    """
    tau_pi = pion_lifetime_ns() if tau_pi is None else tau_pi
    tau_mu = muon_lifetime_ns() if tau_mu is None else tau_mu
    m, s = pulse.mean, pulse.std
    return {"prompt": (m + tau_pi, float(np.sqrt(s * s + tau_pi ** 2))),
            "delayed": (m + tau_pi + tau_mu, float(np.sqrt(s * s + tau_pi ** 2 + tau_mu ** 2)))}
