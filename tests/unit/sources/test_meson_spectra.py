"""Meson spectra against numbers computed independently (scipy integration of the published forms and the
check values of /work/shared/reference/formulas-production.md §7 and §9 H1–H3)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import integrate

from darkbeam.sources import bmpt, sanford_wang
from darkbeam.sources.burman_smith import BurmanSmith
from darkbeam.sources.facility_parameters import facilities, source_parameters
from darkbeam.sources.mesons import PARAMETRIZATIONS, facility_meson_source, meson_source


def _sw_total(species: str) -> float:
    """∫ d²σ/dp dΩ over p and θ < π/2 with scipy, the SW form written out here from the data-file numbers."""
    c1, c2, c3, c4, c5, c6, c7, c8, c9 = sanford_wang.parameters()[species]["c"]
    pb = 8.89

    def f(theta, p):
        val = c1 * p ** c2 * (1 - p / (pb - c9)) * np.exp(
            -c3 * p ** c4 / pb ** c5 - c6 * theta * (p - c7 * pb * np.cos(theta) ** c8))
        return val * 2 * np.pi * np.sin(theta)

    return integrate.dblquad(f, 0.0, pb - c9, 0.0, np.pi / 2, epsrel=1e-7)[0]


@pytest.mark.parametrize("species, expected, tol", [("pi_plus", 158.9, 0.1), ("pi_minus", 144.4, 0.1),
                                                    ("K0L", 4.49, 0.01)])
def test_sanford_wang_integrals(species, expected, tol):
    # H1: 158.93 (π⁺), 144.4 with the G4BNB digits (π⁻), 4.49 mb (K⁰_L)
    assert _sw_total(species) == pytest.approx(expected, abs=tol)


@pytest.mark.parametrize("species, value", [("pi_plus", 138.11), ("pi_minus", 73.86), ("K0L", 4.52)])
def test_sanford_wang_point_values(species, value):
    assert sanford_wang.d2sigma_dp_domega(species, 2.0, 0.1) == pytest.approx(value, rel=2e-3)


def test_bmpt_invariant_check_value():
    # §7.2: E d³σ/dp³(120 GeV, p = 10 GeV, θ = 0.02, Be) = 159.7 mb GeV⁻²
    assert bmpt.invariant_cross_section("pi_plus", 10.0, 0.02, 120.0, 9.0) == pytest.approx(159.7, rel=1e-3)


def _bmpt_total(species: str, p_beam: float, a: float) -> float:
    def f(theta, p):
        return bmpt.d2sigma_dp_domega(species, p, theta, p_beam, a) * 2 * np.pi * np.sin(theta)

    return integrate.dblquad(f, 0.05, p_beam, 0.0, np.pi / 2, epsabs=1e-2, epsrel=1e-4)[0]


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("species, p_beam, a, expected", [
    ("pi_plus", 120.0, 9.0, 571.0), ("pi_plus", 120.0, 12.0, 714.0), ("pi_plus", 450.0, 9.0, 898.0),
    ("pi_minus", 120.0, 9.0, 429.0)])
def test_bmpt_integrals(species, p_beam, a, expected):
    # H2 and §7.2 check values (p > 0.05 GeV/c, θ < π/2)
    assert _bmpt_total(species, p_beam, a) == pytest.approx(expected, rel=3e-3)


def test_bmpt_warns_outside_range():
    with pytest.warns(UserWarning, match="30–450"):
        bmpt.invariant_cross_section("pi_plus", 2.0, 0.1, 8.0)


def test_burman_smith_point_value():
    # §7.3: d²σ/dTdΩ(T = 100 MeV, 30°, W, 800 MeV) = 50.31 μb/(MeV sr)
    assert BurmanSmith(74, 800.0).d2sigma_dT_domega(100.0, 30.0) == pytest.approx(50.31, rel=1e-3)


@pytest.mark.parametrize("z, tp, expected", [(74, 800.0, 1.114e5), (6, 800.0, 3.64e4), (74, 585.0, 8.94e4)])
def test_burman_smith_integrals(z, tp, expected):
    # H3: ∫ dT dΩ in μb (θ in degrees inside the form, dΩ = 2π sin θ dθ with θ in rad)
    bs = BurmanSmith(z, tp)
    val = integrate.dblquad(lambda th, t: bs.d2sigma_dT_domega(t, np.degrees(th)) * 2 * np.pi * np.sin(th),
                            0.0, tp, 0.0, np.pi, epsrel=1e-6)[0]
    assert val == pytest.approx(expected, rel=2e-3)


def test_burman_smith_momentum_jacobian():
    # ∫ d²σ/dp dΩ dp dΩ (mb) must equal ∫ d²σ/dT dΩ dT dΩ (μb) / 1000 (dT = (p/E) dp)
    bs = BurmanSmith(74, 800.0)
    val = integrate.dblquad(lambda th, p: bs.d2sigma_dp_domega(p, th) * 2 * np.pi * np.sin(th),
                            0.0, bs.p_max(), 0.0, np.pi, epsrel=1e-6)[0]
    assert val == pytest.approx(111.4, rel=2e-3)


def test_burman_smith_warns_outside_range():
    with pytest.warns(UserWarning, match="585"):
        BurmanSmith(80, 1000.0)


def test_burman_smith_has_no_eta():
    with pytest.raises(ValueError, match="below threshold"):
        PARAMETRIZATIONS["burman_smith"]("eta", 1.46, Z=74)


@pytest.mark.parametrize("param, meson, p_beam, target", [
    ("sanford_wang", "pi0", 8.89, {}), ("bmpt", "pi+", 120.0, {"A": 12.0}),
    ("burman_smith", "pi0", 1.4633, {"Z": 74})])
def test_sampled_mean_momentum_matches_quadrature(param, meson, p_beam, target):
    """The weighted sample reproduces the normalisation and ⟨p⟩ computed by scipy from the density."""
    src = meson_source(param, meson, p_beam, yield_per_pot=2.0, **target)
    density, p_max = PARAMETRIZATIONS[param](meson, p_beam, **target)
    th_max = np.pi if param == "burman_smith" else np.pi / 2
    norm = integrate.dblquad(lambda th, p: density(p, th) * np.sin(th), 0, p_max, 0, th_max, epsrel=1e-4)[0]
    mom = integrate.dblquad(lambda th, p: p * density(p, th) * np.sin(th), 0, p_max, 0, th_max, epsrel=1e-4)[0]
    parents = src.sample(np.random.default_rng(7), 250_000)
    p = np.linalg.norm(parents.p4[:, :3], axis=1)
    assert parents.weight.sum() == pytest.approx(2.0, rel=5e-3)
    assert np.sum(parents.weight * p) / parents.weight.sum() == pytest.approx(mom / norm, rel=5e-3)
    assert np.allclose(parents.p4[:, 3] ** 2 - p ** 2, src.mass ** 2, rtol=1e-9, atol=1e-12)


def test_sanford_wang_scaled_warns_and_is_empty_below_threshold():
    with pytest.warns(UserWarning, match="extrapolation"):
        PARAMETRIZATIONS["sanford_wang_scaled"]("pi0", 1.696)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="closed"):
            PARAMETRIZATIONS["sanford_wang_scaled"]("eta", 1.2)


def test_sanford_wang_scaled_backward_continuation():
    """θ > π/2: the SW form with cos θ clipped at 0 is exp(−c₆θp)·(θ-independent factor); check against the
    form written out here from the data-file numbers, at 2.78 GeV/c (ESS)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        density, p_end = PARAMETRIZATIONS["sanford_wang_scaled"]("pi+", 2.784)
    c1, c2, c3, c4, c5, c6, c7, c8, c9 = sanford_wang.parameters()["pi_plus"]["c"]
    pb, p, th = 2.784, 0.3, 2.5
    expected = c1 * p ** c2 * (1 - p / (pb - c9)) * np.exp(-c3 * p ** c4 / pb ** c5 - c6 * th * p)
    assert density(p, th) == pytest.approx(expected, rel=1e-12)
    assert density(p, 0.3) == pytest.approx(sanford_wang.d2sigma_dp_domega("pi_plus", p, 0.3, pb, warn=False))
    assert p_end == pytest.approx(pb - c9)


def test_facility_table_is_documented():
    for name in facilities():
        par = source_parameters(name)
        assert par["beam_momentum_GeV"] > 0
        for meson, entry in par["yields"].items():
            lo, hi = entry["spread"]
            assert lo <= entry["value"] <= hi, (name, meson)
            assert entry["source"] and entry["status"] in ("published", "code", "derived")
        if "neutrinos" in par:
            assert par["neutrinos"]["per_flavor_per_pot"]["source"]


def test_facility_source_override_and_vertex():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        src = facility_meson_source("NuMI", "eta", yield_per_pot=0.5)
    parents = src.sample(np.random.default_rng(1), 200_000)
    assert parents.weight.sum() == pytest.approx(0.5, rel=1e-2)
    assert np.all(parents.pdg == 221)
    # the target length now comes from the catalog facility file (one place for it, issue 20 item 5):
    # NuMI 0.954 m (detectors/data/facilities/NuMI.toml); facility_sources.toml had 1.2 m
    from darkbeam.detectors import load_facility
    length = load_facility("NuMI").target_length
    assert length == pytest.approx(0.954)
    z = parents.vertex[:, 2]
    assert z.min() >= 0 and z.max() <= length
    # mean depth of exp(−z/λ) truncated to [0, L]: λ − L/(e^{L/λ} − 1)
    lam = 0.388
    assert z.mean() == pytest.approx(lam - length / np.expm1(length / lam), rel=1e-2)
