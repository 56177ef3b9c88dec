"""Vector mediators X coupling to SM fermions as 𝓛 ⊃ −e Σ_f c_f f̄γ^μ f X_μ.

Convention (formulas-production.md §1.1, formulas-detection.md §0.1): c_f = ε Q_f + x_f in units
of e, with ε the kinetic mixing and x_f = g_X q_f / e the direct gauge couplings.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import ALPHA_EM, HBARC_GEV_M, mass as pdg_mass

#: electric charges Q_f of the SM fermions (units of e)
CHARGES = {"u": 2 / 3, "d": -1 / 3, "s": -1 / 3, "e": -1.0, "mu": -1.0, "tau": -1.0,
           "nu_e": 0.0, "nu_mu": 0.0, "nu_tau": 0.0}
_LEPTON_PDG = {"e": 11, "mu": 13, "tau": 15}


class VectorMediator:
    """A massive vector X with kinetic mixing ``epsilon`` and direct couplings ``x`` (units of e).

    Parameters
    ----------
    mass : float
        X mass in GeV (> 0).
    epsilon : float
        Kinetic mixing with the photon.
    x : dict, optional
        Direct vector couplings x_f (units of e) to u, d, s, e, mu, tau, nu_e, nu_mu, nu_tau.
    """

    pdgid = 55  # PDG MC scheme: spin-1 mediator of the dark-matter block

    def __init__(self, mass: float, *, epsilon: float = 0.0, x: dict[str, float] | None = None,
                 name: str = "vector"):
        if not (isinstance(mass, (int, float)) and math.isfinite(mass) and mass > 0):
            raise ValueError(f"mediator mass must be a positive number of GeV, got {mass!r}")
        if not math.isfinite(epsilon):
            raise ValueError(f"epsilon must be finite, got {epsilon!r}")
        x = dict(x or {})
        unknown = set(x) - set(CHARGES)
        if unknown:
            raise ValueError(f"unknown fermions {sorted(unknown)}; known: {sorted(CHARGES)}")
        self.mass = float(mass)
        self.epsilon = float(epsilon)
        self.x = {f: float(x.get(f, 0.0)) for f in CHARGES}
        self.name = name

    @classmethod
    def dark_photon(cls, mass: float, epsilon: float) -> "VectorMediator":
        """The kinetically mixed dark photon A′: c_f = ε Q_f."""
        return cls(mass, epsilon=epsilon, name="dark_photon")

    # couplings ----------------------------------------------------------------------------
    def coupling(self, fermion: str) -> float:
        """c_f = ε Q_f + x_f, the vector coupling to ``fermion`` in units of e."""
        return self.epsilon * CHARGES[fermion] + self.x[fermion]

    def meson_factor(self, meson: str) -> float:
        """F_P of BR(P→γX)/BR(P→γγ) = 2|F_P|²(1−m_X²/m_P²)³ in the chiral-anomaly limit.

        F_π⁰ = 2c_u + c_d, F_η = ¾(2c_u − c_d + c_s), F_η′ = 3/7(2c_u − c_d − 2c_s)
        (Darkcast, arXiv:1801.04847 Eqs. 2.7–2.10 with all Breit–Wigners = 1;
        formulas-production.md §1.2). Equals ε for the dark photon.
        """
        cu, cd, cs = self.coupling("u"), self.coupling("d"), self.coupling("s")
        factors = {"pi0": 2 * cu + cd, "eta": 0.75 * (2 * cu - cd + cs),
                   "etaprime": 3.0 / 7.0 * (2 * cu - cd - 2 * cs)}
        return factors[meson]

    # widths ----------------------------------------------------------------------------------
    def width(self, channel: str) -> float:
        """Partial width in GeV. Channels: ``e+e-``, ``mu+mu-``, ``tau+tau-``.

        Γ(X→ℓ⁺ℓ⁻) = α c_ℓ² m/3 · (1 + 2m_ℓ²/m²) √(1 − 4m_ℓ²/m²)
        (arXiv:1801.04847 Eq. 2.13; formulas-detection.md §1.1); zero below threshold.
        """
        leptons = {"e+e-": "e", "mu+mu-": "mu", "tau+tau-": "tau"}
        if channel not in leptons:
            raise ValueError(f"unknown decay channel {channel!r}; known: {sorted(leptons)}")
        lep = leptons[channel]
        r = (pdg_mass(_LEPTON_PDG[lep]) / self.mass) ** 2
        if 4 * r >= 1:
            return 0.0
        return ALPHA_EM * self.coupling(lep) ** 2 * self.mass / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r)

    def channels(self) -> list[str]:
        return ["e+e-", "mu+mu-", "tau+tau-"]

    def total_width(self) -> float:
        """Sum of the partial widths (GeV)."""
        return float(sum(self.width(c) for c in self.channels()))

    def branching_ratios(self) -> dict[str, float]:
        tot = self.total_width()
        return {c: (self.width(c) / tot if tot > 0 else 0.0) for c in self.channels()}

    def ctau(self) -> float:
        """Proper decay length cτ = ħc/Γ in metres (inf for a stable mediator)."""
        tot = self.total_width()
        return HBARC_GEV_M / tot if tot > 0 else math.inf

    def decay_length(self, momentum: np.ndarray | float) -> np.ndarray | float:
        """Lab decay length βγcτ = (p/m) cτ in metres for momentum ``p`` in GeV."""
        return np.asarray(momentum) / self.mass * self.ctau()
