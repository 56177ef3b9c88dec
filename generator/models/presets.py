"""Named vector-mediator models (couplings in units of e, see :mod:`darkbeam.models.vector`).

Each preset is a function ``preset(mass, <coupling>, ...) -> VectorMediator``; the gauge
coupling g is given as a number (not in units of e) and converted with e = √(4πα).
``darkbeam info model NAME`` shows a preset at the couplings of :data:`DEFAULTS` (g = 10⁻⁴;
ud_arbitrary c = −0.1, tan η = −0.75), changed with ``--param g=1e-5``.

The "seedNNN" references below are the project's notes on these papers (they do not ship):
seed000 — B. Dutta, S. Ghosh, J. Kumar, "Opportunities for probing U(1)_T3R with light mediators"
(model: PRD 100 (2019) 075028, arXiv:1905.02692); seed001 — H. Esseili, G. D. Kribs, "Hiding a
light vector boson from terrestrial experiments: a chargephobic dark photon"; seed003 — E. Bertuzzo,
G. Grilli di Cortona, L. M. D. Ramos, JHEP (2022), arXiv:2112.04020; seed004 — N. Bernal,
Y. Farzan, "Neutrino non-standard interactions with arbitrary couplings to u and d quarks".
"""

from __future__ import annotations

import math
from typing import Callable

from ..constants import ALPHA_EM
from ..constants import mass as pdg_mass
from ._common import check_coupling, check_mass
from .running import run_mixing
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


def lmu_minus_ltau(mass: float, g: float, *, epsilon_override: float | None = None) -> VectorMediator:
    """Gauged L_μ−L_τ: x_μ = x_νμ = g/e, x_τ = x_ντ = −g/e, and the loop-induced kinetic mixing
    ε = :func:`loop_epsilon_lmu_ltau` (≈ g/70), which gives the X its couplings to e and quarks.

    ``epsilon_override`` replaces the loop value (e.g. 0 for a UV completion that cancels it);
    there is deliberately no ``epsilon`` argument: a stray ``epsilon`` left in a card used to
    replace the loop mixing silently (a dark-photon card switched to this preset then gave a
    pure L_μ−L_τ X with the old ε). Cards with ``epsilon`` are refused
    (:func:`darkbeam.models.from_card`) and ``epsilon_override`` is reported in the run's notices."""
    g = check_coupling(g, "g")
    eps = loop_epsilon_lmu_ltau(g) if epsilon_override is None else check_coupling(epsilon_override,
                                                                                   "epsilon_override")
    q = g / E_CHARGE
    return VectorMediator(mass, epsilon=eps, x={"mu": q, "nu_mu": q, "tau": -q, "nu_tau": -q},
                          name="lmu_minus_ltau")


def chargephobic(mass: float, g: float, phi: float | str = "chargephobic", *,
                 running: bool = True) -> VectorMediator:
    """Esseili–Kribs EM + B−L mixture (seed001 Eqs. (6)–(11)): x_f = Q_f cos φ + (B−L)_f sin φ
    times g_X, i.e. ε = (g_X/e) cos φ and direct B−L couplings (g_X/e) sin φ.

    ``phi`` is the dark mixing angle in radians or one of :data:`SPECIAL_ANGLES`
    (default the chargephobic point 3π/4, where x_e = x_p = 0).

    ``running`` (default true): φ is the angle at μ₀ = m_e, as in seed001 Fig. 4, and the couplings
    are those at μ = m_X, from the one-loop running of εe (seed001 App. B, Eq. (66), solved in
    closed form in :mod:`darkbeam.models.running`; the B−L coupling does not run at O(g_X e²)).
    At the chargephobic point nothing runs below the pion threshold (leptons drop out), and
    above it u, d (then s, c, b) regenerate x_e = −x_p = 5.3×10⁻⁴ g_X at 0.2 GeV, 1.1×10⁻³ at
    0.3 GeV, 3.5×10⁻³ at 1 GeV: BR(X → e⁺e⁻) = 3.8×10⁻⁷, 1.7×10⁻⁶, 8.6×10⁻⁶ (μ⁺μ⁻ alike above
    its threshold), the "~10⁻⁶" lepton branching fraction above ~200 MeV that seed001 quotes (its Eq. (67) approximation gives an x_e 11/8 larger, see
    :mod:`darkbeam.models.running`). At other angles the running from m_e shifts ε by ~1 %
    (leptons contribute there). ``running = False``: the tree-level charges of Eq. (11) at every
    scale (what the seed001 §1.3 coupling table lists). The couplings are fixed when the model is
    built: :meth:`VectorMediator.with_mass` does not re-run them (build the preset at each mass).
    """
    g = check_coupling(g, "g")
    if isinstance(phi, str):
        if phi not in SPECIAL_ANGLES:
            raise ValueError(f"unknown special angle {phi!r}; known: {sorted(SPECIAL_ANGLES)}")
        phi = SPECIAL_ANGLES[phi]
    phi = check_coupling(phi, "phi")
    if not isinstance(running, bool):
        raise ValueError(f"running must be true or false, got {running!r}")
    eps_e, g_bl = g * math.cos(phi), g * math.sin(phi)     # εe and g_{B−L} at μ₀ = m_e
    if running:
        _, eps_e = run_mixing(check_mass(mass, "mediator mass"), eps_e, g_bl, CHARGES, B_MINUS_L)
    return VectorMediator(mass, epsilon=eps_e / E_CHARGE,
                          x={f: g_bl * c / E_CHARGE for f, c in B_MINUS_L.items()}, name="chargephobic")


def t3r(mass: float, g: float | None = None, *, vev: float | None = None, epsilon: float | None = None,
        f: float = 1.0) -> VectorMediator:
    """U(1)_T3R with charged u_R, d_R, μ_R (ν_R heavy) (seed000 §1.1–1.2).

    Couplings, derived from the seed's Lagrangian (tests/unit/models/test_t3r_derivation.py):

    * Normalisation. The Yukawa term λ_f φ f̄ P_R f (seed000 Eq. (1)) with f_L neutral needs
      |q_φ| = |q_fR| (the paper's "charge 2" for both). With φ = V + φ′/√2, |D_μφ|² gives
      m_A′² = 2 g_φ² V²; the paper's m_A′² = 2 g_T3R² V² (Eq. (3)) therefore means that φ, and so
      each charged f_R, couples with strength g = g_T3R: 𝓛 ⊃ ± g A′_μ f̄γ^μ P_R f (Eq. (3):
      "a tree-level coupling to right-handed fermions given by g_T3R"). Check: η_{L,R} carry
      half that charge, a vector coupling g/2, and Γ(A′ → η₁η₂) = (g/2)² m/(12π)(1 + 2r)β =
      m³/(96πV²)(1 + 2r)β, seed000 Eq. (5). (Reading the charges as T3R = ±½ with
      D = ∂ − i g T3R A′ would give m_A′² = g²V²/2 and a Γ_η 4× below Eq. (5): excluded.)
    * Chirality. With P_R = (1 + γ⁵)/2, g γ^μ P_R = (g/2) γ^μ + (g/2) γ^μγ⁵: vector and axial
      couplings g/2 each, of sign + for u (up-type, charge +2) and − for d and μ (down-type,
      −2); in darkbeam's units x_u = a_u = g/2e, x_d = a_d = x_μ = a_μ = −g/2e. c, s, b, e, τ
      and light ν: none at tree level. Proton vector charge 2x_u + x_d = g/2e (+ ε).
    * Production. π⁰/η → γA′ take only the vector current (C parity: the axial current is
      C-even). F_π⁰ = 2c_u + c_d = g/2e + ε, so BR(π⁰ → γA′)/BR(π⁰ → γA′)_dark photon(ε) =
      (1 + g/2eε)² = (1 + π/2αf)² = 4.677×10⁴ for f = 1. Seed000's rescaling (Eqs. (7)–(8):
      events × (π/αf)² = (g/εe)² = 1.853×10⁵) uses g as the vector coupling to quarks, i.e. it
      leaves out the ½ of P_R: for meson-decay production it is 3.96× too large (and it drops the
      interference with ε). This preset keeps the Lagrangian's g/2.

    g = m/(√2 V) (seed000 Eq. (3)) if ``vev`` V (GeV) is given instead of g. Kinetic mixing:
    ε = f g √(α/4π³) (seed000 §1.2, f = factor over the SM one-loop value) unless ``epsilon`` is
    given (seed000 treats ε as a free parameter). Light active neutrinos get no coupling (the
    ν_A–ν_R mixing is neglected, as in seed000). The longitudinal (Goldstone, ∝ m_f/√2V)
    enhancement of the axial part (seed000 §1.4) is not modelled."""
    if (g is None) == (vev is None):
        raise ValueError("t3r needs exactly one of g or vev")
    if g is None:
        g = mass / (math.sqrt(2) * check_coupling(vev, "vev"))
    g = check_coupling(g, "g")
    eps = f * g * math.sqrt(ALPHA_EM / (4 * math.pi**3)) if epsilon is None else epsilon
    h = g / (2 * E_CHARGE)      # the vector (and axial) half of g P_R, in units of e
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
    "lmu_minus_ltau": (lmu_minus_ltau, "g", "gauged L_mu - L_tau with loop kinetic mixing (epsilon_override to replace it)"),
    "chargephobic": (chargephobic, "g", "EM + B-L mixture at dark angle phi (Esseili & Kribs, chargephobic dark photon), default 3pi/4, run from m_e to m_X"),
    "t3r": (t3r, "g", "U(1)_T3R, right-handed u, d, mu (Dutta, Ghosh & Kumar; model: PRD 100 (2019) 075028)"),
    "ud_arbitrary": (ud_arbitrary, "g", "L_mu + L_tau - c(B1+B2) - 2B3(1-c) with kinetic mixing (Bernal & Farzan, u/d-arbitrary NSI)"),
    "universal": (universal, "g", "same coupling g to all SM fermions (Bertuzzo et al., arXiv:2112.04020)"),
}

#: the couplings ``darkbeam info model NAME`` (and :func:`darkbeam.models.plot_model`) use for the
#: parameters not given with ``--param``. The branching ratios of every preset do not depend on the
#: overall coupling g (or ε): each partial width is ∝ g² — also the loop- or angle-induced kinetic
#: mixing of lmu_minus_ltau, t3r and chargephobic, which is ∝ g — so the BRs shown hold at any g
#: and cτ scales as (10⁻⁴/g)². 10⁻⁴ is a reference value, not a benchmark of a paper. ud_arbitrary
#: has two shape parameters, set to the benchmark of Fig. 1 of N. Bernal and Y. Farzan, "Neutrino
#: non-standard interactions with arbitrary couplings to u and d quarks" (2023): c = −0.1,
#: tan η = −0.75 (the average of the CsI and argon values −0.7 and −0.8 quoted there).
DEFAULTS: dict[str, dict[str, float]] = {
    "dark_photon": {"epsilon": 1e-4},
    "b_minus_l": {"g": 1e-4},
    "baryonic": {"g": 1e-4},
    "lmu_minus_ltau": {"g": 1e-4},
    "chargephobic": {"g": 1e-4},
    "t3r": {"g": 1e-4},
    "ud_arbitrary": {"g": 1e-4, "c": -0.1, "tan_eta": -0.75},
    "universal": {"g": 1e-4},
}

#: parameters that replace a default (giving one drops the other)
_ALTERNATIVES = {("t3r", "vev"): "g", ("ud_arbitrary", "epsilon"): "tan_eta"}


def parameters(name: str) -> list[str]:
    """The parameters of preset ``name`` besides the mass (what ``--param`` accepts)."""
    import inspect
    return [p for p in inspect.signature(PRESETS[name][0]).parameters if p != "mass"]


def with_defaults(name: str, params: dict) -> dict:
    """``params`` completed with the preset's :data:`DEFAULTS` (``vev`` for t3r replaces the
    default g, ``epsilon`` for ud_arbitrary the default tan_eta)."""
    defaults = dict(DEFAULTS.get(name, {}))
    for (preset_name, given), dropped in _ALTERNATIVES.items():
        if preset_name == name and given in params:
            defaults.pop(dropped, None)
    return defaults | dict(params)


#: what ``darkbeam info model NAME`` says about a preset beyond its one-line description
NOTES: dict[str, str] = {
    "chargephobic": ("phi is the dark mixing angle at mu = m_e (Esseili & Kribs, Fig. 4); the couplings are run to mu = m_X "
                     "(Esseili & Kribs App. B, Eq. (66), closed form: darkbeam.models.running). At the chargephobic point "
                     "nothing runs below m_pi; above, x_e = -x_p = 5.3e-4 g (0.2 GeV), 1.1e-3 g (0.3 GeV): "
                     "BR(e+e-) ~ 1e-6. running = false: tree-level charges at every scale."),
    "lmu_minus_ltau": ("kinetic mixing = the mu/tau loop value e g ln(m_tau^2/m_mu^2)/(12 pi^2) ~ g/70; "
                       "'epsilon' is refused, epsilon_override = ... replaces it (reported in the run's notices)."),
    "t3r": ("u, d, mu: g P_R = vector g/2 + axial g/2 (Dutta, Ghosh & Kumar, U(1)_T3R with light mediators, Eqs. (1), (3), (5)); pi0 -> gamma A' rate "
            "(1 + pi/2 alpha f)^2 = 4.68e4 x the dark photon of the same eps, not that paper's (pi/alpha f)^2 = 1.85e5."),
}
