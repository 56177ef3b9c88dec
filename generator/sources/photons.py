"""Photons from neutral-meson decays in the target: π⁰ → γγ, η → γγ, η′ → γγ.

Each decay is isotropic in the meson rest frame (spin 0) and two-body with massless daughters; the lab
photon energy is then uniform between E(1 − β)/2 and E(1 + β)/2 (flat "box" spectrum; standard result,
e.g. PDG RPP Kinematics §49.4 two-body decays). Branching ratios BR(P → γγ) from PDG 2024 via
:func:`darkbeam.constants.branching_ratio_gamma_gamma`. The mesons decay where they are made
(cτ = 25 nm for π⁰, 0.15 nm for η), so the photons inherit the parent's vertex and time.
"""

from __future__ import annotations

import numpy as np

from ..constants import PDG, branching_ratio_gamma_gamma
from ..kinematics import two_body_decay
from .parents import Parents

#: mesons with a γγ decay handled here
GAMMA_GAMMA_PARENTS = (PDG["pi0"], PDG["eta"], PDG["etaprime"])


def photons_from_decays(parents: Parents, rng: np.random.Generator) -> Parents:
    """Both photons of every π⁰/η/η′ → γγ decay among ``parents`` (other species are ignored).

    Returns 2m photons for m decaying parents: rows [0, m) are the first photon of each decay, rows [m, 2m)
    the second, both with weight = parent weight × BR(γγ) (photons per POT; Σ weight = 2·BR·N_parents);
    ``index`` is the decay (0 … m − 1) each photon comes from.
    """
    sel = np.isin(parents.pdg, GAMMA_GAMMA_PARENTS)
    mesons = parents.select(sel)
    m = len(mesons)
    br = np.zeros(m)
    for pdg in GAMMA_GAMMA_PARENTS:
        br[mesons.pdg == pdg] = branching_ratio_gamma_gamma(pdg)
    u = rng.random((m, 2))
    k1, k2 = two_body_decay(mesons.p4, 0.0, 0.0, u[:, 0], u[:, 1])
    w = mesons.weight * br
    return Parents(np.full(2 * m, PDG["gamma"], dtype=np.int32), np.concatenate([k1, k2]),
                   np.concatenate([mesons.vertex, mesons.vertex]), np.concatenate([mesons.t, mesons.t]),
                   np.concatenate([w, w]), np.concatenate([np.arange(m), np.arange(m)]))
