"""ALP and Higgs-portal scalar widths against formulas-detection.md §2.1–2.2 check values."""

import math

import pytest

from darkbeam.models import ALP, DarkScalar, ModelValidityWarning
from darkbeam.models.scalar import a_half, a_one

HBARC = 1.973269804e-16
V = 246.21965


def test_alp_photon_width():
    # Γ = g²m³/64π: g = 1e-5 GeV⁻¹, m = 10 MeV → 1e-10·1e-6/(64π) = 4.97359e-19 GeV, cτ = 396.75 m
    a = ALP(0.010, g_agg=1e-5)
    assert a.width("gammagamma") == pytest.approx(1e-10 * 1e-6 / (64 * math.pi), rel=1e-12, abs=0)
    assert a.width("gammagamma") == pytest.approx(4.97359e-19, rel=1e-5, abs=0)
    assert a.ctau() == pytest.approx(396.75, rel=1e-5)
    assert ALP(0.100, g_agg=1e-5).ctau() == pytest.approx(0.39675, rel=1e-4)


def test_alp_lepton_widths():
    # Γ = g²m/(8π) β: g_aee = 1e-6, 10 MeV → 3.95804e-16 GeV, cτ = 0.49855 m; g_aee = 1e-7, 50 MeV → 9.9208 m
    a = ALP(0.010, g_aee=1e-6)
    assert a.width("e+e-") == pytest.approx(3.95804e-16, rel=1e-5, abs=0)
    assert a.ctau() == pytest.approx(0.49855, rel=1e-4)
    assert ALP(0.050, g_aee=1e-7).ctau() == pytest.approx(9.9208, rel=1e-4)
    mmu = 0.1056583755
    b = ALP(0.3, g_amumu=1e-6)
    assert b.width("mu+mu-") == pytest.approx(1e-12 * 0.3 / (8 * math.pi) * math.sqrt(1 - 4 * mmu**2 / 0.09), rel=1e-6, abs=0)
    assert ALP(0.2, g_amumu=1e-6).width("mu+mu-") == 0.0


def test_scalar_lepton_widths():
    # sin θ = 1: Γ_ee(100 MeV) = 1.7135e-14, Γ_μμ(300 MeV) = 7.8610e-10 GeV (seed002a Eq. (13))
    assert DarkScalar(0.1, sin_theta=1.0).width("e+e-") == pytest.approx(1.7135e-14, rel=2e-4, abs=0)
    assert DarkScalar(0.3, sin_theta=1.0).width("mu+mu-") == pytest.approx(7.8610e-10, rel=2e-4, abs=0)


@pytest.mark.parametrize("m, total", [(0.30, 1.1537e-9), (0.35, 2.2094e-9)])
def test_scalar_pipi_lo(m, total):
    # seed002a Eq. (14) with G_π^LO (charged-pion mass): sum over ππ; π⁺π⁻ is 2/3 of it (isospin)
    s = DarkScalar(m, sin_theta=1.0)
    assert s.width("pi+pi-") == pytest.approx(2 / 3 * total, rel=2e-4, abs=0)
    mpi = 0.13957039
    g = 2 / 9 * (m * m + 5.5 * mpi**2)
    assert s.width("pi+pi-") == pytest.approx(g * g / (16 * math.pi * V**2 * m) * math.sqrt(1 - 4 * mpi**2 / m**2), rel=1e-9, abs=0)


@pytest.mark.parametrize("m", [0.30, 0.35, 0.45])
def test_scalar_pipi_each_channel_with_its_own_pion_mass(m):
    # LO low-energy theorem (Voloshin 1986; Donoghue–Gasser–Leutwyler 1990; formulas-detection.md
    # §2.2): Γ_ππ = sin²θ m³/(216π v²)(1 + 11m_π²/2m²)² β_π summed over ππ, π⁺π⁻ : π⁰π⁰ = 2 : 1.
    # Physical masses: π⁺π⁻ with m_π± = 139.57039 MeV, π⁰π⁰ with m_π⁰ = 134.9768 MeV (PDG 2024),
    # each in both the form factor and β (issue 20: π⁰π⁰ had G_π(m_π±), +7 % at 300 MeV)
    def lo_sum(mpi):
        return m**3 / (216 * math.pi * V**2) * (1 + 5.5 * mpi**2 / m**2) ** 2 * math.sqrt(1 - 4 * mpi**2 / m**2)
    s = DarkScalar(m, sin_theta=1.0)
    assert s.width("pi+pi-") == pytest.approx(2 / 3 * lo_sum(0.13957039), rel=1e-6, abs=0)
    assert s.width("pi0pi0") == pytest.approx(1 / 3 * lo_sum(0.1349768), rel=1e-6, abs=0)
    if m == 0.30:
        # hand numbers: Γ(π⁰π⁰) = 4.2622e-10 GeV (it was 4.5788e-10 with G_π(m_π±)); ratio 1.805
        assert s.width("pi0pi0") == pytest.approx(4.2622e-10, rel=1e-4, abs=0)
        assert s.width("pi+pi-") / s.width("pi0pi0") == pytest.approx(1.8045, rel=1e-4)


def test_scalar_photon_loop_amplitude():
    # heavy limits A_1/2 → 4/3, A_1 → −7; at m_S = 0.1 GeV the e, μ, τ, c, b, t + W sum is ≈ −0.26 (§2.2)
    assert a_half(1e-9).real == pytest.approx(4 / 3)
    assert a_one(1e-9).real == pytest.approx(-7.0)
    assert a_half(1e-3).real == pytest.approx(4 / 3, rel=1e-3)
    assert DarkScalar(0.1, sin_theta=1.0).photon_amplitude().real == pytest.approx(-0.26, abs=0.05)


def test_scalar_warns_outside_lo_validity():
    with pytest.warns(ModelValidityWarning, match="leading-order"):
        DarkScalar(0.8, sin_theta=1e-4).total_width()


def test_scalar_ctau_seed002a():
    # seed002a §2.1 [DERIVED]: sin θ = 1e-4: cτ = 1.15e6 m at 100 MeV (e⁺e⁻ + γγ), 70.6 m at 250 MeV
    assert DarkScalar(0.1, sin_theta=1e-4).ctau() == pytest.approx(1.15e6, rel=0.02)
    assert DarkScalar(0.25, sin_theta=1e-4).ctau() == pytest.approx(70.6, rel=0.02)
