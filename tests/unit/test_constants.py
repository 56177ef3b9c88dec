"""PDG identifiers and constants against the particle package and CODATA."""

from __future__ import annotations

import pytest
from particle import Particle

from darkbeam.constants import ALPHA_EM, HBARC_GEV_M, PDG, mass


def test_sm_codes_match_particle():
    for name in ("gamma", "e-", "e+", "mu-", "pi0", "pi+", "eta", "etaprime", "omega", "phi", "proton"):
        assert Particle.from_pdgid(PDG[name]).pdgid == PDG[name]
    assert Particle.from_pdgid(111).name == "pi0"


def test_values():
    assert ALPHA_EM == pytest.approx(1 / 137.035999084, rel=1e-9)
    assert HBARC_GEV_M == pytest.approx(1.973269804e-16, rel=1e-9, abs=0)
    assert mass(111) == pytest.approx(0.1349768, rel=1e-6)
