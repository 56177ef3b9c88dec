"""HNL decays in the detector (darkbeam.decays.hnl through DecaySignal).

Four-momentum conservation and on-shell products for every kind of final state; Dirac charges
(N → ℓ⁻P⁺, N̄ → ℓ⁺P⁻) and Majorana 50/50; the e⁺e⁻ mass spectrum of N → νe⁺e⁻ against a scipy
quadrature of the matrix element written here; the e∓μ± orderings in the ratio of their widths; BR and
lifetime from the model; closed and foreign final states refused with a reason; the scan axis.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.constants import mass
from darkbeam.decays import DecaySignal
from darkbeam.models import HeavyNeutralLepton, VectorMediator
from darkbeam.models import hnl as hnl_model
from darkbeam.scan.couplings import (
    REFERENCE_CTAU_M,
    at_coupling,
    default_axis,
    reference_coupling,
)
from scipy import integrate

ME, MMU, MPI = mass(11), mass(13), mass(211)


class Everywhere:
    material = "LAr"

    def intersect(self, o, d):
        return np.zeros(len(o)), np.full(len(o), 1e9)


def _inv(p4):
    return np.sqrt(np.maximum(p4[:, 3] ** 2 - np.sum(p4[:, :3] ** 2, axis=1), 0.0))


@pytest.mark.parametrize("final, m_n", [("e+e-", 0.1), ("mu+mu-", 0.4), ("e mu", 0.3), ("mu pi", 0.4),
                                         ("e pi", 0.3), ("nu pi0", 0.3), ("nu gamma", 0.05), ("mu rho", 1.0),
                                         ("e K", 0.7), ("nu eta", 0.7)])
def test_four_momentum_and_charges(h, rng, final, m_n):
    model = HeavyNeutralLepton(m_n, U2_e=1e-6, U2_mu=1e-6)
    n = 3000
    x = h.beam(3.0, m_n, 9900012, n, direction=(0.1, 0.0, 1.0), parent_pdg=321)
    out = DecaySignal(final).apply(x, Everywhere(), model, rng)
    total = sum(p4 for _, p4 in out["products"])
    assert np.allclose(total, out["x"].p4, atol=1e-9)
    for pdg, (_, p4) in zip(out["product_pdg"], out["products"], strict=True):
        m_expected = np.array([0.0 if abs(int(c)) in (12, 14, 16, 22) else mass(abs(int(c))) for c in pdg[:50]])
        assert np.allclose(_inv(p4[:50]), m_expected, atol=2e-6)
    if final == "mu pi":                          # Dirac N → μ⁻π⁺ only
        assert np.all(out["product_pdg"][0] == 13) and np.all(out["product_pdg"][1] == 211)
    assert np.all(out["br"] == pytest.approx(model.branching_ratios()[final]))


def test_antineutrino_and_majorana_charges(h, rng):
    n = 4000
    nbar = h.beam(2.0, 0.4, -9900012, n, parent_pdg=-211)
    out = DecaySignal("mu pi").apply(nbar, Everywhere(), HeavyNeutralLepton(0.4, U2_mu=1e-6), rng)
    assert np.all(out["product_pdg"][0] == -13) and np.all(out["product_pdg"][1] == -211)
    maj = HeavyNeutralLepton(0.4, U2_mu=1e-6, majorana=True)
    out = DecaySignal("mu pi").apply(h.beam(2.0, 0.4, 9900012, n), Everywhere(), maj, rng)
    frac = np.mean(out["product_pdg"][0] == -13)         # lepton-number-violating μ⁺π⁻
    assert abs(frac - 0.5) < 4 * math.sqrt(0.25 / n)
    assert np.all(np.sign(out["product_pdg"][0]) == np.sign(out["product_pdg"][1]))


def test_nu_ee_mass_spectrum_against_matrix_element(h, rng):
    """⟨m_ee²⟩ and its spread for N → ν_μ e⁺e⁻ (α ≠ β couplings) against scipy."""
    m, n = 0.12, 30000
    out = DecaySignal("e+e-").apply(h.beam(1.0, m, 9900012, n), Everywhere(), HeavyNeutralLepton(m, U2_mu=1e-4), rng)
    (_, em), (_, ep) = out["products"][0], out["products"][1]
    s12 = _inv(em + ep) ** 2
    s2 = hnl_model.data("electroweak")["sin2_theta_w"]
    gl, gr = -0.5 + s2, s2

    def msq(s23, a):
        s13 = m * m + 2 * ME * ME - a - s23
        return (gl * gl * (m * m + ME * ME - s13) * (s13 - ME * ME) + gr * gr * (m * m + ME * ME - s23)
                * (s23 - ME * ME) + 2 * gl * gr * ME * ME * (m * m - a))

    def lim(a):
        e2, e3 = math.sqrt(a) / 2, (m * m - a) / (2 * math.sqrt(a))
        p2 = math.sqrt(max(e2 * e2 - ME * ME, 0))
        return (e2 + e3) ** 2 - (p2 + e3) ** 2, (e2 + e3) ** 2 - (p2 - e3) ** 2

    def moment(k):
        return integrate.dblquad(lambda b, a: msq(b, a) * a**k, 4 * ME * ME, m * m,
                                 lambda a: lim(a)[0], lambda a: lim(a)[1], epsrel=1e-8)[0]
    mean = moment(1) / moment(0)
    sd = math.sqrt(moment(2) / moment(0) - mean**2)
    assert s12.mean() == pytest.approx(mean, abs=4 * sd / math.sqrt(n))
    assert s12.std() == pytest.approx(sd, rel=0.03)


def test_e_mu_orderings(h, rng):
    m, n = 0.3, 20000
    model = HeavyNeutralLepton(m, U2_e=1e-6, U2_mu=1e-6)
    out = DecaySignal("e mu").apply(h.beam(1.0, m, 9900012, n), Everywhere(), model, rng)
    e_minus = np.mean(out["product_pdg"][0] == 11)        # e⁻μ⁺ν_μ (U_e) vs μ⁻e⁺ν_e (U_μ)
    expect = hnl_model.width_ll_nu(m, ME, MMU) / (hnl_model.width_ll_nu(m, ME, MMU) + hnl_model.width_ll_nu(m, MMU, ME))
    assert abs(e_minus - expect) < 4 * math.sqrt(expect * (1 - expect) / n)
    only_e = DecaySignal("e mu").apply(h.beam(1.0, m, 9900012, 500), Everywhere(), HeavyNeutralLepton(m, U2_e=1e-6), rng)
    assert np.all(only_e["product_pdg"][0] == 11) and np.all(only_e["product_pdg"][2] == 14)


def test_lifetime_and_closed_states(h, rng):
    model = HeavyNeutralLepton(0.2, U2_mu=1e-3)
    sig = DecaySignal("e+e-")
    ctau, br = sig.ctau_and_br(model)
    assert ctau == pytest.approx(model.ctau()) and br == pytest.approx(model.branching_ratios()["e+e-"])
    assert "closed" in DecaySignal("mu pi").closed_reason(model)
    assert DecaySignal("mu pi").closed_reason(HeavyNeutralLepton(0.3, U2_mu=1e-6)) is None
    assert "not an HNL final state" in DecaySignal("pi+pi-").closed_reason(model)
    assert "heavy-neutral-lepton" in DecaySignal("mu pi").closed_reason(VectorMediator(0.3, epsilon=1e-4))
    with pytest.raises(ValueError, match="for an HNL"):
        DecaySignal("mu  pi")


def test_scan_axis_and_long_lived_reference():
    model = HeavyNeutralLepton(0.3, U2_mu=1e-2)
    assert default_axis(model) == "U2_mu"
    moved = at_coupling(model, "U2_mu", 1e-7)
    assert moved.U2_mu == 1e-7 and moved.total_width() == pytest.approx(model.total_width() * 1e-5, rel=1e-12)
    ref = reference_coupling(model, "U2_mu")
    assert at_coupling(model, "U2_mu", ref).ctau() >= REFERENCE_CTAU_M
    assert at_coupling(model, "scale", 0.5).U2_mu == pytest.approx(5e-3)
