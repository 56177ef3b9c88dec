"""HNL production channels (darkbeam.production.meson_decay_hnl) with synthetic parents.

Closed forms: at rest E_N = (m_P² + m_N² − m_ℓ²)/(2m_P) for P → ℓN; four-momentum conservation
N + ℓ (+ π) = parent, in flight; masses on shell; the three-body N-energy mean against a scipy
quadrature of the K_ℓ3 matrix element over the Dalitz plot; aimed and plain sampling give the same
expected number of N crossing a sphere.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.constants import mass
from darkbeam.decays.dalitz import s23_limits
from darkbeam.models import HeavyNeutralLepton, VectorMediator
from darkbeam.production import CHANNELS, expand_channels, make_channel
from darkbeam.production import hnl_rates as r
from darkbeam.production.aiming import Aim
from scipy import integrate

from .conftest import beam, invariant_mass, parents_at

MPI, MK, MKL, MPI0, ME, MMU = mass(211), mass(321), mass(130), mass(111), mass(11), mass(13)


def _at_rest(pdg, m, n):
    p4 = np.zeros((n, 4))
    p4[:, 3] = m
    return parents_at(pdg, p4, weight=2.0)


@pytest.mark.parametrize("name, pdg, mp, ml, m_n", [("pion_decay_hnl_e", 211, MPI, ME, 0.1),
                                                     ("pion_decay_hnl_mu", 211, MPI, MMU, 0.02),
                                                     ("kaon_decay_hnl_mu", 321, MK, MMU, 0.38)])
def test_two_body_at_rest_energy(name, pdg, mp, ml, m_n):
    ch = make_channel(name)
    model = HeavyNeutralLepton(m_n, U2_e=1e-6, U2_mu=1e-6)
    x = ch.produce(_at_rest(pdg, mp, 500), model, np.random.default_rng(1))
    assert np.allclose(x.p4[:, 3], (mp**2 + m_n**2 - ml**2) / (2 * mp), rtol=1e-12)
    assert np.allclose(invariant_mass(x.p4), m_n, rtol=1e-9)
    assert np.allclose(x.weight, 2.0 * 1e-6 * ch.unit_branching_ratio(m_n), rtol=1e-12)
    assert np.all(x.pdgs == 9900012)
    assert np.all(x.siblings[0][0] == -(11 if ml == ME else 13))    # ℓ⁺ with N


@pytest.mark.parametrize("name, pdg, mp", [("pion_decay_hnl_e", -211, MPI), ("kaon_decay_hnl_e", 321, MK),
                                            ("kaon_pi_decay_hnl_mu", -321, MK), ("kaon_pi_decay_hnl_e", 321, MK),
                                            ("kaon_long_decay_hnl_mu", 130, MKL)])
def test_four_momentum_conservation_in_flight(name, pdg, mp):
    ch = make_channel(name)
    model = HeavyNeutralLepton(0.12, U2_e=1e-5, U2_mu=1e-5, majorana=True)
    rng = np.random.default_rng(7)
    par = beam(pdg, mp, 8.0, 2000, direction=rng.normal(size=3))
    x = ch.produce(par, model, rng)
    total = x.p4 + sum(p4 for _, p4 in x.siblings)
    assert np.allclose(total, par.p4, atol=1e-9)
    lep_pdg, lep = x.siblings[0]
    assert np.allclose(invariant_mass(lep), mass(abs(int(lep_pdg[0]))), atol=1e-6)
    if len(x.siblings) > 1:
        pi_pdg, pi = x.siblings[1]
        assert np.allclose(invariant_mass(pi), mass(abs(int(np.ravel(pi_pdg)[0]))), atol=1e-6)
    if pdg < 0:                                 # antimesons make N̄ with ℓ⁻
        assert np.all(x.pdgs == -9900012) and np.all(lep_pdg > 0)
    if pdg == 130:                              # K_L: both charge modes, π charge opposite to ℓ
        assert 0.4 < np.mean(x.pdgs > 0) < 0.6
        assert np.all(np.sign(x.siblings[1][0]) == np.sign(lep_pdg))


def test_three_body_energy_spectrum_at_rest():
    """⟨E_N⟩ of K_L → πeN at rest against scipy quadrature of the K_ℓ3 matrix element."""
    m_n = 0.2
    ch = make_channel("kaon_long_decay_hnl_e")
    x = ch.produce(_at_rest(130, MKL, 40000), HeavyNeutralLepton(m_n, U2_e=1e-6), np.random.default_rng(3))
    mk, mpi, ml = MKL, MPI, ME

    def dens(s23, s12, power):
        s13 = mk**2 + mpi**2 + ml**2 + m_n**2 - s12 - s23
        e_n = (mk**2 + m_n**2 - s13) / (2 * mk)
        return r.k3_matrix_element(s12, s23, mk, mpi, ml, m_n) * e_n**power

    def integral(power):
        return integrate.dblquad(lambda b, a: dens(b, a, power), (ml + m_n) ** 2, (mk - mpi) ** 2,
                                 lambda a: s23_limits(a, mk, ml, m_n, mpi)[0],
                                 lambda a: s23_limits(a, mk, ml, m_n, mpi)[1], epsrel=1e-8)[0]
    mean, mean2 = integral(1) / integral(0), integral(2) / integral(0)
    sigma = math.sqrt(mean2 - mean**2)
    assert x.p4[:, 3].mean() == pytest.approx(mean, abs=4 * sigma / math.sqrt(len(x)))
    assert x.p4[:, 3].std() == pytest.approx(sigma, rel=0.03)


@pytest.mark.parametrize("name, pdg, mp, energy", [("kaon_decay_hnl_mu", 321, MK, 5.0),
                                                    ("pion_decay_hnl_e", 211, MPI, 0.3),
                                                    ("kaon_decay_hnl_e", 321, MK, MK),
                                                    ("kaon_pi_decay_hnl_e", 321, MK, 2.0)])
def test_aimed_equals_plain(name, pdg, mp, energy):
    """Σ weight of N whose line hits a sphere off axis: plain and aimed agree within errors."""
    model = HeavyNeutralLepton(0.1 if pdg == 211 else 0.15, U2_e=1e-6, U2_mu=1e-6)
    centre, radius = np.array([3.0, 0.0, 30.0]), 2.0
    direction = (0.0, 0.0, 1.0)
    res = {}
    for aim in (None, Aim(centre, radius, 0.7)):
        ch = make_channel(name).aimed_at(aim)
        rng = np.random.default_rng(11)
        if energy > mp:
            par = beam(pdg, mp, energy, 60000, direction=direction)
        else:
            par = _at_rest(pdg, mp, 60000)
        x = ch.produce(par, model, rng)
        d = x.directions
        along = d @ centre
        miss2 = centre @ centre - along**2
        hit = (along > 0) & (miss2 < radius**2)
        f = x.weight * hit
        res[aim is None] = (f.mean(), f.std() / math.sqrt(len(f)))
    (a, ea), (b, eb) = res[True], res[False]
    assert a > 0 and b > 0
    assert abs(a - b) < 4 * math.hypot(ea, eb)
    assert eb < ea


def test_registry_and_acceptance():
    assert expand_channels(["kaon_decay_hnl"]) == ["kaon_decay_hnl_e", "kaon_decay_hnl_mu", "kaon_pi_decay_hnl_e",
                                                   "kaon_pi_decay_hnl_mu"]
    assert "pion_decay_hnl_mu" in CHANNELS
    with pytest.raises(ValueError, match="group"):
        make_channel("pion_decay_hnl")
    ch = make_channel("kaon_decay_hnl_mu")
    assert ch.accepts(HeavyNeutralLepton(0.1, U2_mu=1e-6))
    assert not ch.accepts(VectorMediator(0.1, epsilon=1e-4))
    assert ch.closed_reason(HeavyNeutralLepton(0.1, U2_e=1e-6)) is not None          # U_mu = 0
    assert ch.closed_reason(HeavyNeutralLepton(0.45, U2_mu=1e-6)) is not None        # above m_K − m_μ
    assert ch.branching_ratio(HeavyNeutralLepton(0.2, U2_mu=1e-6)) == pytest.approx(
        1e-6 * r.two_body_branching_ratio("K+", "mu", 0.2))
    assert make_channel("kaon_pi_decay_hnl_mu").branching_ratio(HeavyNeutralLepton(0.2, U2_mu=1e-6)) == \
        pytest.approx(1e-6 * r.three_body_branching_ratio("K+", "mu", 0.2))
