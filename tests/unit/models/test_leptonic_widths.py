"""Lepton and neutrino widths of vector mediators against closed forms evaluated here.

Γ(X→ℓℓ) = α c² m/3 (1 + 2r)√(1 − 4r): arXiv:1801.04847 Eq. (2.13), seed001 Eq. (25).
Γ(X→νν̄) per flavour = α c_ν² m/6 (= g²x²m/24π): seed001 Eq. (25) with C_ν = ½.
Check values: reference/formulas-detection.md §1.1, §1.2, §1.6 (computed by the sheet's author).
"""

import math

import pytest

from darkbeam.models import VectorMediator, preset

# constants (PDG 2024 / CODATA, formulas-detection.md §0), independent of darkbeam
ALPHA = 1 / 137.035999084
E = math.sqrt(4 * math.pi * ALPHA)
ME, MMU = 0.51099895e-3, 0.1056583755
HBARC = 1.973269804e-16  # GeV m


def lepton_width(c, m, ml):
    r = (ml / m) ** 2
    return ALPHA * c * c * m / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r)


@pytest.mark.parametrize("m, ch, ml, expected", [
    (0.010, "e+e-", ME, 2.4324e-5),   # formulas-detection.md §1.1
    (0.300, "e+e-", ME, 7.2974e-4),
    (0.300, "mu+mu-", MMU, 6.4648e-4),
])
def test_dark_photon_lepton_widths_published(m, ch, ml, expected):
    dp = VectorMediator.dark_photon(m, 1.0)
    assert dp.width(ch) == pytest.approx(expected, rel=2e-4)
    assert dp.width(ch) == pytest.approx(lepton_width(1.0, m, ml), rel=1e-6)


def test_dark_photon_ctau_10mev():
    # ε = 1e-5, m = 10 MeV: Γ = 2.4324e-15 GeV, cτ = 8.113 cm (formulas-detection.md §1.1)
    dp = VectorMediator.dark_photon(0.010, 1e-5)
    assert dp.total_width() == pytest.approx(2.4324e-15, rel=2e-4, abs=0)
    assert dp.ctau() == pytest.approx(0.08113, rel=2e-4)
    assert dp.decay_length(1.0) == pytest.approx(0.08113 * 100.0, rel=2e-4)  # p/m = 100


def test_lepton_threshold_closed_and_continuous():
    below = VectorMediator.dark_photon(2 * MMU * (1 - 1e-9), 1.0)
    above = VectorMediator.dark_photon(2 * MMU * (1 + 1e-9), 1.0)
    assert below.width("mu+mu-") == 0.0
    # just above threshold Γ ∝ β ≈ √(2·1e-9) = 4.5e-5 (×3/2 from 1+2r): ratio ≈ 6.7e-5
    assert 0.0 <= above.width("mu+mu-") < 1e-4 * above.width("e+e-")


def test_axial_lepton_width():
    # vector + axial: α m/3 [c_V²(1+2r) + c_A²(1−4r)] √(1−4r); pure axial at m = 0.3 GeV, μ:
    m, ca = 0.3, 1.0
    r = (MMU / m) ** 2
    expected = ALPHA * m / 3 * (1 - 4 * r) ** 1.5
    model = VectorMediator(m, axial={"mu": ca})
    assert model.width("mu+mu-") == pytest.approx(expected, rel=1e-6)


def test_neutrino_width_check_value():
    # g x_ν = 1e-4, m = 20 MeV: Γ = 2.6526e-12 GeV (formulas-detection.md §1.2), = g²x²m/24π
    g = 1e-4
    model = VectorMediator(0.020, x={"nu_mu": g / E})
    assert model.width("numunumubar") == pytest.approx(2.6526e-12, rel=2e-4, abs=0)
    assert model.width("numunumubar") == pytest.approx(g * g * 0.020 / (24 * math.pi), rel=1e-9, abs=0)
    dirac = VectorMediator(0.020, x={"nu_mu": g / E}, light_nu_r=True)
    assert dirac.width("numunumubar") == pytest.approx(2 * 2.6526e-12, rel=2e-4, abs=0)


def test_b_minus_l_neutrino_branching_below_dimuon():
    # Below 2mμ: BR(ee) = x_e²/(x_e² + 3·½x_ν²) = 1/(1+3/2) = 0.4, BR(νν̄) = 0.6
    # (formulas-detection.md §1.2; seed004 "3/5"; seed001 §3.1 "0.4"), up to the tiny (1+2r)β of e.
    bl = preset("b_minus_l", 0.1, g=1e-5)
    br = bl.branching_ratios()
    assert br["e+e-"] == pytest.approx(0.4, abs=2e-4)
    assert bl.width("neutrinos") / bl.total_width() == pytest.approx(0.6, abs=2e-4)
    for nu in ("nuenuebar", "numunumubar", "nutaunutaubar"):
        assert br[nu] == pytest.approx(0.2, abs=1e-4)


def test_b_minus_l_at_300_mev():
    # formulas-detection.md §1.6: g_BL = 1 (VMD), m = 0.3 GeV: BR(ee) 0.2953, BR(μμ) 0.2616, BR(νν̄) 0.4430, had 0
    bl = preset("b_minus_l", 0.3, g=1.0)
    br = bl.branching_ratios()
    assert br["e+e-"] == pytest.approx(0.2953, abs=2e-4)
    assert br["mu+mu-"] == pytest.approx(0.2616, abs=2e-4)
    assert bl.width("neutrinos") / bl.total_width() == pytest.approx(0.4430, abs=2e-4)
    assert bl.width("hadrons") / bl.total_width() < 1e-4


@pytest.mark.parametrize("m", [0.1, 0.5, 1.0, 1.9])
def test_lmu_minus_ltau_neutrino_branching(m):
    # x_μ = x_νμ = g/e, x_τ = x_ντ = −g/e, ε ≈ g/70 loop-induced (tiny). By hand, in units of
    # α(g/e)²m/3: Γ(νμ) = Γ(ντ) = ½, Γ(μμ) = (1+2r)β, Γ(ee) = (ε e/g)², no τ below 2mτ.
    # ε e/g = e² ln(mτ²/mμ²)/(12π²) = 0.004371 → Γ(ee) = 1.91e-5 and quark pieces ∝ ε² (< 1e-4).
    g = 1e-4
    model = preset("lmu_minus_ltau", m, g=g)
    r = (MMU / m) ** 2
    eps_ratio = E * E * math.log((1.77686 / MMU) ** 2) / (12 * math.pi**2)
    # c_μ = −ε + g/e (Q_μ = −1, ε > 0 in darkbeam's sign convention) → factor (1 − εe/g)²
    mumu = (1 + 2 * r) * math.sqrt(1 - 4 * r) * (1 - eps_ratio) ** 2 if m > 2 * MMU else 0.0
    br_nu = 1.0 / (1.0 + mumu)
    assert model.width("neutrinos") / model.total_width() == pytest.approx(br_nu, rel=2e-4)
    assert model.epsilon * E / g == pytest.approx(eps_ratio, rel=1e-3)
    assert eps_ratio == pytest.approx(0.004371, rel=1e-3)  # arithmetic: 0.091701·5.6452/118.435


def test_chargephobic_below_pion_threshold():
    # seed001 §3.1 [DERIVED]: at φ = 3π/4, x_e = 0, three LH neutrinos with x_ν = −1/√2:
    # Γ = 3·g²(½)m/(24π) = g²m/(16π); m = 100 MeV, g = 1e-5 → 1.99e-13 GeV, cτ = 0.99 mm.
    cp = preset("chargephobic", 0.1, g=1e-5)
    assert cp.total_width() == pytest.approx(1e-10 * 0.1 / (16 * math.pi), rel=1e-3, abs=0)
    assert cp.ctau() == pytest.approx(HBARC / (1e-10 * 0.1 / (16 * math.pi)), rel=1e-3)
    assert cp.ctau() == pytest.approx(0.99e-3, rel=5e-3)


def test_ud_arbitrary_benchmark_branching():
    # seed004 §1.2 [derived] benchmark c = −0.1, tan η = −0.75: eε = −0.2333 g;
    # below 2mμ BR(ee) = (eε)²/((eε)² + 2·½g²) = 0.05444/1.05444 = 0.0516
    model = preset("ud_arbitrary", 0.05, g=1e-4, c=-0.1, tan_eta=-0.75)
    assert model.branching_ratios()["e+e-"] == pytest.approx(0.0516, abs=2e-4)
    assert model.coupling("e") * E / 1e-4 == pytest.approx(0.2333, abs=1e-4)
