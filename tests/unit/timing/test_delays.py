"""Times of flight, delays, decay times and the stopped-pion neutrino timing."""

from __future__ import annotations

from fractions import Fraction

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from darkbeam.timing import (GaussianPulse, analytic_delay, beta_from_energy, delay,
                             exponential_decay_times, muon_lifetime_ns, pion_lifetime_ns,
                             pulse_for, stopped_pion_neutrino_times, stopped_pion_time_moments,
                             time_of_flight)

C = 0.299792458          # m/ns, exact (SI definition of the metre)
TAU_PI = 26.033          # ns, PDG RPP 2024 summary table, π± mean life 2.6033e-8 s
TAU_MU = 2196.9811       # ns, PDG RPP 2024 summary table, μ mean life 2.1969811e-6 s


def _rng(k=0):
    return np.random.default_rng(np.random.SeedSequence(7, spawn_key=(k,)))


def test_lifetimes_are_the_pdg_values():
    assert pion_lifetime_ns() == pytest.approx(TAU_PI, rel=2e-4)
    assert muon_lifetime_ns() == pytest.approx(TAU_MU, rel=1e-6)


def test_time_of_flight_monochromatic():
    # 110 m at β = 0.5: 110 m / 0.299792458 m/ns = 366.92050 ns, doubled = 733.84101 ns
    assert time_of_flight(110.0, 0.5) == pytest.approx(733.84101, rel=1e-7)
    # light over 574 m: 574 / 0.299792458 = 1914.6579 ns
    assert time_of_flight(574.0, 1.0) == pytest.approx(1914.6579, rel=1e-7)
    L = np.array([0.0, 23.0, 110.0, 574.0])
    beta = np.full(4, 0.9)
    np.testing.assert_allclose(time_of_flight(L, beta), L / (0.9 * C), rtol=1e-14)
    with pytest.raises(ValueError):
        time_of_flight(1.0, 1.2)
    with pytest.raises(ValueError):
        time_of_flight(1.0, 0.0)


def test_time_of_flight_of_a_massive_particle():
    """A 130 MeV particle of energy 151.3 MeV: p = √(151.3² − 130²) = √5991.69 = 77.406 MeV,
    β = 77.406/151.3 = 0.51161; over 110 m: 366.9205 ns / 0.51161 = 717.19 ns; delay relative
    to light 717.19 − 366.92 = 350.27 ns."""
    beta = beta_from_energy(0.1513, 0.130)
    assert beta == pytest.approx(0.51161, rel=2e-5)
    assert time_of_flight(110.0, beta) == pytest.approx(717.19, rel=2e-5)
    assert analytic_delay(110.0, beta) == pytest.approx(350.27, rel=3e-5)


def test_delay_of_a_vertex():
    # origin (0,0,0) at 5 ns; vertex (3,4,0) m (5 m away, 16.678205 ns for light) at t = 40 ns:
    # 40 − (5 + 16.678205) = 18.321795 ns
    d = delay(np.array([40.0]), np.array([[3.0, 4.0, 0.0]]), np.zeros((1, 3)), np.array([5.0]))
    assert d[0] == pytest.approx(40 - 5 - 5 / C, rel=1e-12)
    assert d[0] == pytest.approx(18.321795, rel=1e-7)


@settings(max_examples=50, deadline=None)
@given(L=st.floats(0.0, 1e4), beta=st.floats(1e-3, 1.0), t0=st.floats(-1e6, 1e6),
       ux=st.floats(-1, 1), uy=st.floats(-1, 1))
@example(L=1925.0, beta=0.9999999999999999, t0=0.0, ux=0.0, uy=0.0)   # found by CI
def test_delay_of_straight_flight_is_the_analytic_value(L, beta, t0, ux, uy):
    """delay(t0 + L/(βc), origin + L·n̂, origin, t0) = L/(βc) − L/c ≥ 0 for any direction."""
    n = np.array([ux, uy, 1.0])
    n /= np.linalg.norm(n)
    origin = np.array([[1.0, -2.0, 0.5]])
    t = t0 + time_of_flight(L, beta)
    d = delay(np.array([t]), origin + L * n, origin, np.array([t0]))[0]
    expected = L / (beta * C) - L / C
    assert d == pytest.approx(expected, abs=1e-9 * max(1.0, abs(t0), L / (beta * C)))
    # the closed form against exact rational arithmetic on the same floats (the subtraction above
    # loses the digits for β → 1: L = 1925 m, β = 1 − 10⁻¹⁶ gave 1.8e-12 for 7.1e-13)
    exact = float(Fraction(L) * (1 - Fraction(beta)) / (Fraction(beta) * Fraction(C)))
    assert analytic_delay(L, beta) == pytest.approx(exact, rel=1e-12, abs=1e-300)


def test_exponential_decay_times_have_mean_and_width_tau():
    t = exponential_decay_times(_rng(1), 400_000, TAU_PI)
    assert t.min() >= 0
    assert t.mean() == pytest.approx(TAU_PI, abs=5 * TAU_PI / math.sqrt(4e5))
    assert t.std() == pytest.approx(TAU_PI, rel=0.01)
    assert np.all(exponential_decay_times(_rng(1), 10, 0.0) == 0)


def test_muon_decay_neutrinos_have_the_2_2_us_exponential_tail():
    """Fit the slope of log(counts) of the delayed ν_e/ν̄_μ times beyond 1.5 µs (where the
    pulse and the π lifetime have died out) and compare 1/slope with τ_μ."""
    pulse = pulse_for("SNS")
    n = 1_000_000
    nu = stopped_pion_neutrino_times(_rng(2), n, pulse)
    t = nu.delayed
    edges = np.linspace(1500.0, 12_000.0, 106)
    counts, _ = np.histogram(t, bins=edges)
    centres = 0.5 * (edges[1:] + edges[:-1])
    ok = counts > 0
    # weighted least squares on log counts (weights √N: Poisson errors on log N are 1/√N)
    slope, _ = np.polyfit(centres[ok], np.log(counts[ok]), 1, w=np.sqrt(counts[ok]))
    tau_fit = -1.0 / slope
    # ≈ 4.5e5 entries → the slope is known to ≈ 0.2 %; allow 1 %
    assert tau_fit == pytest.approx(TAU_MU, rel=0.01)
    # unbinned check: beyond t_c the excess over t_c is exponential with mean τ_μ (memoryless)
    tail = t[t > 3000.0] - 3000.0
    assert tail.mean() == pytest.approx(TAU_MU, abs=5 * TAU_MU / math.sqrt(tail.size))


def test_stopped_pion_times_for_a_narrow_pulse_follow_the_decay_chain_densities():
    """For a δ-like pulse, prompt ~ Exp(τ_π) and delayed has the density
    (e^{−t/τ_μ} − e^{−t/τ_π})/(τ_μ − τ_π) (convolution of two exponentials); its CDF is integrated
    here with scipy."""
    pulse = GaussianPulse(0.0, 1e-6)
    nu = stopped_pion_neutrino_times(_rng(3), 50_000, pulse)
    assert stats.kstest(nu.prompt, stats.expon(scale=TAU_PI).cdf).pvalue > 1e-3

    def cdf(x):
        x = np.atleast_1d(x)
        return np.array([integrate.quad(
            lambda s: (math.exp(-s / TAU_MU) - math.exp(-s / TAU_PI)) / (TAU_MU - TAU_PI),
            0.0, v, limit=200)[0] for v in x])
    grid = np.linspace(0, 30_000, 3001)
    table = cdf(grid)
    assert table[-1] == pytest.approx(1.0, abs=1e-5)
    assert stats.kstest(nu.delayed, lambda x: np.interp(x, grid, table)).pvalue > 1e-3
    assert np.all(nu.delayed >= nu.prompt) and nu.nu_e is nu.nu_mu_bar


@pytest.mark.parametrize("name", ["SNS", "LANSCE_Lujan", "JPARC_MLF"])
def test_stopped_pion_time_moments(name):
    """Means and widths add: prompt = pulse + τ_π; delayed = pulse + τ_π + τ_μ."""
    pulse = pulse_for(name)
    mom = stopped_pion_time_moments(pulse)
    assert mom["prompt"][0] == pytest.approx(pulse.mean + TAU_PI, rel=1e-4)
    assert mom["delayed"][1] == pytest.approx(
        math.sqrt(pulse.std ** 2 + TAU_PI ** 2 + TAU_MU ** 2), rel=1e-5)
    n = 400_000
    nu = stopped_pion_neutrino_times(_rng(4), n, pulse)
    for key, times in (("prompt", nu.prompt), ("delayed", nu.delayed)):
        m, s = mom[key]
        assert times.mean() == pytest.approx(m, abs=5 * s / math.sqrt(n))
        assert times.std() == pytest.approx(s, rel=0.01)
