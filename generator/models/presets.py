"""Named vector-mediator models (couplings in units of e, see :mod:`darkbeam.models.vector`).

Each preset is a function ``preset(mass, <coupling>, ...) -> VectorMediator``; the gauge
coupling g is given as a number (not in units of e) and converted with e = √(4πα).
"""

from __future__ import annotations

import math
from typing import Callable

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass
from ._common import check_coupling
from .vector import CHARGES, VectorMediator

E_CHARGE = math.sqrt(4 * math.pi * ALPHA_EM)

#: B−L charges (seed001 Eq. (5))
B_MINUS_L = {"u": 1 / 3, "d": 1 / 3, "s": 1 / 3, "c": 1 / 3, "b": 1 / 3, "e": -1.0, "mu": -1.0, "tau": -1.0,
             "nu_e": -1.0, "nu_mu": -1.0, "nu_tau": -1.0}

#: special dark mixing angles φ of the Esseili–Kribs "compass" (seed001 §1.2, Fig. 2)
SPECIAL_ANGLES = {
    "dark_photon": 0.0,
    "phi_phobic": math.pi / 4,
    "b_minus_l": math.pi / 2,
    "u_phobic": math.pi - math.atan(2.0),
    "chargephobic": 3 * math.pi / 4,
    "omega_phobic": math.pi - math.atan(0.5),
    "nucleophobic_cs": math.pi - math.atan(55 / 133),
}


def dark_photon(mass: float, epsilon: float) -> VectorMediator:
    """Kinetically mixed dark photon: c_f = ε Q_f, no neutrino coupling."""
    return VectorMediator(mass, epsilon=epsilon, name="dark_photon")


def b_minus_l(mass: float, g: float, epsilon: float = 0.0) -> VectorMediator:
    """Gauged B−L: x_q = g/3e, x_ℓ = x_ν = −g/e (three light LH neutrinos; ν_R heavy), plus an
    optional kinetic mixing ε (seed003 §1.2; seed001 Eqs. (2)–(5))."""
    g = check_coupling(g, "g")
    return VectorMediator(mass, epsilon=epsilon, x={f: g * q / E_CHARGE for f, q in B_MINUS_L.items()},
                          name="b_minus_l")


def baryonic(mass: float, g: float, epsilon: float = 0.0) -> VectorMediator:
    """Gauged baryon number: x_q = g/3e for all quarks, no lepton coupling. (The anomalous U(1)_B
    induces ε at one loop, ~e g/(16π²)·log; pass it explicitly — default 0.)"""
    g = check_coupling(g, "g")
    return VectorMediator(mass, epsilon=epsilon, x={q: g / (3 * E_CHARGE) for q in ("u", "d", "s", "c", "b")},
                          name="baryonic")


def loop_epsilon_lmu_ltau(g: float) -> float:
    """One-loop kinetic mixing of L_μ−L_τ at q² = 0: ε = e g ln(m_τ²/m_μ²)/(12π²) ≈ g/70
    (vacuum polarisation of μ and τ with opposite charges; e.g. Kamada & Yu,
    arXiv:1504.00711; eq. no. UNVERIFIED, magnitude derived here). The overall sign relative
    to g is convention dependent; it changes Γ_μμ by < 1 %."""
    return E_CHARGE * g * math.log(pdg_mass(15) ** 2 / pdg_mass(13) ** 2) / (12 * math.pi**2)


def lmu_minus_ltau(mass: float, g: float, epsilon: float | None = None) -> VectorMediator:
    """Gauged L_μ−L_τ: x_μ = x_νμ = g/e, x_τ = x_ντ = −g/e; ε defaults to the loop value."""
    g = check_coupling(g, "g")
    eps = loop_epsilon_lmu_ltau(g) if epsilon is None else epsilon
    q = g / E_CHARGE
    return VectorMediator(mass, epsilon=eps, x={"mu": q, "nu_mu": q, "tau": -q, "nu_tau": -q},
                          name="lmu_minus_ltau")


def chargephobic(mass: float, g: float, phi: float | str = "chargephobic") -> VectorMediator:
    """Esseili–Kribs EM + B−L mixture (seed001 Eqs. (6)–(11)): x_f = Q_f cos φ + (B−L)_f sin φ
    times g_X, i.e. ε = (g_X/e) cos φ and direct B−L couplings (g_X/e) sin φ.

    ``phi`` is the dark mixing angle in radians or one of :data:`SPECIAL_ANGLES`
    (default the chargephobic point 3π/4, where x_e = x_p = 0)."""
    g = check_coupling(g, "g")
    if isinstance(phi, str):
        if phi not in SPECIAL_ANGLES:
            raise ValueError(f"unknown special angle {phi!r}; known: {sorted(SPECIAL_ANGLES)}")
        phi = SPECIAL_ANGLES[phi]
    phi = check_coupling(phi, "phi")
    q = g / E_CHARGE
    return VectorMediator(mass, epsilon=q * math.cos(phi),
                          x={f: q * math.sin(phi) * c for f, c in B_MINUS_L.items()}, name="chargephobic")


def t3r(mass: float, g: float | None = None, *, vev: float | None = None, epsilon: float | None = None,
        f: float = 1.0) -> VectorMediator:
    """U(1)_T3R with charged u_R, d_R, μ_R (ν_R heavy) (seed000 §1.1–1.2).

    Effective couplings (seed000 §1.2 [DERIVED]): u: vector and axial +g/2, d and μ: −g/2
    (from the P_R projector); c, b, s, e, τ and light ν: none at tree level. g = m/(√2 V)
    (seed000 Eq. (3)) if ``vev`` V (GeV) is given instead of g. Kinetic mixing: ε = f g √(α/4π³)
    (seed000 §1.2, f = factor over the SM one-loop value) unless ``epsilon`` is given.
    Light active neutrinos get no coupling (the ν_A–ν_R mixing is neglected, as in seed000)."""
    if (g is None) == (vev is None):
        raise ValueError("t3r needs exactly one of g or vev")
    if g is None:
        g = mass / (math.sqrt(2) * check_coupling(vev, "vev"))
    g = check_coupling(g, "g")
    eps = f * g * math.sqrt(ALPHA_EM / (4 * math.pi**3)) if epsilon is None else epsilon
    h = g / (2 * E_CHARGE)
    return VectorMediator(mass, epsilon=eps, x={"u": h, "d": -h, "mu": -h, "c": 0.0, "b": 0.0},
                          axial={"u": h, "d": -h, "mu": -h}, name="t3r")


def ud_arbitrary(mass: float, g: float, c: float, *, epsilon: float | None = None,
                 tan_eta: float | None = None) -> VectorMediator:
    """Bernal–Farzan U(1): L_μ + L_τ − c(B₁+B₂) − 2B₃(1−c) with kinetic mixing (seed004
    Eqs. (2)–(4)): u, c: −cg/3 + ⅔eε; d, s: −cg/3 − ⅓eε; b: −2(1−c)g/3 − ⅓eε; e: −eε;
    μ, τ: g − eε; ν_μ, ν_τ: g (LH); ν_e: 0. Give ε directly or via tan η = ε_n/ε_p
    (eε = c g (1 − 1/tan η), seed004 §1.2 [derived from Eq. (11)])."""
    g, c = check_coupling(g, "g"), check_coupling(c, "c")
    if (epsilon is None) == (tan_eta is None):
        raise ValueError("ud_arbitrary needs exactly one of epsilon or tan_eta")
    if epsilon is None:
        tan_eta = check_coupling(tan_eta, "tan_eta")
        if tan_eta == 0:
            raise ValueError("tan_eta must be non-zero")
        epsilon = c * g * (1 - 1 / tan_eta) / E_CHARGE
    q = g / E_CHARGE
    x = {"u": -c * q / 3, "c": -c * q / 3, "d": -c * q / 3, "s": -c * q / 3, "b": -2 * (1 - c) * q / 3,
         "mu": q, "tau": q, "nu_mu": q, "nu_tau": q}
    return VectorMediator(mass, epsilon=epsilon, x=x, name="ud_arbitrary")


def universal(mass: float, g: float, epsilon: float = 0.0) -> VectorMediator:
    """Universal Z′: the same vector coupling g to every quark, charged lepton and (LH) neutrino
    (seed003 §1.2, "Q′_q = Q′_ν = 1")."""
    g = check_coupling(g, "g")
    return VectorMediator(mass, epsilon=epsilon, x={f: g / E_CHARGE for f in CHARGES}, name="universal")


#: preset name → (constructor, name of its main coupling argument, one-line description)
PRESETS: dict[str, tuple[Callable[..., VectorMediator], str, str]] = {
    "dark_photon": (dark_photon, "epsilon", "kinetically mixed dark photon, c_f = eps Q_f"),
    "b_minus_l": (b_minus_l, "g", "gauged B-L (x_q = g/3, x_l = x_nu = -g)"),
    "baryonic": (baryonic, "g", "gauged baryon number (x_q = g/3)"),
    "lmu_minus_ltau": (lmu_minus_ltau, "g", "gauged L_mu - L_tau with loop kinetic mixing"),
    "chargephobic": (chargephobic, "g", "EM + B-L mixture at dark angle phi (seed001), default 3pi/4"),
    "t3r": (t3r, "g", "U(1)_T3R, right-handed u, d, mu (seed000)"),
    "ud_arbitrary": (ud_arbitrary, "g", "L_mu + L_tau - c(B1+B2) - 2B3(1-c) with kinetic mixing (seed004)"),
    "universal": (universal, "g", "same coupling g to all SM fermions (seed003)"),
}
