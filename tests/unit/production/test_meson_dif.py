"""SM neutrinos from π/K → μν at their decay points (darkbeam.production.meson_dif), against closed forms
written here: the at-rest line E_ν = (m_P² − m_μ²)/(2m_P) (235.5 MeV for K⁺, Spitz PRD 85 093020), the
forward flux of a pencil beam decaying along a pipe, ∫ dz e^{−z/λ}/λ · BR·γ²(1 + β)²/(4π(D − z)²) (scipy
quadrature; γ²(1 + β)² = dΩ*/dΩ at θ = 0 for a massless daughter), and four-momentum conservation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.detectors.catalog import DecayRegion
from darkbeam.production import expand_channels, make_channel
from darkbeam.production.aiming import Aim
from darkbeam.production.meson_dif import flux_through_sphere
from darkbeam.sources.meson_decays import AtRestMesons, InFlightMesons
from darkbeam.sources.parents import Parents
from scipy import integrate

M_MU, M_PI, M_K = 0.1056583755, 0.13957039, 0.493677   # GeV, PDG 2024
C = 0.299792458


def test_group_expands():
    assert expand_channels(["meson_dif_neutrinos"]) == ["pion_dif_numu", "pion_dif_numubar", "kaon_dif_numu",
                                                        "kaon_dif_numubar"]


@pytest.mark.parametrize("name, pdg, m, line", [("kaon_dif_numu", 321, M_K, 0.2355), ("pion_dif_numu", 211, M_PI, 0.02979)])
def test_at_rest_line_and_p4(name, pdg, m, line):
    par = AtRestMesons(pdg, 1.0, np.zeros(3)).sample(np.random.default_rng(0), 1000)
    nu = make_channel(name).produce(par, None, np.random.default_rng(1))
    assert np.allclose(nu.p4[:, 3], (m * m - M_MU * M_MU) / (2 * m), rtol=1e-6)
    assert nu.p4[0, 3] == pytest.approx(line, abs=2e-4)
    assert np.allclose(nu.p4 + nu.siblings[0][1], par.p4, atol=1e-12)
    assert nu.weight.sum() == pytest.approx(make_channel(name).br, rel=1e-12)


class _Pencil:
    def __init__(self, pdg, p, m):
        self.pdg, self.p, self.m = pdg, p, m

    def sample(self, rng, n):
        p4 = np.zeros((n, 4))
        p4[:, 2], p4[:, 3] = self.p, math.hypot(self.p, self.m)
        return Parents(np.full(n, self.pdg, np.int32), p4, np.zeros((n, 3)), np.zeros(n), np.full(n, 1.0 / n))


@pytest.mark.parametrize("pdg, name, m, tau, p", [(211, "pion_dif_numu", M_PI, 26.033, 2.0),
                                                  (321, "kaon_dif_numu", M_K, 12.380, 3.0)])
def test_forward_flux_of_a_pencil_beam(pdg, name, m, tau, p):
    length, dist, radius = 50.0, 500.0, 1.0
    chan = make_channel(name).aimed_at(Aim([0.0, 0.0, dist], radius, fraction=1.0))
    src = InFlightMesons(_Pencil(pdg, p, m), DecayRegion(0.0, length, 5.0))
    vals = []
    for k in range(4):
        rng = np.random.default_rng(10 + k)
        vals.append(flux_through_sphere(chan.produce(src.sample(rng, 20000), None, rng), [0, 0, dist], radius))
    gamma, beta = math.hypot(p, m) / m, p / math.hypot(p, m)
    lam = p * C * tau / m
    expected, _ = integrate.quad(lambda z: math.exp(-z / lam) / lam * gamma**2 * (1 + beta) ** 2
                                 / (4 * math.pi * (dist - z) ** 2), 0.0, length)
    expected *= make_channel(name).br / 1e4   # per cm²
    assert np.mean(vals) == pytest.approx(expected, rel=0.01)
