"""Invisible and inelastic dark-matter widths against formulas-detection.md §1.7–1.8 check values."""


import pytest

from darkbeam.models import DarkMatter, VectorMediator

HBARC = 1.973269804e-16


def test_dirac_and_scalar_widths():
    # α_D = 0.5, m_X = 30 MeV, m_χ = 10 MeV: Dirac 4.55495e-3 GeV, complex scalar 5.17608e-4 GeV
    assert DarkMatter("dirac", 0.010, 0.5).mediator_width(0.030) == pytest.approx(4.55495e-3, rel=1e-5)
    assert DarkMatter("complex_scalar", 0.010, 0.5).mediator_width(0.030) == pytest.approx(5.17608e-4, rel=1e-5)
    # m_χ → 0, α_D = 0.1, m_X = 0.1: α_D m/3 = 3.3333e-3, α_D m/12 = 8.3333e-4 (ratio 4)
    assert DarkMatter("dirac", 1e-9, 0.1).mediator_width(0.1) == pytest.approx(0.1 * 0.1 / 3, rel=1e-9)
    assert DarkMatter("complex_scalar", 1e-9, 0.1).mediator_width(0.1) == pytest.approx(0.1 * 0.1 / 12, rel=1e-9)


def test_invisible_branching_with_kinetic_mixing():
    # Dirac point above plus ε = 1e-3: BR(ee) = 1.602e-8 (§1.7)
    x = VectorMediator(0.030, epsilon=1e-3, dark_matter=DarkMatter("dirac", 0.010, 0.5))
    assert x.branching_ratios()["e+e-"] == pytest.approx(1.602e-8, rel=1e-3)
    assert x.width("invisible") / x.total_width() == pytest.approx(1 - 1.602e-8, rel=1e-9)


def test_dm_heavier_than_half_mediator_gives_documented_zero():
    x = VectorMediator(0.030, epsilon=1e-3, dark_matter=DarkMatter("dirac", 0.016, 0.5))
    assert x.width("chichibar") == 0.0
    assert x.branching_ratios()["chichibar"] == 0.0


def test_inelastic_two_body():
    # α_D = 0.1, m_X = 0.3, m₁ = 0.1, m₂ = 0.11: 8.8763e-3 GeV; Δ → 0 reproduces Dirac 9.1099e-3 (§1.8 a)
    assert DarkMatter("inelastic", 0.1, 0.1, 0.01).mediator_width(0.3) == pytest.approx(8.8763e-3, rel=1e-4)
    assert DarkMatter("inelastic", 0.1, 0.1, 0.0).mediator_width(0.3) == pytest.approx(9.1099e-3, rel=1e-4)
    assert DarkMatter("dirac", 0.1, 0.1).mediator_width(0.3) == pytest.approx(9.1099e-3, rel=1e-4)


@pytest.mark.parametrize("m1, delta, mx, eps, ad, exact, approx, ctau", [
    (0.1, 0.005, 0.3, 1e-3, 0.1, 1.9053e-20, 2.3897e-20, 10.36e3),
    (0.1, 0.010, 0.3, 1e-3, 0.1, 6.4082e-19, 7.6471e-19, 307.9),
    (0.1, 0.040, 0.3, 1e-3, 0.1, 5.0290e-16, 7.8307e-16, 0.392),
    (0.3, 0.030, 0.9, 1e-4, 0.5, 9.9493e-20, 1.1471e-19, 1.983e3),
])
def test_chi2_three_body_width(m1, delta, mx, eps, ad, exact, approx, ctau):
    # formulas-detection.md §1.8 (b) table: exact Dalitz integral and the 4ε²αα_DΔ⁵/(15π m_X⁴) limit
    dm = DarkMatter("inelastic", m1, ad, delta)
    got = dm.chi2_width(mx, -eps)
    assert got == pytest.approx(exact, rel=2e-4, abs=0)
    assert HBARC / got == pytest.approx(ctau, rel=2e-3)
    assert dm.chi2_width_approx(mx, -eps) == pytest.approx(approx, rel=2e-4, abs=0)


def test_chi2_small_splitting_limit():
    # m₁ = 10 GeV, Δ = 20 MeV, m_X = 10 GeV: exact/approx = 0.987 (§1.8 b), approaching 1
    dm = DarkMatter("inelastic", 10.0, 0.1, 0.020)
    ratio = dm.chi2_width(10.0, -1e-3) / dm.chi2_width_approx(10.0, -1e-3)
    assert ratio == pytest.approx(0.987, abs=0.003)


def test_chi2_closed_below_two_electron_masses():
    assert DarkMatter("inelastic", 0.1, 0.1, 0.001).chi2_width(0.3, -1e-3) == 0.0


@pytest.mark.parametrize("bad", [dict(kind="majorana", mass=0.01, alpha_d=0.1), dict(kind="dirac", mass=-1, alpha_d=0.1),
                                 dict(kind="dirac", mass=0.01, alpha_d=float("nan")),
                                 dict(kind="dirac", mass=0.01, alpha_d=0.1, delta=0.001)])
def test_bad_dark_matter(bad):
    with pytest.raises(ValueError):
        DarkMatter(**bad)
