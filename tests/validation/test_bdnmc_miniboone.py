"""χ–e scattering at MiniBooNE (beam-dump mode) against BdNMC on BdNMC's own default card.

Reference (a peer code's output, typed in): BdNMC (P. deNiverville et al., arXiv:1609.01770),
github.com/pgdeniverville/BdNMC @ 6cba825ccc6ee9cc4f5ac6a131f677b14215e1ea, run on its shipped
``parameter.dat`` (ε = 10⁻³, m_V = 0.1 GeV, m_χ = 5 MeV complex scalar, α_D = 0.1, 2×10²⁰ POT,
0.9 π⁰/POT, 35 MeV < T_e < 900 MeV, R = 5 m CH₂ sphere at (0, −1.9, 491) m), "Predicted number of
signal events" (src/main.cpp:544): 192.19 ± 0.81, the event-weighted mean of 29 runs with
independent seeds (56 000 accepted events; numbers and machine in benchmarks/bench_bdnmc.py).
darkbeam's card is cards/miniboone_dm_bdnmc.toml.

Known, quantified differences, applied to the BdNMC number (the card's header has the file:line):

* BdNMC's π⁰ → γχχ̄ rate lacks BR(π⁰ → γγ) = 0.98823 (PDG); darkbeam includes it: × 0.98823;
* BdNMC scatters χ and χ̄ of each pair (src/decay_gen_kinetic_mixing.cpp:100-110): darkbeam's
  count is × 1/2 if its events carry only χ (x_pdg of one sign), × 1 if both signs;
* electron density: BdNMC 2.907768e23 cm⁻³ (parameter.dat:137-149), darkbeam's MineralOil CH₂ at
  0.845 g/cm³: 0.845 · N_A · 8/14.0266 = 2.90224e23 cm⁻³ → × 0.99812;
* GeV⁻² → cm²: BdNMC 3.89e-28 (src/constants.h), PDG 3.893794e-28 → × 1.000975.

Not corrected (each below 0.2 % or unquantified): BdNMC's point source at the origin vs the
absorber depth (λ_I(Fe) = 16.8 cm, +0.07 % in solid angle), its isotropic V → χχ̄ (darkbeam:
sin²θ for a transverse V), its rounded Sanford–Wang π⁻ digits, and its growing accept/reject
p_max (src/Electron_Scatter.cpp:41-45). Tolerance: 3 σ of the two statistical errors combined.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pytest

import darkbeam

CARD = Path(__file__).resolve().parents[2] / "cards" / "miniboone_dm_bdnmc.toml"
BDNMC_N, BDNMC_ERR = 192.19, 0.81
BR_GG = 0.98823                                  # BR(π⁰ → γγ), PDG
N_E_RATIO = 0.845 * 6.02214076e23 * 8 / 14.0266 / 2.907768e23
GEV2_RATIO = 3.893793721e-28 / 3.89e-28


@pytest.mark.parametrize("events", [pytest.param(200_000, id="2e5"),
                                    pytest.param(3_000_000, id="3e6", marks=pytest.mark.slow)])
def test_miniboone_dm_electron_against_bdnmc(events):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = darkbeam.run(CARD, events=events, outputs=[], summary=None, progress=False)
    signs = set(np.sign(np.asarray(res.events["x_pdg"])).tolist())
    species = len(signs)                         # 1: χ only, 2: χ and χ̄
    assert species == 2                          # both members of the pair are tracked (issue 20)
    expected = BDNMC_N * BR_GG * species / 2 * N_E_RATIO * GEV2_RATIO
    n, err = float(res.expected_events), float(res.stat_uncertainty)
    sigma = math.hypot(err, expected * BDNMC_ERR / BDNMC_N)
    assert abs(n - expected) < 3 * sigma, (
        f"darkbeam N = {n:.4g} ± {err:.2g} ({species} species), BdNMC-derived {expected:.4g}; "
        f"ratio {n / expected:.4f} ± {sigma / expected:.4f}")
