"""Mesons at their decay points (darkbeam.sources.meson_decays): at rest and in flight, and K → πS from them.

Independent references: the closed forms 1 − exp(−L m/(p cτ)) and E_S = (m_K² + m_S² − m_π²)/(2m_K) written
here, the yields of the data file read with tomllib, PDG lifetimes typed in (τ_K⁺ = 12.380 ns,
τ_π⁺ = 26.033 ns, τ_K_L = 51.16 ns, PDG RPP 2024) and the MicroBooNE paper's 100 m (arXiv:2106.00568).
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from darkbeam.detectors import load_detector, load_facility
from darkbeam.detectors.catalog import DecayRegion
from darkbeam.models import DarkScalar
from darkbeam.production.kaon_decay import KaonDecayChannel
from darkbeam.sources.meson_decays import (
    AtRestMesons,
    InFlightMesons,
    at_rest_source,
    decay_length,
    pipe_segment,
)
from darkbeam.sources.parents import Parents

CARD = Path(__file__).parents[3] / "cards" / "microboone_kdar_scalar.toml"
M_K, M_PI0, M_PIP = 0.493677, 0.1349768, 0.13957039   # GeV, PDG 2024
C = 0.299792458                                         # m/ns


def _data() -> dict:
    with (resources.files("darkbeam.sources") / "data" / "facility_sources.toml").open("rb") as fh:
        return tomllib.load(fh)


@pytest.mark.parametrize("pdg, tau_ns, m", [(321, 12.380, M_K), (211, 26.033, M_PIP), (130, 51.16, 0.497611)])
def test_decay_length_is_p_c_tau_over_m(pdg, tau_ns, m):
    p = np.array([0.5, 5.0, 50.0])
    assert decay_length(pdg, p) == pytest.approx(p * C * tau_ns / m, rel=2e-3)


class _Beam:
    """Mesons of one momentum along +z from the origin (a stand-in target source)."""

    def __init__(self, pdg, p, theta=0.0):
        self.pdg, self.p, self.theta = pdg, p, theta

    def sample(self, rng, n):
        m = {321: M_K, 211: M_PIP, 130: 0.497611}[abs(self.pdg)]
        p4 = np.zeros((n, 4))
        p4[:, 0] = self.p * math.sin(self.theta)
        p4[:, 2] = self.p * math.cos(self.theta)
        p4[:, 3] = math.hypot(self.p, m)
        return Parents(np.full(n, self.pdg, np.int32), p4, np.zeros((n, 3)), np.zeros(n), np.full(n, 1.0 / n))


@pytest.mark.parametrize("pdg, p, length", [(321, 2.0, 50.0), (211, 1.0, 50.0), (321, 20.0, 675.0),
                                            (211, 30.0, 194.0), (130, 5.0, 675.0)])
def test_decay_in_pipe_probability_is_closed_form(pdg, p, length):
    m, tau = {321: (M_K, 12.380), 211: (M_PIP, 26.033), 130: (0.497611, 51.16)}[pdg]
    src = InFlightMesons(_Beam(pdg, p), DecayRegion(0.0, length, 1.0))
    par = src.sample(np.random.default_rng(1), 20_000)
    expected = 1.0 - math.exp(-length * m / (p * C * tau))
    assert par.weight.sum() == pytest.approx(expected, rel=2e-3)
    # decay points: inside the pipe, exponential in z with mean below the truncated-exponential mean
    z = par.vertex[:, 2]
    assert z.min() >= 0 and z.max() <= length
    lam = p * C * tau / m
    mean = lam - length * math.exp(-length / lam) / (-math.expm1(-length / lam))   # truncated-exponential mean
    assert z.mean() == pytest.approx(mean, rel=0.03)
    # decay time = path / (β c)
    beta = p / math.hypot(p, m)
    assert np.allclose(par.t, z / (beta * C), rtol=1e-12)


def test_pipe_start_and_wall():
    # start at 10 m: P = e^{-10/λ} − e^{-60/λ}; a ray at 30 mrad leaves a 1 m pipe at z = 1/tan(0.03)
    lam = 2.0 * C * 12.380 / M_K
    par = InFlightMesons(_Beam(321, 2.0), DecayRegion(10.0, 50.0, 1.0)).sample(np.random.default_rng(2), 5000)
    assert par.weight.sum() == pytest.approx(math.exp(-10 / lam) - math.exp(-60 / lam), rel=1e-4)   # τ to 4 digits
    theta = 0.03
    par = InFlightMesons(_Beam(321, 2.0, theta), DecayRegion(0.0, 50.0, 1.0)).sample(np.random.default_rng(3), 5000)
    s_wall = 1.0 / math.sin(theta)
    assert par.weight.sum() == pytest.approx(-math.expm1(-s_wall / lam), rel=1e-4)
    assert np.hypot(par.vertex[:, 0], par.vertex[:, 1]).max() <= 1.0 + 1e-12


def test_pipe_segment_misses_and_backwards():
    v = np.zeros((3, 3))
    v[2] = [2.0, 0.0, 0.0]                         # outside the wall, moving along z: never inside
    d = np.array([[0.0, 0.0, -1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    s_in, s_out = pipe_segment(v, d, 1.0, 10.0, 1.0)
    assert np.all(s_out <= s_in)


def test_at_rest_yield_equals_data_file_and_kinematics():
    numi = load_facility("NuMI")
    src = at_rest_source(numi, "K+")
    assert src.yield_per_pot == _data()["NuMI"]["at_rest"]["K+"]["value"]
    par = src.sample(np.random.default_rng(4), 50_000)
    assert par.weight.sum() == pytest.approx(src.yield_per_pot, rel=1e-12)
    assert np.all(par.p4[:, :3] == 0) and np.allclose(par.p4[:, 3], M_K, rtol=1e-6)
    assert np.allclose(par.vertex, numi.decay_region.absorber)
    # K⁺ lifetime after stopping (t_stop = flight of the beam to the absorber at c)
    delay = par.t - 725.0 / C
    assert delay.min() >= 0 and delay.mean() == pytest.approx(12.380, rel=0.02)
    # stopped π⁺ at the spallation targets: the π-DAR ν yield per flavour (one ν_μ per stopped π⁺)
    for name in ("SNS", "LANSCE_Lujan", "JPARC_MLF", "ESS"):
        pi = at_rest_source(load_facility(name), "pi+")
        assert pi.yield_per_pot == _data()[name]["neutrinos"]["per_flavor_per_pot"]["value"]
        assert pi.sample(np.random.default_rng(5), 4000).t.mean() == pytest.approx(26.033, rel=0.05)


def test_at_rest_missing_yield_says_what_to_add():
    with pytest.raises(ValueError, match=r'K\+_at_rest'):
        at_rest_source(load_facility("JPARC_MLF"), "K+")
    src = at_rest_source(load_facility("JPARC_MLF"), "K+", overrides={"K+_at_rest": 1e-3})
    assert src.yield_per_pot == 1e-3


def test_absorber_distance_to_microboone_is_the_papers_100_m():
    # MicroBooNE PRL 127 (2021) 151803 abstract: "the NuMI hadron absorber, at a distance of 100 m"
    centre, _ = load_detector("MicroBooNE_NuMI").bounding_sphere()
    dist = np.linalg.norm(centre - load_facility("NuMI").decay_region.absorber)
    assert dist == pytest.approx(100.0, rel=0.10)


@pytest.mark.parametrize("m_s", [0.05, 0.15, 0.3])
def test_kdar_scalar_is_monoenergetic_and_conserves_p4(m_s):
    src = AtRestMesons(321, 1.0, np.zeros(3))
    par = src.sample(np.random.default_rng(6), 2000)
    dark = KaonDecayChannel("K+", parents="at_rest").produce(par, DarkScalar(m_s, sin_theta=1e-4),
                                                            np.random.default_rng(7))
    e_s = (M_K**2 + m_s**2 - M_PIP**2) / (2 * M_K)
    assert np.allclose(dark.p4[:, 3], e_s, rtol=1e-5)
    pion = dark.siblings[0][1]
    assert np.allclose(dark.p4 + pion, par.p4, atol=1e-12)
    # isotropic: <cos θ> = 0 and <cos² θ> = 1/3 within 4σ
    c = dark.p4[:, 2] / np.linalg.norm(dark.p4[:, :3], axis=1)
    assert abs(c.mean()) < 4 / math.sqrt(3 * 2000) and abs((c * c).mean() - 1 / 3) < 4 * 0.3 / math.sqrt(2000)


def test_k_long_in_flight_scalar_closed_form_energy_range():
    # in flight: E_S spans γ(E* ± β p*) (closed form of a boosted two-body decay)
    m_s, p = 0.2, 3.0
    m_kl = 0.497611
    par = InFlightMesons(_Beam(130, p), DecayRegion(0.0, 675.0, 1.0)).sample(np.random.default_rng(8), 20_000)
    dark = KaonDecayChannel("K_L").produce(par, DarkScalar(m_s, sin_theta=1e-4), np.random.default_rng(9))
    e_star = (m_kl**2 + m_s**2 - M_PI0**2) / (2 * m_kl)
    p_star = math.sqrt(e_star**2 - m_s**2)
    gamma, beta = math.hypot(p, m_kl) / m_kl, p / math.hypot(p, m_kl)
    e = dark.p4[:, 3]
    assert e.min() >= gamma * (e_star - beta * p_star) - 1e-9 and e.max() <= gamma * (e_star + beta * p_star) + 1e-9
    # flat in E_S for an isotropic decay: mean at γE*
    assert e.mean() == pytest.approx(gamma * e_star, rel=0.01)
    assert np.allclose(dark.p4 + dark.siblings[0][1], par.p4, atol=1e-10)
    assert np.array_equal(dark.t, par.t) and np.array_equal(dark.vertex, par.vertex)


def test_k_long_cannot_stop():
    with pytest.raises(ValueError, match="does not stop"):
        KaonDecayChannel("K_L", parents="at_rest")


def test_kdar_card_runs_with_converged_nonzero_count():
    from darkbeam.run import run

    result = run(CARD, set=["run.events=20000"], progress=False)
    n, err = result.expected_events, result.stat_uncertainty
    assert n > 0 and err / n < 0.02


def test_card_without_at_rest_yield_stops_with_one_message(tmp_path, capsys):
    from darkbeam.cli import main

    text = CARD.read_text().replace('name = "NuMI"', 'name = "JPARC_MLF"').replace("pot = 1.93e20", "pot = 1e22")
    text = text.replace('name = "MicroBooNE_NuMI"', 'name = "JSNS2"')
    card = tmp_path / "kdar_jparc.toml"
    card.write_text(text)
    assert main(["check", str(card)]) == 2
    err = capsys.readouterr().err
    assert "K+_at_rest" in err and "Traceback" not in err
    # with the user's yield it runs
    card.write_text(text.replace("pot = 1e22", 'pot = 1e22\nyields = { "K+_at_rest" = 3e-3 }'))
    assert main(["check", str(card)]) == 0
