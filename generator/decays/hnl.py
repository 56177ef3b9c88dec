"""Decay products of a heavy neutral lepton N in the detector (widths: :mod:`darkbeam.models.hnl`).

A card's ``final_state`` is one of the model's visible channels (:class:`HeavyNeutralLepton`):
``e+e-``, ``mu+mu-`` (N → ν ℓℓ), ``e mu`` (N → e∓μ±ν), ``e pi``, ``mu pi``, ``e K``, ``mu K``,
``e rho``, ``mu rho``, ``e K*``, ``mu K*``, ``nu pi0``, ``nu eta``, ``nu etaprime``, ``nu rho0``,
``nu omega``, ``nu phi``, ``nu gamma`` (and the τ channels where open).

* Two-body channels decay isotropically in the N rest frame (N taken unpolarized: the polarization
  of N from meson decays is not followed; see :mod:`darkbeam.production.meson_decay_hnl`). Vector
  mesons are written as the meson (their decay is left to the detector simulation).
* N → ν_α ℓ_β⁻ℓ_β⁺: (s_ℓ⁻ℓ⁺, s_ℓ⁺ν) from the matrix element
  |M|² ∝ g_L²(N·ℓ⁺)(ν·ℓ⁻) + g_R²(N·ℓ⁻)(ν·ℓ⁺) + g_L g_R m_ℓ²(N·ν) (g_L = −½ + s_W² (+1 for α = β),
  g_R = s_W²; the width it integrates to is checked against arXiv:1805.08567 in the model tests);
  the flavour α of each decay is drawn with probability |U_α|²Γ_α/Σ.
* N → ℓ_α⁻ℓ_β⁺ν_β: |M|² ∝ (N·ℓ_β⁺)(ℓ_α⁻·ν_β); of the two orderings of ``e mu`` (U_e: e⁻μ⁺ν_μ, U_μ:
  μ⁻e⁺ν_e) each decay draws one with its width's probability.
* Charges: a Dirac N (PDG > 0) gives ℓ⁻ with P⁺ and ν; N̄ the charge conjugates (for the three-body
  decays CP conjugation exchanges the roles of ℓ⁻ and ℓ⁺); a Majorana N each with probability ½.
``visible energy`` = the energy of every product but the neutrinos.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..constants import mass as pdg_mass
from ..models.hnl import FLAVOURS, LEPTON_PDG, NU_PDG, _mesons, _sw2
from ..sampling import isotropic_directions
from .dalitz import Dalitz
from .two_body import decay_from_directions

_MESON_PDG = {"pi": 211, "K": 321, "rho": 213, "K*": 323}
_NEUTRAL_PDG = {"pi0": 111, "eta": 221, "etaprime": 331, "rho0": 113, "omega": 223, "phi": 333, "gamma": 22}
_SAME = {"e+e-": "e", "mu+mu-": "mu", "tau+tau-": "tau"}
_PAIRS = {"e mu": ("e", "mu"), "e tau": ("e", "tau"), "mu tau": ("mu", "tau")}


def is_hnl(model) -> bool:
    return hasattr(model, "mixings") and hasattr(model, "components")


def visible_final_states() -> tuple[str, ...]:
    """Every final-state name a card may give for an HNL."""
    _, neutral_p, _, neutral_v = _mesons()
    out = list(_SAME) + list(_PAIRS)
    out += [f"{a} {m}" for a in FLAVOURS for m in _MESON_PDG]
    out += [f"nu {m}" for m in list(neutral_p) + list(neutral_v) + ["gamma"]]
    return tuple(out)


@lru_cache(maxsize=256)
def _nu_ll_sampler(m: float, ml: float, same: bool) -> Dalitz:
    s2 = _sw2()
    gl, gr = -0.5 + s2 + (1.0 if same else 0.0), s2

    def msq(s12, s23):           # 1 = ℓ⁻, 2 = ℓ⁺, 3 = ν
        s13 = m * m + 2 * ml * ml - s12 - s23
        return np.maximum(gl * gl * (m * m + ml * ml - s13) * (s13 - ml * ml)
                          + gr * gr * (m * m + ml * ml - s23) * (s23 - ml * ml)
                          + 2 * gl * gr * ml * ml * (m * m - s12), 0.0)
    return Dalitz(m, ml, ml, 0.0, msq)


@lru_cache(maxsize=256)
def _ll_nu_sampler(m: float, ma: float, mb: float) -> Dalitz:
    def msq(s12, s23):           # 1 = ℓ_α⁻, 2 = ℓ_β⁺, 3 = ν_β
        s13 = m * m + ma * ma + mb * mb - s12 - s23
        return np.maximum((m * m + mb * mb - s13) * (s13 - ma * ma), 0.0)
    return Dalitz(m, ma, mb, 0.0, msq)


def _charges(pdg: np.ndarray, majorana: bool, rng: np.random.Generator) -> np.ndarray:
    """+1 where the decay is that of N (ℓ⁻, ν), −1 for N̄ (ℓ⁺, ν̄)."""
    if majorana:
        return np.where(rng.random(len(pdg)) < 0.5, 1, -1)
    return np.where(np.asarray(pdg) < 0, -1, 1)


def _pick(components: list[tuple[str, float]], rng: np.random.Generator, n: int) -> np.ndarray:
    w = np.array([c[1] for c in components], dtype=float)
    cdf = np.cumsum(w) / w.sum()
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(w) - 1)


def _nu_flavour(model, rng, n) -> np.ndarray:
    u = model.mixings
    k = _pick([(a, u[a]) for a in FLAVOURS], rng, n)
    return np.array([NU_PDG[a] for a in FLAVOURS])[k]


def decay_products(final_state: str, x, model, rng: np.random.Generator):
    """(products ((pdg (n,), p4 (n, 4)), …), visible energy (n,)) of the N rows ``x``
    (:class:`~darkbeam.production.base.DarkParticles`) decaying to ``final_state``."""
    n, m = len(x), model.mass
    q = _charges(x.pdgs, model.majorana, rng)
    if final_state in _SAME or final_state in _PAIRS:
        comps = model.components()[final_state]
        k = _pick(comps, rng, n)
        l1 = np.zeros((n, 4))
        l2 = np.zeros((n, 4))
        nu = np.zeros((n, 4))
        pdg1 = np.zeros(n, dtype=np.int64)
        pdg2 = np.zeros(n, dtype=np.int64)
        pdg_nu = np.zeros(n, dtype=np.int64)
        for i, (alpha, _) in enumerate(comps):
            rows = np.flatnonzero(k == i)
            if rows.size == 0:
                continue
            if final_state in _SAME:
                beta = _SAME[final_state]
                ml = pdg_mass(LEPTON_PDG[beta])
                dal = _nu_ll_sampler(m, ml, alpha == beta)
                a_pdg, b_pdg, n_pdg = LEPTON_PDG[beta], LEPTON_PDG[beta], NU_PDG[alpha]
            else:
                a, b = _PAIRS[final_state]
                other = b if alpha == a else a
                dal = _ll_nu_sampler(m, pdg_mass(LEPTON_PDG[alpha]), pdg_mass(LEPTON_PDG[other]))
                a_pdg, b_pdg, n_pdg = LEPTON_PDG[alpha], LEPTON_PDG[other], NU_PDG[other]
            p1, p2, p3 = dal.decay(x.p4[rows], rng)
            # N: ℓ_1⁻ (pdg +), ℓ_2⁺ (pdg −), ν; N̄: the conjugates
            l1[rows], l2[rows], nu[rows] = p1, p2, p3
            pdg1[rows], pdg2[rows], pdg_nu[rows] = a_pdg * q[rows], -b_pdg * q[rows], n_pdg * q[rows]
        return ((pdg1, l1), (pdg2, l2), (pdg_nu, nu)), l1[:, 3] + l2[:, 3]
    first, second = final_state.split(" ")
    u = rng.random((n, 2))
    dirs = isotropic_directions(u[:, 0], u[:, 1])
    if first == "nu":
        m2 = 0.0 if second == "gamma" else pdg_mass(_NEUTRAL_PDG[second])
        k_nu, k_p = decay_from_directions(np.ascontiguousarray(x.p4), 0.0, m2, dirs)
        return ((_nu_flavour(model, rng, n) * q, k_nu), (np.full(n, _NEUTRAL_PDG[second]), k_p)), k_p[:, 3]
    lep, mes = LEPTON_PDG[first], _MESON_PDG[second]
    k_l, k_m = decay_from_directions(np.ascontiguousarray(x.p4), pdg_mass(lep), pdg_mass(mes), dirs)
    return ((lep * q, k_l), (mes * q, k_m)), k_l[:, 3] + k_m[:, 3]
