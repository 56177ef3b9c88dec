"""π-DAR neutrinos and π⁰/η → γγ photons against closed forms computed here by hand / with scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from darkbeam.sources.parents import Parents
from darkbeam.sources.photons import photons_from_decays
from darkbeam.sources.stopped_pion import (TAU_MU_NS, TAU_PI_NS, StoppedPionSource, michel_nu_e,
                                           michel_nubar_mu, nu_mu_energy, stopped_pion_source)

M_MU = 0.1056583755  # GeV, PDG 2024
M_PI = 0.13957039    # GeV, PDG 2024


def test_prompt_line_energy():
    # (m_π² − m_μ²)/(2 m_π) with the PDG masses = 29.7921 MeV (formulas-detection.md §4.1)
    assert nu_mu_energy() == pytest.approx((M_PI ** 2 - M_MU ** 2) / (2 * M_PI), rel=1e-6)
    assert nu_mu_energy() * 1e3 == pytest.approx(29.7921, abs=1e-3)


def test_michel_closed_forms_normalised_and_means():
    for pdf, mean in ((michel_nu_e, 0.3 * M_MU), (michel_nubar_mu, 0.35 * M_MU)):
        norm = integrate.quad(pdf, 0, M_MU / 2)[0]
        assert norm == pytest.approx(1.0, rel=1e-6)
        assert integrate.quad(lambda e: e * pdf(e), 0, M_MU / 2)[0] == pytest.approx(mean, rel=1e-6)


def _closed_form_cdf(flavour: str):
    """CDFs of the Michel spectra integrated by hand, x = 2E/m_μ: ν_e 4x³ − 3x⁴, ν̄_μ 2x³ − x⁴."""
    if flavour == "nu_e":
        return lambda e: np.clip(4 * (2 * e / M_MU) ** 3 - 3 * (2 * e / M_MU) ** 4, 0, 1)
    return lambda e: np.clip(2 * (2 * e / M_MU) ** 3 - (2 * e / M_MU) ** 4, 0, 1)


def test_sampled_spectra_and_timing():
    n = 200_000
    nus = StoppedPionSource(0.0875).sample(np.random.default_rng(3), n)
    e, t, pdg = nus.p4[:, 3], nus.t, nus.pdg
    assert np.all(e[pdg == 14] == nu_mu_energy())
    for code, flavour in ((12, "nu_e"), (-14, "nubar_mu")):
        assert stats.kstest(e[pdg == code], _closed_form_cdf(flavour)).pvalue > 1e-3
    assert e.max() <= M_MU / 2
    # massless, isotropic
    assert np.allclose(np.linalg.norm(nus.p4[:, :3], axis=1), e)
    assert abs(np.mean(nus.p4[:, 2] / e)) < 0.01
    # timing (formulas-detection.md §4.2): prompt before 100 ns 0.97853; delayed before 100 ns 0.03330, 1 µs 0.35805
    prompt, delayed = t[pdg == 14], t[pdg == 12]
    assert np.mean(prompt < 100) == pytest.approx(1 - np.exp(-100 / 26.033), abs=2e-3)
    assert np.mean(prompt < 100) == pytest.approx(0.97853, abs=2e-3)
    assert np.mean(delayed < 100) == pytest.approx(0.03330, abs=2e-3)
    assert np.mean(delayed < 1000) == pytest.approx(0.35805, abs=4e-3)
    assert delayed.mean() == pytest.approx(TAU_PI_NS + TAU_MU_NS, rel=1e-2)
    # weights: yield per flavour per POT
    for code in (14, 12, -14):
        assert nus.weight[pdg == code].sum() == pytest.approx(0.0875)


def test_facility_yields_and_derived_warning():
    assert stopped_pion_source("SNS").yield_per_pot == pytest.approx(0.0875)
    assert stopped_pion_source("JPARC_MLF").yield_per_pot == pytest.approx(0.485)
    with pytest.warns(UserWarning, match="derived"):
        stopped_pion_source("LANSCE_Lujan")
    assert stopped_pion_source("LANSCE_Lujan", 0.05).yield_per_pot == 0.05
    with pytest.raises(ValueError):
        stopped_pion_source("NuMI")


def _monochromatic(pdg: int, m: float, p: float, n: int) -> Parents:
    p4 = np.zeros((n, 4))
    p4[:, 2], p4[:, 3] = p, np.hypot(p, m)
    return Parents(np.full(n, pdg, dtype=np.int32), p4, np.zeros((n, 3)), np.zeros(n), np.full(n, 1.0 / n))


@pytest.mark.parametrize("pdg, m, br", [(111, 0.1349768, 0.98823), (221, 0.547862, 0.3936)])
def test_photon_box_spectrum_and_energy_conservation(pdg, m, br):
    n, p = 100_000, 1.5
    mesons = _monochromatic(pdg, m, p, n)
    photons = photons_from_decays(mesons, np.random.default_rng(5))
    k1, k2 = photons.p4[:n], photons.p4[n:]
    # four-momentum conservation and massless photons
    assert np.allclose(k1 + k2, mesons.p4, atol=1e-12)
    assert np.allclose(photons.p4[:, 3], np.linalg.norm(photons.p4[:, :3], axis=1), rtol=1e-12)
    # flat spectrum between E(1 − β)/2 and E(1 + β)/2
    e = np.hypot(p, m)
    beta = p / e
    lo, hi = e * (1 - beta) / 2, e * (1 + beta) / 2
    k = photons.p4[:, 3]
    assert k.min() >= lo * (1 - 1e-9) and k.max() <= hi * (1 + 1e-9)
    assert stats.kstest((k - lo) / (hi - lo), "uniform").pvalue > 1e-3
    assert photons.weight.sum() == pytest.approx(2 * br)


def test_non_decaying_parents_ignored():
    mixed = _monochromatic(211, 0.1396, 1.0, 10)
    assert len(photons_from_decays(mixed, np.random.default_rng(0))) == 0


def test_stopped_parents():
    from darkbeam.sources.stopped_pion import stopped_parents

    cap = stopped_parents("SNS", "pi-", 10)
    assert np.all(cap.pdg == -211) and np.all(cap.p4[:, :3] == 0)
    assert cap.p4[0, 3] == pytest.approx(M_PI, rel=1e-6)
    assert cap.weight.sum() == pytest.approx(0.0366)  # pyCEvNS 18324/500000
    assert stopped_parents("JPARC_MLF", "pi+", 4).weight.sum() == pytest.approx(0.485)
    with pytest.raises(ValueError):
        stopped_parents("ESS", "pi-", 3)
