"""Vector mediators X coupling to SM fermions as 𝓛 ⊃ e X_μ Σ_f f̄γ^μ(c_f + a_f γ⁵)f (+ DM).

Convention (formulas-production.md §1.1, formulas-detection.md §0.1): the vector coupling
c_f = ε Q_f + x_f is in units of e, with ε the kinetic mixing and x_f = g_X q_f / e the direct
gauge couplings; a_f are optional axial couplings (units of e). Neutrinos couple through their
left-handed field only (x_ν is the coefficient of ν̄γ^μP_Lν), so they take no axial coupling.
Nucleons and nuclei (vector current, q → 0): c_p = 2c_u + c_d, c_n = c_u + 2c_d,
Q_N = Z c_p + N c_n. Second/third-generation quarks follow generation universality unless given:
x_c = x_u, x_b = x_d.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass
from ._common import DecayingModel, ModelValidityWarning, check_coupling, check_mass
from .dark_matter import DarkMatter
from .hadronic import HADRONIC_CHANNELS, hadronic_widths

#: electric charges Q_f of the SM fermions (units of e)
CHARGES = {"u": 2 / 3, "d": -1 / 3, "s": -1 / 3, "c": 2 / 3, "b": -1 / 3, "e": -1.0, "mu": -1.0,
           "tau": -1.0, "nu_e": 0.0, "nu_mu": 0.0, "nu_tau": 0.0}
QUARKS = ("u", "d", "s", "c", "b")
LEPTONS = ("e", "mu", "tau")
NEUTRINOS = ("nu_e", "nu_mu", "nu_tau")
_LEPTON_PDG = {"e": 11, "mu": 13, "tau": 15}
LEPTON_CHANNELS = {"e+e-": "e", "mu+mu-": "mu", "tau+tau-": "tau"}
NEUTRINO_CHANNELS = {"nuenuebar": "nu_e", "numunumubar": "nu_mu", "nutaunutaubar": "nu_tau"}


class VectorMediator(DecayingModel):
    """A massive vector X with kinetic mixing ``epsilon`` and direct couplings ``x`` (units of e).

    Parameters
    ----------
    mass : float
        X mass in GeV (> 0).
    epsilon : float
        Kinetic mixing with the photon.
    x : dict, optional
        Direct vector couplings x_f (units of e) to u, d, s, c, b, e, mu, tau, nu_e, nu_mu, nu_tau.
        Missing entries are 0, except c and b, which default to x_u and x_d.
    axial : dict, optional
        Axial couplings a_f (units of e) to quarks and charged leptons.
    dark_matter : DarkMatter, optional
        Adds the invisible channel ``chichibar`` (or ``chi1chi2``).
    light_nu_r : bool
        Neutrino convention. False (default): only the left-handed neutrinos are light, and
        Γ(X→ν_αν̄_α) = α x_α² m/6 per flavour (= g²x²m/24π; identical for Dirac or Majorana
        light neutrinos, formulas-detection.md §1.2). True: a light right-handed partner carries
        the same vector charge (Dirac neutrino coupled vectorially to both chiralities) and the
        width doubles to α x² m/3.
    name : str
        Label (preset name for presets).
    """

    pdgid = 55  # PDG MC scheme: spin-1 mediator of the dark-matter block
    #: names accepted by :meth:`with_couplings`; widths are quadratic forms in these
    coupling_names = (("epsilon",) + tuple(f"x_{f}" for f in CHARGES)
                      + tuple(f"a_{f}" for f in QUARKS + LEPTONS) + ("alpha_d",))

    def __init__(self, mass: float, *, epsilon: float = 0.0, x: dict[str, float] | None = None,
                 axial: dict[str, float] | None = None, dark_matter: DarkMatter | None = None,
                 light_nu_r: bool = False, name: str = "vector"):
        self.mass = check_mass(mass, "mediator mass")
        self.epsilon = check_coupling(epsilon, "epsilon")
        x = dict(x or {})
        unknown = set(x) - set(CHARGES)
        if unknown:
            raise ValueError(f"unknown fermions {sorted(unknown)}; known: {sorted(CHARGES)}")
        axial = dict(axial or {})
        bad_axial = set(axial) - set(QUARKS + LEPTONS)
        if bad_axial:
            raise ValueError(f"axial couplings are accepted for {QUARKS + LEPTONS}, got {sorted(bad_axial)} "
                             "(neutrinos couple through P_L only: give their coupling in x)")
        xx = {f: check_coupling(v, f"x_{f}") for f, v in x.items()}
        xx.setdefault("c", xx.get("u", 0.0))
        xx.setdefault("b", xx.get("d", 0.0))
        self.x = {f: float(xx.get(f, 0.0)) for f in CHARGES}
        self.axial = {f: check_coupling(axial.get(f, 0.0), f"a_{f}") for f in QUARKS + LEPTONS}
        if dark_matter is not None and not isinstance(dark_matter, DarkMatter):
            raise ValueError(f"dark_matter must be a DarkMatter, got {dark_matter!r}")
        self.dark_matter = dark_matter
        self.light_nu_r = bool(light_nu_r)
        self.name = name

    def __repr__(self) -> str:
        nz = {f: v for f, v in self.x.items() if v}
        return (f"VectorMediator(name={self.name!r}, mass={self.mass!r}, epsilon={self.epsilon!r}, x={nz!r}"
                + (f", axial={ {f: v for f, v in self.axial.items() if v} !r}" if any(self.axial.values()) else "")
                + (f", dark_matter={self.dark_matter!r}" if self.dark_matter else "") + ")")

    @classmethod
    def dark_photon(cls, mass: float, epsilon: float) -> "VectorMediator":
        """The kinetically mixed dark photon A′: c_f = ε Q_f."""
        return cls(mass, epsilon=epsilon, name="dark_photon")

    # couplings ----------------------------------------------------------------------------
    def coupling(self, fermion: str) -> float:
        """Vector coupling in units of e: c_f = ε Q_f + x_f for a fermion; c_p = 2c_u + c_d and
        c_n = c_u + 2c_d for ``p`` / ``n`` (valence sum, vector current at q → 0)."""
        if fermion == "p":
            return 2 * self.coupling("u") + self.coupling("d")
        if fermion == "n":
            return self.coupling("u") + 2 * self.coupling("d")
        if fermion not in CHARGES:
            raise ValueError(f"unknown fermion {fermion!r}; known: {sorted(CHARGES)} and 'p', 'n'")
        return self.epsilon * CHARGES[fermion] + self.x[fermion]

    def axial_coupling(self, fermion: str) -> float:
        """Axial coupling a_f in units of e (0 unless given)."""
        return self.axial.get(fermion, 0.0)

    def nuclear_charge(self, z: int, n: int) -> float:
        """Coherent vector charge Q_N = Z c_p + N c_n of a nucleus (units of e).

        Dark photon: ε Z; B−L (x_q = g/3e): (g/e) A (formulas-detection.md §0.1)."""
        return z * self.coupling("p") + n * self.coupling("n")

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

    # new models from this one (coupling reweighting) --------------------------------------
    def couplings(self) -> dict[str, float]:
        """Current values of :attr:`coupling_names`."""
        out = {"epsilon": self.epsilon}
        out.update({f"x_{f}": v for f, v in self.x.items()})
        out.update({f"a_{f}": v for f, v in self.axial.items()})
        out["alpha_d"] = self.dark_matter.alpha_d if self.dark_matter else 0.0
        return out

    def with_couplings(self, **kw: float) -> "VectorMediator":
        """A copy with some couplings replaced (keys from :attr:`coupling_names`), e.g.
        ``m.with_couplings(epsilon=1e-4, x_u=0.0)``. Every partial width is a quadratic form in
        these couplings (widths to SM states in ε, x, a; the DM width linear in α_D)."""
        bad = set(kw) - set(self.coupling_names)
        if bad:
            raise ValueError(f"unknown couplings {sorted(bad)}; known: {list(self.coupling_names)}")
        cur = self.couplings()
        cur.update(kw)
        dm = self.dark_matter
        if "alpha_d" in kw:
            if dm is None:
                raise ValueError("alpha_d given but the model has no dark matter")
            dm = DarkMatter(dm.kind, dm.mass, kw["alpha_d"], dm.delta)
        return VectorMediator(self.mass, epsilon=cur["epsilon"],
                              x={f: cur[f"x_{f}"] for f in CHARGES},
                              axial={f: cur[f"a_{f}"] for f in QUARKS + LEPTONS},
                              dark_matter=dm, light_nu_r=self.light_nu_r, name=self.name)

    def scaled(self, factor: float) -> "VectorMediator":
        """All SM couplings (ε, x, a) multiplied by ``factor``: SM widths scale as factor²."""
        kw = {k: v * factor for k, v in self.couplings().items() if k != "alpha_d"}
        return self.with_couplings(**kw)

    def with_mass(self, mass: float) -> "VectorMediator":
        """Same couplings at another mass (GeV)."""
        new = self.with_couplings()
        new.mass = check_mass(mass, "mediator mass")
        return new

    # widths ----------------------------------------------------------------------------------
    def _lepton_width(self, lep: str) -> float:
        """Γ(X→ℓ⁺ℓ⁻) = α m/3 [c_V²(1 + 2r) + c_A²(1 − 4r)] √(1 − 4r), r = m_ℓ²/m²
        (vector part: arXiv:1801.04847 Eq. 2.13, formulas-detection.md §1.1; axial part: the
        standard Z-like result, e.g. PDG RPP "Electroweak model" Γ(Z→ff̄) at tree level)."""
        r = (pdg_mass(_LEPTON_PDG[lep]) / self.mass) ** 2
        if 4 * r >= 1:
            return 0.0
        cv, ca = self.coupling(lep), self.axial[lep]
        return ALPHA_EM * self.mass / 3 * (cv**2 * (1 + 2 * r) + ca**2 * (1 - 4 * r)) * math.sqrt(1 - 4 * r)

    def _neutrino_width(self, nu: str) -> float:
        """Γ(X→ν_αν̄_α) = α x_α² m/6 (one light left-handed ν; seed001 Eq. (25) with C_ν = ½,
        formulas-detection.md §1.2); doubled when ``light_nu_r``."""
        factor = 2.0 if self.light_nu_r else 1.0
        return factor * ALPHA_EM * self.coupling(nu) ** 2 * self.mass / 6

    def _partial_widths(self) -> dict[str, float]:
        out = {ch: self._lepton_width(lep) for ch, lep in LEPTON_CHANNELS.items()}
        out.update({ch: self._neutrino_width(nu) for ch, nu in NEUTRINO_CHANNELS.items()})
        if self.mass > 0.1349768:  # π⁰γ threshold: lightest hadronic final state
            vec = {q: self.coupling(q) for q in QUARKS}
            ax = {q: self.axial[q] for q in QUARKS}
            if any(ax.values()) and self.mass > 3 * 0.13957039:
                warnings.warn(f"{self.name}: axial quark couplings have no vector-meson-dominance channels "
                              f"(a1/f1-like 3pi, 4pi, KKpi missing below ~2 GeV); at m = {self.mass:.3g} GeV they "
                              "enter only the R-ratio method of 'hadrons_other' (from the 1.7-1.9 GeV hand-over)", ModelValidityWarning, stacklevel=3)
            out.update(hadronic_widths(self.mass, vec, ax))
        else:
            out.update({ch: 0.0 for ch in HADRONIC_CHANNELS})
        if self.dark_matter is not None:
            out[self.dark_matter.channel] = self.dark_matter.mediator_width(self.mass)
        return out

    def _aggregates(self) -> dict[str, tuple[str, ...]]:
        inv = tuple(NEUTRINO_CHANNELS) + ((self.dark_matter.channel,) if self.dark_matter else ())
        return {"hadrons": HADRONIC_CHANNELS, "neutrinos": tuple(NEUTRINO_CHANNELS), "invisible": inv,
                "leptons": tuple(LEPTON_CHANNELS)}

    def width(self, channel: str) -> float:
        """Partial width in GeV.

        Exclusive channels: ``e+e-``, ``mu+mu-``, ``tau+tau-`` (§1.1), ``nuenuebar``,
        ``numunumubar``, ``nutaunutaubar`` (§1.2), the hadronic channels of
        :mod:`darkbeam.models.hadronic` (``pi+pi-``, ``pi+pi-pi0``, ``pi0gamma``, ``etagamma``,
        ``K+K-``, ``K0K0bar``, ``omegapi0``, ``phipi0``, ``etapi+pi-``, ``etaomega``, ``etaphi``,
        ``omegapipi``, ``hadrons_other``) and, with dark matter, ``chichibar`` or
        ``chi1chi2`` (§1.7–1.8). Groups: ``hadrons``, ``neutrinos``, ``invisible``, ``leptons``.
        Closed channels give 0.0.
        """
        return super().width(channel)

    def invisible_width(self) -> float:
        """Γ to neutrinos and dark matter (GeV)."""
        return self.width("invisible")

    def decay_length(self, momentum: np.ndarray | float) -> np.ndarray | float:
        """Lab decay length βγcτ = (p/m) cτ in metres for momentum ``p`` in GeV."""
        return super().decay_length(momentum)
