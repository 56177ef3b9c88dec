"""Physical constants in darkbeam's internal units (GeV, m, ns, cm²).

Sources
-------
* CODATA 2018 via :mod:`scipy.constants` (α, ħc, c).
* Particle masses and widths: PDG Review of Particle Physics via the ``particle`` package
  (see :func:`mass`); the few numbers needed inside numba kernels are frozen here.
* Conversion 1 GeV⁻² = 0.3893793721 mb = 3.893793721×10⁻²⁸ cm² (PDG RPP, "Physical constants").
"""

from __future__ import annotations

from functools import lru_cache

import scipy.constants as _sc

#: fine-structure constant α (CODATA 2018, scipy.constants)
ALPHA_EM: float = _sc.fine_structure
#: ħc in GeV·m
HBARC_GEV_M: float = _sc.hbar * _sc.c / (_sc.e * 1e9)
#: speed of light in m/ns
C_M_PER_NS: float = _sc.c * 1e-9
#: (ħc)² in GeV²·cm²  (1 GeV⁻² → cm²)
HBARC2_GEV2_CM2: float = (HBARC_GEV_M * 100.0) ** 2
#: Avogadro's number, mol⁻¹
AVOGADRO: float = _sc.Avogadro


@lru_cache(maxsize=None)
def mass(pdgid: int) -> float:
    """Mass of a Standard-Model particle in GeV, from the PDG tables shipped with ``particle``."""
    from particle import Particle

    m = Particle.from_pdgid(pdgid).mass
    if m is None:
        raise KeyError(f"particle has no mass for PDG id {pdgid}")
    return m * 1e-3


@lru_cache(maxsize=None)
def branching_ratio_gamma_gamma(pdgid: int) -> float:
    """BR(P → γγ) of a neutral pseudoscalar meson.

    PDG 2024 (RPP summary tables): π⁰ 0.98823, η 0.3936, η′ 0.02307. ``particle`` carries no
    branching ratios, so these three values are data here.
    """
    table = {111: 0.98823, 221: 0.3936, 331: 0.02307}
    return table[pdgid]


# PDG identifiers used across the code (PDG MC numbering scheme, RPP §"Monte Carlo particle
# numbering"). Dark-sector states: the scheme's dark-matter block 51-60 (51 = spin-0 DM,
# 52 = spin-1/2 DM, 53 = spin-1 DM, 54 = spin-0 mediator, 55 = spin-1 mediator), and 9000005 for
# the ALP as in common UFO models (ALP_linear_UFO). Checked against ``particle`` in the tests.
PDG = {
    "gamma": 22, "e-": 11, "e+": -11, "mu-": 13, "mu+": -13, "pi0": 111, "pi+": 211, "pi-": -211,
    "eta": 221, "etaprime": 331, "rho0": 113, "omega": 223, "phi": 333, "proton": 2212,
    "neutron": 2112, "nu_e": 12, "nu_mu": 14, "nu_tau": 16,
    "dark_vector": 55, "dark_scalar": 54, "dm_fermion": 52, "dm_scalar": 51, "alp": 9000005,
}
