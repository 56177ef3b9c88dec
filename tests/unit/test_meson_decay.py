"""BR(P → γX) against the check values of formulas-production.md §1.2 / §9 (A1–A3)."""

from __future__ import annotations

import numpy as np
import pytest

from darkbeam.constants import PDG
from darkbeam.models import VectorMediator
from darkbeam.production.meson_decay import MesonDecayChannel, branching_ratio
from darkbeam.sources.parents import Parents


@pytest.mark.parametrize("m, expected", [(1e-9, 1.9765), (0.05, 1.2694), (0.1, 0.18145)])
def test_pi0_branching_ratio_power_three(m, expected):
    # 2·0.98823·(1 − m²/m_π²)³: at 100 MeV (1 − 0.548876)³ = 0.0918 → 0.18145 (a power 1 would
    # give 0.8916, power 2 0.4022, so this distinguishes the erratum of a public generator)
    assert branching_ratio("pi0", m, 1.0) == pytest.approx(expected, rel=2e-4)


def test_eta_and_etaprime_dark_photon():
    assert branching_ratio("eta", 0.3, 1.0) == pytest.approx(0.27019, rel=2e-4)
    assert branching_ratio("etaprime", 0.5, 1.0) == pytest.approx(0.017764, rel=2e-4)


def test_dark_photon_meson_factor_is_epsilon():
    a = VectorMediator.dark_photon(0.05, 3e-6)
    for meson in ("pi0", "eta", "etaprime"):
        assert a.meson_factor(meson) == pytest.approx(3e-6)


def test_closed_above_threshold():
    ch = MesonDecayChannel("pi0")
    assert ch.closed_reason(VectorMediator.dark_photon(0.2, 1e-6)) is not None
    assert ch.closed_reason(VectorMediator.dark_photon(0.1, 1e-6)) is None
    assert branching_ratio("pi0", 0.2, 1.0) == 0.0


def test_produce_kinematics_and_weights():
    rng = np.random.default_rng(2)
    n = 1000
    m_pi = 0.1349768
    p = rng.uniform(0, 5, (n, 3))
    p4 = np.column_stack([p, np.sqrt((p**2).sum(1) + m_pi**2)])
    parents = Parents(np.full(n, PDG["pi0"], dtype=np.int32), p4, np.zeros((n, 3)), np.zeros(n),
                      np.full(n, 2.0))
    model = VectorMediator.dark_photon(0.05, 1e-4)
    x = MesonDecayChannel("pi0").produce(parents, model, rng)
    (g_pdg, g_p4), = x.siblings
    assert g_pdg == 22
    assert np.allclose(x.p4 + g_p4, p4, atol=1e-12)
    mass = np.sqrt(x.p4[:, 3] ** 2 - (x.p4[:, :3] ** 2).sum(1))
    assert np.allclose(mass, 0.05, atol=1e-7)
    assert np.allclose(x.weight, 2.0 * 1.2694e-8, rtol=2e-4, atol=0)
